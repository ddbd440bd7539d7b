//! `regcred man`: roff man pages generated from the clap definitions, with
//! the sections clap does not know (cli/help.rs): EXIT STATUS on every page;
//! ENVIRONMENT, FILES and EXAMPLES on regcred(1) and regcred-lint(1).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_mangen::Man;

use super::help;

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write regcred.1 and one page per subcommand (regcred-create.1, ...) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> ExitCode {
    let mut cmd = super::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let result = match &args.dir {
        Some(dir) => std::fs::create_dir_all(dir).and_then(|()| write_pages(&cmd, dir)),
        None => page(&cmd).and_then(|page| {
            let mut out = std::io::stdout().lock();
            out.write_all(&page).and_then(|()| out.flush())
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::fail(format!("cannot write the man page: {e}")),
    }
}

/// `cmd`'s page and those of its visible subcommands, as `NAME.1` files.
fn write_pages(cmd: &clap::Command, dir: &std::path::Path) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir)?;
    }
    let name = Man::new(cmd.clone()).get_filename();
    // Never written through a link or into a FIFO that has the page's name.
    crate::safe_write::public::write(&dir.join(name), &page(cmd)?, 0o644)
}

/// One page: clap_mangen's sections (without its EXTRA section, which would
/// repeat `--help`'s examples), then regcred's own.
pub fn page(cmd: &clap::Command) -> std::io::Result<Vec<u8>> {
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut out)?;
    }
    out.extend(help::man_section("EXIT STATUS", help::EXIT_STATUS).into_bytes());
    let examples = match cmd.get_name() {
        "regcred" => Some(help::EXAMPLES),
        "lint" => Some(help::LINT_EXAMPLES),
        _ => None,
    };
    if let Some(examples) = examples {
        out.extend(help::man_section("ENVIRONMENT", help::ENVIRONMENT).into_bytes());
        out.extend(help::man_section("FILES", help::FILES).into_bytes());
        out.extend(help::man_section("EXAMPLES", examples).into_bytes());
    }
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(out)
}
