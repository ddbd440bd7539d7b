//! The misses of issue 12, each reproduced: what a user's real mistakes
//! looked like, and the finding (rule, level, words) each must now get.

use crate::common;

use std::fs;
use std::path::Path;

use serde_json::Value;

/// `regcred lint --format json ARGS` in `dir`: the findings as
/// (rule, level, message) and the exit code.
fn lint(dir: &Path, args: &[&str]) -> (Vec<(String, String, String)>, i32) {
    let (report, code) = common::lint_json(dir, args);
    let findings = common::findings(&report)
        .iter()
        .map(|f| {
            let text = |k: &str| common::field(f, k);
            (
                text("rule"),
                text("level"),
                format!("{} | {} | {}", text("message"), text("note"), text("help")),
            )
        })
        .collect();
    (findings, code)
}

const CORP_PULL: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: corp-pull\n  namespace: shop\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{\"auths\":{\"reg.corp.example\":{\"auth\":\"dTpw\"}}}'\n";

fn pod(pull_secrets: &[&str], image: &str) -> String {
    let items: String = pull_secrets
        .iter()
        .map(|n| format!("  - name: {n}\n"))
        .collect();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  imagePullSecrets:\n{items}  containers:\n  - name: web\n    image: {image}\n"
    )
}

#[test]
fn a_typo_in_a_pull_secret_name_is_an_error_with_the_name_meant() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "secret.yaml", CORP_PULL);
    common::write(
        dir.path(),
        "pod.yaml",
        &pod(&["corp-pul"], "reg.corp.example/team/web:1.0"),
    );
    let (found, code) = lint(dir.path(), &["."]);
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, level, text) = &found[0];
    assert_eq!(rule, "image-pull-secret-not-found");
    assert_eq!(level, "error", "the registry is private: the pull fails");
    assert!(text.contains("did you mean \"corp-pull\"?"), "{text}");
    assert!(text.contains("`name: corp-pull`"), "{text}");
    assert_eq!(code, 1);
}

#[test]
fn a_name_no_secret_can_have_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "pod.yaml", &pod(&["fooSecret"], "nginx:1.27"));
    let (found, code) = lint(dir.path(), &["pod.yaml"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "image-pull-secret-not-found");
    assert_eq!(found[0].1, "error");
    assert!(
        found[0].2.contains("no Secret can have this name"),
        "{found:?}"
    );
    // The help names what is wrong and a spelling a Secret can have, not
    // `regcred create fooSecret`, which no API server would accept.
    assert!(!found[0].2.contains("regcred create"), "{found:?}");
    assert!(found[0].2.contains("`name: foosecret`"), "{found:?}");
    assert_eq!(code, 1);
}

/// A name no Secret can have, written for one that exists in another
/// spelling (capitals, `_` for `-`): that Secret is the one meant.
#[test]
fn a_name_no_secret_can_have_is_matched_to_the_secret_meant() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "secret.yaml", CORP_PULL);
    common::write(dir.path(), "pod.yaml", &pod(&["CORP_PULL"], "nginx:1.27"));
    let (found, _) = lint(dir.path(), &["."]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].2.contains("did you mean \"corp-pull\"?"),
        "{found:?}"
    );
    assert!(found[0].2.contains("`name: corp-pull`"), "{found:?}");
    // A placeholder has no spelling to offer: the help says what a name is.
    common::write(
        dir.path(),
        "pod.yaml",
        &pod(&["<your-secret>"], "nginx:1.27"),
    );
    let (found, _) = lint(dir.path(), &["pod.yaml"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(!found[0].2.contains("regcred create"), "{found:?}");
    assert!(found[0].2.contains("placeholder"), "{found:?}");
}

#[test]
fn a_missing_pull_secret_for_a_public_image_stays_a_warning_without_a_far_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "secret.yaml", CORP_PULL);
    common::write(dir.path(), "pod.yaml", &pod(&["regcred"], "nginx:1.27"));
    let (found, code) = lint(dir.path(), &["."]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "warning");
    assert!(!found[0].2.contains("did you mean"), "{found:?}");
    assert_eq!(code, 0);
}

#[test]
fn a_secret_without_type_or_data_is_not_a_pull_secret() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: shop\n",
    );
    common::write(
        dir.path(),
        "pod.yaml",
        &pod(&["regcred"], "reg.corp.example/team/web:1.0"),
    );
    let (found, _) = lint(dir.path(), &["."]);
    let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert!(
        rules.contains(&"image-pull-secret-not-pull-secret"),
        "{found:?}"
    );
}

