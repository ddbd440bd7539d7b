//! `regcred lint --fix [--fix-secret NAME] [--diff]`: fix what the lint run
//! found, in rounds until nothing changes, then report what remains.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::lint_args::LintArgs;
use super::lint_report::{exit_code, report_and_exit};
use crate::fix::choose::{Candidate, Chooser};
use crate::fix::prospect::fixed_secrets;
use crate::fix::run::{fix_outcome, FixRun, Mode};
use crate::lint::index::WorkspaceIndex;
use crate::lint::walk::{lint_paths_cached, FileLinters, WalkError};
use crate::lint::{Linter, Outcome};

/// Fixes, then reports what remains (or, with `--diff`, prints the diff
/// and exits by what would remain).
pub fn fix(
    linter: &Linter,
    args: &LintArgs,
    inputs: &Inputs<'_>,
    outcome: &Outcome,
    errors: Vec<WalkError>,
) -> ExitCode {
    let mut chooser = Chooser {
        explicit: args.fix_secret.clone(),
        candidates: candidates(inputs.configs, inputs.index, outcome),
        // Each file's own configuration gives its `fix.secret-name`
        // (fix_outcome).
        default: None,
    };
    if args.diff {
        let run = fix_outcome(inputs.configs, outcome, inputs.index, Mode::Diff, &chooser);
        print_fixes(&run, "would fix", true, args.quiet);
        let mut stdout = anstream::stdout();
        if stdout
            .write_all(run.diff.as_bytes())
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::from(super::EXIT_ERROR);
        }
        for e in &errors {
            super::print_error(e);
        }
        let code = exit_code(&run.remaining_outcome(outcome), &errors, args);
        return if run.errors.is_empty() {
            code
        } else {
            ExitCode::from(super::EXIT_ERROR)
        };
    }
    // One fix can enable another (a Secret given its pull-secret type makes
    // its registry known private, so pods pulling from it now need it):
    // fix again on what is on disk, until nothing changes.
    let mut current = outcome.clone();
    let mut current_index = None;
    let mut failed = false;
    for round in 1..=MAX_ROUNDS {
        let index = current_index.as_ref().unwrap_or(inputs.index);
        let run = fix_outcome(inputs.configs, &current, index, Mode::Write, &chooser);
        let changed = run.fixed.iter().any(|(_, p)| !p.edits.is_empty());
        failed |= !run.errors.is_empty();
        let last = !changed || round == MAX_ROUNDS || failed;
        // What is left is said once, after the last round.
        print_fixes(&run, "fixed", last, args.quiet);
        // With the context cache, as the first run: a file a fix wrote has
        // a new stamp, so its entry (if any) is not used.
        let (after, after_errors, index) = lint_paths_cached(
            linter,
            inputs.configs,
            inputs.paths,
            inputs.context,
            args.threads,
            !args.no_cache,
        );
        if last {
            let code = report_and_exit(&after, &after_errors, args);
            return if failed {
                ExitCode::from(super::EXIT_ERROR)
            } else {
                code
            };
        }
        chooser.candidates = candidates(inputs.configs, &index, &after);
        current = after;
        current_index = Some(index);
    }
    ExitCode::from(super::EXIT_ERROR)
}

/// Fix rounds at most: each round's fixes can only enable fixes of the
/// next kind (types, then pods), so two are enough; one more to be sure.
const MAX_ROUNDS: usize = 3;

/// What was fixed and, if `left`, what was left and why, on stderr
/// (only the errors with `--quiet`).
fn print_fixes(run: &FixRun, done: &str, left: bool, quiet: bool) {
    for (path, p) in run.fixed.iter().filter(|_| !quiet) {
        if !p.edits.is_empty() {
            eprintln!("{done}: {path}:{}: {} ({})", p.at.line, p.rule, p.summary);
        }
    }
    for (path, s) in run.skipped.iter().filter(|_| left && !quiet) {
        eprintln!("not fixed: {path}:{}: {}: {}", s.at.line, s.rule, s.reason);
    }
    for e in &run.errors {
        super::print_error(e);
    }
}

/// What the run read: the paths, the folder around them, the
/// configuration of each file, the index.
pub struct Inputs<'a> {
    pub paths: &'a [PathBuf],
    pub context: Option<&'a Path>,
    pub configs: &'a dyn FileLinters,
    pub index: &'a WorkspaceIndex,
}

/// The pull secrets among the inputs whose `auths` keys are known, as the
/// run's own Secret fixes will leave them (so that an interrupted and
/// resumed run chooses as one that was not interrupted).
fn candidates(
    configs: &dyn FileLinters,
    index: &WorkspaceIndex,
    outcome: &Outcome,
) -> Vec<Candidate> {
    let fixed = fixed_secrets(configs, outcome);
    index
        .secrets()
        .iter()
        .chain(&fixed)
        .filter(|s| s.is_pull_secret_type() == Some(true))
        .filter_map(|s| {
            Some(Candidate {
                name: s.name.clone(),
                namespace: s.namespace.clone(),
                keys: s.keys.clone()?,
            })
        })
        .collect()
}
