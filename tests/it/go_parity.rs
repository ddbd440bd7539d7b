//! Parity with Go itself: regcred's copies of `encoding/base64`,
//! `encoding/json`, the kubelet's pull-secret reading and its `net/url`
//! registry-key check against the real thing (tests/go/gocompat/main.go),
//! on thousands of random and edge inputs per property.
//!
//! Every case of a property goes through one Go process. The tests need `go`
//! (`#[ignore]`d; tests/it/common/programs.rs says how they run).

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde::{Deserialize, Serialize};

use regcred::dockercfg::kubelet::{self, Problem, Shape};
use regcred::gocompat::base64::{self, decode_auth_field, Padding};
use regcred::gocompat::json_fold;
use regcred::gocompat::json_value::{self, Document, MapUnmarshalError, Value};
use regcred::image::keyring;
use regcred::lint::mask;

/// Random cases per property; `REGCRED_PARITY_CASES` raises it for a deeper run.
fn case_count() -> usize {
    std::env::var("REGCRED_PARITY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(6000)
}

// ---------------------------------------------------------------------------
// The Go side.

fn go_binary() -> Option<PathBuf> {
    static BINARY: OnceLock<Option<PathBuf>> = OnceLock::new();
    BINARY
        .get_or_init(|| {
            let go = common::require("go", "the go parity tests (Debian: golang-go)")?;
            let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gocompat");
            let source =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/go/gocompat/main.go");
            let status = Command::new(go)
                .args(["build", "-o"])
                .arg(&out)
                .arg(&source)
                .status()
                .expect("run go build");
            assert!(status.success(), "go build of {} failed", source.display());
            Some(out)
        })
        .clone()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct Response {
    ok: bool,
    err: String,
    offset: i64,
    msg: String,
    value: String,
    out: String,
    creds: Vec<Vec<String>>,
    tokens: Vec<String>,
}

#[derive(Serialize)]
struct Request<'a> {
    mode: &'a str,
    input: String,
}

/// Runs every case through one Go process; None when Go is missing.
fn run_go(mode: &str, inputs: &[Vec<u8>]) -> Option<Vec<Response>> {
    let binary = go_binary()?;
    let mut child = Command::new(binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start gocompat");
    let mut stdin = child.stdin.take().expect("stdin");
    let lines: Vec<String> = inputs
        .iter()
        .map(|input| {
            serde_json::to_string(&Request {
                mode,
                input: base64::encode(input),
            })
            .expect("request")
        })
        .collect();
    let writer = std::thread::spawn(move || {
        for line in lines {
            writeln!(stdin, "{line}").expect("write to gocompat");
        }
    });
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let responses: Vec<Response> = stdout
        .lines()
        .map(|line| serde_json::from_str(&line.expect("read gocompat")).expect("response"))
        .collect();
    writer.join().expect("writer");
    assert!(child.wait().expect("wait").success(), "gocompat failed");
    assert_eq!(responses.len(), inputs.len());
    Some(responses)
}

// ---------------------------------------------------------------------------
// The Rust side, answering in the Go program's terms.

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn rust_base64(input: &[u8], padding: Padding) -> Response {
    match base64::decode(input, padding) {
        Ok(out) => Response {
            ok: true,
            out: hex(&out),
            ..Response::default()
        },
        Err(e) => Response {
            err: "base64".into(),
            offset: e.offset as i64,
            ..Response::default()
        },
    }
}

fn rust_auth(input: &[u8]) -> Response {
    let text = std::str::from_utf8(input).expect("auth cases are UTF-8");
    match decode_auth_field(text) {
        Err(e) => Response {
            err: "base64".into(),
            offset: e.offset as i64,
            ..Response::default()
        },
        Ok(decoded) => match decoded.iter().position(|&b| b == b':') {
            None => Response {
                err: "nocolon".into(),
                ..Response::default()
            },
            Some(i) => Response {
                ok: true,
                creds: vec![vec![
                    String::new(),
                    hex(&decoded[..i]),
                    hex(&decoded[i + 1..]),
                ]],
                ..Response::default()
            },
        },
    }
}

fn syntax_response(e: &json_value::SyntaxError, input: &[u8]) -> Response {
    Response {
        err: "syntax".into(),
        offset: e.offset as i64,
        msg: e.go_message(input),
        ..Response::default()
    }
}

/// Go's json.Decoder token stream (UseNumber), from our tree.
fn tokens(doc: &Document, input: &[u8]) -> Vec<String> {
    enum Step {
        Enter(json_value::NodeId),
        Text(String),
    }
    let mut out = Vec::new();
    let mut stack = vec![Step::Enter(doc.root())];
    while let Some(step) = stack.pop() {
        let id = match step {
            Step::Text(t) => {
                out.push(t);
                continue;
            }
            Step::Enter(id) => id,
        };
        match doc.value(id) {
            Value::Null => out.push("z".into()),
            Value::Bool(b) => out.push(format!("b:{b}")),
            Value::Number => out.push(format!(
                "n:{}",
                String::from_utf8_lossy(&input[doc.span(id)])
            )),
            Value::String(s) => out.push(format!("s:{}", hex(s.as_bytes()))),
            Value::Array(items) => {
                out.push("[".into());
                stack.push(Step::Text("]".into()));
                for item in items.iter().rev() {
                    stack.push(Step::Enter(*item));
                }
            }
            Value::Object(members) => {
                out.push("{".into());
                stack.push(Step::Text("}".into()));
                for member in members.iter().rev() {
                    stack.push(Step::Enter(member.value));
                    stack.push(Step::Text(format!("s:{}", hex(doc.key(member).as_bytes()))));
                }
            }
        }
    }
    out
}

fn rust_json(input: &[u8]) -> Response {
    let doc = match json_value::parse(input) {
        Err(e) => return syntax_response(&e, input),
        Ok(doc) => doc,
    };
    let mut r = match json_value::unmarshal_into_map(&doc, input) {
        Ok(()) => Response {
            ok: true,
            ..Response::default()
        },
        Err(MapUnmarshalError::NotAnObject { found }) => Response {
            err: "type".into(),
            value: found.go_name().into(),
            ..Response::default()
        },
        Err(MapUnmarshalError::NumberOutOfRange { span }) => Response {
            err: "type".into(),
            value: format!("number {}", String::from_utf8_lossy(&input[span])),
            ..Response::default()
        },
    };
    r.tokens = tokens(&doc, input);
    r
}

fn rust_kubelet(input: &[u8], shape: Shape) -> Response {
    let doc = match json_value::parse(input) {
        Err(e) => return syntax_response(&e, input),
        Ok(doc) => doc,
    };
    let reading = kubelet::read(&doc, shape);
    match reading.go_error() {
        Some(Problem::WrongType { found, .. }) => Response {
            err: "type".into(),
            value: found.go_name().into(),
            ..Response::default()
        },
        Some(Problem::AuthNotBase64 { error, .. }) => Response {
            err: "base64".into(),
            offset: error.offset as i64,
            ..Response::default()
        },
        Some(Problem::AuthNoColon { .. }) => Response {
            err: "nocolon".into(),
            ..Response::default()
        },
        None => {
            let mut creds: Vec<Vec<String>> = reading
                .effective()
                .map(|e| {
                    let c = e
                        .credentials(&doc)
                        .expect("accepted entries have credentials");
                    vec![
                        hex(e.registry(&doc).as_bytes()),
                        hex(&c.username),
                        hex(&c.password),
                    ]
                })
                .collect();
            creds.sort();
            Response {
                ok: true,
                creds,
                ..Response::default()
            }
        }
    }
}

fn rust_url(input: &[u8]) -> Response {
    let key = std::str::from_utf8(input).expect("url cases are UTF-8");
    match keyring::index_key(key) {
        Ok(_) => Response {
            ok: true,
            ..Response::default()
        },
        Err(_) => Response {
            err: "url".into(),
            ..Response::default()
        },
    }
}

// ---------------------------------------------------------------------------
// Comparison.

fn generate<S: Strategy>(strategy: S, n: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::new(Config::default());
    (0..n)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("generate a case")
                .current()
        })
        .collect()
}

