//! Running a program with bytes on stdin and arguments that need not be UTF-8.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `program args` with `stdin`, extra `env`, and KUBECONFIG pointing at
/// a missing file so no kubeconfig can make kubectl prompt.
pub fn run(
    program: &Path,
    args: &[OsString],
    stdin: Option<&[u8]>,
    env: &[(String, OsString)],
) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env("KUBECONFIG", "/nonexistent/regcred-test-kubeconfig")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn");
    if let Some(mut pipe) = child.stdin.take() {
        if let Some(bytes) = stdin {
            let _ = pipe.write_all(bytes);
        }
    }
    child.wait_with_output().expect("wait")
}

pub fn os(s: impl AsRef<std::ffi::OsStr>) -> OsString {
    s.as_ref().to_os_string()
}

/// Raw bytes as an argument (unix: any bytes but NUL).
pub fn os_bytes(b: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(b).to_os_string()
}
