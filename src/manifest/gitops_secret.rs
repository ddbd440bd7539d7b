//! SealedSecrets and ExternalSecrets as the Secrets they will become, seen
//! without decrypting or fetching anything: the Secret's type (the
//! template's), its name and namespace, and the keys it will hold when they
//! can be known from the manifest.
//!
//! - A SealedSecret (`bitnami.com/*`, docs/kubernetes.md §6): the keys are
//!   `spec.encryptedData`'s, plus `spec.template.data`'s (templated from
//!   them; a `null` there removes a key); without `encryptedData` (the
//!   deprecated `spec.data` blob, a fragment) they are unknown. Its type is `spec.template.type`, else Opaque.
//! - An ExternalSecret (`external-secrets.io/*`): with
//!   `spec.target.template.data` the keys are those (plus `spec.data`'s
//!   `secretKey`s when `mergePolicy: Merge`); otherwise `spec.data`'s
//!   `secretKey`s. `dataFrom` and `templateFrom` bring keys named only in
//!   the external store, and a manifest with neither `data` nor `dataFrom`
//!   is a fragment: then the keys are unknown. Its type is
//!   `spec.target.template.type`, else Opaque.

use std::ops::Range;

use super::{Node, Object};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitOpsKind {
    SealedSecret,
    ExternalSecret,
}

impl GitOpsKind {
    pub fn describe(self) -> &'static str {
        match self {
            GitOpsKind::SealedSecret => "SealedSecret",
            GitOpsKind::ExternalSecret => "ExternalSecret",
        }
    }

    /// "a SealedSecret", "an ExternalSecret".
    pub fn with_article(self) -> &'static str {
        match self {
            GitOpsKind::SealedSecret => "a SealedSecret",
            GitOpsKind::ExternalSecret => "an ExternalSecret",
        }
    }

    /// Where the Secret's type is written, for messages.
    pub fn type_field(self) -> &'static str {
        match self {
            GitOpsKind::SealedSecret => "spec.template.type",
            GitOpsKind::ExternalSecret => "spec.target.template.type",
        }
    }
}

pub struct GitOpsSecretView<'a> {
    pub object: &'a Object<'a>,
    pub kind: GitOpsKind,
    /// The name of the Secret it becomes: a SealedSecret's own, an
    /// ExternalSecret's `spec.target.name` (else its own).
    pub name: Option<&'a Node<'a>>,
    /// The template's `type` value, when written.
    pub secret_type: Option<&'a Node<'a>>,
    /// Where a finding about the Secret as a whole points: its type, else
    /// the template, else the object's `kind`.
    pub anchor: Range<usize>,
    /// The key nodes the Secret will have (a SealedSecret's map keys, an
    /// ExternalSecret's `secretKey` values); `None` when they cannot be
    /// known from the manifest.
    pub keys: Option<Vec<&'a Node<'a>>>,
}

fn group<'o>(object: &'o Object<'_>) -> &'o str {
    object
        .id
        .api_version
        .as_deref()
        .and_then(|v| v.split_once('/'))
        .map_or("", |(group, _)| group)
}

impl<'a> GitOpsSecretView<'a> {
    pub fn new(object: &'a Object<'a>) -> Option<Self> {
        let node = object.node;
        let (kind, template) = match (object.id.kind.as_str(), group(object)) {
            ("SealedSecret", "bitnami.com") => {
                (GitOpsKind::SealedSecret, node.path(&["spec", "template"]))
            }
            ("ExternalSecret", "external-secrets.io") => (
                GitOpsKind::ExternalSecret,
                node.path(&["spec", "target", "template"]),
            ),
            _ => return None,
        };
        let secret_type = template
            .and_then(|t| t.get("type"))
            .filter(|t| t.said().is_some());
        let kind_node = node
            .get("kind")
            .map_or(node.span.clone(), |k| k.span.clone());
        let anchor = secret_type
            .map(|t| t.span.clone())
            .or_else(|| template.map(|t| t.span.clone()))
            .unwrap_or(kind_node);
        let keys = match kind {
            GitOpsKind::SealedSecret => sealed_keys(node, template),
            GitOpsKind::ExternalSecret => external_keys(node, template),
        };
        let own_name = node.path(&["metadata", "name"]);
        let name = match kind {
            GitOpsKind::SealedSecret => own_name,
            GitOpsKind::ExternalSecret => node
                .path(&["spec", "target", "name"])
                .filter(|n| n.said().is_some())
                .or(own_name),
        };
        Some(GitOpsSecretView {
            object,
            kind,
            name,
            secret_type,
            anchor,
            keys,
        })
    }

    /// The Secret's type: the template's, else Opaque.
    pub fn type_name(&self) -> &str {
        self.secret_type.and_then(Node::text).unwrap_or("Opaque")
    }

    /// The key node named `key`, when the keys are known.
    pub fn key(&self, key: &str) -> Option<&'a Node<'a>> {
        self.keys
            .as_ref()?
            .iter()
            .copied()
            .find(|k| k.text() == Some(key))
    }
}

