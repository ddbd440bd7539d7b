//! The command line: one file per subcommand. `run` turns every outcome into
//! an exit code (as the README documents): 0 clean, 1 findings at or above `--fail-on`,
//! 2 usage, I/O or configuration error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod completions;
pub mod create;
pub mod explain;
pub mod function;
pub mod help;
pub mod inspect;
pub mod kustomize;
pub mod lint;
pub mod lint_args;
pub mod lint_fix;
pub mod lint_report;
pub mod man;
pub mod panic;
pub mod rule_arg;
pub mod stdin_kind;

#[derive(Debug, Parser)]
#[command(
    name = "regcred",
    version = VERSION,
    about = "Create and lint Kubernetes image pull secrets, offline",
    after_long_help = help::after_help(help::EXAMPLES)
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size of the biggest argument set does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a kubernetes.io/dockerconfigjson Secret, byte for byte as kubectl would
    Create(create::CreateArgs),
    /// Lint files, directories or stdin for broken pull secrets and their use
    Lint(lint_args::LintArgs),
    /// Explain pull secrets, and which key the kubelet uses for an image or a pod, without showing a secret
    Inspect(inspect::InspectArgs),
    /// List the rules, or print one rule's full explanation
    Explain(explain::ExplainArgs),
    /// kustomize integration: install the PullSecret generator plugin
    Kustomize(kustomize::KustomizeArgs),
    /// Run as a KRM function: a ResourceList on stdin (same as the regcred-fn binary)
    Fn(function::FnArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(completions::CompletionsArgs),
    /// Print the man page, or write one page per command into a directory
    Man(man::ManArgs),
}

/// `--version`: the crate version and the git commit it was built from.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("REGCRED_GIT_COMMIT"),
    ")"
);

/// Exit statuses shared by every subcommand.
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs the command line; a panic becomes exit status 2 after the
/// [`panic`] hook's one line (no payload).
pub fn main() -> ExitCode {
    panic::install();
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(EXIT_ERROR))
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    panic::test_hook();
    match cli.command {
        Command::Create(args) => create::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Kustomize(args) => kustomize::run(args),
        Command::Fn(args) => function::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// Prints a one-line error and returns exit status 2.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    print_error(message);
    ExitCode::from(EXIT_ERROR)
}

/// `error: MESSAGE` on stderr: its control characters (from file names,
/// say) are escaped, except the line breaks of a message of several lines
/// (a configuration file's mistakes, one per line).
pub fn print_error(message: impl std::fmt::Display) {
    // Each line bounded: a line names one problem, with what it quotes.
    let text: Vec<String> = message
        .to_string()
        .split('\n')
        .map(|line| crate::shown_text::bounded(line).into_owned())
        .collect();
    eprintln!(
        "error: {}",
        crate::report::escape::controls_keeping_lines(&text.join("\n"))
    );
}
