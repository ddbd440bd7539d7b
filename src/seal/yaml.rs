//! `kubeseal -o yaml`: the pretty JSON read back and written by go-yaml v2
//! (`sigs.k8s.io/yaml`), so keys are sorted at every level, as for the
//! Secret (`crate::generate::yaml`). kubeseal adds one more newline after
//! the document, an empty last line; regcred ends with the document's own
//! newline (docs/seal.md).

use super::sealed_secret::{API_VERSION, KIND};
use super::SealedSecret;
use crate::generate::yaml::{metadata, string_map};
use crate::generate::Dialect;
use crate::gocompat::yaml_quote::Emitter;

pub fn render(sealed: &SealedSecret, dialect: Dialect) -> String {
    let mut e = Emitter::new();
    e.key(0, "apiVersion");
    e.value(0, API_VERSION);
    e.key(0, "kind");
    e.value(0, KIND);
    metadata(&mut e, 0, &sealed.meta(), dialect);
    e.key(0, "spec");
    e.key(1, "encryptedData");
    string_map(&mut e, 2, &sealed.encrypted_data);
    e.key(1, "template");
    metadata(&mut e, 2, &sealed.template_meta(), dialect);
    e.key(2, "type");
    e.value(2, &sealed.secret_type);
    e.end();
    e.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SealedSecret {
        SealedSecret {
            name: "regcred".into(),
            namespace: Some("apps".into()),
            annotations: vec![(
                "sealedsecrets.bitnami.com/namespace-wide".into(),
                "true".into(),
            )],
            template_labels: vec![("team".into(), "web".into())],
            template_annotations: vec![(
                "sealedsecrets.bitnami.com/namespace-wide".into(),
                "true".into(),
            )],
            secret_type: "kubernetes.io/dockerconfigjson".into(),
            encrypted_data: vec![(".dockerconfigjson".into(), "AgB4==".into())],
        }
    }

    #[test]
    fn kubeseal_layout() {
        assert_eq!(
            render(&sample(), Dialect::Legacy),
            "apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  annotations:
    sealedsecrets.bitnami.com/namespace-wide: \"true\"
  creationTimestamp: null
  name: regcred
  namespace: apps
spec:
  encryptedData:
    .dockerconfigjson: AgB4==
  template:
    metadata:
      annotations:
        sealedsecrets.bitnami.com/namespace-wide: \"true\"
      creationTimestamp: null
      labels:
        team: web
      name: regcred
      namespace: apps
    type: kubernetes.io/dockerconfigjson
"
        );
    }

    #[test]
    fn json_layout() {
        let json = String::from_utf8(super::super::json::render(&sample(), Dialect::Current))
            .expect("utf-8");
        assert_eq!(
            json,
            r#"{
  "kind": "SealedSecret",
  "apiVersion": "bitnami.com/v1alpha1",
  "metadata": {
    "name": "regcred",
    "namespace": "apps",
    "annotations": {
      "sealedsecrets.bitnami.com/namespace-wide": "true"
    }
  },
  "spec": {
    "template": {
      "metadata": {
        "name": "regcred",
        "namespace": "apps",
        "labels": {
          "team": "web"
        },
        "annotations": {
          "sealedsecrets.bitnami.com/namespace-wide": "true"
        }
      },
      "type": "kubernetes.io/dockerconfigjson"
    },
    "encryptedData": {
      ".dockerconfigjson": "AgB4=="
    }
  }
}
"#
        );
    }
}
