//! Inputs and outputs that are not what they claim to be (issue 11): a
//! device, a FIFO or a link where a file is expected, endless streams, files
//! outside a kustomization's root. Each gets a clear refusal, never a hang,
//! a replaced device or unbounded memory.

use crate::common;

use std::fs;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::Output;

/// `create pull ... --output-file TARGET --force`.
fn create_forced(target: &Path) -> Output {
    common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .args([
            "create",
            "s",
            "--docker-server",
            "r.io",
            "--docker-username",
            "u",
            "--docker-password-env",
            "PW",
            "--force",
            "--output-file",
        ])
        .arg(target)
        .env("PW", "CANARY-pw")
        .output()
        .unwrap()
}

fn assert_not_replaced(out: &Output, kind: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(out));
    assert!(
        common::stderr(out).contains(&format!(
            "is {kind}, not a regular file; --force replaces only regular files"
        )),
        "{}",
        common::stderr(out)
    );
    assert!(!common::stderr(out).contains("CANARY"));
}

#[test]
fn force_replaces_only_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    common::mkfifo(&fifo);
    assert_not_replaced(&create_forced(&fifo), "a FIFO");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    // A link is not replaced by a file, whatever it points to.
    let real = dir.path().join("real.yaml");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_not_replaced(&create_forced(&link), "a symbolic link");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read(&real).unwrap(), b"old");
    let stdout_link = dir.path().join("stdout");
    std::os::unix::fs::symlink("/dev/stdout", &stdout_link).unwrap();
    assert_not_replaced(&create_forced(&stdout_link), "a symbolic link");

    if common::is_root() {
        // The issue's reproduction: a character device like /dev/null.
        let null = dir.path().join("null");
        let c = std::ffi::CString::new(null.to_str().unwrap()).unwrap();
        // SAFETY: mknod(2) with a valid C string.
        let rc = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
        assert_eq!(rc, 0);
        assert_not_replaced(&create_forced(&null), "a character device");
        assert!(fs::symlink_metadata(&null)
            .unwrap()
            .file_type()
            .is_char_device());
    }

    // A regular file is still replaced.
    let out = create_forced(&real);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(fs::read_to_string(&real).unwrap().contains("kind: Secret"));
}

fn create_with_password_file(file: &Path) -> Output {
    common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .args(["create", "s", "--docker-username", "u"])
        .arg("--docker-password-file")
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn password_and_config_files_are_regular_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // An endless device is refused before a byte is read.
    let out = create_with_password_file(Path::new("/dev/zero"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("/dev/zero: a character device, not a regular file"),
        "{}",
        common::stderr(&out)
    );
    // A FIFO without a writer is refused, not waited on.
    let fifo = dir.path().join("pw");
    common::mkfifo(&fifo);
    let out = create_with_password_file(&fifo);
    assert!(
        common::stderr(&out).contains("a FIFO, not a regular file"),
        "{}",
        common::stderr(&out)
    );
    // Over the limit: a Secret holds at most 1 MiB.
    let big = dir.path().join("big");
    fs::write(&big, vec![b'p'; (1 << 20) + 1]).unwrap();
    let out = create_with_password_file(&big);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("larger than 1048576 bytes (a Secret holds at most 1 MiB)"),
        "{}",
        common::stderr(&out)
    );
    // The same on stdin, which may be a pipe: read up to the limit only.
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .args([
            "create",
            "s",
            "--docker-username",
            "u",
            "--docker-password-stdin",
        ])
        .write_stdin(vec![b'p'; 3 << 20])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out)
            .contains("cannot read the password from stdin: larger than 1048576 bytes"),
        "{}",
        common::stderr(&out)
    );
    // --from-config: a committed link to /dev/zero.
    let cfg = dir.path().join("cfg.json");
    std::os::unix::fs::symlink("/dev/zero", &cfg).unwrap();
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .args(["create", "s", "--from-config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("a character device, not a regular file"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn lint_configs_are_regular_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), "kind: ConfigMap\n").unwrap();
    // `--config` naming a FIFO, and `.regcred.yaml` that is one.
    let fifo = dir.path().join("cfg.yaml");
    common::mkfifo(&fifo);
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "a.yaml", "--config", "cfg.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("a FIFO, not a regular file"),
        "{}",
        common::stderr(&out)
    );
    common::mkfifo(&dir.path().join(".regcred.yaml"));
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "a.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains(".regcred.yaml: a FIFO, not a regular file"),
        "{}",
        common::stderr(&out)
    );
    // A link to /dev/zero is not passed over either.
    fs::remove_file(dir.path().join(".regcred.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".regcred.yaml")).unwrap();
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "a.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("a character device, not a regular file"),
        "{}",
        common::stderr(&out)
    );
    // Too big: the limit is in the message.
    fs::remove_file(dir.path().join(".regcred.yaml")).unwrap();
    fs::write(dir.path().join(".regcred.yaml"), vec![b'#'; (1 << 20) + 1]).unwrap();
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "a.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out)
            .contains("larger than 1048576 bytes (the limit for a configuration file)"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn lint_refuses_a_named_fifo_and_device() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f.yaml");
    common::mkfifo(&fifo);
    for (path, kind) in [
        (fifo.as_path(), "a FIFO"),
        (Path::new("/dev/zero"), "a character device"),
    ] {
        let out = common::regcred_cmd()
            .timeout(common::HANG_GUARD)
            .arg("lint")
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
        assert!(
            common::stderr(&out).contains(&format!("{kind}, not a regular file")),
            "{}",
            common::stderr(&out)
        );
    }
}

#[test]
fn function_stdin_is_bounded() {
    // 64 MiB and one byte more than the limit: refused without reading on.
    let out = common::regcred_fn_cmd()
        .timeout(common::HANG_GUARD)
        .write_stdin(vec![b' '; (64 << 20) + 1])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("larger than 67108864 bytes (the limit for a ResourceList)"),
        "{}",
        common::stderr(&out)
    );
}