const POD_NEEDS_SECRET: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  imagePullSecrets:\n  - name: my-secret\n  containers:\n  - name: web\n    image: reg.example.com/team/web:1.0\n";

#[test]
fn a_docker_config_under_any_name_is_linted_when_named() {
    let dir = tempfile::tempdir().unwrap();
    // Docker Desktop's login: the credentials are in the helper.
    let desktop = "{\"auths\":{\"https://index.docker.io/v1/\":{}},\"credsStore\":\"desktop\"}\n";
    // base64 of "nocolon": no user.
    let pull = "{\"auths\":{\"reg.example.com\":{\"auth\":\"bm9jb2xvbg==\"}}}\n";
    common::write(dir.path(), "desktop.json", desktop);
    common::write(dir.path(), "pull-secret.json", pull);
    common::write(
        dir.path(),
        "package.json",
        "{\"name\": \"app\", \"version\": \"1.0.0\"}\n",
    );
    let rules = |found: &[(String, String, String)]| -> Vec<String> {
        found.iter().map(|f| f.0.clone()).collect()
    };
    let (found, code) = lint(dir.path(), &["desktop.json"]);
    assert_eq!(rules(&found), ["pull-secret-creds-store"], "{found:?}");
    assert_eq!(code, 1);
    let (found, code) = lint(dir.path(), &["pull-secret.json", "package.json"]);
    assert_eq!(rules(&found), ["pull-secret-auth-no-colon"], "{found:?}");
    assert_eq!(code, 1);
    // Stdin too.
    let out = common::regcred_cmd()
        .args(["lint", "--format", "json", "-"])
        .write_stdin(pull)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["rule"], "pull-secret-auth-no-colon");
    // A walked folder goes by names: these are JSON with no object in it.
    let (found, code) = lint(dir.path(), &["."]);
    assert_eq!((found.len(), code), (0, 0), "{found:?}");
}

#[test]
fn test_expectation_files_need_nothing_and_define_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    fs::create_dir(repo.join(".git")).unwrap();
    common::write(
        repo,
        "policy/.chainsaw-test/pod-patched.yaml",
        POD_NEEDS_SECRET,
    );
    common::write(repo, "e2e/basic/00-assert.yaml", POD_NEEDS_SECRET);
    common::write(repo, "render/testdata/golden.yaml", CORP_PULL);
    common::write(
        repo,
        "deploy/pod.yaml",
        &pod(&["corp-pull"], "reg.corp.example/team/web:1.0"),
    );
    let (found, _) = lint(repo, &["."]);
    let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        rules,
        vec!["image-pull-secret-not-found"],
        "only the deployable pod, whose Secret is test data: {found:?}"
    );
    // Turned off in the config: every file is deployable.
    common::write(
        repo,
        ".regcred.yaml",
        "test-expectations:\n  detect: false\n",
    );
    let (found, _) = lint(repo, &["."]);
    let not_found = found
        .iter()
        .filter(|f| f.0 == "image-pull-secret-not-found")
        .count();
    assert_eq!(not_found, 2, "{found:?}");
}

#[test]
fn a_repository_under_a_folder_named_testdata_is_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("testdata").join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    common::write(&repo, "deploy/pod.yaml", POD_NEEDS_SECRET);
    for args in [vec!["."], vec!["deploy/pod.yaml"]] {
        let (found, _) = lint(&repo, &args);
        let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(rules, vec!["image-pull-secret-not-found"], "{args:?}");
    }
    let absolute = repo.join("deploy/pod.yaml");
    let (found, _) = lint(dir.path(), &[absolute.to_str().unwrap()]);
    assert_eq!(found.len(), 1, "{found:?}");
}