fn show(input: &[u8]) -> String {
    if input.len() > 300 {
        format!(
            "{} bytes starting {:?}",
            input.len(),
            String::from_utf8_lossy(&input[..300])
        )
    } else {
        format!("{:?} (hex {})", String::from_utf8_lossy(input), hex(input))
    }
}

/// Runs `inputs` through Go in `mode` and through `ours`; all must agree.
/// `outcomes` lists the outcomes (`ok`, `ok+creds`, or an error kind) that
/// must each occur at least once, so the inputs cannot silently degenerate.
fn assert_parity(
    mode: &str,
    inputs: &[Vec<u8>],
    outcomes: &[&str],
    ours: impl Fn(&[u8]) -> Response,
) {
    let Some(theirs) = run_go(mode, inputs) else {
        return;
    };
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for go in &theirs {
        let outcome = match (go.ok, go.creds.is_empty()) {
            (true, false) => "ok+creds".to_string(),
            (true, true) => "ok".to_string(),
            _ => go.err.clone(),
        };
        *seen.entry(outcome).or_default() += 1;
    }
    eprintln!(
        "{mode}: Go's outcomes over {} cases: {seen:?}",
        inputs.len()
    );
    for outcome in outcomes {
        assert!(
            seen.contains_key(*outcome),
            "{mode}: no case gave {outcome}"
        );
    }
    let mut mismatches = Vec::new();
    for (input, mut go) in inputs.iter().zip(theirs) {
        if mode == "url" {
            go.msg.clear(); // Go's wording is not copied, only acceptance.
        }
        let rust = ours(input);
        if rust != go {
            mismatches.push(format!(
                "input {}\n  go:   {go:?}\n  rust: {rust:?}",
                show(input)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{mode}: {} of {} cases differ from Go; first ones:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches[..mismatches.len().min(5)].join("\n")
    );
}

// ---------------------------------------------------------------------------
// Inputs.

const B64_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// base64-ish text: mostly the alphabet, with padding, newlines, spaces, the
/// URL-safe alphabet and non-ASCII sprinkled in; or real encodings, mutated.
fn base64_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        12 => prop::sample::select(B64_CHARS).prop_map(|c| vec![c]),
        3 => Just(b"=".to_vec()),
        2 => prop::sample::select(vec!["\n", "\r", "\r\n"]).prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::sample::select(vec![" ", "\t", "-", "_", ".", "\0", "é", ":"])
            .prop_map(|s| s.as_bytes().to_vec()),
    ];
    let random = vec(piece, 0..24).prop_map(|pieces| pieces.concat());
    let encoded = (
        vec(any::<u8>(), 0..16),
        0..8usize,
        any::<prop::sample::Index>(),
    )
        .prop_map(|(bytes, op, at)| {
            let mut s = base64::encode(&bytes).into_bytes();
            let pos = if s.is_empty() {
                0
            } else {
                at.index(s.len() + 1)
            };
            match op {
                0 => s.insert(pos, b'\n'),
                1 => {
                    while s.last() == Some(&b'=') {
                        s.pop();
                    }
                }
                2 => s.extend_from_slice(b"\n"),
                3 => s.insert(pos, b' '),
                4 => {
                    for c in &mut s {
                        *c = match *c {
                            b'+' => b'-',
                            b'/' => b'_',
                            other => other,
                        };
                    }
                }
                5 => s.extend_from_slice(b"=="),
                6 => {
                    if let Some(i) = s.iter().position(|&c| c == b'=') {
                        s.insert(i + 1, b'\n');
                    }
                }
                _ => {}
            }
            s
        });
    prop_oneof![random, encoded]
}

fn base64_cases() -> Vec<Vec<u8>> {
    let mut cases: Vec<Vec<u8>> = [
        "",
        "\n",
        "YQ=\n=",
        "Y\r\nQ==\n",
        "YQ",
        "YR==",
        "YWJj ZA==",
        "YQ==YQ==",
        "=QQQ",
        "Y===",
        "YQ=x",
        "a-b_",
        "YQ=\r\n=\r\n",
        "YWJjZA",
        "dTpw ",
        " dTpw",
        "dTpw= ",
        "dQ==\n\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    cases.extend(generate(base64_like(), case_count()));
    cases
}

#[test]
#[ignore = "needs go"]
fn base64_std_and_raw_match_go() {
    let cases = base64_cases();
    assert_parity("std", &cases, &["ok", "base64"], |i| {
        rust_base64(i, Padding::Required)
    });
    assert_parity("raw", &cases, &["ok", "base64"], |i| {
        rust_base64(i, Padding::None)
    });
}

#[test]
#[ignore = "needs go"]
fn kubelet_auth_decoding_matches_go() {
    let credential = (
        vec(prop::sample::select(b"ab:z \xc3\xa9\n=".to_vec()), 0..12),
        0..4usize,
    )
        .prop_map(|(bytes, op)| {
            let mut s = base64::encode(&bytes);
            match op {
                0 => s = s.trim_end_matches('=').to_string(),
                1 => s.push(' '),
                2 => s.insert(0, ' '),
                _ => {}
            }
            s.into_bytes()
        });
    let mut cases = base64_cases();
    cases.extend(generate(credential, case_count()));
    assert_parity(
        "auth",
        &cases,
        &["ok+creds", "base64", "nocolon"],
        rust_auth,
    );
}

/// JSON source snippets for keys: kubelet field names in various cases,
/// Go's special folds (ſ, K), escapes, invalid UTF-8, registry names.
fn key() -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(vec![
        &b"\"auths\""[..],
        b"\"AUTHS\"",
        b"\"Auths\"",
        "\"auth\u{17f}\"".as_bytes(),
        b"\"\\u0061uths\"",
        b"\"auth\"",
        b"\"AUTH\"",
        b"\"username\"",
        b"\"UserName\"",
        "\"u\u{17f}ername\"".as_bytes(),
        b"\"password\"",
        b"\"PASSWORD\"",
        b"\"email\"",
        b"\"identitytoken\"",
        b"\"HttpHeaders\"",
        b"\"httpheaders\"",
        b"\"credsStore\"",
        b"\"reg.io\"",
        b"\"https://index.docker.io/v1/\"",
        b"\"\"",
        b"\"a\xffb\"",
        b"\"\\ud800\"",
    ])
    .prop_map(<[u8]>::to_vec)
}

fn scalar() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            &b"null"[..],
            b"true",
            b"false",
            b"0",
            b"-1",
            b"1.5e3",
            b"1e400",
            b"-1e400",
            b"1e-400",
            b"1.7976931348623157e308",
            b"1.7976931348623159e308",
            b"123456789012345678901234567890",
            b"\"dTpw\"",
            b"\"dTpwOnE=\"",
            b"\"dXNlcg==\"",
            b"\"dT pw\"",
            b"\" dTpw= \"",
            b"\"\"",
            b"\"x\\ny\\t\\\"\\\\\\/\"",
            b"\"\\ud800\\u0041\"",
            b"\"\\ud83d\\ude00\"",
            b"\"\\udc00\\ud800\"",
            b"\"\xff\xfe\"",
            b"\"\xe2\x82a\"",
            b"\"\xed\xa0\x80\"",
            b"\"caf\xc3\xa9\"",
        ])
        .prop_map(<[u8]>::to_vec),
        base64_like().prop_map(|s| {
            let text: String = String::from_utf8_lossy(&s)
                .chars()
                .filter(|c| !c.is_control() && *c != '"' && *c != '\\')
                .collect();
            format!("\"{text}\"").into_bytes()
        }),
    ]
}