/// A folder holding `docker-credential-NAME`, a shell script.
fn fake_helper(dir: &Path, name: &str, script: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let path = bin.join(format!("docker-credential-{name}"));
    fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[test]
fn a_credential_helper_answer_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // A helper that answers without end.
    let bin = fake_helper(
        dir.path(),
        "flood",
        "cat >/dev/null; exec yes '{\"Secret\":1}'",
    );
    let cfg = dir.path().join("config.json");
    fs::write(&cfg, r#"{"auths":{"r.io":{}},"credsStore":"flood"}"#).unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .env("PATH", path)
        .args(["create", "s", "--resolve-helpers", "--from-config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out)
            .contains("larger than 1048576 bytes (the limit for a credential helper's answer)"),
        "{}",
        common::stderr(&out)
    );
}

/// A helper that never exits, one that answers and exits but leaves a
/// process holding its output open, one that leaves such a process and
/// never exits, and one that cannot be run: each a one-line error, never a
/// wait without end (`REGCRED_HELPER_TIMEOUT` shortens the deadline; nothing
/// is timed here, the hang guard only kills a run that would never end).
/// The processes left behind are killed at the end.
#[test]
fn a_credential_helper_that_does_not_end_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let answer = r#"{"ServerURL":"r.io","Username":"u","Secret":"p"}"#;
    let pids = dir.path().join("pids");
    let bin = fake_helper(dir.path(), "never", "exec sleep 600");
    let leave = format!("sleep 1000 & echo $! >> '{}'", pids.display());
    fake_helper(
        dir.path(),
        "lingering",
        &format!("cat >/dev/null; {leave}; echo '{answer}'"),
    );
    fake_helper(
        dir.path(),
        "abandoning",
        &format!("{leave}; exec sleep 1000"),
    );
    let unrunnable = fake_helper(dir.path(), "unrunnable", "exit 0");
    {
        use std::os::unix::fs::PermissionsExt;
        let script = unrunnable.join("docker-credential-unrunnable");
        fs::set_permissions(&script, fs::Permissions::from_mode(0o644)).unwrap();
    }
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let mut outcomes = Vec::new();
    for (helper, expected) in [
        ("never", "did not answer and exit within 1 seconds"),
        (
            "lingering",
            "it exited, but a process it started still holds its output open",
        ),
        ("abandoning", "did not answer and exit within 1 seconds"),
        ("unrunnable", "cannot run it: Permission denied"),
    ] {
        let cfg = dir.path().join(format!("{helper}.json"));
        let config = format!(r#"{{"auths":{{"r.io":{{}}}},"credsStore":"{helper}"}}"#);
        fs::write(&cfg, config).unwrap();
        let out = common::regcred_cmd()
            .timeout(common::HANG_GUARD)
            .env("PATH", &path)
            .env("REGCRED_HELPER_TIMEOUT", "1")
            .args(["create", "s", "--resolve-helpers", "--from-config"])
            .arg(&cfg)
            .output();
        outcomes.push((helper, expected, out));
    }
    for pid in fs::read_to_string(&pids).unwrap_or_default().lines() {
        let _ = std::process::Command::new("kill").arg(pid.trim()).status();
    }
    for (helper, expected, out) in outcomes {
        let out = out.unwrap();
        let stderr = common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{helper}: {stderr}");
        assert!(stderr.contains(expected), "{helper}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

const DOCKER_CONFIG: &str = r#"{"auths":{"r.io":{"auth":"dTpw"}}}"#;

/// A kustomization in `dir/k` whose pull-secret generator reads `file`.
fn kustomization(dir: &Path, file: &str) -> PathBuf {
    let k = dir.join("k");
    fs::create_dir_all(&k).unwrap();
    fs::write(
        k.join("kustomization.yaml"),
        format!(
            "secretGenerator:\n- name: a\n  type: kubernetes.io/dockerconfigjson\n  files: [.dockerconfigjson={file}]\n"
        ),
    )
    .unwrap();
    k
}

fn lint_in(dir: &Path, args: &[&str]) -> Output {
    common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir)
        .env("REGCRED_CANARY", "CANARY-environ")
        .arg("lint")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn generator_files_are_confined_to_the_kustomization_root() {
    let dir = tempfile::tempdir().unwrap();
    // Broken JSON outside: linted, it would give a finding with an excerpt.
    fs::write(
        dir.path().join("outside.json"),
        "{\"auths\": CANARY-outside",
    )
    .unwrap();
    for file in ["/proc/self/environ", "../outside.json", "link.json"] {
        let k = kustomization(dir.path(), file);
        let _ = fs::remove_file(k.join("link.json"));
        std::os::unix::fs::symlink("../outside.json", k.join("link.json")).unwrap();
        let out = lint_in(dir.path(), &["k", "--format", "json"]);
        let all = format!(
            "{}{}",
            common::stderr(&out),
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(out.status.code(), Some(2), "{file}: {all}");
        assert!(
            common::stderr(&out).contains("security; file '")
                && common::stderr(&out).contains("is not in or below '")
                && common::stderr(&out).contains("--load-restrictor LoadRestrictionsNone"),
            "{file}: {all}"
        );
        assert!(!all.contains("CANARY"), "{file}: {all}");
    }
    // kustomize's opt-out: the file outside is linted, under the name the
    // kustomization gives it (the link), its excerpt its own.
    let out = lint_in(
        dir.path(),
        &[
            "k",
            "--load-restrictor",
            "LoadRestrictionsNone",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["path"], "k/link.json");
    // Inside the root, read as before.
    let k = kustomization(dir.path(), "sub/config.json");
    fs::create_dir_all(k.join("sub")).unwrap();
    fs::write(k.join("sub/config.json"), DOCKER_CONFIG).unwrap();
    let out = lint_in(dir.path(), &["k"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
}

#[test]
fn a_generator_naming_a_fifo_or_stdin_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    let k = kustomization(dir.path(), "pipe");
    common::mkfifo(&k.join("pipe"));
    fs::write(dir.path().join("unrelated.yaml"), "kind: ConfigMap\n").unwrap();
    // Linted: the FIFO is refused, not waited on.
    let out = lint_in(dir.path(), &["k"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("a FIFO, not a regular file"),
        "{}",
        common::stderr(&out)
    );
    // As context of a pre-commit run on another file: passed over.
    let out = lint_in(dir.path(), &["unrelated.yaml", "--context", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    // /dev/stdin is outside the root; lifted, it is a FIFO or a device.
    kustomization(dir.path(), "/dev/stdin");
    let out = lint_in(dir.path(), &["k"]);
    assert!(
        common::stderr(&out).contains("is not in or below"),
        "{}",
        common::stderr(&out)
    );
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "k", "--load-restrictor", "LoadRestrictionsNone"])
        .write_stdin("x")
        .output()
        .unwrap();
    assert!(
        common::stderr(&out).contains("not a regular file"),
        "{}",
        common::stderr(&out)
    );
}

/// A `PullSecret` function config (spec lines indented by two).
fn resource_list(spec: &str) -> String {
    format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  apiVersion: regcred.dev/v1\n  kind: PullSecret\n  metadata:\n    name: pull\n  spec:\n{spec}"
    )
}

#[test]
fn function_config_files_are_confined_to_the_kustomization_root() {
    let dir = tempfile::tempdir().unwrap();
    let k = dir.path().join("k");
    fs::create_dir_all(&k).unwrap();
    fs::write(dir.path().join("outside.json"), DOCKER_CONFIG).unwrap();
    fs::write(dir.path().join("pw"), "CANARY-pw").unwrap();
    fs::write(k.join("inside.json"), DOCKER_CONFIG).unwrap();
    let run = |spec: &str, lift: bool| {
        let mut c = common::regcred_fn_cmd();
        c.timeout(common::HANG_GUARD)
            .current_dir(&k)
            .env_remove("REGCRED_LOAD_RESTRICTOR")
            .write_stdin(resource_list(spec));
        if lift {
            c.env("REGCRED_LOAD_RESTRICTOR", "LoadRestrictionsNone");
        }
        c.output().unwrap()
    };
    for spec in [
        "    configFiles: [../outside.json]\n",
        "    configFiles: [/proc/self/environ]\n",
        "    server: r.io\n    username: u\n    passwordFrom: file:../pw\n",
    ] {
        let out = run(spec, false);
        let all = format!(
            "{}{}",
            common::stderr(&out),
            String::from_utf8_lossy(&out.stdout)
        );
        assert_ne!(out.status.code(), Some(0), "{spec}: {all}");
        assert!(all.contains("is not in or below"), "{spec}: {all}");
        assert!(
            all.contains("REGCRED_LOAD_RESTRICTOR=LoadRestrictionsNone"),
            "{all}"
        );
        assert!(!all.contains("CANARY"), "{spec}: {all}");
    }
    let out = run("    configFiles: [../outside.json]\n", true);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let out = run("    configFiles: [inside.json]\n", false);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
}

const BAD_SECRET: &str =
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: not-base64!\n";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = match big_endian {
        true => vec![0xFE, 0xFF],
        false => vec![0xFF, 0xFE],
    };
    for unit in text.encode_utf16() {
        out.extend(match big_endian {
            true => unit.to_be_bytes(),
            false => unit.to_le_bytes(),
        });
    }
    out
}

fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = match big_endian {
        true => vec![0, 0, 0xFE, 0xFF],
        false => vec![0xFF, 0xFE, 0, 0],
    };
    for c in text.chars() {
        out.extend(match big_endian {
            true => (c as u32).to_be_bytes(),
            false => (c as u32).to_le_bytes(),
        });
    }
    out
}

/// (rule, line) of each finding of `lint FILE --format json`, and the exit code.
fn findings_of(dir: &Path, name: &std::ffi::OsStr) -> (Vec<(String, u64, String)>, Option<i32>) {
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir)
        .arg("lint")
        .arg(name)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (found, out.status.code())
}

#[test]
fn encodings_and_line_ends_are_read_as_kubectl_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let not_base64 = |found: &[(String, u64, String)]| {
        found.len() == 1 && found[0].0 == "secret-data-not-base64" && found[0].1 == 6
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("utf16le.yaml", utf16(BAD_SECRET, false)),
        ("utf16be.yaml", utf16(BAD_SECRET, true)),
        ("cr.yaml", BAD_SECRET.replace('\n', "\r").into_bytes()),
        // Mixed: one lone CR early on moves every later line.
        (
            "mixed.yaml",
            BAD_SECRET
                .replacen("metadata:\n", "metadata:\r", 1)
                .into_bytes(),
        ),
    ];
    for (name, bytes) in cases {
        fs::write(dir.path().join(name), bytes).unwrap();
        let (found, code) = findings_of(dir.path(), name.as_ref());
        assert!(not_base64(&found), "{name}: {found:?}");
        assert_eq!(code, Some(1), "{name}");
    }
    // UTF-32: kubectl fails on the whole file; said so, not "0 objects".
    for (name, be) in [("utf32le.yaml", false), ("utf32be.yaml", true)] {
        fs::write(dir.path().join(name), utf32(BAD_SECRET, be)).unwrap();
        let (found, code) = findings_of(dir.path(), name.as_ref());
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        assert_eq!(found[0].0, "yaml-syntax-error");
        assert!(found[0].2.contains("UTF-32"), "{found:?}");
        assert!(found[0].2.contains("control characters are not allowed"));
        assert_eq!(code, Some(1));
    }
}

#[test]
fn a_file_name_that_is_not_utf8_is_linted() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"s\xff.yaml");
    fs::write(dir.path().join(name), BAD_SECRET).unwrap();
    let (found, code) = findings_of(dir.path(), name);
    assert_eq!(code, Some(1), "{found:?}");
    assert_eq!(found.len(), 1);
    // Found by the walk too, shown with U+FFFD.
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["path"], "s\u{FFFD}.yaml");
}

