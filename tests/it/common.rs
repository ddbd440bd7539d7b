//! Shared helpers for the `create` CLI tests: finding external programs
//! (skip with a visible message, except in CI) and running them.

#![allow(dead_code)]

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const KUBECTL_LEGACY: &str = "/usr/bin/kubectl";
pub const KUBECTL_CURRENT: &str = "/opt/kubectl-current/bin/kubectl";

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `Some(path)` when the program exists; otherwise prints a SKIP line, or
/// panics in CI where every external program must be installed.
/// The kubectl paths can be moved with REGCRED_KUBECTL_LEGACY and
/// REGCRED_KUBECTL_CURRENT.
pub fn require(path: &str, why: &str) -> Option<PathBuf> {
    let overridden = match path {
        KUBECTL_LEGACY => std::env::var("REGCRED_KUBECTL_LEGACY").ok(),
        KUBECTL_CURRENT => std::env::var("REGCRED_KUBECTL_CURRENT").ok(),
        _ => None,
    };
    let path = overridden.as_deref().unwrap_or(path);
    let p = PathBuf::from(path);
    if p.is_file() {
        return Some(p);
    }
    if let Some(found) = which(path) {
        return Some(found);
    }
    if in_ci() {
        panic!("{path} is required in CI ({why}) but missing");
    }
    eprintln!("SKIP: {path} not found, skipping {why}");
    None
}

pub fn which(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        return None;
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

pub fn regcred() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_regcred"))
}

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

/// The first differing line of two outputs, with context, for a failure.
pub fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let e = String::from_utf8_lossy(expected);
    let a = String::from_utf8_lossy(actual);
    let el: Vec<&str> = e.split_inclusive('\n').collect();
    let al: Vec<&str> = a.split_inclusive('\n').collect();
    let i = el
        .iter()
        .zip(&al)
        .position(|(x, y)| x != y)
        .unwrap_or(el.len().min(al.len()));
    let mut out = format!("first difference at line {}:\n", i + 1);
    for j in i.saturating_sub(2)..(i + 3).min(el.len().max(al.len())) {
        let x = el.get(j).copied().unwrap_or("<none>\n");
        let y = al.get(j).copied().unwrap_or("<none>\n");
        if x == y {
            out.push_str(&format!("  {x:?}\n"));
        } else {
            out.push_str(&format!("- kubectl {x:?}\n+ regcred {y:?}\n"));
        }
    }
    out
}

/// The `.dockerconfigjson` bytes of a Secret printed with `-o json` (by
/// regcred or kubectl), base64-decoded.
pub fn dockerconfigjson_of(json_output: &[u8]) -> Vec<u8> {
    let doc: serde_json::Value = serde_json::from_slice(json_output).unwrap();
    let b64 = doc["data"][".dockerconfigjson"].as_str().unwrap();
    regcred::gocompat::base64::decode(b64.as_bytes(), regcred::gocompat::base64::Padding::Required)
        .unwrap()
}

/// The KRM function binary.
pub fn regcred_fn() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_regcred-fn"))
}

/// A recorded kustomize input from `../shared/krm` beside the checkout (as
/// in CI), or from REGCRED_SHARED_DIR; `None` with a SKIP line when absent.
pub fn recorded(name: &str) -> Option<String> {
    let dir = std::env::var_os("REGCRED_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = dir.join("krm").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!(
                "SKIP: {} not found (set REGCRED_SHARED_DIR to the shared folder), skipping the recorded-input test",
                path.display()
            );
            None
        }
    }
}
