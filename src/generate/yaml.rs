//! `kubectl ... -o yaml`: the JSON form read back and written by go-yaml v2
//! (`sigs.k8s.io/yaml`): keys sorted at every level in go-yaml's order, two
//! spaces of indentation, strings quoted the go-yaml way.

use super::{Dialect, Meta, Secret};
use crate::gocompat::yaml_quote::{key_order, Emitter};

/// An object's `metadata` at `depth` (0 for a top-level object): go-yaml's
/// sorted order, `creationTimestamp: null` in the legacy dialect.
pub fn metadata(e: &mut Emitter, depth: usize, meta: &Meta<'_>, dialect: Dialect) {
    e.key(depth, "metadata");
    if !meta.annotations.is_empty() {
        e.key(depth + 1, "annotations");
        string_map(e, depth + 2, meta.annotations);
    }
    if dialect == Dialect::Legacy {
        e.key(depth + 1, "creationTimestamp");
        e.null_value(depth + 1);
    }
    if !meta.labels.is_empty() {
        e.key(depth + 1, "labels");
        string_map(e, depth + 2, meta.labels);
    }
    e.key(depth + 1, "name");
    e.value(depth + 1, meta.name);
    if let Some(ns) = meta.namespace {
        e.key(depth + 1, "namespace");
        e.value(depth + 1, ns);
    }
}

/// A `map[string]string` at `depth`, keys in go-yaml's order.
pub fn string_map(e: &mut Emitter, depth: usize, entries: &[(String, String)]) {
    let mut sorted: Vec<&(String, String)> = entries.iter().collect();
    sorted.sort_by(|a, b| key_order(&a.0, &b.0));
    for (k, v) in sorted {
        e.key(depth, k);
        e.value(depth, v);
    }
}

pub fn render(secret: &Secret, dialect: Dialect) -> String {
    let mut e = Emitter::new();
    e.key(0, "apiVersion");
    e.value(0, "v1");
    e.key(0, "data");
    e.key(1, secret.kind.data_key());
    e.value(1, &secret.encoded_payload());
    e.key(0, "kind");
    e.value(0, "Secret");
    metadata(&mut e, 0, &secret.meta(), dialect);
    e.key(0, "type");
    e.value(0, secret.kind.secret_type());
    e.end();
    e.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockercfg::payload::PayloadKind;
    use zeroize::Zeroizing;

    #[test]
    fn kubectl_layout() {
        let s = Secret {
            name: "123".into(),
            namespace: Some("ns".into()),
            labels: vec![],
            annotations: vec![],
            kind: PayloadKind::DockerConfigJson,
            payload: Zeroizing::new(b"{}".to_vec()),
        };
        assert_eq!(
            render(&s, Dialect::Legacy),
            "apiVersion: v1\ndata:\n  .dockerconfigjson: e30=\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: \"123\"\n  namespace: ns\ntype: kubernetes.io/dockerconfigjson\n"
        );
    }
}