#[test]
fn force_exclude_applies_skip_to_named_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("generated")).unwrap();
    fs::create_dir_all(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("generated/s.yaml"), BAD_SECRET).unwrap();
    fs::write(dir.path().join("sub/t.yaml"), BAD_SECRET).unwrap();
    fs::write(dir.path().join("bad.yaml"), BAD_SECRET).unwrap();
    fs::write(dir.path().join(".regcred.yaml"), "skip: [generated/]\n").unwrap();
    let lint = |cwd: &Path, args: &[&str]| {
        let out = common::regcred_cmd()
            .timeout(common::HANG_GUARD)
            .current_dir(cwd)
            .arg("lint")
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut paths: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        paths.sort();
        (paths, out.status.code())
    };
    // Named, a skipped file is linted (as before) ...
    let named = ["generated/s.yaml", "sub/t.yaml"];
    assert_eq!(
        lint(dir.path(), &named).0,
        ["generated/s.yaml", "sub/t.yaml"]
    );
    // ... unless --force-exclude, as the pre-commit hooks pass it.
    let mut forced = named.to_vec();
    forced.push("--force-exclude");
    assert_eq!(
        lint(dir.path(), &forced),
        (vec!["sub/t.yaml".to_string()], Some(1))
    );
    // From a subfolder, patterns stay relative to the config's folder.
    assert_eq!(
        lint(
            &dir.path().join("sub"),
            &["../generated/s.yaml", "t.yaml", "--force-exclude"]
        )
        .0,
        ["t.yaml"]
    );
    // The issue's case: skip everything, name a bad file.
    fs::write(dir.path().join(".regcred.yaml"), "skip: [\"*\"]\n").unwrap();
    assert_eq!(lint(dir.path(), &["bad.yaml"]).1, Some(1));
    assert_eq!(
        lint(dir.path(), &["bad.yaml", "--force-exclude"]),
        (Vec::new(), Some(0))
    );
}

