//! The generator shared by the legacy exec plugin and the KRM function: a
//! `PullSecret` config becomes exactly the bytes `regcred create` prints for
//! the equivalent flags, because it *is* `regcred create` with those flags.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::Parser;
use zeroize::Zeroizing;

use super::config::{ConfigError, PasswordFrom, PullSecret, Source};
use super::config_terms;
use super::node::{self, Node};
use crate::cli::{create, Cli, Command};
use crate::load_restrictor::{confine, Lift, LoadError, LoadRestrictor};

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Create(String),
    #[error("the generated Secret does not read back: {0}")]
    Reparse(#[from] node::NodeError),
}

/// The `regcred create` output (YAML) for `config`, with relative paths
/// taken from `base`, the kustomization directory.
pub fn secret_yaml(config: &PullSecret, base: &Path) -> Result<Zeroizing<Vec<u8>>, GenerateError> {
    confine_paths(config, base)?;
    let mut argv: Vec<OsString> = vec!["regcred".into(), "create".into()];
    argv.extend(config.create_args(base)?);
    // The arguments are built from the config, so an error is the config's
    // fault: it is told in the config's fields, not the flags (clap's
    // message names the flag, not a secret).
    let in_config_terms =
        |e: String| GenerateError::Create(config_terms::in_config_terms(&e, base));
    let cli =
        Cli::try_parse_from(argv).map_err(|e| in_config_terms(e.to_string().trim().to_string()))?;
    let Command::Create(args) = cli.command else {
        return Err(GenerateError::Create(
            "internal: not a create command".into(),
        ));
    };
    create::render(&args).map_err(in_config_terms)
}

/// The generated Secret as a tree, for a ResourceList.
pub fn secret_node(config: &PullSecret, base: &Path) -> Result<Node, GenerateError> {
    let yaml = secret_yaml(config, base)?;
    let text = std::str::from_utf8(&yaml)
        .map_err(|_| GenerateError::Create("internal: the Secret is not UTF-8".into()))?;
    Ok(node::parse(text)?)
}

/// The files the config names must be in or below `base`, as kustomize
/// confines a kustomization's own files (`crate::load_restrictor`):
/// `configFiles`, `passwordFrom: file:` and `for`. A missing file is left
/// to `create`'s own error.
fn confine_paths(config: &PullSecret, base: &Path) -> Result<(), GenerateError> {
    let restrictor = LoadRestrictor::from_env().map_err(GenerateError::Create)?;
    let mut paths: Vec<&Path> = config.for_paths.iter().map(PathBuf::as_path).collect();
    match &config.source {
        Source::ConfigFiles(files) => paths.extend(files.iter().map(PathBuf::as_path)),
        Source::Credentials {
            password: PasswordFrom::File(file),
            ..
        } => paths.push(file),
        Source::Credentials { .. } => {}
    }
    for path in paths {
        match confine(base, &base.join(path), restrictor, Lift::Env) {
            Ok(_) | Err(LoadError::Io { .. }) => {}
            Err(e) => return Err(GenerateError::Create(e.to_string())),
        }
    }
    Ok(())
}
