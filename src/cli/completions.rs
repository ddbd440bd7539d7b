//! `regcred completions SHELL`: completion scripts generated from the clap
//! definitions, so they never drift from the real options.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> ExitCode {
    let mut cmd = super::Cli::command();
    // Into memory first: clap_complete panics on a failed write (a closed
    // pipe); here that is an error message.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "regcred", &mut script);
    let mut out = std::io::stdout().lock();
    match out.write_all(&script).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::fail(format!("cannot write to stdout: {e}")),
    }
}
