//! The legacy exec plugin: kustomize runs the installed executable with the
//! generator config's path as argv[1], in the kustomization directory
//! (also in `KUSTOMIZE_PLUGIN_CONFIG_ROOT`), and reads a YAML stream.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::config::PullSecret;
use super::generator::{self, GenerateError};
use super::node::{self, NodeError};
use crate::bounded_read::{self, Follow, Limit, ReadError};

/// Where kustomize (v5) looks for the plugin of `regcred.dev/v1`
/// `PullSecret`, under `$XDG_CONFIG_HOME/kustomize/plugin`.
pub const RELATIVE_PATH: &str = "regcred.dev/v1/pullsecret/PullSecret";

#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("cannot read the generator config {path}: {source}")]
    Read { path: String, source: ReadError },
    #[error("{path}: {source}")]
    Parse { path: String, source: NodeError },
    #[error("PullSecret {name:?}: {source}")]
    Generate { name: String, source: GenerateError },
    #[error("{0}")]
    Config(String),
}

/// The kustomization directory: relative paths in the config start there.
pub fn config_root() -> PathBuf {
    std::env::var_os("KUSTOMIZE_PLUGIN_CONFIG_ROOT")
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The YAML stream the plugin prints for the config file at `path`.
pub fn generate(path: &Path, root: &Path) -> Result<Zeroizing<Vec<u8>>, PluginError> {
    let shown = path.display().to_string();
    let read = |source| PluginError::Read {
        path: shown.clone(),
        source,
    };
    let bytes = bounded_read::read_file(path, Limit::CONFIG, Follow::Yes).map_err(read)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        read(ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text",
        )))
    })?;
    let doc = node::parse(&text).map_err(|source| PluginError::Parse {
        path: shown.clone(),
        source,
    })?;
    let config =
        PullSecret::from_node(&doc).map_err(|e| PluginError::Config(format!("{shown}: {e}")))?;
    generator::secret_yaml(&config, root).map_err(|source| PluginError::Generate {
        name: config.name.clone(),
        source,
    })
}