fn space() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![&b""[..], b"", b"", b" ", b"\n", b"\r\n\t"])
}

fn object(members: Vec<(Vec<u8>, Vec<u8>)>, ws: &[u8]) -> Vec<u8> {
    let mut out = b"{".to_vec();
    for (i, (k, v)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(ws);
        out.extend(k);
        out.push(b':');
        out.extend_from_slice(ws);
        out.extend(v);
    }
    out.extend_from_slice(ws);
    out.push(b'}');
    out
}

/// Random JSON trees built from the keys and scalars above.
fn json_tree() -> impl Strategy<Value = Vec<u8>> {
    scalar().prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            (vec(inner.clone(), 0..4), space()).prop_map(|(items, ws)| {
                let mut out = b"[".to_vec();
                out.extend(items.join(&b","[..]));
                out.extend_from_slice(ws);
                out.push(b']');
                out
            }),
            (vec((key(), inner), 0..5), space()).prop_map(|(m, ws)| object(m, ws)),
        ]
    })
}

fn pick(keys: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(keys).prop_map(|k| format!("\"{k}\"").into_bytes())
}

/// Shaped like real pull secrets: `{"auths": {REGISTRY: ENTRY}}` or bare.
fn docker_config() -> impl Strategy<Value = Vec<u8>> {
    let field = prop_oneof![
        3 => pick(&["auth", "username", "password", "email", "Auth", "USERNAME", "pa\\u017fsword"]),
        1 => key(),
    ];
    let string_heavy = prop_oneof![
        3 => pick(&["dTpw", "dTpwOnE=", "dXNlcg==", "dTpw ", "", "u", "p", "dT pw", "dTp-"]),
        1 => scalar(),
    ];
    let entry = prop_oneof![
        6 => (vec((field, string_heavy), 0..5), space()).prop_map(|(m, ws)| object(m, ws)),
        1 => scalar(),
        1 => json_tree(),
    ];
    let registry = prop_oneof![
        3 => pick(&["reg.io", "reg.io:5000", "https://index.docker.io/v1/", "a", "reg.io"]),
        1 => key(),
    ];
    let registries = (vec((registry, entry), 0..4), space())
        .prop_map(|(m, ws)| object(m, ws))
        .boxed();
    let top_key = prop_oneof![
        3 => pick(&["auths", "AUTHS", "auth\\u017f", "HttpHeaders", "credsStore"]),
        1 => key(),
    ];
    let top_value = prop_oneof![4 => registries.clone(), 1 => json_tree()];
    prop_oneof![
        3 => (vec((top_key, top_value), 0..4), space()).prop_map(|(m, ws)| object(m, ws)),
        1 => registries,
    ]
}

