//! `regcred lint`'s flags, shared by the lint run (`lint.rs`), its fixes
//! (`lint_fix.rs`) and its report (`lint_report.rs`).

use std::path::PathBuf;

use crate::lint::Level;
use crate::load_restrictor::LoadRestrictor;
use crate::report::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Findings never fail the run (as --exit-zero); errors still exit 2
    Never,
}

impl FailOn {
    /// The lowest level that fails the run; None: no level does.
    pub fn level(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Info => Some(Level::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(after_long_help = super::help::after_help(super::help::LINT_EXAMPLES))]
pub struct LintArgs {
    /// Files or folders to lint; `-` reads a YAML stream from stdin (default: `.`)
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(
        long,
        visible_alias = "output-format",
        value_enum,
        default_value = "human"
    )]
    pub format: Format,
    /// Configuration file for every input (default: each file's nearest
    /// .regcred.yaml, from its folder up to the repository root)
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Run only these rules (comma-separated ids; `regcred explain` lists them)
    #[arg(long, value_delimiter = ',', value_parser = super::rule_arg::RuleId, hide_possible_values = true)]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated ids)
    #[arg(long, value_delimiter = ',', value_parser = super::rule_arg::RuleId, hide_possible_values = true)]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding at or above this level remains
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Exit 0 even when there are findings (as --fail-on never); errors still exit 2
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,
    /// Print the findings and nothing else: no summary line, no "fixed:" lines
    #[arg(short, long)]
    pub quiet: bool,
    /// Print how many findings each rule has instead of the findings (with --format human)
    #[arg(long)]
    pub statistics: bool,
    /// Show every info finding in full (with --format human); by default
    /// four or more infos of one rule with the same advice, such as the images
    /// from one unknown registry, are one summary with their count and first place
    #[arg(long)]
    pub each_info: bool,
    /// Threads for the walk (0: one per core; more than the cores are
    /// capped at the number of cores)
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Fix what can be fixed (wrong pull-secret type, near-miss key, missing
    /// imagePullSecrets), in place and atomically; then report what remains
    #[arg(long)]
    pub fix: bool,
    /// The Secret `--fix` names in imagePullSecrets (default: `fix.secret-name`
    /// in the config)
    #[arg(long, value_name = "NAME")]
    pub fix_secret: Option<String>,
    /// Print a unified diff of the fixes instead of writing them (implies --fix)
    #[arg(long)]
    pub diff: bool,
    /// Also index the files of DIR, so that the given files' references to
    /// Secrets and ServiceAccounts resolve; only the given paths are reported
    /// on (default: the git work tree holding each input, else the folder of
    /// its nearest .regcred.yaml, else none)
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Which files a kustomization's secretGenerator may name, as
    /// kustomize's flag: LoadRestrictionsRootOnly (default: in or below the
    /// kustomization's folder) or LoadRestrictionsNone (any file)
    #[arg(
        long,
        value_name = "RESTRICTOR",
        default_value = "LoadRestrictionsRootOnly"
    )]
    pub load_restrictor: LoadRestrictor,
    /// Apply the config's `skip:` patterns to files named on the command
    /// line too (they are linted whatever `skip:` says otherwise); the
    /// pre-commit hooks pass it, since pre-commit names every file
    #[arg(long)]
    pub force_exclude: bool,
    /// Read every file of the context instead of the context cache, and
    /// leave the cache as it is (the cache keeps what each context file adds
    /// to the index, in .git/regcred/ or ~/.cache/regcred/)
    #[arg(
        long,
        env = "REGCRED_NO_CACHE",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub no_cache: bool,
}

impl LintArgs {
    /// `--fix`, or `--diff`, which shows the fixes instead of writing them.
    pub fn fixes(&self) -> bool {
        self.fix || self.diff
    }
}
