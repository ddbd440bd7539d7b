//! Pod checks run on several threads once a workspace has enough pods
//! (`Linter::check_pods_parallel`): the report must not depend on it.

use std::fmt::Write as _;
use std::path::PathBuf;

use regcred::lint::config::Config;
use regcred::lint::walk::lint_paths;
use regcred::lint::{Linter, Selection};

/// `apps` folders of 10 Deployments each, every other one naming a pull
/// secret that exists only in some folders, in the pod's namespace or not.
fn workspace(apps: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for app in 0..apps {
        let folder = dir.path().join(format!("app-{app}"));
        std::fs::create_dir_all(&folder).expect("create folder");
        let mut pods = String::new();
        for pod in 0..10 {
            let secret = if pod % 2 == 0 {
                "\n      imagePullSecrets: [{name: pull}]"
            } else {
                ""
            };
            write!(
                pods,
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{pod}, namespace: ns{app}}}\n\
                 spec:\n  template:\n    spec:{secret}\n      containers:\n      - name: c\n        \
                 image: reg{}.corp.example/app:{pod}\n",
                app % 7
            )
            .expect("write");
        }
        std::fs::write(folder.join("deploy.yaml"), pods).expect("write pods");
        if app % 3 == 0 {
            let namespace = if app % 2 == 0 { app } else { app + 1 };
            let secret = format!(
                "apiVersion: v1\nkind: Secret\nmetadata: {{name: pull, namespace: ns{namespace}}}\n\
                 type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \
                 '{{\"auths\":{{\"reg{}.corp.example\":{{\"auth\":\"dTpw\"}}}}}}'\n",
                app % 5
            );
            std::fs::write(folder.join("secret.yaml"), secret).expect("write secret");
        }
    }
    dir
}

#[test]
fn findings_do_not_depend_on_the_threads() {
    let dir = workspace(120);
    let linter = Linter::new(Config::default(), Selection::default()).expect("linter");
    let paths = [PathBuf::from(dir.path())];
    let (one, errors) = lint_paths(&linter, &paths, 1);
    assert!(errors.is_empty(), "{errors:?}");
    let rules: std::collections::BTreeSet<&str> = one.findings.iter().map(|f| f.rule).collect();
    for rule in [
        "image-pull-secret-not-found",
        "image-pull-secret-no-match",
        "missing-image-pull-secrets",
    ] {
        assert!(rules.contains(rule), "no {rule} in {rules:?}");
    }
    for threads in [2, 3, 8] {
        let (many, errors) = lint_paths(&linter, &paths, threads);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(one.findings, many.findings, "{threads} threads");
        assert_eq!(one.summary, many.summary, "{threads} threads");
    }
}

/// Before the report removes duplicates: every pod is checked exactly once
/// however the pods are shared among threads.
#[test]
fn every_pod_is_checked_once() {
    use regcred::lint::index::WorkspaceIndex;
    use regcred::lint::input::InputKind;

    let dir = workspace(120);
    let linter = Linter::new(Config::default(), Selection::default()).expect("linter");
    let mut index = WorkspaceIndex::default();
    let mut pods = Vec::new();
    for app in 0..120 {
        for name in ["deploy.yaml", "secret.yaml"] {
            let path = dir.path().join(format!("app-{app}")).join(name);
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let shown = path.display().to_string();
            let mut result =
                linter.collect_source(&shown, path.parent(), &bytes, InputKind::Manifest);
            index.add(std::mem::take(&mut result.index));
            pods.extend(result.pods);
        }
    }
    index.finish();
    assert_eq!(pods.len(), 1200);
    let one = linter.check_pods(&index, pods.clone());
    assert!(one.len() > 600, "only {} findings", one.len());
    for threads in [2, 4, 8] {
        let many = linter.check_pods_parallel(&index, pods.clone(), threads);
        assert_eq!(one, many, "{threads} threads");
    }
}
