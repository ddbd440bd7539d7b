//! The generator shared by the legacy exec plugin and the KRM function: a
//! `PullSecret` config becomes exactly the bytes `regcred create` prints for
//! the equivalent flags, because it *is* `regcred create` with those flags.

use std::ffi::OsString;
use std::path::Path;

use clap::Parser;
use zeroize::Zeroizing;

use super::config::{ConfigError, PullSecret};
use super::config_terms;
use super::node::{self, Node};
use crate::cli::{create, Cli, Command};

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
