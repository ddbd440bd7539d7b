//! Pod specs in the objects that carry them: a Pod's `spec`, the pod
//! template of Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! ReplicationController, Job (`spec.template.spec`), CronJob
//! (`spec.jobTemplate.spec.template.spec`), PodTemplate (`template.spec`),
//! and any other object shaped like them (Argo Rollouts, Knative Services...).

use std::ops::Range;

use super::edit::layout::is_flow;
use super::edit::scalar::{double_quoted, render};
use super::edit::yaml::{append_entry, NewValue, YamlEditError};
use super::edit::{Edit, NamingEdit};
use super::node::{Entry, Node, NodeKind, ScalarType, Style};
use super::object::Object;

/// Which container list an image comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerList {
    Containers,
    InitContainers,
    EphemeralContainers,
}

impl ContainerList {
    pub fn field(self) -> &'static str {
        match self {
            ContainerList::Containers => "containers",
            ContainerList::InitContainers => "initContainers",
            ContainerList::EphemeralContainers => "ephemeralContainers",
        }
    }
}

/// One container's `image`.
#[derive(Debug, Clone)]
pub struct ContainerImage<'a> {
    pub list: ContainerList,
    /// The container's `name`, if written.
    pub container: Option<&'a str>,
    /// The image value node; `text()` is the image string.
    pub node: &'a Node<'a>,
}

/// One item of the pod's `imagePullSecrets`.
#[derive(Debug, Clone)]
pub struct PullSecretRef<'a> {
    /// The list item (`- name: regcred`).
    pub item: &'a Node<'a>,
    /// Its `name` value: `None` when absent, `Some("")` when empty.
    pub name: Option<&'a str>,
}

/// A pod spec inside an object, with the spans `--fix` needs.
#[derive(Debug, Clone)]
pub struct PodSpecView<'a> {
    pub object: &'a Object<'a>,
    /// The pod spec mapping node (the value of the `spec:` key that holds
    /// `containers`).
    pub spec: &'a Node<'a>,
    /// The `spec` entry (key and value) in its parent mapping.
    pub spec_entry: &'a Entry<'a>,
    /// The key path from the object root to the pod spec
    /// (`["spec", "template", "spec"]`).
    pub path: &'static [&'static str],
    /// Column (0-based, in bytes) of the pod spec's keys in a block mapping:
    /// where a new key such as `imagePullSecrets:` goes. `None` for a flow
    /// mapping (`spec: {containers: [...]}`).
    pub key_indent: Option<usize>,
    pub images: Vec<ContainerImage<'a>>,
    /// The `imagePullSecrets` entry, if present (its value may be an empty
    /// list or null).
    pub pull_secrets_entry: Option<&'a Entry<'a>>,
    pub pull_secrets: Vec<PullSecretRef<'a>>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`).
    pub service_account: Option<&'a str>,
}

impl PodSpecView<'_> {
    /// The pod has pull secrets of its own: the ServiceAccount's are then
    /// not copied in (ServiceAccount admission, docs/kubernetes.md §1).
    pub fn has_own_pull_secrets(&self) -> bool {
        !self.pull_secrets.is_empty()
    }

    /// The span of the pod spec mapping.
    pub fn spec_span(&self) -> Range<usize> {
        self.spec.span.clone()
    }
}

const POD_PATH: &[&str] = &["spec"];
const TEMPLATE_PATH: &[&str] = &["spec", "template", "spec"];
const JOB_TEMPLATE_PATH: &[&str] = &["spec", "jobTemplate", "spec", "template", "spec"];
const POD_TEMPLATE_PATH: &[&str] = &["template", "spec"];

/// Kinds whose pod template sits at `spec.template.spec` (apps/v1, batch/v1,
/// core v1); other kinds count when that path holds `containers`.
const TEMPLATE_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
];

/// The pod spec of `object`, if it carries one. `source` is the file text
/// (for indentation).
pub fn pod_spec<'a>(object: &'a Object<'a>, source: &str) -> Option<PodSpecView<'a>> {
    let node = object.node;
    let kind = object.id.kind.as_str();
    let path: &'static [&'static str] = if object.is_core("Pod") {
        POD_PATH
    } else if object.is_core("PodTemplate") {
        POD_TEMPLATE_PATH
    } else if kind == "CronJob" || has_containers(node, JOB_TEMPLATE_PATH) {
        JOB_TEMPLATE_PATH
    } else if TEMPLATE_KINDS.contains(&kind) || has_containers(node, TEMPLATE_PATH) {
        TEMPLATE_PATH
    } else {
        return None;
    };
    let (parent_path, last) = path.split_at(path.len() - 1);
    let parent = node.path(parent_path)?;
    let spec_entry = parent.entry(last.first()?)?;
    let spec = &spec_entry.value;
    if !spec.is_mapping() {
        return None;
    }
    let mut images = Vec::new();
    for list in [
        ContainerList::InitContainers,
        ContainerList::Containers,
        ContainerList::EphemeralContainers,
    ] {
        for container in spec.get(list.field()).map(Node::items).unwrap_or_default() {
            // A string image only: other shapes are the API server's to refuse.
            let image = container
                .get("image")
                .filter(|n| n.as_scalar().is_some_and(|s| s.ty != ScalarType::Null));
            if let Some(image) = image {
                images.push(ContainerImage {
                    list,
                    container: container.get("name").and_then(Node::text),
                    node: image,
                });
            }
        }
    }
    let pull_secrets_entry = spec.entry("imagePullSecrets");
    let pull_secrets = pull_secrets_entry
        .map(|e| e.value.items())
        .unwrap_or_default()
        .iter()
        .map(|item| PullSecretRef {
            item,
            name: match &item.kind {
                NodeKind::Mapping(_) => item.get("name").map(|n| n.text().unwrap_or("")),
                _ => None,
            },
        })
        .collect();
    let service_account = spec
        .get("serviceAccountName")
        .or_else(|| spec.get("serviceAccount"))
        .and_then(Node::text)
        .filter(|s| !s.is_empty());
    Some(PodSpecView {
        object,
        spec,
        spec_entry,
        path,
        key_indent: block_indent(spec, source),
        images,
        pull_secrets_entry,
        pull_secrets,
        service_account,
    })
}

