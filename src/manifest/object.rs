//! Kubernetes objects in parsed documents, and who they are.

use super::node::Node;
use super::yaml::Document;

/// Who an object is, as reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectId {
    pub api_version: Option<String>,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// 0-based document index in the file.
    pub document: usize,
}

/// One Kubernetes object: a mapping with a `kind` (items of a `List` too).
#[derive(Debug, Clone)]
pub struct Object<'a> {
    pub id: ObjectId,
    pub node: &'a Node<'a>,
    /// Byte offset where its document starts (for top-of-document comments).
    pub document_start: usize,
    /// SOPS-encrypted (a top-level `sops:` block): values are ciphertext.
    pub encrypted: bool,
}

impl<'a> Object<'a> {
    /// The rule ids named by the `regcred.dev/ignore` annotation.
    pub fn ignored_rules(&self) -> Vec<String> {
        self.node
            .path(&["metadata", "annotations", "regcred.dev/ignore"])
            .and_then(Node::text)
            .map(|list| {
                list.split(',')
                    .map(|r| r.trim().to_string())
                    .filter(|r| !r.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn is(&self, kind: &str) -> bool {
        self.id.kind == kind
    }

    /// A core (`v1`) object of this kind; a missing apiVersion is tolerated.
    pub fn is_core(&self, kind: &str) -> bool {
        self.id.kind == kind && matches!(self.id.api_version.as_deref(), None | Some("v1"))
    }
}

/// Every object of every document, in order.
pub fn objects<'a>(docs: &'a [Document<'a>]) -> Vec<Object<'a>> {
    let mut out = Vec::new();
    for doc in docs {
        if let Some(root) = &doc.root {
            collect(root, doc, &mut out, 0);
        }
    }
    out
}

fn collect<'a>(node: &'a Node<'a>, doc: &Document, out: &mut Vec<Object<'a>>, depth: usize) {
    let Some(kind) = node.get("kind").and_then(Node::text) else {
        return;
    };
    let text = |keys: &[&str]| node.path(keys).and_then(Node::text).map(str::to_string);
    let id = ObjectId {
        api_version: text(&["apiVersion"]),
        kind: kind.to_string(),
        name: text(&["metadata", "name"]),
        namespace: node
            .path(&["metadata", "namespace"])
            .and_then(Node::said)
            .map(str::to_string),
        document: doc.index,
    };
    let encrypted = node.get("sops").is_some_and(Node::is_mapping);
    // `kubectl get -o yaml` wraps objects in a List.
    if kind.ends_with("List") && depth == 0 {
        if let Some(items) = node.get("items") {
            for item in items.items() {
                collect(item, doc, out, depth + 1);
            }
            return;
        }
    }
    out.push(Object {
        id,
        node,
        document_start: doc.start,
        encrypted,
    });
}
