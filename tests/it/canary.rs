//! A canary password, unique to each run, goes through every input path of
//! `regcred create`, `regcred lint` and `regcred inspect` (and `regcred fn`); it
//! must never come out of stdout or stderr: raw, JSON- or URL-escaped, base64
//! (at each of the three alignments, once or twice encoded), or hex. The
//! formats, and `--diff`/`--fix`, are read from `--help` at run time so new
//! ones are covered without touching this file.
//!
//! The one output that must hold the secret, `create`'s Secret on stdout, is
//! written to `--output-file` instead, so stdout is checked too.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use regcred::gocompat::base64::encode;

/// The canary's core is letters, digits and `-` only: unreserved in URLs and
/// never escaped in JSON, so its raw form also finds JSON- and URL-escaped
/// leaks of any password containing it.
fn core() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("Canary-{:x}{:x}-Zq9", nanos, std::process::id())
}

/// Every form the core could leak in.
struct Needles {
    core: String,
    forms: Vec<(String, String)>,
}

/// The part of base64(prefix + text) that depends only on `text`: the
/// quanta made entirely of `text`'s bytes, for each prefix length mod 3.
fn base64_chunks(text: &[u8]) -> Vec<String> {
    (0..3)
        .map(|k| {
            let mut bytes = vec![b'\0'; k];
            bytes.extend_from_slice(text);
            let encoded = encode(&bytes);
            let first = k.div_ceil(3);
            let last = bytes.len() / 3;
            encoded[first * 4..last * 4].to_string()
        })
        .collect()
}

impl Needles {
    fn new(core: &str) -> Needles {
        let mut forms = vec![("raw".to_string(), core.to_string())];
        for (k, once) in base64_chunks(core.as_bytes()).into_iter().enumerate() {
            forms.push((format!("base64 alignment {k}"), once.clone()));
            forms.push((
                format!("base64url alignment {k}"),
                once.replace('+', "-").replace('/', "_"),
            ));
            for (j, twice) in base64_chunks(once.as_bytes()).into_iter().enumerate() {
                forms.push((format!("base64 twice, alignments {k} {j}"), twice));
            }
        }
        let hex: String = core.bytes().map(|b| format!("{b:02x}")).collect();
        forms.push(("hex".to_string(), hex));
        Needles {
            core: core.to_string(),
            forms,
        }
    }

    fn check(&self, what: &str, out: &Output) {
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            self.check_bytes(what, stream, bytes);
        }
    }

    fn check_bytes(&self, what: &str, stream: &str, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        for (form, needle) in &self.forms {
            assert!(
                !text.contains(needle.as_str()),
                "{what}: the canary leaks ({form}) on {stream}:\n{text}"
            );
        }
        // A leak through Rust's `Debug` of bytes (`[67, 97, ...]`).
        let debug = format!("{:?}", self.core.as_bytes());
        let debug = &debug[1..debug.len() - 1];
        assert!(!text.contains(debug), "{what}: byte-list leak on {stream}");
    }
}

/// The password: the core with characters that JSON, YAML and URLs escape.
fn password(core: &str) -> String {
    format!("{core}<&>\"'\\ é")
}

struct Env {
    dir: tempfile::TempDir,
    needles: Needles,
    password: String,
    core: String,
}

/// regcred with every log and backtrace switch on, so a leak through any of
/// them shows.
fn regcred() -> Command {
    let mut c = common::regcred_cmd();
    c.env("RUST_BACKTRACE", "1")
        .env("RUST_LOG", "trace")
        .env("REGCRED_LOG", "trace");
    c
}

/// Runs `cmd` with `stdin`, killed after the hang guard instead of hanging.
fn run(mut cmd: Command, stdin: &[u8]) -> Output {
    cmd.write_stdin(stdin.to_vec())
        .timeout(common::HANG_GUARD)
        .output()
        .unwrap()
}

