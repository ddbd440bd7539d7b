//! What each kind of input adds to the workspace index, read while its file
//! is parsed.

use std::path::{Path, PathBuf};

use super::index::{DefinitionKind, IndexPart, KustomizationDef, SecretDef, ServiceAccountDef};
use super::kustomize::{generators, lexically_normal, EntrySource};
use super::position::LazyLineIndex;
use super::view::PullSecretView;
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::{Document, Node, Object, SecretView};

/// Whether the kubelet accepts a payload, and the `auths` keys it reads.
pub fn kubelet_keys(view: &PullSecretView<'_>) -> Option<(bool, Vec<String>)> {
    let parsed = view.accepted_by_api_server()?;
    let keys = parsed
        .kubelet
        .effective()
        .map(|e| e.registry(&parsed.document).to_string())
        .collect();
    Some((parsed.kubelet.accepted(), keys))
}

fn place(path: &str, lines: &LazyLineIndex<'_>, offset: usize) -> String {
    format!("{path}:{}", lines.line_of(offset) + 1)
}

/// A core Secret, with the keys of its payload when it is a pull secret the
/// kubelet accepts.
pub fn index_secret(
    secret: &SecretView<'_>,
    path: &str,
    lines: &LazyLineIndex<'_>,
    keys: Option<(bool, Vec<String>)>,
    out: &mut IndexPart,
) {
    let Some(name) = secret.name.and_then(Node::text) else {
        return;
    };
    if let Some((_, keys)) = &keys {
        out.credential_keys.extend(keys.iter().cloned());
    }
    let templated = secret
        .secret_type
        .and_then(Node::text)
        .is_some_and(|t| t.contains("{{"));
    // A Secret with neither type nor data is still Opaque: `type` cannot
    // change once the Secret exists, so whatever fills its data in later,
    // the kubelet never reads it as a pull secret.
    out.secrets.push(SecretDef {
        name: name.to_string(),
        namespace: secret.object.id.namespace.clone(),
        file: lexically_normal(Path::new(path)),
        kind: DefinitionKind::Secret,
        type_name: (!templated).then(|| secret.type_name().to_string()),
        keys: keys.and_then(|(accepted, keys)| accepted.then_some(keys)),
        payload_file: None,
        place: place(path, lines, secret.object.node.span.start),
    });
}

/// SealedSecrets, ExternalSecrets and ServiceAccounts.
pub fn index_object(
    object: &Object<'_>,
    path: &str,
    lines: &LazyLineIndex<'_>,
    out: &mut IndexPart,
) {
    let node = object.node;
    let file = lexically_normal(Path::new(path));
    let text = |keys: &[&str]| node.path(keys).and_then(Node::text).map(str::to_string);
    let kind = object.id.kind.as_str();
    let (name, type_name, kind) = match kind {
        "SealedSecret" => (
            object.id.name.clone(),
            text(&["spec", "template", "type"]).unwrap_or_else(|| "Opaque".into()),
            DefinitionKind::SealedSecret,
        ),
        "ExternalSecret" => (
            text(&["spec", "target", "name"]).or_else(|| object.id.name.clone()),
            text(&["spec", "target", "template", "type"]).unwrap_or_else(|| "Opaque".into()),
            DefinitionKind::ExternalSecret,
        ),
        "ServiceAccount" if object.is_core("ServiceAccount") => {
            if let Some(name) = &object.id.name {
                out.service_accounts.push(ServiceAccountDef {
                    name: name.clone(),
                    namespace: object.id.namespace.clone(),
                    file,
                    pull_secrets: node
                        .get("imagePullSecrets")
                        .map(Node::items)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|i| i.get("name").and_then(Node::text))
                        .filter(|n| !n.is_empty())
                        .map(str::to_string)
                        .collect(),
                });
            }
            return;
        }
        _ => return,
    };
    let Some(name) = name else { return };
    out.secrets.push(SecretDef {
        name,
        namespace: object.id.namespace.clone(),
        file,
        kind,
        type_name: (!type_name.contains("{{")).then_some(type_name),
        keys: None,
        payload_file: None,
        place: place(path, lines, node.span.start),
    });
}

/// A kustomization: its namespace, its renaming (`namePrefix`,
/// `nameSuffix`), what it includes, its secretGenerators.
pub fn index_kustomization(
    docs: &[Document],
    source: &str,
    dir: &Path,
    path: &str,
    out: &mut IndexPart,
) {
    for root in docs.iter().filter_map(|d| d.root.as_ref()) {
        let namespace = root
            .get("namespace")
            .and_then(Node::said)
            .map(str::to_string);
        let includes: Vec<PathBuf> = ["resources", "bases", "components"]
            .iter()
            .filter_map(|f| root.get(f))
            .flat_map(Node::items)
            .filter_map(Node::text)
            .filter(|t| !t.contains("://"))
            .map(|t| lexically_normal(&dir.join(t)))
            .collect();
        let said = |field| root.get(field).and_then(Node::said).map(str::to_string);
        out.kustomizations.push(KustomizationDef {
            dir: lexically_normal(dir),
            namespace: namespace.clone(),
            name_prefix: said("namePrefix"),
            name_suffix: said("nameSuffix"),
            includes,
            configurations: root.get("configurations").is_some(),
        });
    }
    for generator in generators(docs, source) {
        let Some(name) = generator.name.and_then(Node::text) else {
            continue;
        };
        let type_name = generator.type_name().to_string();
        let payload_key = match type_name.as_str() {
            DOCKERCONFIGJSON_TYPE => Some(DOCKERCONFIGJSON_KEY),
            DOCKERCFG_TYPE => Some(DOCKERCFG_KEY),
            _ => None,
        };
        let payload_file = generator
            .entries
            .iter()
            .filter(|e| e.source == EntrySource::File && Some(e.key.as_str()) == payload_key)
            .filter_map(|e| e.item.text())
            .map(|t| t.split_once('=').map_or(t, |(_, p)| p).trim())
            .map(|rel| lexically_normal(&dir.join(rel)))
            .next_back();
        out.secrets.push(SecretDef {
            name: name.to_string(),
            namespace: generator
                .node
                .get("namespace")
                .and_then(Node::said)
                .map(str::to_string),
            file: lexically_normal(Path::new(path)),
            kind: DefinitionKind::Generator,
            type_name: Some(type_name),
            keys: None,
            payload_file,
            place: path.to_string(),
        });
    }
}
