//! Parity with Go: the kubelet's keyring matching, `net/url.Parse`,
//! `path/filepath.Match` and the image reference grammar, checked on thousands of generated inputs against
//! tests/go/keyring, which uses Go's own packages. One Go process answers
//! every case over a pipe.
//!
//! The tests need `go` (`#[ignore]`d; tests/it/common/programs.rs says how
//! they run).

use crate::common;

use std::cell::Cell;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use regcred::gocompat::{filepath_match, url};
use regcred::image::keyring::{lookup, suggested_key};
use regcred::image::{parse_image, ParsedImage};
use serde_json::{json, Value};

struct Oracle {
    _child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Oracle {
    fn ask(&mut self, request: &Value) -> Value {
        let line = format!("{request}\n");
        self.stdin
            .write_all(line.as_bytes())
            .and_then(|()| self.stdin.flush())
            .unwrap_or_else(|e| panic!("writing to the Go oracle: {e}"));
        let mut answer = String::new();
        self.stdout
            .read_line(&mut answer)
            .unwrap_or_else(|e| panic!("reading from the Go oracle: {e}"));
        serde_json::from_str(&answer)
            .unwrap_or_else(|e| panic!("Go oracle answered {answer:?} to {request}: {e}"))
    }
}

/// Builds tests/go/keyring once and starts it; `None` (after the common
/// skip) when Go is missing.
fn oracle() -> Option<&'static Mutex<Oracle>> {
    static ORACLE: OnceLock<Option<Mutex<Oracle>>> = OnceLock::new();
    let oracle = ORACLE.get_or_init(|| {
        let go = common::which("go")?;
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go/keyring");
        let binary = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("keyring-oracle");
        let build = Command::new(go)
            .args(["build", "-o"])
            .arg(&binary)
            .arg(".")
            .current_dir(&source)
            .output()
            .unwrap_or_else(|e| panic!("running go build: {e}"));
        assert!(
            build.status.success(),
            "go build of tests/go/keyring failed:\n{}",
            String::from_utf8_lossy(&build.stderr)
        );
        let mut child = Command::new(&binary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting the Go oracle: {e}"));
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            panic!("the Go oracle has no pipes");
        };
        Some(Mutex::new(Oracle {
            _child: child,
            stdin,
            stdout: BufReader::new(stdout),
        }))
    });
    if oracle.is_none() {
        common::missing("go", "the keyring parity tests (Debian: golang-go)");
    }
    oracle.as_ref()
}

fn ask(oracle: &Mutex<Oracle>, request: &Value) -> Value {
    match oracle.lock() {
        Ok(mut o) => o.ask(request),
        Err(poisoned) => poisoned.into_inner().ask(request),
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---- generators ----------------------------------------------------------

/// Host labels real images use; keys draw from these and from globs.
const IMAGE_LABELS: &[&str] = &[
    "reg",
    "io",
    "gcr",
    "eu",
    "docker",
    "index",
    "quay",
    "localhost",
    "10",
    "0",
    "1",
    "REG",
    "corp",
    "x-y",
];
const GLOB_LABELS: &[&str] = &[
    "*",
    "?",
    "r*",
    "*g",
    "r?g",
    "[a-z]eg",
    "r[a-z]g",
    "[^a]*",
    "e[",
    "[!]",
    "\\*",
    "\\r\\e\\g",
    "Io",
    "",
    "*[",
    "re[g-z]",
];
const PORTS: &[&str] = &["", "", "", ":5000", ":443", ":", ":abc", ":5000a"];
const KEY_PATHS: &[&str] = &[
    "",
    "",
    "/",
    "/v1/",
    "/v2/",
    "/v1",
    "/v2",
    "/v2/team",
    "/team",
    "/coreos",
    "/core",
    "/Team",
    "/library",
    "/%zz",
    "/%2F",
    "/a%25zz",
    "?q",
    "#f",
    " ",
    "/a b",
    "/%41",
    "%",
    "/v2/library/",
];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(list).prop_map(str::to_string)
}

fn host(labels: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(labels, 1..=4).prop_map(|l| l.join(".")),
        1 => pick(&["[::1]", "[fe80::1%25en0]", "[::1", "127.0.0.1", "10.0.0.1", "[::1]x", "a[b]"]),
    ]
}

