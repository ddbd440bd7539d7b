//! `regcred inspect [PATH|-]...`: explains the pull secrets read, the
//! images given with `--image` and the workloads of `--pod` files, without
//! showing a secret. Exit 0 when every input could be read, else 2 (after
//! the report on what could be read).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::inspect::{self, covers, human, json, Request};
use crate::lint::index::file_key;
use crate::lint::walk::inspect_paths;
use crate::lint::{Linter, Selection};
use crate::workspace::single_config;

use super::stdin_kind::{stdin_kind, StdinKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InspectFormat {
    /// Plain text, one block per pull secret, image and workload
    Human,
    /// One JSON document (schemas/inspect.schema.json)
    Json,
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Files or folders to read (manifests, `kubectl get secret -o yaml|json`
    /// output, Docker config files); `-` reads stdin (default: stdin when it
    /// is a file, `< FILE`; a pipe needs `-`; else `.`; with `--pod` alone,
    /// the `--pod` files)
    pub paths: Vec<PathBuf>,
    /// An image to look up in the keys of every pull secret read (repeatable)
    #[arg(long, value_name = "REF")]
    pub image: Vec<String>,
    /// A file of workloads (or a folder: every workload in it): for each
    /// container, the pull secrets the kubelet gets and the key it uses
    /// (repeatable; read with the inputs; `-`: the workloads on stdin)
    #[arg(long, value_name = "FILE")]
    pub pod: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: InspectFormat,
    /// Configuration file (default: the first input's nearest .regcred.yaml,
    /// up to its repository's root)
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn run(args: InspectArgs) -> ExitCode {
    let mut given = args.paths.clone();
    // With only `--pod` files, they are the input.
    if given.is_empty() && args.pod.is_empty() {
        match default_input() {
            Ok(path) => given.push(path),
            Err(code) => return code,
        }
    }
    let paths = inputs(&given, &args.pod);
    let config = match single_config(args.config.as_deref(), &paths) {
        Ok(config) => config,
        Err(message) => return super::fail(message),
    };
    let linter = match Linter::new(config, Selection::default()) {
        Ok(linter) => linter.collecting_pull_secrets(),
        Err(e) => return super::fail(e),
    };
    let read = inspect_paths(&linter, &paths, 0);
    let request = Request {
        images: args.image.clone(),
        pod_files: args.pod.clone(),
    };
    let inspection = inspect::inspect(&read, &request);
    let text = match args.format {
        InspectFormat::Human => human::render(&inspection),
        InspectFormat::Json => json::render(&inspection),
    };
    let mut stdout = std::io::stdout();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    for e in &read.errors {
        super::print_error(e);
    }
    match written.is_ok() && read.errors.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(super::EXIT_ERROR),
    }
}

/// What to read when no PATH is given: stdin when it is a file (`< FILE`),
/// the current folder when it is a terminal or a device (`/dev/null` from
/// cron or CI). A pipe is refused with the usage: it may never close (a CI
/// step's or an editor's stdin), so it is read only when `-` asks for it.
fn default_input() -> Result<PathBuf, ExitCode> {
    match stdin_kind() {
        StdinKind::File => Ok(PathBuf::from("-")),
        StdinKind::Terminal | StdinKind::Other => Ok(PathBuf::from(".")),
        StdinKind::Pipe => {
            use clap::CommandFactory as _;
            let mut cli = super::Cli::command();
            cli.build();
            let message = "no PATH given and stdin is a pipe, which is read only when asked: \
                 give `-` to read it (`kubectl get secret NAME -o yaml | regcred inspect -`), \
                 or `.` for the current folder";
            let error = match cli.find_subcommand_mut("inspect") {
                Some(inspect) => {
                    inspect.error(clap::error::ErrorKind::MissingRequiredArgument, message)
                }
                None => cli.error(clap::error::ErrorKind::MissingRequiredArgument, message),
            };
            let _ = error.print();
            Err(ExitCode::from(super::EXIT_ERROR))
        }
    }
}

/// The paths to read: those given and each `--pod` file not inside one
/// of them.
fn inputs(given: &[PathBuf], pods: &[PathBuf]) -> Vec<PathBuf> {
    let mut paths = given.to_vec();
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| file_key(p))
        .collect();
    for pod in pods {
        let key = file_key(pod);
        if !roots.iter().any(|root| covers(root, &key)) {
            paths.push(pod.clone());
        }
    }
    paths
}
