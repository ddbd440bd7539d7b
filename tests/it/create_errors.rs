//! Every error of `regcred create`: exit status 2, one clear line on
//! stderr, nothing on stdout, no file written, and never the secret.
//! Also the warnings and the output-file guarantees.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

const SECRET: &str = "TOPSECRET-9f8e7d";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/create")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

/// Runs `regcred create` with `args` plus `--output-file` into a fresh
/// directory, with the secret in the environment and on stdin.
fn run_create(args: &[&str], stdin: &[u8]) -> (Output, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("secret.yaml");
    let mut all: Vec<std::ffi::OsString> = vec![os("create")];
    all.extend(args.iter().map(os));
    all.push(os("--output-file"));
    all.push(os(&target));
    let out = run(
        &regcred(),
        &all,
        Some(stdin),
        &[("REGCRED_PW".into(), os(SECRET))],
    );
    (out, dir, target)
}

/// Asserts the error contract and that `expected` parts are in the message.
fn assert_error(args: &[&str], stdin: &[u8], expected: &[&str]) {
    let (out, _dir, target) = run_create(args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: stdout not empty");
    assert!(!target.exists(), "{args:?}: a file was written");
    assert!(
        !stderr.contains(SECRET),
        "{args:?}: secret leaked: {stderr}"
    );
    assert!(
        stderr.starts_with("error: ") && stderr.lines().count() == 1,
        "{args:?}: not one error line: {stderr:?}"
    );
    for part in expected {
        assert!(stderr.contains(part), "{args:?}: {stderr:?} lacks {part:?}");
    }
}

const CREDS: &[&str] = &[
    "--docker-username=alice",
    "--docker-password-env=REGCRED_PW",
];

fn with_creds<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v: Vec<&str> = CREDS.to_vec();
    v.extend_from_slice(extra);
    v
}

#[test]
fn invalid_names_and_namespaces() {
    for name in ["Bad_Name", "x-", "a..b", "UPPER", &"a".repeat(254)] {
        let mut args = vec![name];
        args.extend(CREDS);
        assert_error(&args, b"", &["is not a valid Secret name", "lowercase"]);
    }
    for ns in ["a.b", "Team", &"n".repeat(64)] {
        assert_error(
            &with_creds(&["pull", "-n", ns]),
            b"",
            &["is not a valid namespace"],
        );
    }
}

