//! The namespaces regcred's index gives objects included by a
//! kustomization agree with what the real `kubectl kustomize` renders, on
//! every workspace fixture that has a kustomization.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{require, KUBECTL_LEGACY};
use regcred::lint::config::Config;
use regcred::lint::index::file_key;
use regcred::lint::walk::lint_paths_with_index;
use regcred::lint::{Linter, Selection};
use regcred::manifest::{objects, parse_stream};

/// (kind, name) -> namespace of each object of a YAML stream.
fn namespaces(text: &str) -> Vec<(String, String, Option<String>)> {
    let docs = parse_stream(text).expect("YAML");
    objects(&docs)
        .iter()
        .map(|o| {
            (
                o.id.kind.clone(),
                o.id.name.clone().unwrap_or_default(),
                o.id.namespace.clone(),
            )
        })
        .collect()
}

fn workspaces(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read fixtures").flatten() {
        let path = entry.path();
        if path.is_dir() {
            // Workspaces are whole repositories; other kustomize fixtures
            // are broken on purpose.
            let workspace = path.extension().is_some_and(|e| e == "workspace");
            if workspace && path.join("kustomization.yaml").is_file() {
                out.push(path.clone());
            }
            workspaces(&path, out);
        }
    }
}

#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn index_namespaces_agree_with_kubectl_kustomize() {
    let Some(kubectl) = require(KUBECTL_LEGACY, "the kustomize namespace test") else {
        return;
    };
    let mut dirs = Vec::new();
    workspaces(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut dirs,
    );
    assert!(dirs.len() >= 3, "{dirs:?}");
    let linter = Linter::new(Config::default(), Selection::default()).expect("linter");
    let mut compared = 0;
    for dir in dirs {
        let out = Command::new(&kubectl)
            .arg("kustomize")
            .arg(&dir)
            .output()
            .expect("run kubectl kustomize");
        assert!(
            out.status.success(),
            "{}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let rendered = namespaces(&String::from_utf8_lossy(&out.stdout));
        let (_, _, index) = lint_paths_with_index(&linter, std::slice::from_ref(&dir), None, 1);
        for entry in std::fs::read_dir(&dir).expect("read workspace").flatten() {
            let file = entry.path();
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !name.ends_with(".yaml") || name == "kustomization.yaml" {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("read resource");
            for (kind, object, declared) in namespaces(&text) {
                let Some((_, _, expected)) =
                    rendered.iter().find(|(k, n, _)| *k == kind && *n == object)
                else {
                    continue;
                };
                let ours = index.namespaces_at(&file_key(&file), declared.as_deref());
                let theirs: std::collections::BTreeSet<String> = expected.iter().cloned().collect();
                assert_eq!(ours, theirs, "{}: {kind} {object}", file.display());
                compared += 1;
            }
        }
    }
    assert!(compared >= 4, "only {compared} objects compared");
}