impl Env {
    fn new() -> Env {
        let core = core();
        Env {
            dir: tempfile::tempdir().unwrap(),
            needles: Needles::new(&core),
            password: password(&core),
            core,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// base64("user:" + password), as `auth` holds it.
    fn auth(&self) -> String {
        encode(format!("user:{}", self.password).as_bytes())
    }

    fn json_password(&self) -> String {
        serde_json::to_string(&self.password).unwrap()
    }
}

/// The `--format` values of a subcommand: the variants of the enum its
/// `--format` option parses, so a new format is covered without a list here.
fn formats<T: clap::ValueEnum>() -> Vec<String> {
    let formats: Vec<String> = T::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect();
    assert!(formats.iter().any(|f| f == "human") && formats.iter().any(|f| f == "json"));
    formats
}

fn lint_formats() -> Vec<String> {
    formats::<regcred::report::Format>()
}

// ------------------------------------------------------------------ create

fn create_runs(env: &Env) -> Vec<(String, Command, Vec<u8>)> {
    let mut runs: Vec<(String, Command, Vec<u8>)> = Vec::new();
    let mut n = 0;
    let mut add = |what: &str, args: &[&std::ffi::OsStr], stdin: &[u8], runs: &mut Vec<_>| {
        for output in ["yaml", "json"] {
            for extra in [
                &[][..],
                &["--type", "dockercfg"][..],
                &["--append-hash"][..],
            ] {
                n += 1;
                let mut c = regcred();
                c.args(["create", "pull", "-o", output])
                    .args(extra)
                    .args(args)
                    .arg("--output-file")
                    .arg(env.path(&format!("out/{n}.yaml")));
                runs.push((format!("{what} -o {output} {extra:?}"), c, stdin.to_vec()));
            }
        }
    };
    let os = |s: &str| std::ffi::OsString::from(s);
    let user = [
        os("--docker-server"),
        os("reg.example.com"),
        os("--docker-username"),
        os("user"),
    ];
    let with = |more: &[std::ffi::OsString]| -> Vec<std::ffi::OsString> {
        user.iter().cloned().chain(more.iter().cloned()).collect()
    };
    let refs = |v: &[std::ffi::OsString]| -> Vec<std::ffi::OsString> { v.to_vec() };
    std::fs::create_dir_all(env.path("out")).unwrap();

    let pw_file = env.write("password.txt", format!("{}\n", env.password));
    let config = env.write(
        "config.json",
        format!(
            "{{\"auths\":{{\"reg.example.com\":{{\"auth\":\"{}\"}},\"other.example.com\":{{\"username\":\"u\",\"password\":{}}}}}}}",
            env.auth(),
            env.json_password()
        ),
    );
    let inputs: Vec<(&str, Vec<std::ffi::OsString>, Vec<u8>)> = vec![
        (
            "--docker-password",
            with(&[os("--docker-password"), os(&env.password)]),
            vec![],
        ),
        (
            "--docker-password-stdin",
            with(&[os("--docker-password-stdin")]),
            env.password.clone().into_bytes(),
        ),
        (
            "--docker-password-file",
            with(&[os("--docker-password-file"), pw_file.into_os_string()]),
            vec![],
        ),
        (
            "--docker-password-env",
            with(&[os("--docker-password-env"), os("CANARY_PASSWORD")]),
            vec![],
        ),
        (
            "--from-config",
            refs(&[os("--from-config"), config.clone().into_os_string()]),
            vec![],
        ),
        (
            "--from-config --registry",
            refs(&[
                os("--from-config"),
                config.into_os_string(),
                os("--registry"),
                os("other.example.com"),
            ]),
            vec![],
        ),
    ];
    for (what, args, stdin) in &inputs {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        add(what, &args, stdin, &mut runs);
    }
    runs
}

fn helper_dir(env: &Env) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = env.path("bin");
    std::fs::create_dir_all(&dir).unwrap();
    // Answers per server: the canary as Secret; the canary in a failure
    // message; JSON with the canary and a failing exit; garbage with it.
    let script = format!(
        "#!/bin/sh\nserver=$(cat)\ncase \"$server\" in\n  ok.example.com) printf '%s' '{{\"ServerURL\":\"ok.example.com\",\"Username\":\"user\",\"Secret\":\"{core}\"}}' ;;\n  json-fail.example.com) printf '%s' '{{\"ServerURL\":\"x\",\"Username\":\"user\",\"Secret\":\"{core}\"}}'; exit 1 ;;\n  garbage.example.com) printf 'not json {core}' ;;\n  token.example.com) printf '%s' '{{\"Username\":\"<token>\",\"Secret\":\"{core}\"}}' ;;\n  partial.example.com) printf '%s' '{{\"Username\":\"user\",\"Secret\":\"{core}\"' ;;\n  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac\n",
        core = env.core
    );
    let helper = dir.join("docker-credential-canary");
    std::fs::write(&helper, script).unwrap();
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn create_never_prints_the_password() {
    let env = Env::new();
    for (what, mut cmd, stdin) in create_runs(&env) {
        cmd.env("CANARY_PASSWORD", &env.password);
        let out = run(cmd, &stdin);
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        env.needles.check(&what, &out);
    }
    // The written files do hold it (the check above is not vacuous).
    let written = std::fs::read_to_string(env.path("out/1.yaml")).unwrap();
    assert!(base64_chunks(env.core.as_bytes())
        .iter()
        .flat_map(|c| base64_chunks(c.as_bytes()))
        .any(|c| written.contains(&c)));
}

/// Every input path, format and type, sealed in each scope: neither the
/// streams nor the written SealedSecret show the password.
#[test]
fn sealed_create_never_shows_the_password() {
    let env = Env::new();
    let cert = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seal/controller.pem");
    let scopes = ["strict", "namespace-wide", "cluster-wide"];
    let runs = create_runs(&env);
    let count = runs.len();
    for (i, (what, mut cmd, stdin)) in runs.into_iter().enumerate() {
        let scope = scopes[i % scopes.len()];
        let what = format!("{what} --seal-scope {scope}");
        cmd.env("CANARY_PASSWORD", &env.password)
            .args(["-n", "apps", "--seal-scope", scope, "--seal-cert"])
            .arg(&cert);
        let out = run(cmd, &stdin);
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        env.needles.check(&what, &out);
    }
    let mut written = 0;
    for entry in std::fs::read_dir(env.path("out")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(String::from_utf8_lossy(&bytes).contains("SealedSecret"));
        env.needles
            .check_bytes("sealed --output-file", "the file", &bytes);
        written += 1;
    }
    assert_eq!(written, count);
}

#[test]
fn create_to_stdout_keeps_stderr_clean() {
    let env = Env::new();
    let mut c = regcred();
    c.args([
        "create",
        "pull",
        "--docker-username",
        "user",
        "--docker-password",
        &env.password,
    ]);
    let out = run(c, b"");
    assert!(out.status.success());
    let stderr_only = Output {
        stdout: Vec::new(),
        ..out
    };
    env.needles.check("create to stdout", &stderr_only);
}

#[test]
fn credential_helper_answers_never_leak() {
    let env = Env::new();
    let path = std::env::join_paths(std::iter::once(helper_dir(&env)).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let config = env.write(
        "helper-config.json",
        "{\"auths\":{},\"credHelpers\":{\"ok.example.com\":\"canary\",\"json-fail.example.com\":\"canary\",\"garbage.example.com\":\"canary\",\"token.example.com\":\"canary\",\"partial.example.com\":\"canary\"}}",
    );
    for (server, succeeds) in [
        ("ok.example.com", true),
        ("json-fail.example.com", false),
        ("garbage.example.com", false),
        ("token.example.com", false),
        ("partial.example.com", false),
    ] {
        for output in ["yaml", "json"] {
            let mut c = regcred();
            c.env("PATH", &path)
                .args([
                    "create",
                    "pull",
                    "--resolve-helpers",
                    "-o",
                    output,
                    "--registry",
                    server,
                ])
                .arg("--from-config")
                .arg(&config)
                .arg("--output-file")
                .arg(env.path(&format!("helper-{server}-{output}.yaml")));
            let out = run(c, b"");
            assert_eq!(
                out.status.success(),
                succeeds,
                "{server}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            env.needles.check(&format!("helper {server}"), &out);
        }
    }
}

#[test]
fn create_errors_never_print_the_password() {
    let env = Env::new();
    let p = &env.password;
    let no_colon = encode(p.as_bytes());
    let configs = [
        // auth without ':' (refused), after a valid entry.
        format!("{{\"auths\":{{\"reg.io\":{{\"auth\":\"{no_colon}\"}}}}}}"),
        // Not base64: the raw password in auth.
        format!(
            "{{\"auths\":{{\"reg.io\":{{\"auth\":\"user:{}\"}}}}}}",
            env.core
        ),
        // Truncated JSON right after the password.
        format!(
            "{{\"auths\":{{\"reg.io\":{{\"username\":\"u\",\"password\":\"{}",
            env.core
        ),
        format!(
            "{{\"auths\":{{\"reg.io\":{{\"username\":\"u\",\"password\":\"{}\"x}}}}}}",
            env.core
        ),
        // The password where an object is expected.
        format!("{{\"auths\":{{\"reg.io\":\"{}\"}}}}", env.core),
        format!("{{\"auths\":\"{}\"}}", env.core),
        format!(
            "{{\"auths\":{{\"reg.io\":{{\"password\":[\"{}\"]}}}}}}",
            env.core
        ),
        // Invalid UTF-8 next to it; a BOM in front.
        format!(
            "{{\"auths\":{{\"reg.io\":{{\"password\":\"{}\u{0}\"}}}}}}",
            env.core
        ),
        format!(
            "\u{feff}{{\"auths\":{{\"reg.io\":{{\"auth\":\"{}\"}}}}}}",
            env.auth()
        ),
        // Registry filter that matches nothing.
        format!(
            "{{\"auths\":{{\"reg.io\":{{\"auth\":\"{}\"}}}}}}",
            env.auth()
        ),
    ];
    for (i, config) in configs.iter().enumerate() {
        let path = env.write(&format!("bad-{i}.json"), config);
        let mut c = regcred();
        c.args(["create", "pull", "--registry", "nomatch.example.com"])
            .arg("--from-config")
            .arg(&path)
            .arg("--output-file")
            .arg(env.path(&format!("bad-out-{i}.yaml")));
        let out = run(c, b"");
        assert_eq!(out.status.code(), Some(2), "config {i}");
        env.needles.check(&format!("bad config {i}"), &out);
    }
    let existing = env.write("exists.yaml", "old");
    let cases: Vec<Vec<String>> = vec![
        // A ':' in the username, with the password given.
        vec![
            "--docker-username".into(),
            format!("u:{}", env.core),
            "--docker-password".into(),
            p.clone(),
        ],
        vec![
            "--docker-username".into(),
            "u".into(),
            "--docker-password".into(),
            p.clone(),
            "--docker-server".into(),
            format!("{} x", env.core),
        ],
        vec![
            "--docker-username".into(),
            "u".into(),
            "--docker-password".into(),
            p.clone(),
            "--output-file".into(),
            existing.display().to_string(),
        ],
        vec![
            "--docker-username".into(),
            "u".into(),
            "--docker-password".into(),
            p.clone(),
            "--label".into(),
            format!("x={}!", env.core),
        ],
        vec![
            "--docker-username".into(),
            "u".into(),
            "--docker-password".into(),
            p.clone(),
            "--registry".into(),
            "x".into(),
        ],
        vec![
            "--docker-username".into(),
            "u".into(),
            "--docker-password".into(),
            p.clone(),
            "--from-config".into(),
            "/nonexistent".into(),
        ],
        vec![
            "--docker-username".into(),
            "u".into(),
            "--docker-password".into(),
            p.clone(),
            "--docker-password-stdin".into(),
        ],
        vec![
            "--docker-username".into(),
            "u".into(),
            "--docker-password".into(),
            p.clone(),
            "--no-such-flag".into(),
        ],
        vec![
            "--docker-username".into(),
            "u".into(),
            "--docker-password".into(),
            p.clone(),
            "-o".into(),
            "xml".into(),
        ],
    ];
    for (i, args) in cases.iter().enumerate() {
        let mut c = regcred();
        c.args(["create", "pull"]).args(args);
        let out = run(c, b"");
        assert_eq!(
            out.status.code(),
            Some(2),
            "case {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Labels and servers are not secret; their echo is the point of
        // the message, so only the password itself is looked for there.
        if args.iter().any(|a| a.contains(&env.core) && a != p) {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains(p.as_str()), "case {i}: {stderr}");
            continue;
        }
        env.needles.check(&format!("create case {i}"), &out);
    }
}

// -------------------------------------------------------------------- lint

/// Files that hold the canary and break every rule, in every place a
/// password can sit.
fn lint_tree(env: &Env) -> PathBuf {
    let root = env.path("tree");
    let core = &env.core;
    let auth = env.auth();
    let jp = env.json_password();
    let good = format!("{{\"auths\":{{\"reg.example.com\":{{\"auth\":\"{auth}\"}}}}}}");
    let secret = |name: &str, ty: &str, field: &str, body: &str| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ntype: {ty}\n{field}:\n{body}"
        )
    };
    let djc = "kubernetes.io/dockerconfigjson";
    let payloads = [
        ("good", good.clone()),
        ("mismatch", format!("{{\"auths\":{{\"reg.example.com\":{{\"auth\":\"{auth}\",\"username\":\"other\",\"password\":{jp}}}}}}}")),
        ("not-base64", format!("{{\"auths\":{{\"reg.example.com\":{{\"auth\":\"user:{core}\"}}}}}}")),
        ("no-colon", format!("{{\"auths\":{{\"reg.example.com\":{{\"auth\":\"{}\"}}}}}}", encode(core.as_bytes()))),
        ("empty-user", format!("{{\"auths\":{{\"reg.example.com\":{{\"username\":\"\",\"password\":{jp}}}}}}}")),
        ("bad-registry", format!("{{\"auths\":{{\"reg.example.com:x\":{{\"auth\":\"{auth}\"}}}}}}")),
        ("creds-store", format!("{{\"auths\":{{\"reg.example.com\":{{\"auth\":\"{auth}\"}}}},\"credsStore\":\"desktop\"}}")),
        ("no-auths", format!("{{\"reg.example.com\":{{\"auth\":\"{auth}\",\"password\":{jp}}}}}")),
        ("truncated", format!("{{\"auths\":{{\"reg.example.com\":{{\"password\":\"{core}")),
        ("bad-char", format!("{{\"auths\":{{\"reg.example.com\":{{\"password\":\"{core}\"{core}}}}}}}")),
        ("wrong-type", format!("{{\"auths\":{{\"reg.example.com\":{{\"password\":[\"{core}\"],\"auth\":\"{auth}\"}}}}}}")),
        ("control-char", format!("{{\"auths\":{{\"reg.example.com\":{{\"password\":\"{core}\u{1}\"}}}}}}")),
        // Keys Go decodes as credential fields: escaped, and case-folded
        // (U+017F, U+212A, U+0131 fold to s, k, i in encoding/json).
        ("escaped-keys", format!("{{\"auths\":{{\"reg.example.com:x\":{{\"\\u0061uth\":\"{auth}\",\"p\\u0061ssword\":{jp},\"pa\u{17f}\u{17f}word\":{jp},\"\u{131}dentitytoken\":\"{core}\",\"registryto\u{212a}en\":\"{core}\"}}}}}}")),
    ];
    for (name, payload) in &payloads {
        let b64 = encode(payload.as_bytes());
        let indented = payload.replace('\n', "\n    ");
        let files = [
            (
                format!("data-{name}.yaml"),
                secret(name, djc, "data", &format!("  .dockerconfigjson: {b64}\n")),
            ),
            (
                format!("string-{name}.yaml"),
                secret(
                    name,
                    djc,
                    "stringData",
                    &format!("  .dockerconfigjson: |\n    {indented}\n"),
                ),
            ),
            (
                format!("string-quoted-{name}.yaml"),
                secret(
                    name,
                    djc,
                    "stringData",
                    &format!(
                        "  .dockerconfigjson: {}\n",
                        serde_json::to_string(payload).unwrap()
                    ),
                ),
            ),
            (
                format!("legacy-{name}.yaml"),
                secret(
                    name,
                    "kubernetes.io/dockercfg",
                    "data",
                    &format!("  .dockercfg: {b64}\n"),
                ),
            ),
            (
                format!("opaque-{name}.yaml"),
                secret(
                    name,
                    "Opaque",
                    "data",
                    &format!("  .dockerconfigjson: {b64}\n"),
                ),
            ),
            (
                format!("wrongkey-{name}.yaml"),
                secret(name, djc, "data", &format!("  config.json: {b64}\n")),
            ),
            (format!("{name}.dockerconfigjson"), payload.clone()),
            (format!("{name}.dockercfg"), payload.clone()),
            (format!("home-{name}/.docker/config.json"), payload.clone()),
        ];
        for (file, text) in files {
            env.write(&format!("tree/{file}"), text);
        }
    }
    let b = |s: &str| encode(s.as_bytes());
    let p = &env.password;
    let plain = [
        // Opaque data: plaintext (not base64), double-encoded, not a string.
        secret("plain", "Opaque", "data", &format!("  password: {core}\n")),
        secret("double", "Opaque", "data", &format!("  password: {}\n", b(&b(p)))),
        secret("notstring", "Opaque", "data", &format!("  password: [{core}]\n  other: {{a: {core}}}\n")),
        secret("padding", "Opaque", "data", &format!("  password: {}=={}\n", b(core), b(core))),
        secret("space", "Opaque", "data", &format!("  password: \"{} {}\"\n", b(core), b(core))),
        secret("strdata", "Opaque", "stringData", &format!("  password: {}\n", serde_json::to_string(p).unwrap())),
        secret("bad_Name", "Opaque", "data", &format!("  \"bad key!\": {}\n  ok: {}\n", b(p), b(p))),
        secret("yaml11", "Opaque", "data", &format!("  password: yes\n  other: {}\n", b(p))),
        // Too large: over 1 MiB with the canary inside.
        secret("large", "Opaque", "data", &format!("  big: {}\n", b(&format!("{core}{}", "x".repeat(1_100_000))))),
        // YAML syntax errors on the canary's line and the next.
        secret("syntax", "Opaque", "stringData", &format!("  password: {core}\n  bad: [\n")),
        secret("syntax2", "Opaque", "stringData", &format!("  password: \"{core}\n  x: 'y\n")),
        format!("apiVersion: v1\nkind: Secret\nmetadata: {{name: tab}}\nstringData:\n\tpassword: {core}\n"),
        format!("apiVersion: v1\nkind: Secret\nmetadata: {{name: dup}}\nstringData:\n  password: {core}\n  password: {core}x\n"),
        format!("kind: Secret\nstringData: {{password: {core}, \u{0}}}\n"),
        // One line of JSON with a syntax error after the values.
        format!("{{\"kind\":\"Secret\",\"data\":{{\"pw\":\"{}\"}},\"stringData\":{{\"p\":\"{core}\"}} \"x\"}}\n", b(core)),
        format!("kind: Secret\nstringData:\n  password: {core}: x\n"),
        // Suppressed findings and a template next to the canary.
        format!("# regcred:ignore\napiVersion: v1\nkind: Secret\nmetadata: {{name: ign}}\ndata:\n  password: {core}\n"),
        format!("apiVersion: v1\nkind: Secret\nmetadata: {{name: {{{{ .x }}}}}}\ndata:\n  password: {core}\n"),
        // kustomize: a generator whose files hold the canary.
        format!("secretGenerator:\n- name: gen\n  type: {djc}\n  files:\n  - .dockerconfigjson=gen.json\n- name: gen2\n  type: Opaque\n  literals:\n  - password={core}\n"),
    ];
    for (i, text) in plain.iter().enumerate() {
        let name = if text.starts_with("secretGenerator") {
            "kustomization.yaml".to_string()
        } else {
            format!("plain-{i}.yaml")
        };
        env.write(&format!("tree/{name}"), text);
    }
    env.write("tree/gen.json", &payloads[1].1);
    env.write(
        "tree/not-utf8.yaml",
        [
            format!("kind: Secret\nstringData:\n  password: {core}").as_bytes(),
            b"\xff\xfe\n",
        ]
        .concat(),
    );
    root
}

#[test]
fn lint_never_prints_the_password() {
    let env = Env::new();
    let root = lint_tree(&env);
    let formats = lint_formats();
    let extras: Vec<Vec<&str>> = vec![
        vec![],
        vec!["--fail-on", "info"],
        vec!["--select", "secret-data-plaintext"],
        vec!["--fix", "--diff"],
    ];
    let mut files: Vec<PathBuf> = walk(&root);
    files.sort();
    let mut exits = std::collections::BTreeSet::new();
    for format in &formats {
        for extra in &extras {
            // The whole tree, then each file alone (explicit paths are read
            // whatever their name), then each file on stdin.
            let mut c = regcred();
            c.current_dir(&root)
                .args(["lint", "--format", format])
                .args(extra);
            let out = run(c, b"");
            exits.insert(out.status.code());
            env.needles
                .check(&format!("lint tree --format {format} {extra:?}"), &out);
            if !extra.is_empty() {
                continue;
            }
            // Every file named on the command line (read whatever its name).
            let mut c = regcred();
            c.current_dir(&root)
                .args(["lint", "--format", format])
                .args(&files);
            let out = run(c, b"");
            exits.insert(out.status.code());
            env.needles
                .check(&format!("lint FILES --format {format}"), &out);
        }
    }
    // Each manifest on stdin.
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "yaml"))
    {
        let mut c = regcred();
        c.args(["lint", "-"]);
        let out = run(c, &std::fs::read(root.join(file)).unwrap());
        env.needles
            .check(&format!("lint - < {}", file.display()), &out);
    }
    // Findings were reported (exit 1) and the walk did not fail (exit 2
    // comes from the unreadable cases only, none here).
    assert!(exits.contains(&Some(1)), "{exits:?}");
}

