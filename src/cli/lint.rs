//! `regcred lint [PATH|-]...`: lint files, folders or stdin.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use super::lint_fix;
use crate::generate::names::check_name;
use crate::lint::walk::{lint_paths_cached, WalkError};
use crate::lint::{Level, Linter, Outcome, Selection};
use crate::load_restrictor::LoadRestrictor;
use crate::report::{self, Format};
use crate::workspace::{self, Overrides};

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
    fn level(self) -> Option<Level> {
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

/// `--threads`, capped at the number of cores: more threads only cost
/// memory and start-up (0 stays 0: one per core).
pub fn effective_threads(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    asked.min(cores)
}

pub fn run(mut args: LintArgs) -> ExitCode {
    args.threads = effective_threads(args.threads);
    let selection = Selection {
        select: (!args.select.is_empty())
            .then(|| args.select.iter().cloned().collect::<BTreeSet<_>>()),
        ignore: args.ignore.iter().cloned().collect(),
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if args.fixes() && paths.iter().any(|p| p.as_os_str() == "-") {
        return super::fail("--fix cannot fix stdin: name the files to fix");
    }
    if args.fix_secret.is_some() && !args.fixes() {
        return super::fail("--fix-secret names the Secret --fix adds: give --fix or --diff too");
    }
    if args.statistics && args.format != Format::Human {
        return super::fail(
            "--statistics prints a table for people: use it with --format human (the other formats list every finding)",
        );
    }
    if let Some(name) = &args.fix_secret {
        if let Err(e) = check_name(name) {
            return super::fail(format!("--fix-secret: {e}"));
        }
    }
    let overrides = Overrides {
        config: args.config.clone(),
        context: args.context.clone(),
    };
    let workspaces = match workspace::plan(&paths, &overrides) {
        Ok(workspaces) => workspaces,
        Err(e) => return super::fail(e),
    };
    if args.fixes() && workspaces.len() > 1 {
        let roots: Vec<String> = workspaces
            .iter()
            .map(|w| {
                w.root
                    .as_ref()
                    .map_or("(no root)".into(), |r| r.display().to_string())
            })
            .collect();
        return super::fail(format!(
            "--fix: the inputs belong to {} workspaces ({}): fix each on its own",
            workspaces.len(),
            roots.join(", ")
        ));
    }
    let mut outcome = Outcome::default();
    let mut errors = Vec::new();
    for ws in &workspaces {
        let (load_restrictor, force_exclude) = (args.load_restrictor, args.force_exclude);
        let tune = move |linter: &mut Linter| {
            linter.load_restrictor = load_restrictor;
            linter.force_exclude = force_exclude;
        };
        let configs = match ws.configs(&selection, args.config.is_some(), Box::new(tune)) {
            Ok(configs) => configs,
            Err(message) => {
                // Every problem of the config file at once, one error line each.
                for line in message.lines() {
                    super::print_error(line);
                }
                return ExitCode::from(super::EXIT_ERROR);
            }
        };
        let base = configs.base();
        let (part, part_errors, index) = lint_paths_cached(
            &base,
            &configs,
            &ws.inputs,
            ws.context.as_deref(),
            args.threads,
            !args.no_cache,
        );
        if args.fixes() {
            let inputs = lint_fix::Inputs {
                paths: &ws.inputs,
                context: ws.context.as_deref(),
                configs: &configs,
                index: &index,
            };
            return lint_fix::fix(&base, &args, &inputs, &part, part_errors);
        }
        outcome.absorb(part);
        errors.extend(part_errors);
        // Freeing a large context's index costs a tenth of a pre-commit
        // run, and the process is about to end.
        std::mem::forget(index);
    }
    outcome.finish();
    report_and_exit(&outcome, &errors, &args)
}

pub(super) fn exit_code(outcome: &Outcome, errors: &[WalkError], args: &LintArgs) -> ExitCode {
    if !errors.is_empty() {
        return ExitCode::from(super::EXIT_ERROR);
    }
    let fail_on = if args.exit_zero {
        None
    } else {
        args.fail_on.level()
    };
    match (outcome.worst(), fail_on) {
        (Some(level), Some(fail_on)) if level >= fail_on => ExitCode::from(super::EXIT_FINDINGS),
        _ => ExitCode::SUCCESS,
    }
}

impl LintArgs {
    /// `--fix`, or `--diff`, which shows the fixes instead of writing them.
    pub fn fixes(&self) -> bool {
        self.fix || self.diff
    }
}

pub(super) fn report_and_exit(
    outcome: &Outcome,
    errors: &[WalkError],
    args: &LintArgs,
) -> ExitCode {
    let text = match (args.format, args.statistics, args.quiet) {
        (Format::Human, true, quiet) => report::statistics::render(outcome, !quiet),
        (Format::Human, false, true) => report::human::render_findings(outcome, true),
        (format, _, _) => report::render(outcome, format, true),
    };
    let mut stdout = anstream::stdout();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A reader that went away (`| head`) needs no message; a full disk does.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            super::print_error(format!("cannot write the report to stdout: {e}"));
        }
        return ExitCode::from(super::EXIT_ERROR);
    }
    // Every format carries them too (a human summary names the inputs).
    for e in errors {
        super::print_error(e);
    }
    exit_code(outcome, errors, args)
}
