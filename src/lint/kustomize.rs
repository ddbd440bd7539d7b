//! The files a kustomization's `secretGenerator` stores under
//! `.dockerconfigjson` / `.dockercfg`: they become pull-secret payloads.

use std::path::{Path, PathBuf};

use super::view::PayloadFormat;
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::{Document, Node};

/// A generator input to lint as a Docker config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedPayload {
    pub path: PathBuf,
    pub format: PayloadFormat,
    /// The kustomization's folder: kustomize reads the file only if it is
    /// in or below it (`crate::load_restrictor`).
    pub root: PathBuf,
}

/// The payload files of `docs` (a kustomization in `dir`). A file counts
/// when its key is `.dockerconfigjson` with `type:
/// kubernetes.io/dockerconfigjson`, or `.dockercfg` with
/// `kubernetes.io/dockercfg`: with another type kustomize makes a Secret the
/// kubelet ignores (pull-secret-wrong-type's business, not the payload's).
pub fn generated_payloads(docs: &[Document], dir: &Path) -> Vec<GeneratedPayload> {
    let mut out = Vec::new();
    for root in docs.iter().filter_map(|d| d.root.as_ref()) {
        let Some(generators) = root.get("secretGenerator") else {
            continue;
        };
        for generator in generators.items() {
            let ty = generator
                .get("type")
                .and_then(Node::text)
                .unwrap_or("Opaque");
            let Some(files) = generator.get("files") else {
                continue;
            };
            for file in files.items().iter().filter_map(Node::text) {
                let (key, rel) = match file.split_once('=') {
                    Some((k, p)) => (k.trim(), p.trim()),
                    None => (
                        Path::new(file)
                            .file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or(""),
                        file.trim(),
                    ),
                };
                let format = match (key, ty) {
                    (DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE) => {
                        PayloadFormat::DockerConfigJson
                    }
                    (DOCKERCFG_KEY, DOCKERCFG_TYPE) => PayloadFormat::DockerCfg,
                    _ => continue,
                };
                out.push(GeneratedPayload {
                    path: lexically_normal(&dir.join(rel)),
                    format,
                    root: dir.to_path_buf(),
                });
            }
        }
    }
    out
}

/// How a generator entry gets its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntrySource {
    /// `files: [KEY=PATH]` or `files: [PATH]` (the key is the file name).
    File,
    /// `literals: [KEY=VALUE]`.
    Literal,
}

/// One key a secretGenerator will store.
#[derive(Debug, Clone)]
pub struct GeneratorEntry<'a> {
    pub key: String,
    /// The list item that names it.
    pub item: &'a Node<'a>,
    pub source: EntrySource,
}

/// A kustomization `secretGenerator` item: the Secret kustomize will make.
#[derive(Debug, Clone)]
pub struct GeneratorView<'a> {
    /// The kustomization's text, which spans count in.
    pub source: &'a str,
    /// The root of its document.
    pub root: &'a Node<'a>,
    pub node: &'a Node<'a>,
    pub name: Option<&'a Node<'a>>,
    pub secret_type: Option<&'a Node<'a>>,
    pub entries: Vec<GeneratorEntry<'a>>,
    /// It also reads `envs` files, whose keys are not known here.
    pub has_env_files: bool,
}

impl GeneratorView<'_> {
    /// The type kustomize gives the Secret (Opaque by default).
    pub fn type_name(&self) -> &str {
        self.secret_type.and_then(Node::text).unwrap_or("Opaque")
    }
}

/// Every `secretGenerator` item of a kustomization (`source` is its text).
pub fn generators<'a>(docs: &'a [Document], source: &'a str) -> Vec<GeneratorView<'a>> {
    let mut out = Vec::new();
    for root in docs.iter().filter_map(|d| d.root.as_ref()) {
        let Some(list) = root.get("secretGenerator") else {
            continue;
        };
        for node in list.items() {
            let mut entries = Vec::new();
            for (field, source) in [
                ("files", EntrySource::File),
                ("literals", EntrySource::Literal),
            ] {
                for item in node.get(field).map(Node::items).unwrap_or_default() {
                    let Some(text) = item.text() else { continue };
                    let key = match (text.split_once('='), source) {
                        (Some((k, _)), _) => k.trim(),
                        (None, EntrySource::File) => Path::new(text.trim())
                            .file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or(""),
                        (None, EntrySource::Literal) => continue,
                    };
                    entries.push(GeneratorEntry {
                        key: key.to_string(),
                        item,
                        source,
                    });
                }
            }
            out.push(GeneratorView {
                source,
                root,
                node,
                name: node.get("name"),
                secret_type: node.get("type"),
                entries,
                has_env_files: node.get("envs").is_some() || node.get("env").is_some(),
            });
        }
    }
    out
}

/// `a/b/../c` as `a/c`, without touching the file system (a `..` that
/// cannot be folded stays).
pub(crate) fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::parse_stream;

    #[test]
    fn paths_are_folded() {
        assert_eq!(
            lexically_normal(Path::new("k/../c/./d")),
            PathBuf::from("c/d")
        );
        assert_eq!(lexically_normal(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(lexically_normal(Path::new("/a/../b")), PathBuf::from("/b"));
    }

    #[test]
    fn follows_pull_secret_generators_only() {
        let text = "secretGenerator:\n- name: pull\n  type: kubernetes.io/dockerconfigjson\n  files:\n  - .dockerconfigjson=secrets/config.json\n- name: other\n  files: [.dockerconfigjson=ignored.json]\n- name: legacy\n  type: kubernetes.io/dockercfg\n  files: [sub/.dockercfg]\n";
        let docs = parse_stream(text).unwrap();
        let found = generated_payloads(&docs, Path::new("k"));
        assert_eq!(
            found,
            vec![
                GeneratedPayload {
                    path: PathBuf::from("k/secrets/config.json"),
                    format: PayloadFormat::DockerConfigJson,
                    root: PathBuf::from("k"),
                },
                GeneratedPayload {
                    path: PathBuf::from("k/sub/.dockercfg"),
                    format: PayloadFormat::DockerCfg,
                    root: PathBuf::from("k"),
                },
            ]
        );
    }
}
