//! `kubectl ... -o yaml`: the JSON form read back and written by go-yaml v2
//! (`sigs.k8s.io/yaml`): keys sorted at every level in go-yaml's order, two
//! spaces of indentation, strings quoted the go-yaml way.

use super::{Dialect, Secret};
use crate::gocompat::yaml_quote::{key_order, Emitter};

fn string_map(e: &mut Emitter, depth: usize, entries: &[(String, String)]) {
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
    e.key(0, "metadata");
    if !secret.annotations.is_empty() {
        e.key(1, "annotations");
        string_map(&mut e, 2, &secret.annotations);
    }
    if dialect == Dialect::Legacy {
        e.key(1, "creationTimestamp");
        e.null_value(1);
    }
    if !secret.labels.is_empty() {
        e.key(1, "labels");
        string_map(&mut e, 2, &secret.labels);
    }
    e.key(1, "name");
    e.value(1, &secret.name);
    if let Some(ns) = &secret.namespace {
        e.key(1, "namespace");
        e.value(1, ns);
    }
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
