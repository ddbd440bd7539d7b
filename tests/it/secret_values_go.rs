//! secret-data-not-string against Go: every YAML value regcred reads as a
//! non-string (go-yaml v2 typing) becomes a JSON value the API server's
//! decoder (Go's encoding/json into the Secret's maps) rejects, and every
//! value it accepts (strings, null) Go accepts. Needs `go` (`#[ignore]`d;
//! tests/it/common/programs.rs says how it runs).

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

use regcred::manifest::secret::Content;
use regcred::manifest::{objects, parse_stream, NodeKind, ScalarType, SecretView};

/// YAML values as written in a manifest.
const VALUES: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "N",
    "true",
    "False",
    "0755",
    "0x1f",
    "1_000",
    "-12",
    "1.5",
    ".5",
    "1e3",
    "089",
    "~",
    "null",
    "",
    "\"yes\"",
    "'5432'",
    "YQ==",
    "[a, b]",
    "{a: b}",
    "yesterday",
    "1.2.3",
    "0b101",
];

/// The JSON go-yaml's conversion would produce for a node of our type.
fn as_json(kind: &NodeKind) -> String {
    match kind {
        NodeKind::Scalar(s) => match s.ty {
            ScalarType::Null => "null".into(),
            ScalarType::Bool => "true".into(),
            ScalarType::Int | ScalarType::Float => "1".into(),
            ScalarType::Str => {
                serde_json::to_string(&regcred::gocompat::base64::encode(s.value.as_bytes()))
                    .unwrap()
            }
        },
        NodeKind::Mapping(_) => "{\"a\":\"b\"}".into(),
        NodeKind::Sequence(_) => "[\"a\"]".into(),
        NodeKind::Alias => "null".into(),
    }
}

#[test]
#[ignore = "needs go"]
fn non_strings_are_exactly_what_go_rejects() {
    let Some(go) = common::require("go", "secret value parity (Debian: golang-go)") else {
        return;
    };
    let binary = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("secretvalues");
    let source =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/go/secretvalues/main.go");
    let built = Command::new(go)
        .args(["build", "-o"])
        .arg(&binary)
        .arg(&source)
        .status()
        .unwrap();
    assert!(built.success());

    let mut lines = String::new();
    let mut ours = Vec::new();
    for value in VALUES {
        for field in ["data", "stringData"] {
            let yaml = format!(
                "apiVersion: v1\nkind: Secret\nmetadata: {{name: x}}\n{field}:\n  k: {value}\n"
            );
            let docs = parse_stream(&yaml).unwrap();
            let objs = objects(&docs);
            let secret = SecretView::new(&objs[0], &yaml).unwrap();
            let v = secret.values().next().unwrap();
            ours.push((value, field, matches!(v.content, Content::NotString)));
            // stringData values travel as they are; data values as base64.
            let json = match (&v.value.kind, field) {
                (NodeKind::Scalar(s), "stringData") if s.ty == ScalarType::Str => {
                    serde_json::to_string(&s.value).unwrap()
                }
                (kind, _) => as_json(kind),
            };
            lines.push_str(&format!("{{\"{field}\":{{\"k\":{json}}}}}\n"));
        }
    }
    let mut child = Command::new(&binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let go: Vec<bool> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l == "error")
        .collect();
    assert_eq!(go.len(), ours.len());
    for ((value, field, rejected), go_rejects) in ours.iter().zip(go) {
        assert_eq!(
            *rejected, go_rejects,
            "{field}: {value}: regcred says not-a-string = {rejected}, Go rejects = {go_rejects}"
        );
    }
}
