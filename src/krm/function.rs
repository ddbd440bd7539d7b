//! The KRM exec function: one ResourceList in, one out. The function
//! config's kind picks the mode: `PullSecret` generates, `LintConfig`
//! validates.

use std::path::Path;

use super::config::{self, PullSecret};
use super::generator;
use super::node::Node;
use super::resource_list::{self, FnResult, ResourceList, Severity};
use super::validator;

/// What the function prints and how it exits.
#[derive(Debug)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

impl Outcome {
    fn failed(message: String) -> Outcome {
        let results = [FnResult {
            message: message.clone(),
            severity: Severity::Error,
            resource: None,
            file: None,
            tags: Vec::new(),
        }];
        Outcome {
            stdout: resource_list::render(&[], &results),
            stderr: format!("error: {message}\n"),
            code: 1,
        }
    }
}

/// Runs the function on `input`; relative paths start at `root`.
pub fn run(input: &str, root: &Path) -> Outcome {
    let list = match ResourceList::parse(input) {
        Ok(l) => l,
        Err(e) => return Outcome::failed(e.to_string()),
    };
    let fc = &list.function_config;
    let api = fc.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let kind = fc.get("kind").and_then(Node::as_str).unwrap_or("");
    match (api, kind) {
        (config::API_VERSION, config::KIND) => generate(&list, root),
        (config::API_VERSION, validator::KIND) => validate(&list),
        _ => Outcome::failed(format!(
            "functionConfig is {api:?} {kind:?}; regcred-fn takes apiVersion {} with kind {} (generator) or {} (validator)",
            config::API_VERSION,
            config::KIND,
            validator::KIND
        )),
    }
}

fn identity(item: &Node) -> (Option<&str>, Option<&str>, Option<&str>, Option<&str>) {
    (
        item.get("apiVersion").and_then(Node::as_str),
        item.get("kind").and_then(Node::as_str),
        item.at(&["metadata", "name"]).and_then(Node::as_str),
        item.at(&["metadata", "namespace"]).and_then(Node::as_str),
    )
}

fn validate(list: &ResourceList) -> Outcome {
    match validator::validate(list) {
        Ok(v) => Outcome {
            stdout: v.output,
            code: if v.report.is_some() { 1 } else { 0 },
            stderr: v.report.unwrap_or_default(),
        },
        Err(e) => Outcome::failed(e),
    }
}

const PATH: &str = "config.kubernetes.io/path";

/// Copies the annotations by which kpt and kustomize know which file (and
/// which document in it) `old` came from onto `new`.
fn keep_file_annotations(new: &mut Node, old: &Node) {
    let Some(old_annotations) = old.at(&["metadata", "annotations"]).and_then(Node::entries) else {
        return;
    };
    let kept: Vec<(String, Node)> = old_annotations
        .iter()
        .filter(|(k, _)| {
            k.starts_with("config.kubernetes.io/")
                || k.starts_with("internal.config.kubernetes.io/")
                || k == "config.k8s.io/id"
        })
        .cloned()
        .collect();
    let Node::Mapping(top) = new else { return };
    let Some((_, Node::Mapping(metadata))) = top.iter_mut().find(|(k, _)| k == "metadata") else {
        return;
    };
    if !metadata.iter().any(|(k, _)| k == "annotations") {
        metadata.insert(0, ("annotations".to_string(), Node::Mapping(Vec::new())));
    }
    if let Some((_, Node::Mapping(annotations))) =
        metadata.iter_mut().find(|(k, _)| k == "annotations")
    {
        for (k, v) in kept {
            if !annotations.iter().any(|(have, _)| *have == k) {
                annotations.push((k, v));
            }
        }
    }
}

fn generate(list: &ResourceList, root: &Path) -> Outcome {
    let config = match PullSecret::from_node(&list.function_config) {
        Ok(c) => c,
        Err(e) => return Outcome::failed(format!("PullSecret: {e}")),
    };
    let mut warnings = Vec::new();
    let generated = generator::secret_node(&config, root, &mut warnings);
    let warnings: String = warnings.iter().map(|w| format!("warning: {w}\n")).collect();
    let mut secret = match generated {
        Ok(s) => s,
        Err(e) => {
            let mut failed = Outcome::failed(format!("PullSecret {:?}: {e}", config.name));
            failed.stderr.insert_str(0, &warnings);
            return failed;
        }
    };
    let config_id = identity(&list.function_config);
    let secret_id = identity(&secret);
    let mut items: Vec<Node> = Vec::with_capacity(list.items.len() + 1);
    let mut replaced: Option<&Node> = None;
    for item in &list.items {
        let id = identity(item);
        // kustomize hands a generator a copy of its own config as the only
        // item; it is local config, not something to emit. A config that
        // kpt read from a package file carries that file's path: dropping
        // it would make kpt delete the file.
        let is_config_copy = resource_list::is_local_config(item)
            && resource_list::annotation(item, PATH).is_none()
            && id.0 == config_id.0
            && id.1 == config_id.1
            && id.2 == config_id.2;
        if is_config_copy {
            continue;
        }
        // A Secret generated by an earlier run is replaced where it is, in
        // its file, not duplicated; once sealing is turned on, so is the
        // plaintext Secret of the same name, which must not stay behind.
        let plaintext_twin =
            config.seal.is_some() && id == (Some("v1"), Some("Secret"), secret_id.2, secret_id.3);
        if id == secret_id || plaintext_twin {
            replaced = Some(item);
            continue;
        }
        items.push(item.clone());
    }
    if let Some(old) = replaced {
        keep_file_annotations(&mut secret, old);
    }
    items.push(secret);
    Outcome {
        stdout: resource_list::render(&items, &[]),
        stderr: warnings,
        code: 0,
    }
}
