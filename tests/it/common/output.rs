//! A finished process's output as text, for assertions and failure messages.

use std::process::Output;

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output followed by standard error.
pub fn text(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}
