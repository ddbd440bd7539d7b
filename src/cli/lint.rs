//! `regcred lint` (placeholder until its issue lands).

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct LintArgs {}

pub fn run(_args: LintArgs) -> ExitCode {
    super::fail("`regcred lint` is not built yet")
}
