//! `regcred man`: roff man pages generated from the clap definitions.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write regcred.1 and one page per subcommand (regcred-create.1, ...) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> ExitCode {
    let cmd = super::Cli::command();
    let result = match &args.dir {
        Some(dir) => std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir)),
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page).and_then(|()| {
                let mut out = std::io::stdout().lock();
                out.write_all(&page).and_then(|()| out.flush())
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::fail(format!("cannot write the man page: {e}")),
    }
}
