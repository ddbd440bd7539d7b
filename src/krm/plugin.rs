//! The legacy exec plugin: kustomize runs the installed executable with the
//! generator config's path as argv[1], in the kustomization directory
//! (also in `KUSTOMIZE_PLUGIN_CONFIG_ROOT`), and reads a YAML stream.
//!
//! kustomize hands over a temporary copy of the config
//! (`/tmp/kust-plugin-config-...`), so errors name the file the user wrote
//! instead: the entry of the kustomization's `generators:` that holds this
//! PullSecret (see [`generator_file`]).

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::config::{self, PullSecret};
use super::generator::{self, GenerateError};
use super::node::{self, Node, NodeError};
use crate::bounded_read::{self, Follow, Limit, ReadError};
use crate::seal::Scope;

/// Where kustomize (v5) looks for the plugin of `regcred.dev/v1`
/// `PullSecret`, under `$XDG_CONFIG_HOME/kustomize/plugin`.
pub const RELATIVE_PATH: &str = "regcred.dev/v1/pullsecret/PullSecret";

/// The file names kustomize reads as a kustomization, in its order.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("cannot read the generator config {path}: {source}")]
    Read { path: String, source: ReadError },
    #[error("{path}: {source}")]
    Parse { path: String, source: NodeError },
    #[error("{file}: {}{message}", named(.name))]
    Config {
        file: String,
        name: String,
        message: String,
    },
    #[error("{file}: {}{source}", named(.name))]
    Generate {
        file: String,
        name: String,
        source: GenerateError,
    },
}

fn named(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("PullSecret {name:?}: ")
    }
}