/// A text, then maybe broken: a byte inserted, deleted or replaced,
/// truncated, a BOM in front, trailing content or whitespace.
fn mutated(text: impl Strategy<Value = Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (text, 0..20usize, any::<prop::sample::Index>(), any::<u8>()).prop_map(
        |(mut s, op, at, byte)| {
            let pos = at.index(s.len() + 1);
            let noise = b"{}[]:,\"\\ 0x-e.n";
            match op {
                0 => s.insert(pos, noise[usize::from(byte) % noise.len()]),
                1 if pos < s.len() => {
                    s.remove(pos);
                }
                2 if pos < s.len() => s[pos] = byte,
                3 => s.truncate(pos),
                4 => s.splice(0..0, *b"\xef\xbb\xbf").for_each(drop),
                5 => s.extend_from_slice(b" x"),
                6 => s.extend_from_slice(b" \n\t\r"),
                7 => s.extend_from_slice(b"{}"),
                _ => {}
            }
            s
        },
    )
}

fn json_cases() -> Vec<Vec<u8>> {
    let mut cases: Vec<Vec<u8>> = [
        "",
        " ",
        "null",
        "[]",
        "3",
        "\"s\"",
        "true",
        "{}",
        "{} ",
        "{}x",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "-",
        "1.",
        "1e",
        "tru",
        "nul",
        "\"\\u12",
        "\"\\x\"",
        "{\"a\":1e400}",
        "{\"auths\":null}",
        "{\"auths\":5}",
        "{\"auths\":{\"r\":5}}",
        "{\"auths\":{\"r\":\"x\"}}",
        "{\"auths\":{\"r\":null}}",
        "{\"auths\":{\"r\":{\"auth\":\"dTpw\",\"auth\":null}}}",
        "{\"HttpHeaders\":{\"a\":[]}}",
        "{\"auths\":[],\"auths\":{\"r\":{\"username\":1}}}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    cases.push(b"\xef\xbb\xbf{}".to_vec());
    for depth in [9_999, 10_000, 10_001, 100_000] {
        cases.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes());
        cases.push(format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).into_bytes());
    }
    cases.push("[".repeat(100_000).into_bytes());
    cases.extend(generate(
        mutated(prop_oneof![json_tree(), docker_config()]),
        case_count(),
    ));
    cases
}