/// `inspect` on every pull secret of the lint tree (and a workload using
/// them, and images), in every format, on the tree, on each file named and
/// on stdin: lengths and users only.
#[test]
fn inspect_never_prints_the_password() {
    let env = Env::new();
    let root = lint_tree(&env);
    env.write(
        "tree/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  imagePullSecrets: [{name: good}, {name: mismatch}, {name: no-colon}]\n  containers:\n  - {name: app, image: reg.example.com/team/app:1}\n  - {name: hub, image: nginx}\n",
    );
    let mut files: Vec<PathBuf> = walk(&root);
    files.sort();
    let images = ["--image", "reg.example.com/app", "--image", "nginx"];
    let mut shown = false;
    for format in formats::<regcred::cli::inspect::InspectFormat>() {
        let mut c = regcred();
        c.current_dir(&root)
            .args(["inspect", ".", "--format", &format, "--pod", "pod.yaml"])
            .args(images);
        let out = run(c, b"");
        env.needles
            .check(&format!("inspect tree --format {format}"), &out);
        // The report came (exit 2 only for the file over the size limit).
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("reg.example.com"), "{stdout}");
        assert!(stdout.contains("mismatch"), "{stdout}");
        shown |= stdout.contains("password");
        let mut c = regcred();
        c.current_dir(&root)
            .args(["inspect", "--format", &format])
            .args(&files)
            .args(images);
        let out = run(c, b"");
        env.needles
            .check(&format!("inspect FILES --format {format}"), &out);
        for file in &files {
            let mut c = regcred();
            c.args(["inspect", "-", "--format", &format]).args(images);
            let out = run(c, &std::fs::read(root.join(file)).unwrap());
            env.needles.check(
                &format!("inspect - < {} --format {format}", file.display()),
                &out,
            );
        }
    }
    assert!(shown, "inspect describes the passwords it does not show");
}