#[test]
fn credential_errors() {
    assert_error(
        &["pull"],
        b"",
        &["no credentials", "--from-config", "--docker-username"],
    );
    assert_error(
        &[
            "pull",
            "--docker-username=a:b",
            "--docker-password-env=REGCRED_PW",
        ],
        b"",
        &["contains ':'", "kubelet"],
    );
    assert_error(&["pull", "--docker-username=alice"], b"", &["no password"]);
    assert_error(
        &["pull", "--docker-username=alice", "--docker-password-stdin"],
        b"\n",
        &["password is empty"],
    );
    assert_error(
        &[
            "pull",
            "--docker-username=alice",
            "--docker-password-env=REGCRED_UNSET_VARIABLE",
        ],
        b"",
        &["REGCRED_UNSET_VARIABLE", "is not set"],
    );
    assert_error(
        &[
            "pull",
            "--docker-username=alice",
            "--docker-password-file=/nonexistent/pw",
        ],
        b"",
        &["cannot read --docker-password-file /nonexistent/pw"],
    );
    assert_error(
        &[
            "pull",
            "--docker-username=alice",
            "--docker-password-file=/tmp",
        ],
        b"",
        &["a directory, not a regular file"],
    );
    for server in ["reg.io:abc", "reg io", "reg.io\\x", "https:///path"] {
        let arg = format!("--docker-server={server}");
        assert_error(&with_creds(&["pull", &arg]), b"", &["--docker-server"]);
    }
    // Two password sources: a usage error from the parser, exit 2 as well.
    let (out, _d, target) = run_create(
        &[
            "pull",
            "--docker-username=alice",
            "--docker-password-env=REGCRED_PW",
            "--docker-password-stdin",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!target.exists());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}

#[test]
fn mixing_sources_and_misplaced_filters() {
    assert_error(
        &[
            "pull",
            "--from-config",
            &fixture("single-newline.json"),
            "--docker-username=alice",
        ],
        b"",
        &["cannot be combined"],
    );
    assert_error(
        &with_creds(&["pull", "--registry", "r.io"]),
        b"",
        &["--from-config only"],
    );
    assert_error(
        &with_creds(&["pull", "--resolve-helpers"]),
        b"",
        &["--from-config only"],
    );
}

/// Errors name the flag the user gave: kubectl's `--from-file` spelling is
/// not called `--from-config`.
#[test]
fn errors_name_from_file_when_it_was_given() {
    let kubectls = format!(
        "--from-file=.dockerconfigjson={}",
        fixture("single-newline.json")
    );
    assert_error(
        &["pull", &kubectls, "--docker-username=alice"],
        b"",
        &["--from-file cannot be combined"],
    );
    assert_error(
        &[
            "pull",
            "--from-file=.dockerconfigjson=/nonexistent/config.json",
        ],
        b"",
        &["cannot read --from-file /nonexistent/config.json"],
    );
}

#[test]
fn config_file_errors() {
    let f = fixture;
    let dir_path = fixtures().display().to_string();
    for (config, expected) in [
        (
            f("invalid-json.json"),
            &["invalid-json.json:1:", "not valid JSON"][..],
        ),
        (f("empty.json"), &["empty.json is empty"]),
        (
            "/nonexistent/config.json".to_string(),
            &["cannot read --from-config /nonexistent/config.json"],
        ),
        (dir_path, &["is a directory"]),
        (
            f("bad-auth.json"),
            &[
                "\"registry.example.com\"",
                "cannot be decoded by the kubelet",
                "illegal base64 data at input byte 16",
            ],
        ),
        (
            f("auth-no-colon.json"),
            &["\"registry.example.com\"", "without ':'"],
        ),
        (
            f("store-only.json"),
            &["no credentials at all", "docker login"],
        ),
        (f("with-store.json"), &["--resolve-helpers", "\"ghcr.io\""]),
    ] {
        assert_error(&["pull", "--from-config", &config], b"", expected);
    }
    assert_error(
        &[
            "pull",
            "--from-config",
            &f("single-newline.json"),
            "--from-config",
            &f("conflicting.json"),
        ],
        b"",
        &["\"registry.example.com\" is in both", "--prefer-later"],
    );
    assert_error(
        &[
            "pull",
            "--from-config",
            &f("several-registries.json"),
            "--registry",
            "ghcr.io",
        ],
        b"",
        &["no credentials for registry \"ghcr.io\"", "quay.io"],
    );

    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let refused = |name: &str, bytes: &[u8], expected: &[&str]| {
        let path = write(name, bytes);
        assert_error(&["pull", "--from-config", &path], b"", expected);
    };
    refused(
        "bom.json",
        b"\xef\xbb\xbf{\"auths\":{}}",
        &["byte order mark"],
    );
    refused(
        "array.json",
        b"[1,2]",
        &["the top level must be a JSON object"],
    );
    refused(
        "multi.json",
        b"{\n  \"auths\": {\n    \"r.io\": {\"auth\": \"x\"}\n  },\n}\n",
        &["multi.json:5:1"],
    );
    refused(
        "trailing.json",
        b"{\"auths\":{\"r.io\":{\"auth\":\"dTpw\"}}} x",
        &["trailing.json:1:", "trailing characters"],
    );
    // Over Go's depth limit: said in the user's terms, not the scanner's.
    let deep = format!("{{\"auths\":{}{}}}", "[".repeat(20_000), "]".repeat(20_000));
    refused(
        "deep.json",
        deep.as_bytes(),
        &[
            "deep.json:1:10009:",
            "nested deeper than Go's limit of 10000 levels",
        ],
    );
    let (out, _dir, _) = run_create(
        &[
            "pull",
            "--from-config",
            &write("deep2.json", deep.as_bytes()),
        ],
        b"",
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("exceeded max depth"));
    refused(
        "secret-auth.json",
        format!("{{\"auths\":{{\"r.io\":{{\"auth\":\"{SECRET}\"}}}}}}").as_bytes(),
        &["\"r.io\""],
    );
}

/// Run as nobody, so that the file is unreadable even to a root test run.
#[test]
#[ignore = "needs setpriv (util-linux) when run as root"]
fn an_unreadable_config_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let unreadable = dir.path().join("unreadable.json");
    std::fs::write(&unreadable, b"{}").unwrap();
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    let target = dir.path().join("secret.yaml");
    let Some(mut cmd) = unprivileged(&regcred()) else {
        return;
    };
    let out = cmd
        .args(["create", "pull", "--from-config"])
        .arg(&unreadable)
        .arg("--output-file")
        .arg(&target)
        .output()
        .unwrap();
    let stderr = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "stdout not empty");
    assert!(!target.exists(), "a file was written");
    assert!(
        stderr.starts_with("error: ") && stderr.lines().count() == 1,
        "not one error line: {stderr:?}"
    );
    for part in ["cannot read", "unreadable.json", "Permission denied"] {
        assert!(stderr.contains(part), "{stderr:?} lacks {part:?}");
    }
}

