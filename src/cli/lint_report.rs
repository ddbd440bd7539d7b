//! How a lint run ends: the report on stdout, the errors on stderr, and the
//! exit status (README: 0 clean, 1 findings at or above `--fail-on`, 2 an
//! error).

use std::io::Write as _;
use std::process::ExitCode;

use super::lint_args::LintArgs;
use crate::lint::walk::WalkError;
use crate::lint::Outcome;
use crate::report::human::Infos;
use crate::report::{self, Format};

pub fn report_and_exit(outcome: &Outcome, errors: &[WalkError], args: &LintArgs) -> ExitCode {
    let infos = match args.each_info {
        true => Infos::Each,
        false => Infos::Summarized,
    };
    let text = match (args.format, args.statistics, args.quiet) {
        (Format::Human, true, quiet) => report::statistics::render(outcome, !quiet),
        (Format::Human, false, true) => report::human::render_findings(outcome, true, infos),
        (Format::Human, false, false) => report::human::render_with(outcome, true, infos),
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
    // A configuration's problems are one error line each, as the root's are.
    for e in errors {
        match e {
            WalkError::Config { message, .. } => message.lines().for_each(super::print_error),
            _ => super::print_error(e),
        }
    }
    exit_code(outcome, errors, args)
}

pub fn exit_code(outcome: &Outcome, errors: &[WalkError], args: &LintArgs) -> ExitCode {
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