#[test]
#[ignore = "needs go"]
fn json_reading_matches_go() {
    let cases = json_cases();
    assert_parity("json", &cases, &["ok", "syntax", "type"], rust_json);
}

#[test]
#[ignore = "needs go"]
fn kubelet_reading_matches_go() {
    let cases = json_cases();
    let all = ["ok", "ok+creds", "syntax", "type", "base64", "nocolon"];
    assert_parity("kubelet-json", &cases, &all, |i| {
        rust_kubelet(i, Shape::DockerConfigJson)
    });
    assert_parity("kubelet-cfg", &cases, &all, |i| {
        rust_kubelet(i, Shape::DockerCfg)
    });
}

#[test]
#[ignore = "needs go"]
fn registry_key_parse_matches_go() {
    let piece = prop_oneof![
        8 => prop::sample::select(b"abcXYZ019.-".to_vec()).prop_map(|c| vec![c]),
        4 => prop::sample::select(vec![
            ":", "/", "[", "]", "%", "@", "?", "#", "<", ">", "{", "}", "|", " ", "\"", "'", "!",
            "$", "&", "(", ")", "*", "+", ",", ";", "=", "\\", "^", "`", "~", "_", "\t", "\u{7f}",
            "é", "%41", "%e9", "%2", "%zz", "%25", ":5000", "/v2/", "http://", "https://",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ];
    let mut cases: Vec<Vec<u8>> = [
        "reg.io",
        "reg.io:abc",
        "reg.io:",
        "<your-registry-server>",
        "${REGISTRY}",
        "[::1",
        "[::1]:5000",
        "[fe80::1%25en0]",
        "[fe80::1%en0]",
        "u:p@reg.io",
        "u{@reg.io",
        "a#\t",
        "reg.io/%zz",
        "reg.io?%zz",
        "reg.io#%zz",
        "HTTP://reg.io",
        "",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    cases.extend(generate(
        vec(piece, 0..14).prop_map(|p| p.concat()),
        case_count(),
    ));
    assert_parity("url", &cases, &["ok", "url"], rust_url);
}

// ---------------------------------------------------------------------------
// Masking: a key Go decodes into a credential field is masked.

/// Docker's AuthConfig fields (tests/go/gocompat/main.go, mode `fields`).
const AUTH_FIELDS: &[&str] = &[
    "username",
    "password",
    "auth",
    "email",
    "identitytoken",
    "registrytoken",
];
const CREDENTIAL_FIELDS: &[&str] = &["password", "auth", "identitytoken", "registrytoken"];

/// `{"KEY":"x"}` where KEY is a field name respelled: case changed, runes
/// Go folds to ASCII (ſ, K, ı, İ), `\u` escapes, sometimes one byte off.
fn field_object() -> impl Strategy<Value = Vec<u8>> {
    (prop::sample::select(AUTH_FIELDS), vec(0..9u8, 16), 0..6u8).prop_map(
        |(name, choices, damage)| {
            let mut name = name.to_string();
            match damage {
                0 => name.push('s'),
                1 => {
                    name.pop();
                }
                _ => {}
            }
            let mut key = String::new();
            for (c, choice) in name.chars().zip(choices) {
                match (choice, c) {
                    (3, _) => key.push(c.to_ascii_uppercase()),
                    (4, 's') => key.push('\u{17f}'),
                    (4, 'k') => key.push('\u{212a}'),
                    (4, 'i') => key.push('\u{131}'),
                    (5, 'i') => key.push('\u{130}'),
                    (5, _) => key.push_str(&format!("\\u{:04x}", u32::from(c))),
                    (6, _) => {
                        key.push_str(&format!("\\u{:04X}", u32::from(c.to_ascii_uppercase())))
                    }
                    (7, 'a' | 'e') => key.push('\u{e1}'),
                    _ => key.push(c),
                }
            }
            format!("{{\"{key}\":\"x\"}}").into_bytes()
        },
    )
}

/// Go's minor version from `runtime.Version()` ("go1.19.8" is 19).
fn go_minor(version: &str) -> Option<u32> {
    version
        .strip_prefix("go1.")?
        .split('.')
        .next()?
        .parse()
        .ok()
}

#[test]
#[ignore = "needs go"]
fn credential_keys_are_masked_as_go_decodes_them() {
    let cases = generate(field_object(), case_count());
    let Some(theirs) = run_go("fields", &cases) else {
        return;
    };
    let mut mismatches = Vec::new();
    let mut reached = std::collections::BTreeMap::<String, usize>::new();
    for (input, go) in cases.iter().zip(theirs) {
        assert!(go.ok, "{}: {go:?}", show(input));
        *reached.entry(go.value.clone()).or_default() += 1;
        let doc = json_value::parse(input).expect("valid JSON");
        let key = doc.key(&doc.members(doc.root())[0]).to_string();
        let ours = AUTH_FIELDS
            .iter()
            .find(|f| json_fold::field_matches(f, &key))
            .copied()
            .unwrap_or("");
        // Go 1.20 and earlier did not fold ı and İ: there, ours may match
        // more (masking more), never less.
        let old_go = go_minor(&go.msg).is_some_and(|m| m < 21);
        let dotted = key.contains(['\u{130}', '\u{131}']);
        if ours != go.value && !(old_go && dotted && go.value.is_empty()) {
            mismatches.push(format!("{}: go {:?}, ours {ours:?}", show(input), go.value));
        }
        let masked = !mask::json_masks(input, json_value::parse(input).as_ref()).is_empty();
        if CREDENTIAL_FIELDS.contains(&go.value.as_str()) && !masked {
            mismatches.push(format!(
                "{}: Go reads a credential, not masked",
                show(input)
            ));
        }
        // (Masking goes further: any key ending in "token" or "password".)
        if CREDENTIAL_FIELDS.contains(&ours) && !masked {
            mismatches.push(format!("{}: matches {ours:?}, not masked", show(input)));
        }
    }
    eprintln!("fields: Go reached {reached:?}");
    for field in AUTH_FIELDS.iter().chain(&[""]) {
        assert!(reached.contains_key(*field), "no case reached {field:?}");
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ; first ones:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches[..mismatches.len().min(5)].join("\n")
    );
}
