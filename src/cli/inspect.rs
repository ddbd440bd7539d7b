//! `regcred inspect [PATH|-]...`: explains the pull secrets read, the
//! images given with `--image` and the workloads of `--pod` files, without
//! showing a secret. Exit 0 when every input could be read, else 2 (after
//! the report on what could be read).

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::inspect::{self, covers, human, json, Request};
use crate::lint::index::file_key;
use crate::lint::walk::inspect_paths;
use crate::lint::{Linter, Selection};
use crate::workspace::single_config;

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
    /// is not a terminal, else `.`; with `--pod` alone, the `--pod` files)
    pub paths: Vec<PathBuf>,
    /// An image to look up in the keys of every pull secret read (repeatable)
    #[arg(long, value_name = "REF")]
    pub image: Vec<String>,
    /// A file of workloads (or a folder: every workload in it): for each
    /// container, the pull secrets the kubelet gets and the key it uses
    /// (repeatable; read with the inputs)
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
    let paths = inputs(&args.paths, &args.pod);
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

/// The paths to read: those given (stdin or `.` by default) and each
/// `--pod` file not inside one of them.
fn inputs(given: &[PathBuf], pods: &[PathBuf]) -> Vec<PathBuf> {
    let mut paths = given.to_vec();
    // With only `--pod` files, they are the input.
    if paths.is_empty() && pods.is_empty() {
        let default = match std::io::stdin().is_terminal() {
            true => ".",
            false => "-",
        };
        paths.push(PathBuf::from(default));
    }
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
