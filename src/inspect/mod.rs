//! `regcred inspect`: explains pull secrets without showing them. The lint
//! walk reads the inputs and summarizes each pull secret
//! ([`crate::lint::pull_secret_summary`]); this
//! module attaches the lint findings to them, looks images up in their keys
//! as the kubelet does ([`image`]) and follows pods to their pull secrets
//! ([`pod`]). Output formats are one file each ([`human`], [`json`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::lint::index::file_key;
use crate::lint::rules::sealed_secret_scope_moved;
use crate::lint::walk::{Inspected, STDIN_NAME};
use crate::lint::Reported;
use crate::report::escape::controls;
use crate::shown_text::bounded;

pub mod human;
pub mod image;
pub mod json;
pub mod pod;
pub mod seal_scope;

pub use crate::lint::pull_secret_summary::{Problem, PullSecretSummary};
pub use image::ImageReport;
pub use pod::PodReport;

/// Everything `inspect` reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inspection {
    pub secrets: Vec<PullSecretSummary>,
    pub images: Vec<ImageReport>,
    pub pods: Vec<PodReport>,
    /// `--pod` files or folders (as given) in which no workload was found.
    pub pod_files_without_workloads: Vec<String>,
    /// Inputs (or documents in them) that could not be read as YAML: a
    /// pull secret there is not among `secrets`.
    pub unparsed: Vec<UnparsedFile>,
}

/// A `yaml-syntax-error` of an input.
#[derive(Debug, Clone, Serialize)]
pub struct UnparsedFile {
    /// The path as given; `-` for stdin.
    pub path: String,
    pub problem: Problem,
}

/// The rule whose findings say that (part of) a file was not read.
const SYNTAX_ERROR: &str = "yaml-syntax-error";

/// What to explain besides the pull secrets.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `--image`: looked up in the keys of every pull secret read.
    pub images: Vec<String>,
    /// `--pod`: the workloads of these files, or of every file in these
    /// folders (read with the inputs).
    pub pod_files: Vec<PathBuf>,
}

/// Builds the report from what the walk read.
pub fn inspect(read: &Inspected, request: &Request) -> Inspection {
    let mut secrets = read.pull_secrets.clone();
    secrets.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    secrets.dedup_by(|a, b| {
        a.line == b.line && file_key(Path::new(&a.path)) == file_key(Path::new(&b.path))
    });
    let mut by_path: HashMap<&str, Vec<&Reported>> = HashMap::new();
    for f in &read.outcome.findings {
        by_path.entry(f.path.as_str()).or_default().push(f);
    }
    seal_scope::check(&mut secrets, &read.index);
    for summary in &mut secrets {
        // An unsealable SealedSecret is told once, in `unseal_problem`, not
        // again by the rule that finds it.
        let told = |f: &&&Reported| {
            summary.unseal_problem.is_some() && f.rule == sealed_secret_scope_moved::ID
        };
        summary.problems = by_path
            .get(summary.path.as_str())
            .into_iter()
            .flatten()
            .filter(|f| f.object == summary.object && !told(f))
            .map(|f| problem(f))
            .collect();
    }
    let every_secret: Vec<usize> = (0..secrets.len()).collect();
    let images = request
        .images
        .iter()
        .map(|reference| image::explain(reference, &secrets, &every_secret))
        .collect();
    // `--pod -`: the workloads read from stdin.
    let pod_keys: Vec<PathBuf> = request
        .pod_files
        .iter()
        .map(|p| match p.as_os_str() == "-" {
            true => file_key(Path::new(STDIN_NAME)),
            false => file_key(p),
        })
        .collect();
    let pods = pod::reports(read, &secrets, &pod_keys);
    let pod_files_without_workloads = request
        .pod_files
        .iter()
        .zip(&pod_keys)
        .filter(|(_, key)| !read.pods.iter().any(|p| covers(key, &p.view.file)))
        .map(|(file, _)| file.display().to_string())
        .collect();
    let unparsed = read
        .outcome
        .findings
        .iter()
        .filter(|f| f.rule == SYNTAX_ERROR)
        .map(|f| UnparsedFile {
            path: f.path.clone(),
            problem: problem(f),
        })
        .collect();
    Inspection {
        secrets,
        images,
        pods,
        pod_files_without_workloads,
        unparsed,
    }
}

/// Whether the walk of `root` (a file key: a file, or a folder) reads
/// `file` (a file key).
pub fn covers(root: &Path, file: &Path) -> bool {
    file == root || (file.starts_with(root) && root.is_dir())
}

/// A lint finding as a problem of what it is about.
pub fn problem(f: &Reported) -> Problem {
    Problem {
        rule: f.rule,
        level: f.level.as_str(),
        line: f.start.line,
        message: f.message.clone(),
    }
}

/// How a pull secret is named in text: `Secret "shop/corp-registry"
/// (fixtures/demo/base/pull-secret.yaml:2)`, a SealedSecret or
/// ExternalSecret likewise, or the Docker config file's name.
pub fn describe_secret(s: &PullSecretSummary) -> String {
    let Some(kind) = s.kind else {
        return format!("Docker config {}", controls(&s.path));
    };
    let name = s.name.as_deref().unwrap_or("<unnamed>");
    // Quoted as Rust quotes (control characters escaped), and bounded: the
    // name and namespace come from the input (docs/limits.md).
    let shown = match &s.namespace {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    };
    format!(
        "{kind} {:?} ({}:{})",
        bounded(&shown),
        controls(&s.path),
        s.line
    )
}
