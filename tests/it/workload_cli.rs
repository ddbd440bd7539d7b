//! Workload checks end to end: single files resolved against their
//! repository (`--context`), configured registries.

use crate::common;

use std::fs;
use std::path::Path;

use serde_json::Value;

const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{\"auths\":{\"reg.example.com\":{\"auth\":\"dTpw\"}}}'\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: broken\ndata:\n  password: cGFzc3dvcmQ\n";
const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      imagePullSecrets:\n      - name: regcred\n      containers:\n      - name: web\n        image: reg.example.com:5000/web:1.0\n";
const UNKNOWN: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: reg.unlisted.example/a:1\n";

/// `regcred lint --format json ARGS` in `dir`: the findings as
/// (rule, level, path) and the exit code.
fn lint(dir: &Path, args: &[&str]) -> (Vec<(String, String, String)>, i32) {
    let (report, code) = common::lint_json(dir, args);
    let findings = common::findings(&report)
        .iter()
        .map(|f| {
            (
                common::field(f, "rule"),
                common::field(f, "level"),
                common::field(f, "path"),
            )
        })
        .collect();
    (findings, code)
}

#[test]
fn a_single_file_is_resolved_against_its_repository_but_reported_alone() {
    let repo = tempfile::tempdir().unwrap();
    fs::create_dir(repo.path().join(".git")).unwrap();
    common::write(repo.path(), "k8s/secret.yaml", SECRET);
    common::write(repo.path(), "k8s/app/deploy.yaml", DEPLOY);
    // From the repository root: the Secret is found and read, so the port
    // mismatch is seen (an error: the key names the image's host with
    // another port); the broken Secret next door is not reported.
    let (found, code) = lint(repo.path(), &["k8s/app/deploy.yaml"]);
    assert_eq!(
        found,
        vec![(
            "image-pull-secret-no-match".to_string(),
            "error".to_string(),
            "k8s/app/deploy.yaml".to_string()
        )]
    );
    assert_eq!(code, 1);
    // From a sub-folder: the git work tree is still the context.
    let (found, _) = lint(&repo.path().join("k8s/app"), &["deploy.yaml"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "image-pull-secret-no-match");
    // An explicit context that does not hold the Secret.
    let (found, _) = lint(
        repo.path(),
        &["--context", "k8s/app", "k8s/app/deploy.yaml"],
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "image-pull-secret-not-found");
}

#[test]
fn a_folder_is_resolved_against_its_repository_else_alone() {
    let repo = tempfile::tempdir().unwrap();
    common::write(repo.path(), "k8s/secret.yaml", SECRET);
    common::write(repo.path(), "k8s/app/deploy.yaml", DEPLOY);
    // Outside any repository and with no .regcred.yaml: the folder alone.
    let (found, _) = lint(repo.path(), &["k8s/app"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "image-pull-secret-not-found");
    // In a repository: the Secret elsewhere in it is found.
    fs::create_dir(repo.path().join(".git")).unwrap();
    let (found, _) = lint(repo.path(), &["k8s/app"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "image-pull-secret-no-match");
}

#[test]
fn unknown_registries_are_info_unless_configured() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "pod.yaml", UNKNOWN);
    let (found, code) = lint(dir.path(), &["pod.yaml"]);
    assert_eq!(
        found,
        vec![(
            "missing-image-pull-secrets".to_string(),
            "info".to_string(),
            "pod.yaml".to_string()
        )]
    );
    assert_eq!(code, 0, "info never fails the build");
    for (config, expected) in [
        ("registries:\n  unknown: error\n", Some("error")),
        ("registries:\n  unknown: off\n", None),
        (
            "registries:\n  private: ['*.unlisted.example']\n",
            Some("error"),
        ),
        ("registries:\n  public: [reg.unlisted.example]\n", None),
    ] {
        common::write(dir.path(), ".regcred.yaml", config);
        let (found, _) = lint(dir.path(), &["pod.yaml"]);
        let levels: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(levels, expected.into_iter().collect::<Vec<_>>(), "{config}");
    }
}

#[test]
fn infos_of_one_unknown_registry_are_one_summary_in_the_human_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut pods: Vec<String> = (0..12)
        .map(|i| UNKNOWN.replace("name: p", &format!("name: p{i}")))
        .collect();
    // Another unknown registry, once: shown in full.
    let other = UNKNOWN.replace("name: p", "name: q");
    let (registry, _) = other
        .split_once("image: ")
        .and_then(|(_, image)| image.split_once('/'))
        .unwrap();
    pods.push(other.replace(registry, "other.unlisted.example"));
    common::write(dir.path(), "pods.yaml", &pods.join("---\n"));
    let human = |extra: &[&str]| {
        let out = common::regcred_cmd()
            .current_dir(dir.path())
            .args(["lint", "pods.yaml"])
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        common::stdout(&out)
    };
    let text = human(&[]);
    // One summary for the twelve: count, first place, the advice once.
    assert_eq!(
        text.matches(
            "info[missing-image-pull-secrets]: 12 findings alike; the first, at pods.yaml:"
        )
        .count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches(&format!("if {registry} is private")).count(),
        1,
        "{text}"
    );
    // The other registry's one finding in full, with its snippet.
    assert_eq!(text.matches("--> pods.yaml").count(), 1, "{text}");
    assert!(text.contains("\"other.unlisted.example\""), "{text}");
    assert!(text.contains("13 infos"), "{text}");
    // --each-info: every one in full; JSON lists them all anyway.
    assert_eq!(human(&["--each-info"]).matches("--> pods.yaml").count(), 13);
    let (found, _) = lint(dir.path(), &["pods.yaml"]);
    assert_eq!(found.len(), 13, "JSON lists them all");
}

#[test]
fn create_for_skips_registries_the_config_calls_public() {
    let dir = tempfile::tempdir().unwrap();
    let config =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/create/several-registries.json");
    common::write(
        dir.path(),
        "k8s/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: quay.io/team/a:1}\n  - {name: b, image: mirror.corp.example/b:1}\n",
    );
    let create = || {
        common::regcred_cmd()
            .current_dir(dir.path())
            .args([
                "create",
                "pull",
                "-o",
                "json",
                "--for",
                "k8s",
                "--from-config",
            ])
            .arg(&config)
            .output()
            .unwrap()
    };
    let out = create();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mirror.corp.example/b:1") && stderr.contains("k8s/pod.yaml:7"),
        "{stderr}"
    );
    common::write(
        dir.path(),
        ".regcred.yaml",
        "registries:\n  public: [mirror.corp.example]\n",
    );
    let out = create();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let secret: Value = serde_json::from_slice(&out.stdout).unwrap();
    let payload = secret["data"][".dockerconfigjson"].as_str().unwrap();
    let payload = regcred::gocompat::base64::decode(
        payload.as_bytes(),
        regcred::gocompat::base64::Padding::Required,
    )
    .unwrap();
    let payload: Value = serde_json::from_slice(&payload).unwrap();
    let servers: Vec<&String> = payload["auths"].as_object().unwrap().keys().collect();
    assert_eq!(servers, ["quay.io"]);
}