fn hub_secret(key: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: hub\n  namespace: shop\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{{\"auths\":{{\"{key}\":{{\"auth\":\"dTpw\"}}}}}}'\n"
    )
}

#[test]
fn a_docker_hub_key_the_kubelet_does_not_match_is_an_error_naming_the_key_it_would_use() {
    for key in [
        "hub.docker.com",
        "registry-1.docker.io",
        "registry.hub.docker.com",
        "https://registry-1.docker.io/v2/",
    ] {
        let dir = tempfile::tempdir().unwrap();
        common::write(dir.path(), "secret.yaml", &hub_secret(key));
        common::write(
            dir.path(),
            "pod.yaml",
            &pod(&["hub"], "alice/private-web:1.4"),
        );
        let (found, code) = lint(dir.path(), &["."]);
        assert_eq!(found.len(), 1, "{key}: {found:?}");
        let (rule, level, text) = &found[0];
        assert_eq!(rule, "image-pull-secret-no-match", "{key}");
        assert_eq!(level, "error", "{key}");
        assert!(text.contains(&format!("{key:?}")), "{text}");
        assert!(text.contains("https://index.docker.io/v1/"), "{text}");
        assert_eq!(code, 1);
    }
    for key in [
        "https://index.docker.io/v1/",
        "docker.io",
        "index.docker.io",
    ] {
        let dir = tempfile::tempdir().unwrap();
        common::write(dir.path(), "secret.yaml", &hub_secret(key));
        common::write(
            dir.path(),
            "pod.yaml",
            &pod(&["hub"], "alice/private-web:1.4"),
        );
        let (found, _) = lint(dir.path(), &["."]);
        assert_eq!(found, vec![], "{key} is matched");
    }
}

#[test]
fn a_pull_secret_that_serves_no_image_of_the_pod_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "secret.yaml", CORP_PULL);
    common::write(dir.path(), "pod.yaml", &pod(&["corp-pull"], "nginx:1.27"));
    let (found, code) = lint(dir.path(), &["."]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "image-pull-secret-no-match");
    assert_eq!(found[0].1, "warning");
    assert!(found[0].2.contains("serve nothing"), "{found:?}");
    assert_eq!(code, 0);
}

/// `regcred lint --format json` findings with their start line and column.
fn lint_at(dir: &Path, file: &str) -> Vec<(String, String, usize, usize)> {
    let out = common::regcred_cmd()
        .current_dir(dir)
        .args(["lint", "--format", "json", file])
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    value["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["rule"].as_str().unwrap_or("").to_string(),
                        format!(
                            "{} | {}",
                            f["message"].as_str().unwrap_or(""),
                            f["note"].as_str().unwrap_or("")
                        ),
                        f["line"].as_u64().unwrap_or(0) as usize,
                        f["column"].as_u64().unwrap_or(0) as usize,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn messages_say_what_the_mistake_is() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "cert.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  ca.crt: REPLACE_WITH_BASE64_CERT\n",
    );
    let found = lint_at(dir.path(), "cert.yaml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("placeholder"), "{found:?}");
    assert!(!found[0].1.contains("URL-safe"), "{found:?}");

    common::write(
        dir.path(),
        "tab.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  a: cGFzcw==\n\tb: cGFzcw==\n",
    );
    let found = lint_at(dir.path(), "tab.yaml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("a tab in the indentation"), "{found:?}");
    assert_eq!((found[0].2, found[0].3), (7, 1), "at the tab itself");

    common::write(
        dir.path(),
        "proxy.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  serviceAccountName: runner\n  containers:\n  - name: a\n    image: '/proxyv2:'\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: y\nspec:\n  serviceAccountName: runner\n  containers:\n  - name: b\n    image: acme.azurecr.io/app:1\n",
    );
    let found = lint_at(dir.path(), "proxy.yaml");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].1.contains("starts with '/'"), "{found:?}");
    assert!(found[0].1.contains("tag after ':' is empty"), "{found:?}");
    assert!(!found[0].1.contains("doubled or trailing"), "{found:?}");
    assert_eq!(found[1].0, "missing-image-pull-secrets");
    assert!(
        found[1]
            .1
            .contains("its ServiceAccount \"runner\" has no imagePullSecrets either, so the kubelet pulls anonymously"),
        "{found:?}"
    );
}