fn sealed_keys<'a>(
    node: &'a Node<'a>,
    template: Option<&'a Node<'a>>,
) -> Option<Vec<&'a Node<'a>>> {
    let spec = node.get("spec")?;
    // Without `encryptedData` (the deprecated `data` blob, or a fragment a
    // patch completes) the keys are not in this manifest.
    let encrypted = spec.get("encryptedData")?;
    let templated = template.and_then(|t| t.get("data"));
    let removed = |key: &str| {
        templated.and_then(|d| d.get(key)).is_some_and(|v| {
            v.as_scalar()
                .is_some_and(|s| s.ty == super::ScalarType::Null)
        })
    };
    let mut keys: Vec<&Node> = Vec::new();
    for entry in encrypted
        .entries()
        .iter()
        .chain(templated.map(Node::entries).unwrap_or_default())
    {
        let Some(text) = entry.key.text() else {
            continue;
        };
        if !removed(text) && !keys.iter().any(|k| k.text() == Some(text)) {
            keys.push(&entry.key);
        }
    }
    Some(keys)
}

fn external_keys<'a>(
    node: &'a Node<'a>,
    template: Option<&'a Node<'a>>,
) -> Option<Vec<&'a Node<'a>>> {
    let spec = node.get("spec")?;
    let non_empty =
        |n: Option<&Node>| n.is_some_and(|n| !n.items().is_empty() || n.said().is_some());
    if template.is_some_and(|t| non_empty(t.get("templateFrom"))) {
        return None;
    }
    let secret_keys = || -> Vec<&'a Node<'a>> {
        spec.get("data")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|item| item.get("secretKey"))
            .filter(|k| k.text().is_some())
            .collect()
    };
    let from_store = non_empty(spec.get("dataFrom"));
    match template
        .and_then(|t| t.get("data"))
        .filter(|d| d.is_mapping())
    {
        Some(templated) => {
            let merge = template
                .and_then(|t| t.get("mergePolicy"))
                .and_then(Node::text)
                == Some("Merge");
            if merge && from_store {
                return None;
            }
            let mut keys: Vec<&Node> = templated.entries().iter().map(|e| &e.key).collect();
            if merge {
                keys.extend(secret_keys());
            }
            Some(keys)
        }
        None if from_store => None,
        // Neither data nor dataFrom: a fragment (a patch completes it), not
        // a Secret with no keys.
        None if spec.get("data").is_none() => None,
        None => Some(secret_keys()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{objects, parse_stream};

    fn keys_of(yaml: &str) -> (String, Option<Vec<String>>) {
        let docs = parse_stream(yaml).expect("YAML");
        let objs = objects(&docs);
        let view = GitOpsSecretView::new(&objs[0]).expect("a GitOps Secret");
        (
            view.type_name().to_string(),
            view.keys.map(|k| {
                k.iter()
                    .filter_map(|n| n.text())
                    .map(str::to_string)
                    .collect()
            }),
        )
    }

    #[test]
    fn sealed_secret_keys_and_type() {
        let (ty, keys) = keys_of(
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: r}\nspec:\n  encryptedData:\n    .dockerconfigjson: AgB\n    extra: AgC\n  template:\n    type: kubernetes.io/dockerconfigjson\n    data:\n      extra: null\n      note: \"{{ .extra }}\"\n",
        );
        assert_eq!(ty, "kubernetes.io/dockerconfigjson");
        assert_eq!(keys, Some(vec![".dockerconfigjson".into(), "note".into()]));
        let (ty, keys) = keys_of(
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: r}\nspec:\n  data: AgBlob\n",
        );
        assert_eq!((ty.as_str(), keys), ("Opaque", None));
    }

    #[test]
    fn external_secret_keys_and_type() {
        let base = "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: r}\nspec:\n";
        let (ty, keys) = keys_of(&format!(
            "{base}  target:\n    template:\n      type: kubernetes.io/dockerconfigjson\n  data:\n  - secretKey: .dockerconfigjson\n    remoteRef: {{key: k}}\n"
        ));
        assert_eq!(ty, "kubernetes.io/dockerconfigjson");
        assert_eq!(keys, Some(vec![".dockerconfigjson".into()]));
        let (_, keys) = keys_of(&format!(
            "{base}  target:\n    template:\n      type: kubernetes.io/dockerconfigjson\n      data:\n        .dockerconfigjson: \"{{{{ .cfg }}}}\"\n  data:\n  - secretKey: cfg\n    remoteRef: {{key: k}}\n"
        ));
        assert_eq!(keys, Some(vec![".dockerconfigjson".into()]));
        let (_, keys) = keys_of(&format!(
            "{base}  target:\n    template:\n      type: kubernetes.io/dockerconfigjson\n  dataFrom:\n  - extract: {{key: k}}\n"
        ));
        assert_eq!(keys, None);
        // Another API group with the same kind is not this ExternalSecret.
        let docs =
            parse_stream("apiVersion: example.com/v1\nkind: ExternalSecret\nmetadata: {name: r}\n")
                .expect("YAML");
        assert!(GitOpsSecretView::new(&objects(&docs)[0]).is_none());
    }
}