#[test]
fn label_and_annotation_errors() {
    assert_error(
        &with_creds(&["pull", "--label", "novalue"]),
        b"",
        &["must be KEY=VALUE"],
    );
    assert_error(
        &with_creds(&["pull", "--label", "bad key=x"]),
        b"",
        &["label key \"bad key\" is not valid"],
    );
    assert_error(
        &with_creds(&["pull", "--label", "k=bad value"]),
        b"",
        &["invalid value"],
    );
    assert_error(
        &with_creds(&["pull", "--label", "k=a", "--label", "k=b"]),
        b"",
        &["given twice"],
    );
    assert_error(
        &with_creds(&["pull", "--annotation", "/x=y"]),
        b"",
        &["annotation key"],
    );
}

#[test]
fn existing_output_file_is_kept_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("secret.yaml");
    std::fs::write(&target, "keep me").unwrap();
    let out = run(
        &regcred(),
        &[
            os("create"),
            os("pull"),
            os("--docker-username=alice"),
            os("--docker-password-env=REGCRED_PW"),
            os("--output-file"),
            os(&target),
        ],
        None,
        &[("REGCRED_PW".into(), os(SECRET))],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

/// Runs regcred under `umask 000` through the shell.
fn run_with_umask(args: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask 000; exec \"$REGCRED\" {args}"))
        .env("REGCRED", regcred())
        .env("REGCRED_PW", SECRET)
        .env("KUBECONFIG", "/nonexistent")
        .output()
        .unwrap()
}

#[test]
fn output_file_is_private_and_forced_replacement_works() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("secret.yaml");
    let args = format!(
        "create pull --docker-username=alice --docker-password-env=REGCRED_PW --output-file '{}'",
        target.display()
    );
    let out = run_with_umask(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let stdout_version = run(
        &regcred(),
        &[
            os("create"),
            os("pull"),
            os("--docker-username=alice"),
            os("--docker-password-env=REGCRED_PW"),
        ],
        None,
        &[("REGCRED_PW".into(), os(SECRET))],
    );
    assert_eq!(std::fs::read(&target).unwrap(), stdout_version.stdout);

    // --force replaces an existing, world-readable file with a private one.
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run_with_umask(&format!("{args} --force -o json"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .starts_with("{\n    \"kind\": \"Secret\""));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn password_on_the_command_line_works_but_warns() {
    let out = run(
        &regcred(),
        &[
            os("create"),
            os("pull"),
            os("--docker-username=alice"),
            os(format!("--docker-password={SECRET}")),
        ],
        None,
        &[],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: --docker-password puts the password in your shell history"),
        "{stderr}"
    );
    assert!(!stderr.contains(SECRET));
}

#[test]
fn stdin_loses_exactly_one_trailing_newline() {
    for (input, password) in [
        (&b"pw\n"[..], &b"pw"[..]),
        (b"pw\n\n", b"pw\n"),
        (b"pw\r\n", b"pw"),
        (b"pw", b"pw"),
        (b" pw \n", b" pw "),
    ] {
        let out = run(
            &regcred(),
            &[
                os("create"),
                os("pull"),
                os("--docker-username=u"),
                os("--docker-password-stdin"),
                os("-o"),
                os("json"),
            ],
            Some(input),
            &[],
        );
        assert!(out.status.success());
        let payload: serde_json::Value =
            serde_json::from_slice(&dockerconfigjson_of(&out.stdout)).unwrap();
        let auth = payload["auths"]["https://index.docker.io/v1/"]["auth"]
            .as_str()
            .unwrap();
        let decoded = regcred::gocompat::base64::decode_auth_field(auth).unwrap();
        assert_eq!(
            decoded,
            [b"u:".as_slice(), password].concat(),
            "input {input:?}"
        );
    }
}

#[test]
fn several_registries_warn_without_a_filter() {
    let out = run(
        &regcred(),
        &[
            os("create"),
            os("pull"),
            os("--from-config"),
            os(fixture("several-registries.json")),
        ],
        None,
        &[],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: the Secret will carry credentials for 3 registries"),
        "{stderr}"
    );
    assert!(stderr.contains("--registry HOST"), "{stderr}");
    // Filtered: no warning.
    let out = run(
        &regcred(),
        &[
            os("create"),
            os("pull"),
            os("--from-config"),
            os(fixture("several-registries.json")),
            os("--registry=quay.io"),
        ],
        None,
        &[],
    );
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_shows_no_password_default() {
    let out = run(
        &regcred(),
        &[os("create"), os("--help")],
        None,
        &[("REGCRED_PW".into(), os(SECRET))],
    );
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--docker-password-stdin") && !help.contains(SECRET));
}
