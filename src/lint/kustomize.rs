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
                });
            }
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
                    format: PayloadFormat::DockerConfigJson
                },
                GeneratedPayload {
                    path: PathBuf::from("k/sub/.dockercfg"),
                    format: PayloadFormat::DockerCfg
                },
            ]
        );
    }
}
