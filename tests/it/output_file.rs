//! `create --output-file`: mode 0600 under any umask, atomic, and no
//! temporary file left, on error or when killed mid-write (the test hook
//! REGCRED_TEST_PAUSE_BEFORE_RENAME holds the process after the content is
//! written and synced, before it gets its name).

use crate::common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

fn create(dir: &Path, target: &str, extra: &[&str]) -> Command {
    // umask 000: the most permissive; the file must still be 0600.
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg("umask 000; exec \"$@\"")
        .arg("sh")
        .arg(common::regcred())
        .args([
            "create",
            "pull",
            "--docker-username",
            "u",
            "--docker-password-env",
            "PW",
        ])
        .args(["--label", &format!("big={}", "x".repeat(63))])
        .arg("--output-file")
        .arg(dir.join(target))
        .args(extra)
        .env("PW", "pw")
        .current_dir(dir);
    c
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Starts `cmd` with the pause hook, waits for it to pause, kills it.
fn kill_while_paused(mut cmd: Command) {
    let mut child = cmd
        .env("REGCRED_TEST_PAUSE_BEFORE_RENAME", "30000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("paused before rename"), "{line}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn written_0600_under_umask_000_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = create(dir.path(), "s.yaml", &[]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&dir.path().join("s.yaml")), 0o600);
    assert_eq!(names(dir.path()), ["s.yaml"]);
    // Replacing keeps 0600 even when the old file was world-readable.
    std::fs::set_permissions(
        dir.path().join("s.yaml"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let out = create(dir.path(), "s.yaml", &["--force"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&dir.path().join("s.yaml")), 0o600);
    assert_eq!(names(dir.path()), ["s.yaml"]);
}

#[test]
fn killed_before_the_rename_leaves_the_old_file_and_no_temp() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("s.yaml");
    std::fs::write(&target, "old\n").unwrap();
    kill_while_paused(create(dir.path(), "s.yaml", &["--force"]));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    assert_eq!(names(dir.path()), ["s.yaml"]);
    // Not killed: the complete new file.
    let out = create(dir.path(), "s.yaml", &["--force"]).output().unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(
        text.starts_with("apiVersion: v1\n")
            && text.ends_with("type: kubernetes.io/dockerconfigjson\n"),
        "{text}"
    );
    assert_eq!(names(dir.path()), ["s.yaml"]);
}

#[test]
fn killed_before_a_first_write_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    kill_while_paused(create(dir.path(), "s.yaml", &[]));
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn errors_leave_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("s.yaml");
    std::fs::write(&target, "old\n").unwrap();
    // Exists without --force.
    let out = create(dir.path(), "s.yaml", &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    // A failure after the output file was chosen (bad label).
    let out = create(dir.path(), "t.yaml", &["--label", "bad key=x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A folder that does not exist.
    let out = create(dir.path(), "missing/t.yaml", &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(names(dir.path()), ["s.yaml"]);
}
