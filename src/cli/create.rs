//! `regcred create` (being written).

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CreateArgs {}

pub fn run(_args: CreateArgs) -> ExitCode {
    super::fail("`regcred create` is not built yet")
}