fn create(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = common::regcred_cmd()
        .arg("create")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn create_refuses_what_lint_rejects_in_the_rules_words() {
    for (server, words) in [
        ("<your-registry-server>", "is a placeholder"),
        ("REGISTRY", "has no '.' or ':'"),
    ] {
        let (code, stdout, stderr) = create(
            &[
                "regcred",
                &format!("--docker-server={server}"),
                "--docker-username=u",
                "--docker-password-stdin",
            ],
            "pw\n",
        );
        assert_eq!(code, 2, "{server}: {stdout}");
        assert!(stdout.is_empty(), "{server}: nothing printed");
        assert!(stderr.contains("pull-secret-invalid-registry"), "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
    }
    let (code, _, stderr) = create(
        &[
            "<your-secret>",
            "--docker-server=reg.example.com",
            "--docker-username=u",
            "--docker-password-stdin",
        ],
        "pw\n",
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("secret-name-invalid"), "{stderr}");
    assert!(stderr.contains("placeholder"), "{stderr}");
    let (code, _, stderr) = create(
        &["regcred", "--from-config", "-"],
        "{\"auths\":{\"myregistry\":{\"auth\":\"dTpw\"}}}",
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("pull-secret-invalid-registry"), "{stderr}");
}

#[test]
fn create_reads_a_config_from_stdin_and_kubectls_from_file_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let config = "{\"auths\":{\"reg.example.com\":{\"auth\":\"dTpw\"}}}";
    let path = dir.path().join("config.json");
    fs::write(&path, config).unwrap();
    let (code, from_file, stderr) =
        create(&["regcred", "--from-config", path.to_str().unwrap()], "");
    assert_eq!(code, 0, "{stderr}");
    let (code, from_stdin, stderr) = create(&["regcred", "--from-config", "-"], config);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(from_stdin, from_file);
    let kubectl_spelling = format!("--from-file=.dockerconfigjson={}", path.display());
    let (code, spelled, stderr) = create(&["regcred", &kubectl_spelling], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(spelled, from_file);
    let (code, _, stderr) = create(&["regcred", "--from-file=config.json"], "");
    assert_eq!(code, 2);
    assert!(stderr.contains(".dockerconfigjson=FILE"), "{stderr}");
    // --for filters kubectl's spelling as it filters --from-config.
    let two = "{\"auths\":{\"reg.example.com\":{\"auth\":\"dTpw\"},\"other.example.com\":{\"auth\":\"dTpw\"}}}";
    let two_path = dir.path().join("two.json");
    fs::write(&two_path, two).unwrap();
    common::write(
        dir.path(),
        "k8s/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: reg.example.com/a:1\n",
    );
    let for_path = dir.path().join("k8s");
    let for_args = |source: &str| -> (i32, String, String) {
        create(
            &["regcred", source, "--for", for_path.to_str().unwrap()],
            "",
        )
    };
    let (code, spelled, stderr) = for_args(&format!(
        "--from-file=.dockerconfigjson={}",
        two_path.display()
    ));
    assert_eq!(code, 0, "{stderr}");
    let (code, from_config, stderr) = for_args(&format!("--from-config={}", two_path.display()));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(spelled, from_config);
    let (_, only_reg, _) = create(
        &[
            "regcred",
            &format!("--from-config={}", two_path.display()),
            "--registry=reg.example.com",
        ],
        "",
    );
    assert_eq!(spelled, only_reg, "only reg.example.com is kept");
}

/// A strict SealedSecret in a base that two overlays move to two other
/// namespaces: re-sealing for one of them would not do, so the help says a
/// copy per namespace or the cluster-wide scope, and names no one namespace.
#[test]
fn a_seal_moved_to_several_namespaces_is_told_to_seal_per_namespace() {
    let dir = tempfile::tempdir().unwrap();
    let base = "fixtures/rules/sealed-secret-scope-moved/bad/overlays.workspace/base";
    common::copy_tree(&common::manifest_dir().join(base), &dir.path().join("base"));
    for ns in ["prod", "staging"] {
        common::write(
            dir.path(),
            &format!("overlays/{ns}/kustomization.yaml"),
            &format!("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: {ns}\nresources:\n- ../../base\n"),
        );
    }
    let (findings, code) = lint(dir.path(), &["."]);
    assert_eq!(code, 1, "{findings:?}");
    let moved: Vec<_> = findings
        .iter()
        .filter(|(rule, _, _)| rule == "sealed-secret-scope-moved")
        .collect();
    assert_eq!(moved.len(), 1, "{findings:?}");
    let text = &moved[0].2;
    assert!(text.contains(r#"namespace "prod", "staging""#), "{text}");
    assert!(text.contains("a copy for each namespace"), "{text}");
    assert!(text.contains("--seal-scope cluster-wide"), "{text}");
    assert!(
        !text.contains("-n prod") && !text.contains("-n staging"),
        "{text}"
    );
}