/// A file named on the command line inside the context is read once: its
/// Secret is one definition, whichever way the paths are spelled.
#[test]
fn a_named_file_is_not_indexed_again_from_the_context() {
    let top = tempfile::tempdir().unwrap();
    let repo = top.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    common::write(
        &repo,
        "k8s/secret.yaml",
        &SECRET.replacen("name: regcred\n", "name: regcred\n  namespace: a\n", 1),
    );
    common::write(
        &repo,
        "k8s/app/deploy.yaml",
        &DEPLOY.replacen("name: web\n", "name: web\n  namespace: b\n", 1),
    );
    // Read only through the context: found, so no finding for it.
    common::write(
        &repo,
        "k8s/other/secret.yaml",
        &SECRET
            .replacen("name: regcred\n", "name: other\n  namespace: b\n", 1)
            .replace("reg.example.com", "reg.example.com:5000"),
    );
    common::write(
        &repo,
        "k8s/app/deploy.yaml",
        &DEPLOY
            .replacen("name: web\n", "name: web\n  namespace: b\n", 1)
            .replace(
                "- name: regcred\n",
                "- name: regcred\n      - name: other\n",
            ),
    );
    std::os::unix::fs::symlink(&repo, top.path().join("link")).unwrap();
    for (dir, args) in [
        (
            repo.join("k8s"),
            vec!["--context", "..", "secret.yaml", "app/deploy.yaml"],
        ),
        (repo.clone(), vec!["k8s/secret.yaml", "k8s/app/deploy.yaml"]),
        (
            repo.clone(),
            vec!["--context", ".", "./k8s/secret.yaml", "k8s/app/deploy.yaml"],
        ),
        (
            top.path().to_path_buf(),
            vec![
                "--context",
                "link",
                "repo/k8s/secret.yaml",
                "link/k8s/app/deploy.yaml",
            ],
        ),
    ] {
        let out = common::regcred_cmd()
            .current_dir(&dir)
            .args(["lint", "--format", "json"])
            .args(&args)
            .output()
            .unwrap();
        let value: Value = serde_json::from_slice(&out.stdout).unwrap();
        let messages: Vec<&str> = value["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "image-pull-secret-not-found")
            .filter_map(|f| f["message"].as_str())
            .collect();
        assert_eq!(messages.len(), 1, "{args:?}: {messages:?}");
        assert_eq!(
            messages[0].matches("Secret in namespace").count(),
            1,
            "{args:?}: {}",
            messages[0]
        );
    }
}
