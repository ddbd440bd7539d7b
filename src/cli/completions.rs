//! `regcred completions SHELL`: completion scripts generated from the clap
//! definitions, so they never drift from the real options.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::lint::rules::RULES;

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
    if args.shell == Shell::Fish {
        script.extend_from_slice(fish_explain_rule_ids().as_bytes());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(&script).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::fail(format!("cannot write to stdout: {e}")),
    }
}

/// clap_complete's fish script completes the values of options, not of
/// positional arguments: this line offers the rule ids after `explain`
/// (bash and zsh get them from clap_complete already).
fn fish_explain_rule_ids() -> String {
    let ids: Vec<&str> = RULES.iter().map(|r| r.id()).collect();
    format!(
        "complete -c regcred -n \"__fish_regcred_using_subcommand explain\" -f -a \"{}\"\n",
        ids.join(" ")
    )
}
