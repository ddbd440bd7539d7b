//! What a file is, by its name: a manifest, a Docker config, a kustomization.

use std::path::Path;

use super::view::PayloadFormat;
use crate::manifest::prescan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// YAML or JSON that may hold Kubernetes objects.
    Manifest,
    /// A kustomization: a manifest whose secretGenerators are followed.
    Kustomization,
    /// A Docker config file: the payload itself.
    DockerConfig(PayloadFormat),
}

/// How to read `path`; `None` for files that are none of our business.
/// A file named on the command line is read as a manifest by default.
pub fn classify(path: &Path, explicit: bool) -> Option<InputKind> {
    // Lossy: a name that is not UTF-8 (`s\xff.yaml`) is still classified
    // by its extension, and shown with U+FFFD in reports.
    let name = path.file_name()?.to_string_lossy();
    let name = name.as_ref();
    let parent = path.parent().and_then(Path::file_name);
    if name == "config.json" && parent.is_some_and(|p| p == ".docker") {
        return Some(InputKind::DockerConfig(PayloadFormat::DockerConfigJson));
    }
    if name.ends_with(".dockerconfigjson") {
        return Some(InputKind::DockerConfig(PayloadFormat::DockerConfigJson));
    }
    if name.ends_with(".dockercfg") {
        return Some(InputKind::DockerConfig(PayloadFormat::DockerCfg));
    }
    if matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    ) {
        return Some(InputKind::Kustomization);
    }
    let ext = path.extension().map(|e| e.to_string_lossy());
    let ext = ext.as_deref().unwrap_or("");
    if matches!(ext, "yaml" | "yml" | "json") || explicit {
        return Some(InputKind::Manifest);
    }
    None
}

/// Only parse what can matter: a manifest must hold a document that can
/// matter to a rule (`manifest::prescan`: a Secret, a workload, a
/// ServiceAccount...); kustomizations and Docker configs always are.
/// These memchr scans run at memory speed and spare the parser most files
/// (CI files, Helm values, ConfigMaps, CRDs, Services).
pub fn worth_parsing(bytes: &[u8], kind: InputKind) -> bool {
    match kind {
        InputKind::Manifest => prescan::any_may_matter(bytes),
        _ => worth_indexing(bytes, kind),
    }
}

/// Whether a file may add to the index (a context file, only indexed).
pub fn worth_indexing(bytes: &[u8], kind: InputKind) -> bool {
    match kind {
        InputKind::Manifest => prescan::any_may_define(bytes),
        // Its `namespace:` and includes feed the index, whatever else it
        // holds; kustomizations are few and small.
        InputKind::Kustomization | InputKind::DockerConfig(_) => true,
    }
}

/// The top-level keys that make a JSON object a Docker config file.
const DOCKER_CONFIG_KEYS: [&str; 3] = ["auths", "credsStore", "credHelpers"];

/// A Docker config recognized by its content: a JSON object with `auths`,
/// `credsStore` or `credHelpers` and no `kind` or `apiVersion`
/// (`~/.docker/config.json` under any name: `desktop.json`,
/// `pull-secret.json`). Used for the inputs named on the command line and
/// stdin; a walk goes by names only (README, "What `regcred lint` catches").
pub fn sniff_docker_config(bytes: &[u8]) -> Option<PayloadFormat> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    // Most JSON named on a command line (package.json, a JSON manifest)
    // has none of the keys: no need to parse it twice.
    let mentions = |key: &str| memchr::memmem::find(bytes, key.as_bytes()).is_some();
    if !DOCKER_CONFIG_KEYS.iter().any(|key| mentions(key)) {
        return None;
    }
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(bytes).ok()?;
    let manifest = object.contains_key("kind") || object.contains_key("apiVersion");
    let docker = DOCKER_CONFIG_KEYS
        .iter()
        .any(|key| object.contains_key(*key));
    (!manifest && docker).then_some(PayloadFormat::DockerConfigJson)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_configs_are_recognized_by_content() {
        let sniff = |s: &str| sniff_docker_config(s.as_bytes());
        assert_eq!(
            sniff(" {\"auths\": {}, \"credsStore\": \"desktop\"}"),
            Some(PayloadFormat::DockerConfigJson)
        );
        for helpers_only in ["{\"credsStore\": \"desktop\"}", "{\"credHelpers\": {}}"] {
            assert_eq!(
                sniff(helpers_only),
                Some(PayloadFormat::DockerConfigJson),
                "{helpers_only}"
            );
        }
        assert_eq!(sniff("{\"kind\": \"Secret\", \"auths\": {}}"), None);
        assert_eq!(sniff("{\"name\": \"app\", \"version\": \"1.0.0\"}"), None);
        assert_eq!(sniff("auths: {}"), None);
        assert_eq!(sniff("{\"auths\": "), None);
    }

    #[test]
    fn names_decide() {
        let c = |p: &str| classify(Path::new(p), false);
        assert_eq!(
            c("home/.docker/config.json"),
            Some(InputKind::DockerConfig(PayloadFormat::DockerConfigJson))
        );
        assert_eq!(c("app/config.json"), Some(InputKind::Manifest));
        assert_eq!(
            c("x/.dockerconfigjson"),
            Some(InputKind::DockerConfig(PayloadFormat::DockerConfigJson))
        );
        assert_eq!(c("a/kustomization.yaml"), Some(InputKind::Kustomization));
        assert_eq!(c("README.md"), None);
        use std::os::unix::ffi::OsStrExt;
        let not_utf8 = std::ffi::OsStr::from_bytes(b"k8s/s\xff.yaml");
        assert_eq!(
            classify(Path::new(not_utf8), false),
            Some(InputKind::Manifest)
        );
        assert_eq!(
            classify(Path::new("README.md"), true),
            Some(InputKind::Manifest)
        );
    }
}
