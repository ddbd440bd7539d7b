//! `regcred lint [PATH|-]...`: lint files, folders or stdin.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use super::lint_args::LintArgs;
use super::lint_fix;
use super::lint_report::report_and_exit;
use crate::generate::names::check_name;
use crate::lint::walk::lint_paths_cached;
use crate::lint::{Linter, Outcome, Selection};
use crate::report::Format;
use crate::shown_path::as_named;
use crate::workspace::{self, Overrides};

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
            .map(|w| match (&w.root, w.inputs.first()) {
                (Some(root), Some(input)) => as_named(root, input).display().to_string(),
                _ => "(no root)".into(),
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
        // run: it is freed on another thread while the report is rendered,
        // which then reuses its memory instead of adding to the peak
        // (docs/limits.md, "Memory").
        free_aside(index);
    }
    outcome.finish();
    report_and_exit(&outcome, &errors, &args)
}

/// Drops `value` on a thread of its own, not waited for (when no thread
/// can be started, it is dropped here).
fn free_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}