fn key_strategy() -> impl Strategy<Value = String> {
    let label = prop_oneof![3 => pick(IMAGE_LABELS), 2 => pick(GLOB_LABELS)];
    let structured = (
        pick(&[
            "",
            "",
            "https://",
            "http://",
            "HTTPS://",
            "u:p@",
            "https://u@",
        ]),
        host(label),
        pick(PORTS),
        prop::collection::vec(pick(KEY_PATHS), 0..=2),
    )
        .prop_map(|(scheme, host, port, paths)| format!("{scheme}{host}{port}{}", paths.concat()));
    prop_oneof![
        10 => structured,
        1 => pick(&["https://index.docker.io/v1/", "index.docker.io", "docker.io", "https://index.docker.io/v2/", "index.docker.io/v1"]),
        1 => "[ -~]{0,12}",
    ]
}

fn image_strategy() -> impl Strategy<Value = String> {
    let name_part = pick(&[
        "library", "team", "coreos", "core", "app", "etcd", "nginx", "Team", "v2",
    ]);
    let structured = (
        host(pick(IMAGE_LABELS)),
        pick(&["", "", ":5000", ":443"]),
        prop::collection::vec(name_part, 1..=3),
    )
        .prop_map(|(host, port, path)| format!("{host}{port}/{}", path.join("/")));
    let raw = pick(&[
        "nginx",
        "team/app",
        "index.docker.io/x",
        "docker.io/library/nginx",
        "localhost/x",
        "localhost:5000/x",
        "Reg/x",
        "quay.io/coreos/etcd:v3",
        "eu.gcr.io/p/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ])
    .prop_map(|raw| match parse_image(&raw) {
        // The kubelet looks up the normalized name, tag and digest dropped.
        ParsedImage::Reference(r) => r.name(),
        _ => raw,
    });
    prop_oneof![6 => structured, 2 => raw, 1 => "[ -~]{0,12}"]
}

/// A key built from the image itself, then varied the ways people vary
/// them: scheme, `/v1/` `/v2/`, a path prefix (possibly cut mid-component),
/// a label replaced by a glob, a port added or dropped, upper case.
fn derive_key(image: &str, choices: [u8; 6]) -> String {
    let (host, path) = image.split_once('/').unwrap_or((image, ""));
    let mut labels: Vec<String> = host.split('.').map(str::to_string).collect();
    let n = labels.len();
    match choices[0] % 6 {
        0 => labels[usize::from(choices[1]) % n] = "*".into(),
        1 => {
            let i = usize::from(choices[1]) % n;
            // Replace the second character (or the only one) by `?`.
            let mut chars: Vec<char> = labels[i].chars().collect();
            let at = usize::from(chars.len() > 1);
            match chars.get_mut(at) {
                Some(c) => *c = '?',
                None => chars.push('?'),
            }
            labels[i] = chars.into_iter().collect();
        }
        2 => {
            let i = usize::from(choices[1]) % n;
            labels[i] = format!("{}*", labels[i].chars().next().unwrap_or('x'));
        }
        3 => {
            let i = usize::from(choices[1]) % n;
            labels[i] = labels[i].to_uppercase();
        }
        _ => {}
    }
    let mut host = labels.join(".");
    match choices[2] % 8 {
        0 => host.push_str(":5000"),
        1 => host = host.split(':').next().unwrap_or_default().to_string(),
        _ => {}
    }
    let cut = usize::from(choices[3]) % (path.len() + 2);
    let path_part = match cut {
        0 => String::new(),
        c if c > path.len() => format!("/{path}"),
        c => format!("/{}", &path[..c]),
    };
    let version = ["", "", "/v1", "/v2", "/v2/"][usize::from(choices[4]) % 5];
    let scheme = ["", "", "https://", "http://"][usize::from(choices[5]) % 4];
    let tail = if version.is_empty() || !path_part.is_empty() {
        format!("{version}{path_part}")
    } else {
        format!("{version}/")
    };
    format!("{scheme}{host}{tail}")
}

fn keyring_case_strategy() -> impl Strategy<Value = (Vec<String>, String)> {
    image_strategy().prop_flat_map(|image| {
        let derived = {
            let image = image.clone();
            any::<[u8; 6]>().prop_map(move |c| derive_key(&image, c))
        };
        let key = prop_oneof![2 => key_strategy(), 1 => derived];
        (prop::collection::vec(key, 1..=5), Just(image))
    })
}

// ---- keyring -------------------------------------------------------------

#[test]
#[ignore = "needs go"]
fn keyring_matches_like_the_kubelet() {
    let Some(oracle) = oracle() else {
        return;
    };
    let strategy = keyring_case_strategy();
    let (cases, matched, fallbacks) = (Cell::new(0usize), Cell::new(0usize), Cell::new(0usize));
    let result = runner(4000).run(&strategy, |(keys, image)| {
        let go = ask(
            oracle,
            &json!({"op": "keyring", "keys": keys, "image": image}),
        );
        let ours = lookup(&image, &keys);
        let go_tried: Vec<usize> = go["tried"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_u64)
                    .map(|n| n as usize)
                    .collect()
            })
            .unwrap_or_default();
        prop_assert_eq!(&ours.tried, &go_tried, "keys {:?} image {:?}", keys, image);
        prop_assert_eq!(
            ours.via_docker_hub_fallback,
            go["fallback"].as_bool() == Some(true),
            "fallback: keys {:?} image {:?}",
            keys,
            image
        );
        // Every key in `tried` by matching has an Ok verdict and vice versa.
        if !ours.via_docker_hub_fallback {
            for (i, verdict) in ours.verdicts.iter().enumerate() {
                prop_assert_eq!(verdict.outcome.is_ok(), ours.tried.contains(&i));
            }
        }
        cases.set(cases.get() + 1);
        matched.set(matched.get() + usize::from(!ours.tried.is_empty()));
        fallbacks.set(fallbacks.get() + usize::from(ours.via_docker_hub_fallback));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (cases, matched, fallbacks) = (cases.get(), matched.get(), fallbacks.get());
    eprintln!("keyring parity: {cases} cases, {matched} with matches, {fallbacks} via the Docker Hub fallback");
    // The generators must exercise both outcomes, or the test proves little.
    assert!(
        matched > cases / 10,
        "too few matching cases: {matched}/{cases}"
    );
    assert!(fallbacks > 20, "too few fallback cases: {fallbacks}");
}

// ---- net/url ---------------------------------------------------------------

fn url_input_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => key_strategy().prop_map(|k| format!("https://{k}")),
        2 => "(https://)?[a-zA-Z0-9%:@/?#\\[\\] .*+é\\t~-]{0,14}",
        1 => "[ -~]{0,16}",
    ]
}