#[test]
fn the_hooks_pass_force_exclude() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        ".pre-commit-hooks.yaml",
        "packaging/pre-commit/.pre-commit-hooks.yaml",
    ] {
        let text = fs::read_to_string(root.join(file)).unwrap();
        let entries: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("entry: "))
            .collect();
        assert_eq!(entries.len(), 2, "{file}");
        for entry in entries {
            assert!(
                entry.starts_with("regcred lint --force-exclude"),
                "{file}: {entry}"
            );
        }
    }
}

#[test]
fn a_symbolic_link_loop_is_not_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("loop.yaml", dir.path().join("loop.yaml")).unwrap();
    std::os::unix::fs::symlink("gone.yaml", dir.path().join("dangling.yaml")).unwrap();
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "loop.yaml", "dangling.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("loop.yaml: a symbolic link loop"),
        "{}",
        common::stderr(&out)
    );
    assert!(
        common::stderr(&out)
            .contains("dangling.yaml: a symbolic link to a file that does not exist"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn control_characters_are_escaped_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a\nerror[forged]: \u{9b}2J\r.yaml";
    // A comment with an escape sequence on the excerpt's line.
    let text = BAD_SECRET.replace("not-base64!\n", "not-base64! # \u{1b}[2J\u{9b}31m\n");
    fs::write(dir.path().join(name), text).unwrap();
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "."])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let all = format!("{stdout}{}", common::stderr(&out));
    assert!(
        stdout.contains("a\\nerror[forged]: \\u{9b}2J\\r.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("# \\u{1b}[2J\\u{9b}31m"), "{stdout}");
    let raw = |c: char| all.contains(c);
    assert!(!raw('\u{9b}') && !raw('\u{1b}') && !raw('\r'), "{all:?}");
    assert!(
        !all.lines().any(|l| l.starts_with("error[forged]")),
        "{all}"
    );
}

/// The name of an unreadable file, in its error; run as nobody so that the
/// file is unreadable even to a root test run.
#[test]
#[ignore = "needs setpriv (util-linux) when run as root"]
fn control_characters_are_escaped_in_read_errors() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::create_dir(dir.path().join("missing\u{1b}")).unwrap();
    fs::write(dir.path().join("missing\u{1b}/x.yaml"), BAD_SECRET).unwrap();
    fs::set_permissions(
        dir.path().join("missing\u{1b}/x.yaml"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let Some(mut cmd) = common::unprivileged(&common::regcred()) else {
        return;
    };
    let out = cmd
        .timeout(common::HANG_GUARD)
        .current_dir(dir.path())
        .args(["lint", "."])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("missing\\u{1b}/x.yaml"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn threads_are_capped_at_the_cores() {
    // 100000 threads with their stacks need far more address space than
    // this limit gives; the cores' worth fit easily.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), BAD_SECRET).unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000 && exec \"$0\" lint --threads 100000 a.yaml")
        .arg(common::regcred())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("secret-data-not-base64"));
}

#[test]
fn a_report_that_cannot_be_written_says_so() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), BAD_SECRET).unwrap();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(common::regcred())
        .current_dir(dir.path())
        .args(["lint", "a.yaml"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out)
            .contains("error: cannot write the report to stdout: No space left on device"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn a_context_that_is_not_a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), BAD_SECRET).unwrap();
    for context in ["/nonexistent", "a.yaml"] {
        let out = common::regcred_cmd()
            .timeout(common::HANG_GUARD)
            .current_dir(dir.path())
            .args(["lint", "a.yaml", "--context", context])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{context}");
        assert!(
            common::stderr(&out).contains(&format!("--context {context}: not a folder")),
            "{}",
            common::stderr(&out)
        );
    }
}

