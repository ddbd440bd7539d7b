//! `config.kubernetes.io/v1` ResourceList: what kustomize and kpt send a KRM
//! function on stdin and read back from its stdout.

use super::node::{self, Node, NodeError};

pub const API_VERSION: &str = "config.kubernetes.io/v1";
pub const KIND: &str = "ResourceList";
/// Marks a resource that tools must not apply (function configs, Kptfile).
pub const LOCAL_CONFIG: &str = "config.kubernetes.io/local-config";

#[derive(Debug, thiserror::Error)]
pub enum ResourceListError {
    #[error("stdin is not a ResourceList: {0}")]
    Parse(#[from] NodeError),
    #[error("stdin is not a ResourceList: expected apiVersion {API_VERSION} and kind {KIND}, found {0:?} and {1:?}")]
    Kind(String, String),
    #[error("the ResourceList has no functionConfig: configure the function with a PullSecret or LintConfig")]
    NoConfig,
    #[error("the ResourceList's items is not a list")]
    Items,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A KRM function result (the `results` entries of the v1 spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnResult {
    pub message: String,
    pub severity: Severity,
    /// apiVersion, kind, name, namespace of the resource concerned.
    pub resource: Option<(String, String, String, Option<String>)>,
    /// `file.path` and `file.index` when the tool told us where it came from.
    pub file: Option<(String, Option<String>)>,
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct ResourceList {
    pub items: Vec<Node>,
    pub function_config: Node,
}

impl ResourceList {
    pub fn parse(text: &str) -> Result<ResourceList, ResourceListError> {
        let doc = node::parse(text)?;
        let api = doc.get("apiVersion").and_then(Node::as_str).unwrap_or("");
        let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
        if api != API_VERSION || kind != KIND {
            return Err(ResourceListError::Kind(api.into(), kind.into()));
        }
        let items = match doc.get("items") {
            None => Vec::new(),
            Some(n) if n.is_null() => Vec::new(),
            Some(n) => n.items().ok_or(ResourceListError::Items)?.to_vec(),
        };
        let function_config = doc
            .get("functionConfig")
            .filter(|n| !n.is_null())
            .cloned()
            .ok_or(ResourceListError::NoConfig)?;
        Ok(ResourceList {
            items,
            function_config,
        })
    }
}

/// The annotation `key` of a resource, as text.
pub fn annotation<'a>(item: &'a Node, key: &str) -> Option<&'a str> {
    item.at(&["metadata", "annotations", key])
        .and_then(Node::as_str)
}

pub fn is_local_config(item: &Node) -> bool {
    annotation(item, LOCAL_CONFIG) == Some("true")
}

fn text(s: &str) -> Node {
    Node::string(s)
}

fn result_node(r: &FnResult) -> Node {
    let mut e = vec![
        ("message".to_string(), text(&r.message)),
        ("severity".to_string(), text(r.severity.as_str())),
    ];
    if let Some((api, kind, name, ns)) = &r.resource {
        let mut re = vec![
            ("apiVersion".to_string(), text(api)),
            ("kind".to_string(), text(kind)),
            ("name".to_string(), text(name)),
        ];
        if let Some(ns) = ns {
            re.push(("namespace".to_string(), text(ns)));
        }
        e.push(("resourceRef".to_string(), Node::Mapping(re)));
    }
    if let Some((path, index)) = &r.file {
        let mut fe = vec![("path".to_string(), text(path))];
        if let Some(i) = index {
            fe.push((
                "index".to_string(),
                Node::Scalar(super::node::Scalar {
                    text: i.clone(),
                    plain: true,
                    tag: None,
                }),
            ));
        }
        e.push(("file".to_string(), Node::Mapping(fe)));
    }
    if !r.tags.is_empty() {
        e.push((
            "tags".to_string(),
            Node::Mapping(r.tags.iter().map(|(k, v)| (k.clone(), text(v))).collect()),
        ));
    }
    Node::Mapping(e)
}

/// The ResourceList a function prints.
pub fn render(items: &[Node], results: &[FnResult]) -> String {
    let mut doc = vec![
        ("apiVersion".to_string(), text(API_VERSION)),
        ("kind".to_string(), text(KIND)),
        ("items".to_string(), Node::Sequence(items.to_vec())),
    ];
    if !results.is_empty() {
        doc.push((
            "results".to_string(),
            Node::Sequence(results.iter().map(result_node).collect()),
        ));
    }
    node::to_yaml(&Node::Mapping(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes() {
        let rl = ResourceList::parse(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- kind: Pod\n  metadata:\n    annotations:\n      config.kubernetes.io/local-config: 'true'\nfunctionConfig: {kind: X}\n",
        )
        .unwrap();
        assert_eq!(rl.items.len(), 1);
        assert!(rl.items.first().is_some_and(is_local_config));
        let out = render(
            &[],
            &[FnResult {
                message: "m".into(),
                severity: Severity::Error,
                resource: Some(("v1".into(), "Secret".into(), "s".into(), None)),
                file: Some(("a.yaml".into(), Some("0".into()))),
                tags: vec![],
            }],
        );
        assert_eq!(out, "apiVersion: \"config.kubernetes.io/v1\"\nkind: \"ResourceList\"\nitems: []\nresults:\n- message: \"m\"\n  severity: \"error\"\n  resourceRef:\n    apiVersion: \"v1\"\n    kind: \"Secret\"\n    name: \"s\"\n  file:\n    path: \"a.yaml\"\n    index: 0\n");
        assert!(matches!(
            ResourceList::parse("apiVersion: v1\nkind: List\n"),
            Err(ResourceListError::Kind(..))
        ));
        assert!(matches!(
            ResourceList::parse(
                "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n"
            ),
            Err(ResourceListError::NoConfig)
        ));
    }
}
