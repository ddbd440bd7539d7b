//! The namespaces and names regcred's index gives objects included by a
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
                // Found under its own name, or under one a namePrefix or
                // nameSuffix gives it, as the index says.
                let renamed = index.names_at(&file_key(&file), &object);
                let Some((_, _, expected)) = rendered
                    .iter()
                    .find(|(k, n, _)| *k == kind && (*n == object || renamed.contains(n)))
                else {
                    assert!(
                        renamed.is_empty(),
                        "{}: {kind} {object}: {renamed:?} not rendered",
                        file.display()
                    );
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

/// kustomize's `namePrefix`/`nameSuffix` rename a SealedSecret's own
/// `metadata.name` (which the controller unseals a strict seal with) but
/// neither its `spec.template` nor the pods' `imagePullSecrets` that name
/// it (docs/kubernetes.md §4, §6).
#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn kustomize_renames_a_sealed_secret_but_not_its_template_or_its_users() {
    let Some(kubectl) = require(KUBECTL_LEGACY, "the kustomize rename test") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().join("base");
    let overlay = dir.path().join("overlay");
    std::fs::create_dir(&base).expect("base");
    std::fs::create_dir(&overlay).expect("overlay");
    let sealed = common::manifest_dir()
        .join("fixtures/rules/sealed-secret-scope-moved/bad/renamed.workspace/sealed.yaml");
    std::fs::copy(&sealed, base.join("sealed.yaml")).expect("copy");
    std::fs::write(
        base.join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: apps}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: web, image: reg.example.com/web:1}]\n",
    )
    .expect("pod");
    std::fs::write(
        base.join("kustomization.yaml"),
        "namePrefix: base-\nresources: [sealed.yaml, pod.yaml]\n",
    )
    .expect("base kustomization");
    std::fs::write(
        overlay.join("kustomization.yaml"),
        "namePrefix: prod-\nnameSuffix: -v2\nresources: [../base]\n",
    )
    .expect("overlay kustomization");
    let out = Command::new(&kubectl)
        .arg("kustomize")
        .arg(&overlay)
        .output()
        .expect("run kubectl kustomize");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let docs = parse_stream(&text).expect("YAML");
    let rendered = objects(&docs);
    let text_at = |kind: &str, path: &[&str]| -> Option<String> {
        let o = rendered.iter().find(|o| o.id.kind == kind)?;
        o.node
            .path(path)
            .and_then(regcred::manifest::Node::text)
            .map(str::to_string)
    };
    // The overlay's affixes wrap the base's.
    assert_eq!(
        text_at("SealedSecret", &["metadata", "name"]).as_deref(),
        Some("prod-base-regcred-v2"),
        "{text}"
    );
    assert_eq!(
        text_at("SealedSecret", &["spec", "template", "metadata", "name"]).as_deref(),
        Some("regcred"),
        "{text}"
    );
    let pod = rendered.iter().find(|o| o.id.kind == "Pod").expect("pod");
    let refs = pod.node.path(&["spec", "imagePullSecrets"]).expect("refs");
    let names: Vec<&str> = refs
        .items()
        .iter()
        .filter_map(|i| i.get("name").and_then(regcred::manifest::Node::text))
        .collect();
    assert_eq!(names, ["regcred"], "{text}");
    // regcred's index gives the file's SealedSecret the names kustomize
    // gives it: the overlay's and the base's built alone.
    let linter = Linter::new(Config::default(), Selection::default()).expect("linter");
    let roots = [dir.path().to_path_buf()];
    let (_, _, index) = lint_paths_with_index(&linter, &roots, None, 1);
    let names: Vec<String> = index
        .names_at(&file_key(&base.join("sealed.yaml")), "regcred")
        .into_iter()
        .collect();
    assert_eq!(names, ["base-regcred", "prod-base-regcred-v2"]);
    // So the pod's unrenamed reference is reported, naming a build that
    // renames the SealedSecret.
    let (report, _) = common::lint_json(dir.path(), &[".", "--no-cache"]);
    let on_pod: Vec<String> = common::findings(&report)
        .iter()
        .filter(|f| f["rule"] == "image-pull-secret-not-found")
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(on_pod.len(), 1, "{report}");
    assert!(
        on_pod[0].contains("renames to \"base-regcred\"")
            || on_pod[0].contains("renames to \"prod-base-regcred-v2\""),
        "{on_pod:?}"
    );
}