/// Run as nobody, so that the folder is unreadable even to a root test run.
#[test]
#[ignore = "needs setpriv (util-linux) when run as root"]
fn a_walk_error_names_its_path_first() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    common::write(dir.path(), "tree/ok.yaml", "kind: ConfigMap\n");
    let locked = dir.path().join("tree/locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let Some(mut cmd) = common::unprivileged(&common::regcred()) else {
        return;
    };
    let out = cmd
        .current_dir(dir.path())
        .args(["lint", "tree"])
        .output()
        .unwrap();
    let stderr = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // `error: PATH: why`, never `error: : PATH` with the path in the message.
    assert!(
        stderr.contains("error: tree/locked: Permission denied"),
        "{stderr}"
    );
    assert!(!stderr.contains("error: :"), "{stderr}");
    // A file named inside it cannot be found for the same reason, which is
    // not "no such file".
    let Some(mut cmd) = common::unprivileged(&common::regcred()) else {
        return;
    };
    let out = cmd
        .current_dir(dir.path())
        .args(["lint", "tree/locked/a.yaml"])
        .output()
        .unwrap();
    let stderr = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: tree/locked/a.yaml: Permission denied"),
        "{stderr}"
    );
}

/// `.gitignore` files are read by the one reader, and only the
/// repository's count: one that is a FIFO or a link to a device neither
/// hangs the walk nor hides anything, one beside the repository (above its
/// root) or above a folder outside any repository hides nothing, and one
/// inside the repository above the linted folder still applies.
#[test]
fn gitignore_files_are_the_repositorys_and_regular() {
    let dir = tempfile::tempdir().unwrap();
    // Beside the repository, and above a folder outside any: hides all.
    common::write(dir.path(), ".gitignore", "*\n");
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git/info")).unwrap();
    common::write(&repo, ".gitignore", "generated/\n");
    common::write(&repo, ".git/info/exclude", "excluded.yaml\n");
    for rel in [
        "app/generated/x.yaml",
        "app/excluded.yaml",
        "app/fifo/x.yaml",
        "app/zero/x.yaml",
    ] {
        common::write(&repo, rel, BAD_SECRET);
    }
    common::mkfifo(&repo.join("app/fifo/.gitignore"));
    std::os::unix::fs::symlink("/dev/zero", repo.join("app/zero/.gitignore")).unwrap();
    let out = lint_in(&repo, &["app"]);
    let stdout = common::stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    assert!(stdout.contains("app/fifo/x.yaml:6"), "{stdout}");
    assert!(stdout.contains("app/zero/x.yaml:6"), "{stdout}");
    assert!(!stdout.contains("generated"), "{stdout}");
    assert!(!stdout.contains("excluded"), "{stdout}");
    assert!(stdout.contains("in 2 files"), "{stdout}");

    common::write(dir.path(), "loose/x.yaml", BAD_SECRET);
    let out = lint_in(dir.path(), &["loose"]);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("in 1 file"));
}