/// The kustomization directory: relative paths in the config start there.
pub fn config_root() -> PathBuf {
    std::env::var_os("KUSTOMIZE_PLUGIN_CONFIG_ROOT")
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The YAML stream the plugin prints for the config file at `path`;
/// warnings are pushed to `warnings`, also when an error follows.
pub fn generate(
    path: &Path,
    root: &Path,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<Vec<u8>>, PluginError> {
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
    let name = doc
        .at(&["metadata", "name"])
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_string();
    let file = if root.as_os_str().is_empty() {
        shown
    } else {
        generator_file(root, &name)
            .unwrap_or_else(|| "a generator of the kustomization (generators:)".to_string())
    };
    let config = PullSecret::from_node(&doc).map_err(|e| PluginError::Config {
        file: file.clone(),
        name: name.clone(),
        message: e.to_string(),
    })?;
    if let Some(message) = namespace_conflict(&config, root) {
        return Err(PluginError::Config {
            file,
            name,
            message,
        });
    }
    generator::secret_yaml(&config, root, warnings).map_err(|source| PluginError::Generate {
        file,
        name,
        source,
    })
}

/// kustomize applies the kustomization's `namespace:`, `namePrefix` and
/// `nameSuffix` to what a generator prints, after it is sealed: a strict
/// or namespace-wide seal is bound to the namespace it was sealed for, a
/// strict one to its name too, so they must agree (kustomizations that
/// include this one may move or rename it again; docs/seal.md says so).
fn namespace_conflict(config: &PullSecret, root: &Path) -> Option<String> {
    let seal = config.seal.as_ref()?;
    if seal.scope == Scope::ClusterWide {
        return None;
    }
    let kustomization = KUSTOMIZATION_FILES
        .iter()
        .find_map(|f| read_text(&root.join(f)))?;
    let doc = node::parse(&kustomization).ok()?;
    let said = |field: &str| {
        doc.get(field)
            .and_then(Node::as_str)
            .filter(|v| !v.is_empty())
    };
    if let (Scope::Strict, prefix, suffix) = (seal.scope, said("namePrefix"), said("nameSuffix")) {
        if prefix.is_some() || suffix.is_some() {
            let name = &config.name;
            let renamed = format!("{}{name}{}", prefix.unwrap_or(""), suffix.unwrap_or(""));
            return Some(format!(
                "the kustomization's namePrefix/nameSuffix rename the SealedSecret to {renamed} after it is sealed for {name}; the controller could not unseal a strict seal under another name: set spec.seal.scope: namespace-wide (kustomize does not rename the pods' imagePullSecrets to it: name it {renamed} there), or generate it in a kustomization that does not rename"
            ));
        }
    }
    let namespace = said("namespace")?;
    if config.namespace.as_deref() == Some(namespace) {
        return None;
    }
    Some(format!(
        "the kustomization sets namespace: {namespace}, which kustomize gives the SealedSecret after it is sealed {}; the controller could not unseal it there: set metadata.namespace: {namespace}, or spec.seal.scope: cluster-wide",
        match &config.namespace {
            Some(ns) => format!("for namespace {ns}"),
            None => "without one".to_string(),
        }
    ))
}

/// A regular file's text, bounded as configuration files are.
fn read_text(path: &Path) -> Option<String> {
    let bytes = bounded_read::read_file(path, Limit::CONFIG, Follow::Yes).ok()?;
    String::from_utf8(bytes).ok()
}

/// The entry of the kustomization's `generators:` in `root` (as written,
/// relative to it) whose file holds the PullSecret named `name`, if one does.
pub fn generator_file(root: &Path, name: &str) -> Option<String> {
    let kustomization = KUSTOMIZATION_FILES
        .iter()
        .find_map(|f| read_text(&root.join(f)))?;
    let doc = node::parse(&kustomization).ok()?;
    let generators = doc.get("generators")?.items()?;
    generators
        .iter()
        .filter_map(Node::as_str)
        .find_map(|entry| {
            let text = read_text(&root.join(entry))?;
            let docs = node::parse_stream(&text).ok()?;
            docs.iter()
                .any(|d| {
                    d.get("apiVersion").and_then(Node::as_str) == Some(config::API_VERSION)
                        && d.get("kind").and_then(Node::as_str) == Some(config::KIND)
                        && d.at(&["metadata", "name"]).and_then(Node::as_str) == Some(name)
                })
                .then(|| entry.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "apiVersion: regcred.dev/v1\nkind: PullSecret\nmetadata:\n  name: pull\n\
                          spec:\n  username: u\n  passwordFrom: env:REGCRED_PLUGIN_TEST_UNSET\n";

    #[test]
    fn errors_name_the_users_file_and_fields_not_the_temporary_copy() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("app");
        std::fs::create_dir_all(root.join("gen")).unwrap();
        std::fs::write(
            root.join("kustomization.yaml"),
            "generators:\n- gen/other.yaml\n- gen/pullsecret.yaml\n",
        )
        .unwrap();
        std::fs::write(
            root.join("gen/other.yaml"),
            CONFIG.replace("name: pull", "name: other"),
        )
        .unwrap();
        std::fs::write(root.join("gen/pullsecret.yaml"), CONFIG).unwrap();
        // kustomize's temporary copy, elsewhere.
        let copy = dir.path().join("kust-plugin-config-123");
        std::fs::write(&copy, CONFIG).unwrap();

        let err = generate(&copy, &root, &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "gen/pullsecret.yaml: PullSecret \"pull\": spec.passwordFrom: environment variable REGCRED_PLUGIN_TEST_UNSET is not set"
        );

        std::fs::write(&copy, CONFIG.replace("username", "usrname")).unwrap();
        let err = generate(&copy, &root, &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("gen/pullsecret.yaml: PullSecret \"pull\": unknown field spec.usrname"),
            "{err}"
        );
        assert!(!err.contains("kust-plugin-config"), "{err}");
    }

    #[test]
    fn without_a_matching_generator_the_message_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("copy.yaml");
        std::fs::write(&copy, CONFIG).unwrap();
        let err = generate(&copy, dir.path(), &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("a generator of the kustomization (generators:): PullSecret \"pull\": spec.passwordFrom"), "{err}");
        // Run by hand (no kustomize root), the path given is the user's.
        let err = generate(&copy, Path::new(""), &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("{}: PullSecret", copy.display())),
            "{err}"
        );
    }
}