#[test]
#[ignore = "needs go"]
fn url_parse_agrees_with_go() {
    let Some(oracle) = oracle() else {
        return;
    };
    let rejected = Cell::new(0usize);
    let result = runner(3000).run(&url_input_strategy(), |input| {
        let go = ask(oracle, &json!({"op": "url", "input": input}));
        match url::parse(input.as_bytes()) {
            Ok(u) => {
                prop_assert_eq!(
                    go["ok"].as_bool(),
                    Some(true),
                    "Go rejects {:?}: {}",
                    input,
                    go["err"]
                );
                let (host, path) = (hex(&u.host), hex(&u.path));
                prop_assert_eq!(
                    go["host"].as_str(),
                    Some(host.as_str()),
                    "host of {:?}",
                    input
                );
                prop_assert_eq!(
                    go["path"].as_str(),
                    Some(path.as_str()),
                    "path of {:?}",
                    input
                );
            }
            Err(e) => {
                rejected.set(rejected.get() + 1);
                prop_assert_eq!(
                    go["ok"].as_bool(),
                    Some(false),
                    "Go accepts {:?}, we say {}",
                    input,
                    e
                );
                let message = e.to_string();
                if input.is_ascii() {
                    prop_assert_eq!(
                        go["err"].as_str(),
                        Some(message.as_str()),
                        "error for {:?}",
                        input
                    );
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let rejected = rejected.get();
    assert!(rejected > 100, "too few rejected inputs: {rejected}");
}

// ---- path/filepath.Match ---------------------------------------------------

#[test]
#[ignore = "needs go"]
fn filepath_match_agrees_with_go() {
    let Some(oracle) = oracle() else {
        return;
    };
    let strategy = ("[ab*?\\[\\]^\\\\/é-]{0,8}", "[ab/é\\-\\]]{0,6}");
    let (matched, bad) = (Cell::new(0usize), Cell::new(0usize));
    let result = runner(5000).run(&strategy, |(pattern, name)| {
        let go = ask(
            oracle,
            &json!({"op": "match", "pattern": pattern, "name": name}),
        );
        let ours = filepath_match::matches(pattern.as_bytes(), name.as_bytes());
        prop_assert_eq!(
            ours.is_err(),
            go["bad"].as_bool() == Some(true),
            "{:?} {:?}",
            pattern,
            name
        );
        prop_assert_eq!(
            ours == Ok(true),
            go["matched"].as_bool() == Some(true),
            "{:?} {:?}",
            pattern,
            name
        );
        matched.set(matched.get() + usize::from(ours == Ok(true)));
        bad.set(bad.get() + usize::from(ours.is_err()));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (matched, bad) = (matched.get(), bad.get());
    assert!(matched > 100 && bad > 100, "matched {matched}, bad {bad}");
}

// ---- image references --------------------------------------------------------

const SHA256: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn reference_strategy() -> impl Strategy<Value = String> {
    let piece = pick(&[
        "reg.io",
        "localhost",
        "index.docker.io",
        "docker.io",
        "Reg",
        "[::1]",
        "[::g]",
        "10.0.0.1",
        ":5000",
        ":",
        "/",
        "/",
        "/",
        "a",
        "app",
        "b1",
        "A",
        "_",
        "__",
        "___",
        "-",
        "--",
        ".",
        "@",
        ":v1",
        ":V_1.0-x",
        ":.x",
        "@sha256:",
        SHA256,
        "@md5:0123456789abcdef0123456789abcdef",
        "@sha256:ABC",
        " ",
        "<name>",
        "{{ .Values.image }}",
        "0123456789abcdef",
    ]);
    prop_oneof![
        4 => prop::collection::vec(piece, 1..=6).prop_map(|p| p.concat()),
        1 => r"[a-zA-Z0-9._:/@\[\]-]{0,20}",
        1 => "[a-f0-9]{64}",
        1 => "[a-z]{100,140}/[a-z]{100,140}",
    ]
}

#[test]
#[ignore = "needs go"]
fn image_references_agree_with_the_distribution_grammar() {
    let Some(oracle) = oracle() else {
        return;
    };
    let accepted = Cell::new(0usize);
    let result = runner(4000).run(&reference_strategy(), |input| {
        let go = ask(oracle, &json!({"op": "reference", "input": input}));
        match parse_image(&input) {
            ParsedImage::Reference(r) => {
                accepted.set(accepted.get() + 1);
                prop_assert_eq!(
                    go["ok"].as_bool(),
                    Some(true),
                    "Go rejects {:?}: {}",
                    input,
                    go["err"]
                );
                let name = r.name();
                prop_assert_eq!(
                    go["name"].as_str(),
                    Some(name.as_str()),
                    "name of {:?}",
                    input
                );
                prop_assert_eq!(
                    go["tag"].as_str(),
                    Some(r.tag.as_deref().unwrap_or("")),
                    "tag of {:?}",
                    input
                );
                prop_assert_eq!(
                    go["digest"].as_str(),
                    Some(r.digest.as_deref().unwrap_or("")),
                    "digest of {:?}",
                    input
                );
            }
            other => {
                prop_assert_eq!(
                    go["ok"].as_bool(),
                    Some(false),
                    "Go accepts {:?}, we say {:?}",
                    input,
                    other
                );
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let accepted = accepted.get();
    assert!(accepted > 400, "too few valid references: {accepted}");
}

// ---- properties without Go -----------------------------------------------

proptest! {
    #![proptest_config(Config { cases: 500, failure_persistence: None, ..Config::default() })]

    /// Hostile input: no panic anywhere, whatever the bytes.
    #[test]
    fn no_panic_on_any_input(image in any::<String>(), keys in prop::collection::vec(any::<String>(), 0..4)) {
        let _ = parse_image(&image);
        let l = lookup(&image, &keys);
        prop_assert_eq!(l.verdicts.len(), keys.len());
        let _ = url::parse(image.as_bytes());
        for key in &keys {
            let _ = filepath_match::matches(key.as_bytes(), image.as_bytes());
        }
    }

    /// Go strings are bytes: invalid UTF-8 must not panic either.
    #[test]
    fn no_panic_on_any_bytes(a in any::<Vec<u8>>(), b in any::<Vec<u8>>()) {
        let _ = url::parse(&a);
        let _ = url::split_host_port(&a);
        let _ = filepath_match::matches(&a, &b);
    }

    /// The key regcred suggests for an image always gets tried for it.
    #[test]
    fn suggested_key_matches(image in image_strategy()) {
        if let ParsedImage::Reference(r) = parse_image(&image) {
            let name = r.name();
            let suggestion = suggested_key(&name);
            prop_assert!(!lookup(&name, &[&suggestion]).tried.is_empty(), "{} for {}", suggestion, name);
        }
    }
}