/// `man --dir` replaces whatever has a page's name: a FIFO is not waited
/// on, a link to a file elsewhere is not written through.
#[test]
fn man_pages_replace_fifos_and_links_never_write_through_them() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    fs::create_dir(&pages).unwrap();
    common::mkfifo(&pages.join("regcred.1"));
    let elsewhere = dir.path().join("elsewhere.txt");
    fs::write(&elsewhere, "mine\n").unwrap();
    std::os::unix::fs::symlink(&elsewhere, pages.join("regcred-lint.1")).unwrap();
    let out = common::regcred_cmd()
        .timeout(common::HANG_GUARD)
        .arg("man")
        .arg("--dir")
        .arg(&pages)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "mine\n");
    for page in ["regcred.1", "regcred-lint.1"] {
        let meta = fs::symlink_metadata(pages.join(page)).unwrap();
        assert!(meta.is_file(), "{page}");
        assert!(fs::read_to_string(pages.join(page))
            .unwrap()
            .starts_with(".ie"));
    }
}

/// A `.regcred.yaml` of another user above the linted input, outside any
/// repository, is not believed (it would skip everything); one inside the
/// linted folder is, whoever owns it. The warning names it as the input is
/// spelled: the same tree at two depths gives byte-identical output.
/// Needs root, to give the file away.
#[test]
#[ignore = "needs root (chown)"]
fn another_users_configuration_above_the_input_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    if !common::is_root() {
        common::missing("root", "giving a configuration file to another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let trees = [dir.path().join("a"), dir.path().join("b/c/a")];
    for tree in &trees {
        let config = tree.join(".regcred.yaml");
        common::write(tree, ".regcred.yaml", "skip: [\"*\"]\n");
        std::os::unix::fs::chown(&config, Some(65534), Some(65534)).unwrap();
        common::write(tree, "x/a.yaml", BAD_SECRET);
    }
    let lint = |cwd: &Path, input: &str| {
        common::regcred_cmd()
            .timeout(common::HANG_GUARD)
            .current_dir(cwd)
            .args(["lint", input])
            .output()
            .unwrap()
    };
    for input in ["x", "x/a.yaml", "./x/../x/a.yaml"] {
        let out = lint(&trees[0], input);
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{input}: {err}");
        let warning = "warning: .regcred.yaml: not used: owned by another user";
        assert_eq!(err.matches(warning).count(), 1, "{input}: {err}");
        let deeper = lint(&trees[1], input);
        assert_eq!(deeper.stderr, out.stderr, "{input}");
        assert_eq!(deeper.stdout, out.stdout, "{input}");
    }
    // From inside the linted folder, and with an absolute input.
    let out = lint(&trees[0].join("x"), ".");
    let err = common::stderr(&out);
    assert!(
        err.starts_with("warning: ../.regcred.yaml: not used: owned by another user"),
        "{err}"
    );
    let config = trees[0].join(".regcred.yaml");
    let out = lint(dir.path(), trees[0].join("x").to_str().unwrap());
    let err = common::stderr(&out);
    let warning = format!(
        "warning: {}: not used: owned by another user",
        config.display()
    );
    assert!(err.starts_with(&warning), "{err}");
    // Root's own is used.
    std::os::unix::fs::chown(&config, Some(0), Some(0)).unwrap();
    let out = lint(&trees[0], "x");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(!common::stderr(&out).contains("warning:"));
    // Inside the linted folder, anyone's is used.
    let inner = trees[0].join("x/.regcred.yaml");
    fs::rename(&config, &inner).unwrap();
    std::os::unix::fs::chown(&inner, Some(65534), Some(65534)).unwrap();
    let out = lint(&trees[0], "x");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(!common::stderr(&out).contains("warning:"));
}
