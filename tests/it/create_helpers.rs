//! Credential helpers: a scripted fake helper for every path (found, not
//! found, failing, identity token, garbage, missing helper), and the real
//! `docker-credential-pass` end to end with a throwaway GPG key.

use crate::common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::prelude::*;
use common::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/create")
}

/// PATH with the fake helper first.
fn path_with_helper() -> OsString {
    let mut paths = vec![fixtures().join("helpers")];
    if let Some(p) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(paths).unwrap()
}

fn regcred_with_helper() -> Command {
    let mut c = Command::new(regcred());
    c.env("PATH", path_with_helper());
    c
}

/// `regcred create pull ARGS --from-config CONFIG`, the fake helper on PATH.
fn create_from(config: &Path, args: &[&str]) -> Output {
    regcred_with_helper()
        .args(["create", "pull"])
        .args(args)
        .arg("--from-config")
        .arg(config)
        .output()
        .unwrap()
}

/// Success, and exactly kubectl's output for the one resolved registry.
fn assert_like_kubectl(out: &Output, server: &str, user: &str, pass: &str) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(want) = kubectl_reference(server, user, pass) {
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&want)
        );
    }
}

/// kubectl's output for what the fake helper answers for registry.example.com.
fn assert_fake_helper_answer(out: &Output) {
    assert_like_kubectl(
        out,
        "registry.example.com",
        "helper-user",
        "helper-s3cret<&>",
    );
}

/// Exit 2 and the error line on stderr, returned for further checks.
fn assert_refused(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    stderr
}

fn write_config(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// kubectl's output for one registry, the reference for resolved helpers.
fn kubectl_reference(server: &str, user: &str, pass: &str) -> Option<Vec<u8>> {
    let kubectl = require(KUBECTL_CURRENT, "comparing helper results with kubectl")?;
    let out = run(
        &kubectl,
        &[
            os("create"),
            os("secret"),
            os("docker-registry"),
            os("pull"),
            os(format!("--docker-server={server}")),
            os(format!("--docker-username={user}")),
            os(format!("--docker-password={pass}")),
            os("--dry-run=client"),
            os("-o"),
            os("yaml"),
        ],
        None,
        &[],
    );
    assert!(out.status.success());
    Some(out.stdout)
}

#[test]
#[ignore = "needs a current kubectl (/opt/kubectl-current)"]
fn resolves_a_store_entry_like_kubectl_would_write_it() {
    let out = create_from(
        &fixtures().join("with-store.json"),
        &["--resolve-helpers", "--registry", "registry.example.com"],
    );
    assert_fake_helper_answer(&out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("helper-s3cret"));
}

#[test]
fn cred_helpers_win_over_the_store_and_several_registries_warn() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        "c.json",
        r#"{"auths":{"ghcr.io":{},"registry.example.com":{}},"credsStore":"nosuchhelper","credHelpers":{"ghcr.io":"regcredtest","registry.example.com":"regcredtest"}}"#,
    );
    let out = create_from(&cfg, &["--resolve-helpers", "-o", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 registries"), "{stderr}");
    let payload: serde_json::Value =
        serde_json::from_slice(&dockerconfigjson_of(&out.stdout)).unwrap();
    assert_eq!(payload["auths"]["ghcr.io"]["username"], "gh-helper");
    assert_eq!(
        payload["auths"]["registry.example.com"]["password"],
        "helper-s3cret<&>"
    );
}

/// Runs regcred on a config whose only entry lives in the fake helper and
/// checks the error: exit 2, the message, nothing on stdout, no secret.
fn helper_error(server: &str, store: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        "c.json",
        &format!(r#"{{"auths":{{"{server}":{{}}}},"credsStore":"{store}"}}"#),
    );
    let target = dir.path().join("out.yaml");
    let target_arg = target.display().to_string();
    let out = create_from(&cfg, &["--resolve-helpers", "--output-file", &target_arg]);
    let stderr = assert_refused(&out);
    assert!(out.stdout.is_empty());
    assert!(!target.exists(), "nothing may be written");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    for part in expected {
        assert!(stderr.contains(part), "{server}: {stderr:?} lacks {part:?}");
    }
    assert!(!stderr.contains("identity-token-value"));
}

#[test]
fn missing_helper() {
    helper_error(
        "registry.example.com",
        "nosuchhelper",
        &[
            "docker-credential-nosuchhelper",
            "not installed",
            "\"registry.example.com\"",
        ],
    );
}

#[test]
fn helper_without_credentials() {
    helper_error(
        "missing.example.com",
        "regcredtest",
        &[
            "has no credentials for \"missing.example.com\"",
            "docker login",
        ],
    );
}

#[test]
fn helper_failing_with_a_message() {
    helper_error(
        "broken.example.com",
        "regcredtest",
        &[
            "failed for \"broken.example.com\"",
            "the keychain is locked",
        ],
    );
}

#[test]
fn helper_answering_an_identity_token() {
    helper_error(
        "token.example.com",
        "regcredtest",
        &[
            "identity token",
            "\"token.example.com\"",
            "kubelet cannot use",
        ],
    );
}

#[test]
fn helper_answering_garbage() {
    helper_error(
        "garbage.example.com",
        "regcredtest",
        &["something other than its JSON", "\"garbage.example.com\""],
    );
}

#[test]
fn store_entries_without_resolve_helpers_are_an_error() {
    let out = create_from(&fixtures().join("with-store.json"), &[]);
    let stderr = assert_refused(&out);
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("--resolve-helpers")
            && stderr.contains("\"ghcr.io\"")
            && stderr.contains("\"registry.example.com\""),
        "{stderr}"
    );
}