/// Why `imagePullSecrets` cannot be added to a pod spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PodEditError {
    #[error(transparent)]
    Layout(#[from] YamlEditError),
    #[error("the pod spec already has imagePullSecrets")]
    AlreadyThere,
}

/// The edit that makes the pod spec `spec` name `secret` in
/// `imagePullSecrets`, in the file's own style (block or flow, JSON
/// quoting, the sequence indentation of `root`, its document).
pub fn add_pull_secret(
    text: &str,
    spec: &Node,
    root: &Node,
    secret: &str,
) -> Result<Edit, PodEditError> {
    let value = NewValue::MappingList(vec![vec![("name".to_string(), secret.to_string())]]);
    match spec.entry("imagePullSecrets") {
        None => Ok(append_entry(text, spec, root, "imagePullSecrets", &value)?),
        // `imagePullSecrets: []`: the list is filled in place.
        Some(entry) if entry.value.items().is_empty() && is_flow(text, &entry.value) => {
            let json = entry
                .key
                .as_scalar()
                .is_some_and(|s| s.style == Style::DoubleQuoted);
            let name = if json {
                format!("[{{\"name\": {}}}]", double_quoted(secret))
            } else {
                format!("[{{name: {}}}]", render(secret, Style::Plain))
            };
            Ok(Edit::replace(entry.value.span.clone(), name))
        }
        Some(_) => Err(PodEditError::AlreadyThere),
    }
}

/// [`add_pull_secret`] with the Secret's name left open.
pub fn add_some_pull_secret(
    text: &str,
    spec: &Node,
    root: &Node,
) -> Result<NamingEdit, PodEditError> {
    NamingEdit::open(|name| add_pull_secret(text, spec, root, name))?
        .ok_or(PodEditError::Layout(YamlEditError::UnknownMappingLayout))
}

/// The images a pod spec pulls: containers, init and ephemeral containers.
pub fn images<'a>(spec: &'a Node<'a>) -> Vec<&'a str> {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|k| spec.get(k))
        .flat_map(|list| list.items())
        .filter_map(|c| c.get("image").and_then(Node::text))
        .collect()
}

fn has_containers(node: &Node, path: &[&str]) -> bool {
    node.path(path)
        .and_then(|spec| spec.get("containers"))
        .is_some_and(|c| matches!(c.kind, NodeKind::Sequence(_)))
}

/// The column of a block mapping's keys: the start of its first key, counted
/// from its line's start. `None` for a flow mapping.
fn block_indent(mapping: &Node, source: &str) -> Option<usize> {
    let first = mapping.entries().first()?;
    let bytes = source.as_bytes();
    if bytes.get(mapping.span.start) == Some(&b'{') {
        return None;
    }
    let at = first.key.span.start.min(bytes.len());
    let line_start = memchr::memrchr(b'\n', bytes.get(..at)?).map_or(0, |i| i + 1);
    Some(at - line_start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{objects, parse_stream};

    /// Path, image texts, pull-secret names, key indentation.
    type Summary = (String, Vec<String>, Vec<Option<String>>, Option<usize>);

    fn views(text: &str) -> Vec<Summary> {
        let docs = parse_stream(text).unwrap();
        let objs = objects(&docs);
        objs.iter()
            .filter_map(|o| pod_spec(o, text))
            .map(|v| {
                (
                    v.path.join("."),
                    v.images
                        .iter()
                        .map(|i| text[i.node.span.clone()].to_string())
                        .collect(),
                    v.pull_secrets
                        .iter()
                        .map(|p| p.name.map(str::to_string))
                        .collect(),
                    v.key_indent,
                )
            })
            .collect()
    }

    #[test]
    fn every_pod_bearing_kind() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: a\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      initContainers: [{image: i}]\n      containers:\n        - name: c\n          image: \"b\"\n      ephemeralContainers: [{image: e}]\n      imagePullSecrets: [{name: x}, {}, {name: ''}]\n---\napiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec: {containers: [{image: c}]}\n---\napiVersion: v1\nkind: PodTemplate\ntemplate:\n  spec:\n    containers: [{image: t}]\n---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  template:\n    spec:\n      containers: [{image: r}]\n---\napiVersion: v1\nkind: ConfigMap\ndata: {spec: x}\n";
        let v = views(text);
        assert_eq!(v.len(), 5);
        assert_eq!(v[0], ("spec".into(), vec!["a".into()], vec![], Some(2)));
        assert_eq!(v[1].0, "spec.template.spec");
        assert_eq!(v[1].1, vec!["i", "\"b\"", "e"]);
        assert_eq!(
            v[1].2,
            vec![Some("x".to_string()), None, Some(String::new())]
        );
        assert_eq!(v[1].3, Some(6));
        assert_eq!(v[2].0, "spec.jobTemplate.spec.template.spec");
        assert_eq!(v[2].3, None);
        assert_eq!(v[3].0, "template.spec");
        assert_eq!(v[4].1, vec!["r"]);
    }
}
