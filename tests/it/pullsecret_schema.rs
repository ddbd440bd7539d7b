//! schemas/pullsecret.schema.json and the config reader agree: every config
//! the schema accepts is read, every config it rejects is refused.

use regcred::krm::config::PullSecret;
use regcred::krm::node::parse;
use serde_json::{json, Value};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/pullsecret.schema.json"),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn config(spec: Value) -> Value {
    json!({"apiVersion": "regcred.dev/v1", "kind": "PullSecret", "metadata": {"name": "regcred"}, "spec": spec})
}

#[test]
fn schema_and_reader_agree() {
    let validator = schema();
    let cases: Vec<(Value, bool)> = vec![
        (config(json!({"configFiles": ["a.json"]})), true),
        (
            config(
                json!({"configFiles": ["a.json", "b.json"], "registries": ["quay.io"], "preferLater": true, "resolveHelpers": false}),
            ),
            true,
        ),
        (
            config(json!({"username": "u", "passwordFrom": "env:PW"})),
            true,
        ),
        (
            config(
                json!({"server": "r.io", "username": "u", "passwordFrom": "file:pw", "email": "e@x", "type": "dockercfg", "hashSuffix": false, "labels": {"a": "b"}, "annotations": {"c": "d"}}),
            ),
            true,
        ),
        (
            config(
                json!({"username": "u", "passwordFrom": "env:PW", "type": "kubernetes.io/dockerconfigjson"}),
            ),
            true,
        ),
        (
            json!({"apiVersion": "regcred.dev/v1", "kind": "PullSecret", "metadata": {"name": "r", "namespace": "apps"}, "spec": {"configFiles": ["a"]}}),
            true,
        ),
        (
            config(
                json!({"username": "u", "passwordFrom": "env:PW", "seal": {"certificate": "cert.pem"}}),
            ),
            true,
        ),
        (
            config(
                json!({"configFiles": ["a"], "hashSuffix": false, "seal": {"certificate": "c.pem", "scope": "cluster-wide"}}),
            ),
            true,
        ),
        // Refused.
        (
            config(json!({"configFiles": ["a"], "seal": {"scope": "strict"}})),
            false,
        ),
        (
            config(
                json!({"configFiles": ["a"], "seal": {"certificate": "c.pem", "scope": "wide"}}),
            ),
            false,
        ),
        (
            config(json!({"configFiles": ["a"], "seal": {"certificate": "c.pem", "cert": "x"}})),
            false,
        ),
        (
            config(
                json!({"configFiles": ["a"], "hashSuffix": true, "seal": {"certificate": "c.pem"}}),
            ),
            false,
        ),
        (
            config(json!({"configFiles": ["a"], "seal": "c.pem"})),
            false,
        ),
        (config(json!({"username": "u", "password": "p"})), false),
        (
            config(json!({"username": "u", "passwordFrom": "env:PW", "password": "p"})),
            false,
        ),
        (config(json!({"username": "u", "passwordFrom": "p"})), false),
        (
            config(json!({"username": "u", "passwordFrom": "env:"})),
            false,
        ),
        (config(json!({"username": "u"})), false),
        (config(json!({"server": "r.io"})), false),
        (config(json!({})), false),
        (config(json!({"configFiles": []})), false),
        (
            config(json!({"configFiles": ["a"], "username": "u"})),
            false,
        ),
        (
            config(json!({"configFiles": ["a"], "type": "opaque"})),
            false,
        ),
        (
            config(json!({"configFiles": ["a"], "hashSuffix": "yes"})),
            false,
        ),
        (
            config(json!({"configFiles": ["a"], "registry": ["x"]})),
            false,
        ),
        (config(json!({"configFiles": "a"})), false),
        (config(json!({"configFiles": ["a"], "for": ["k8s/"]})), true),
        (
            config(json!({"username": "u", "passwordFrom": "env:PW", "for": ["k8s/"]})),
            false,
        ),
        (
            json!({"apiVersion": "regcred.dev/v1", "kind": "PullSecret", "metadata": {}, "spec": {"configFiles": ["a"]}}),
            false,
        ),
        (
            json!({"apiVersion": "example.com/v1", "kind": "PullSecret", "metadata": {"name": "r"}, "spec": {"configFiles": ["a"]}}),
            false,
        ),
        (
            json!({"apiVersion": "regcred.dev/v1", "kind": "PullSecret", "metadata": {"name": "r"}}),
            false,
        ),
    ];
    for (doc, valid) in cases {
        assert_eq!(validator.is_valid(&doc), valid, "schema on {doc}");
        // JSON is YAML: the reader takes the same text.
        let read = PullSecret::from_node(&parse(&doc.to_string()).unwrap());
        assert_eq!(read.is_ok(), valid, "reader on {doc}: {read:?}");
    }
}
