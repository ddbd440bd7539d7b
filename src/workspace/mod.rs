//! Which workspace each input belongs to, found from the input's own place,
//! never from the current folder (docs/architecture.md, "Workspaces"):
//!
//! - its configuration is the nearest `.regcred.yaml` from its folder
//!   upwards, stopping at the repository root ([`config_file`]), and each
//!   file a walk finds has its own nearest one ([`ConfigTree`]);
//! - its context (the folder indexed so that references resolve) is the git
//!   work tree holding it ([`crate::repository`]), else the folder of its nearest
//!   `.regcred.yaml`, else nothing but the inputs themselves.
//!
//! Inputs of different workspaces are linted each with their own.
//! `--config` and `--context` override what is found. Stdin has no place,
//! so nothing is found for it: its configuration comes only from
//! `--config`, and nothing is indexed around it.

mod config_file;
mod roots;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use config_file::{nearest_config, ConfigTree, Trusted, Tune};
pub use roots::{absolute, start_folder};

use crate::lint::config::Config;
use crate::lint::Selection;
use crate::repository::repository_root;
use crate::shown_path::as_named;

/// One workspace: the inputs that share a root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The git work tree, else the folder of the nearest `.regcred.yaml`
    /// (absolute); `None`: only the inputs are read.
    pub root: Option<PathBuf>,
    /// The folder to index besides the inputs: the root, unless an input
    /// folder already holds it.
    pub context: Option<PathBuf>,
    /// The configuration of the files no nearer `.regcred.yaml` claims
    /// (`--config`, or the one at the root).
    pub config: Option<PathBuf>,
    /// As given (reports show them so); `-` is stdin.
    pub inputs: Vec<PathBuf>,
}

/// What the command line says instead of discovery.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--config`: every file's configuration.
    pub config: Option<PathBuf>,
    /// `--context`: every input's context.
    pub context: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("--context {0}: not a folder (it names the folder whose files resolve references)")]
    NoContext(PathBuf),
    #[error("--config {0}: no such file")]
    NoConfig(PathBuf),
}

/// Groups `inputs` by workspace, in the order of their first input.
pub fn plan(inputs: &[PathBuf], overrides: &Overrides) -> Result<Vec<Workspace>, WorkspaceError> {
    if let Some(config) = &overrides.config {
        if !config.exists() {
            return Err(WorkspaceError::NoConfig(config.clone()));
        }
    }
    if let Some(context) = &overrides.context {
        if !context.is_dir() {
            return Err(WorkspaceError::NoContext(context.clone()));
        }
    }
    let mut order: Vec<(Option<PathBuf>, Option<PathBuf>)> = Vec::new();
    let mut groups: BTreeMap<(Option<PathBuf>, Option<PathBuf>), Vec<PathBuf>> = BTreeMap::new();
    for input in inputs {
        let key = if input.as_os_str() == "-" {
            (None, None)
        } else {
            place(input)
        };
        let key = (key.0, overrides.config.clone().or(key.1));
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(input.clone());
    }
    Ok(order
        .into_iter()
        .map(|key| {
            let inputs = groups.remove(&key).unwrap_or_default();
            let (root, config) = key;
            let context = match &overrides.context {
                Some(context) => Some(context.clone()),
                None => root
                    .as_ref()
                    .filter(|root| !held_by_an_input(root, &inputs))
                    .cloned(),
            };
            Workspace {
                root,
                context,
                config,
                inputs,
            }
        })
        .collect())
}

/// The nearest `.regcred.yaml` of an input: from its folder upwards, not
/// above its repository's root.
pub fn config_of(input: &Path) -> Option<PathBuf> {
    let start = start_folder(input);
    let repository = repository_root(&start);
    nearest_config(&start, repository, &trusted_of(input, repository), input)
}

/// The folders whose configurations anyone may own, for `input` in
/// `repository`: the repository, and the input if a folder.
fn trusted_of(input: &Path, repository: Option<&Path>) -> Trusted {
    let linted = Some(absolute(input)).filter(|i| i.is_dir());
    Trusted::new(repository.map(Path::to_path_buf).into_iter().chain(linted))
}

/// An input's root and the configuration at that root.
fn place(input: &Path) -> (Option<PathBuf>, Option<PathBuf>) {
    let start = start_folder(input);
    let repository = repository_root(&start).map(Path::to_path_buf);
    let trusted = trusted_of(input, repository.as_deref());
    let nearest = nearest_config(&start, repository.as_deref(), &trusted, input);
    let root = repository.or_else(|| {
        nearest
            .as_ref()
            .and_then(|c| c.parent())
            .map(Path::to_path_buf)
    });
    // The root's own, if any (a nearer one configures only its folder).
    let config = root
        .as_ref()
        .and_then(|r| nearest_config(r, Some(r), &trusted, input));
    (root, config)
}

/// Whether a folder among `inputs` holds `root` (the walk reads it all).
fn held_by_an_input(root: &Path, inputs: &[PathBuf]) -> bool {
    inputs
        .iter()
        .filter(|i| i.as_os_str() != "-" && i.is_dir())
        .any(|i| root.starts_with(absolute(i)))
}

impl Workspace {
    /// The configuration of each file of this workspace.
    pub fn configs(
        &self,
        selection: &Selection,
        explicit: bool,
        tune: Tune,
    ) -> Result<ConfigTree, String> {
        // `--config` is named as given; a found one as its inputs are.
        let shown = match (&self.config, self.inputs.first()) {
            (Some(config), Some(input)) if !explicit => Some(as_named(config, input)),
            _ => None,
        };
        ConfigTree::new(
            self.root.clone(),
            self.config.as_deref(),
            shown.as_deref(),
            explicit,
            self.trusted(),
            selection.clone(),
            tune,
        )
    }

    /// The folders whose configurations anyone may own: the repository,
    /// and the inputs that are folders.
    fn trusted(&self) -> Trusted {
        let repository = self.root.as_deref().and_then(repository_root);
        let linted = self
            .inputs
            .iter()
            .filter(|i| i.as_os_str() != "-")
            .map(|i| absolute(i))
            .filter(|i| i.is_dir());
        Trusted::new(repository.map(Path::to_path_buf).into_iter().chain(linted))
    }
}

/// The one configuration of a run that reads its inputs together
/// (`inspect`): `explicit` (`--config`), else the nearest `.regcred.yaml`
/// of the first input (stdin has none: the defaults).
pub fn single_config(explicit: Option<&Path>, inputs: &[PathBuf]) -> Result<Config, String> {
    let path = match (explicit, inputs.first()) {
        (Some(path), _) => Some(path.to_path_buf()),
        (None, Some(first)) if first.as_os_str() != "-" => config_of(first),
        (None, _) => None,
    };
    match path {
        Some(path) => Config::load(&path).map_err(|e| match (explicit, inputs.first()) {
            (None, Some(first)) => e.shown_as(&as_named(&path, first)).to_string(),
            _ => e.to_string(),
        }),
        None => Ok(Config::default()),
    }
}