// ------------------------------------------------------------ real helper

/// A throwaway GPG home and password store, removed (agent included) on drop.
struct PassStore {
    dir: tempfile::TempDir,
}

impl PassStore {
    fn gnupg(&self) -> PathBuf {
        self.dir.path().join("gnupg")
    }
    fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }
    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("GNUPGHOME", self.gnupg())
            .env("PASSWORD_STORE_DIR", self.store())
            .env("HOME", self.dir.path());
        c
    }
}

impl Drop for PassStore {
    fn drop(&mut self) {
        let _ = self.cmd("gpgconf").args(["--kill", "gpg-agent"]).status();
    }
}

fn run_cmd_with_stdin(mut cmd: Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
#[ignore = "needs docker-credential-pass, pass and gpg"]
fn real_docker_credential_pass_end_to_end() {
    for tool in ["gpg", "gpgconf", "pass", "docker-credential-pass"] {
        if require(tool, "the docker-credential-pass end-to-end test").is_none() {
            return;
        }
    }
    let ps = PassStore {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir(ps.gnupg()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(ps.gnupg(), std::fs::Permissions::from_mode(0o700)).unwrap();
    ps.cmd("gpg")
        .args([
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            "regcred test <test@regcred.invalid>",
            "default",
            "default",
            "never",
        ])
        .assert()
        .success();
    let listing = ps
        .cmd("gpg")
        .args(["--batch", "--with-colons", "--list-keys"])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    let fpr = listing
        .lines()
        .find_map(|l| {
            l.strip_prefix("fpr:")
                .map(|r| r.trim_matches(':').to_string())
        })
        .expect("a fingerprint");
    ps.cmd("pass").args(["init", &fpr]).assert().success();
    let mut store = ps.cmd("docker-credential-pass");
    store.arg("store");
    let stored = run_cmd_with_stdin(
        store,
        br#"{"ServerURL":"registry.example.com","Username":"pass-user","Secret":"pass-s3cret\"x"}"#,
    );
    assert!(
        stored.status.success(),
        "{}",
        String::from_utf8_lossy(&stored.stdout)
    );

    let cfg = write_config(
        ps.dir.path(),
        "config.json",
        r#"{"auths":{"registry.example.com":{}},"credsStore":"pass"}"#,
    );
    let create = |cfg: &Path| {
        ps.cmd(regcred().to_str().unwrap())
            .args(["create", "pull", "--resolve-helpers", "--from-config"])
            .arg(cfg)
            .output()
            .unwrap()
    };
    let out = create(&cfg);
    assert_like_kubectl(&out, "registry.example.com", "pass-user", "pass-s3cret\"x");

    // A server the store does not hold: docker-credential-pass says so.
    let cfg = write_config(
        ps.dir.path(),
        "other.json",
        r#"{"auths":{"other.example.com":{}},"credsStore":"pass"}"#,
    );
    let stderr = assert_refused(&create(&cfg));
    assert!(stderr.contains("\"other.example.com\""), "{stderr}");
}

#[test]
#[ignore = "needs a current kubectl (/opt/kubectl-current)"]
fn cred_helpers_registries_count_as_logged_in() {
    let cfg = fixtures().join("helpers.json");
    // Unfiltered, Docker lists credHelpers' registries too: token.example.com
    // answers an identity token, which is refused.
    let out = create_from(&cfg, &["--resolve-helpers"]);
    let stderr = assert_refused(&out);
    assert!(
        stderr.contains("identity token") && stderr.contains("\"token.example.com\""),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    // Filtered to the good one: kubectl's bytes for the helper's answer.
    let out = create_from(
        &cfg,
        &["--resolve-helpers", "--registry", "registry.example.com"],
    );
    assert_fake_helper_answer(&out);

    // A registry neither in auths nor in credHelpers, and no credsStore.
    let out = create_from(&cfg, &["--resolve-helpers", "--registry", "ghcr.io"]);
    let stderr = assert_refused(&out);
    assert!(
        stderr.contains("no credentials for registry \"ghcr.io\""),
        "{stderr}"
    );
}
