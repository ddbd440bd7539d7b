//! `regcred fn` and the `regcred-fn` binary: the KRM exec function on stdin
//! and stdout. It runs in the kustomization directory, where relative paths
//! of its config start.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::bounded_read::{self, Limit};
use crate::krm::function;

#[derive(Debug, clap::Args)]
pub struct FnArgs {}

pub fn run(_args: FnArgs) -> ExitCode {
    run_stdio()
}

pub fn run_stdio() -> ExitCode {
    let bytes = match bounded_read::read_stream(std::io::stdin().lock(), Limit::RESOURCE_LIST, 0) {
        Ok(bytes) => bytes,
        Err(e) => return super::fail(format!("cannot read the ResourceList from stdin: {e}")),
    };
    let Ok(input) = String::from_utf8(bytes) else {
        return super::fail("cannot read the ResourceList from stdin: not UTF-8 text");
    };
    let outcome = function::run(&input, Path::new(""));
    if !outcome.stderr.is_empty() {
        eprint!("{}", outcome.stderr);
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out
        .write_all(outcome.stdout.as_bytes())
        .and_then(|()| out.flush())
    {
        return super::fail(format!("cannot write to stdout: {e}"));
    }
    ExitCode::from(outcome.code)
}