#[test]
fn lint_config_errors_never_print_the_password() {
    let env = Env::new();
    let core = &env.core;
    let configs = [
        format!("rules:\n  secret-data-plaintext: {core}\n"),
        format!("rules:\n  {core}: off\n"),
        format!("registries:\n  private: {core}\n"),
        format!("skip: [\"[{core}\"]\n"),
        format!("{core}: [\n"),
    ];
    for (i, config) in configs.iter().enumerate() {
        let path = env.write(&format!("c{i}/.regcred.yaml"), config);
        let mut c = regcred();
        c.args(["lint", "--config"])
            .arg(&path)
            .arg(env.path(&format!("c{i}")));
        let out = run(c, b"");
        assert_eq!(out.status.code(), Some(2), "config {i}");
        // Configuration is not secret: an unknown value may be echoed. The
        // check is that regcred never turns it into something worse, such
        // as a dump of the file; a password in `.regcred.yaml` is the
        // user's own mistake and it is shown where it sits.
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.lines().count() <= 3, "config {i}: {stderr}");
    }
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out
}

#[test]
fn krm_function_never_prints_the_password() {
    let env = Env::new();
    let auth = env.auth();
    let list = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {{name: s}}\n  type: kubernetes.io/dockerconfigjson\n  stringData:\n    .dockerconfigjson: '{{\"auths\":{{\"reg.example.com\":{{\"auth\":\"{auth}\",\"password\":\"{core}x\"}}}}}}'\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: fc}}\n  data:\n    password: {core}\n    bad: [\n",
        core = env.core
    );
    let mut c = regcred();
    c.arg("fn");
    let out = run(c, list.as_bytes());
    // Items pass through a KRM function by design; its results and stderr
    // must not repeat the secret.
    let results = String::from_utf8_lossy(&out.stdout)
        .split("\nresults:")
        .nth(1)
        .unwrap_or("")
        .to_string();
    let shown = Output {
        stdout: results.into_bytes(),
        ..out
    };
    env.needles.check("regcred fn", &shown);
}

#[test]
fn a_panic_prints_no_payload() {
    // Debug builds panic on demand with REGCRED_TEST_PANIC=<message>; the
    // message stands in for any secret a panic could carry.
    let env = Env::new();
    let mut c = regcred();
    c.env("REGCRED_TEST_PANIC", &env.password)
        .args(["lint", "-"]);
    let out = run(c, b"kind: x\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("internal error"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    env.needles.check("panic", &out);
}

#[test]
fn needles_find_what_they_should() {
    // The detector itself: each form of the canary is found.
    let needles = Needles::new("Canary-abc123-Zq9");
    for prefix in ["", "u", "us", "user:"] {
        let once = encode(format!("{prefix}Canary-abc123-Zq9<&>").as_bytes());
        assert!(
            needles.forms.iter().any(|(_, n)| once.contains(n.as_str())),
            "{prefix}"
        );
        for outer in ["", "{", "{\""] {
            let twice = encode(format!("{outer}{once}\"}}").as_bytes());
            assert!(
                needles
                    .forms
                    .iter()
                    .any(|(_, n)| twice.contains(n.as_str())),
                "{prefix}{outer}"
            );
        }
    }
}
