//! `regcred lint` end to end: inputs, exit codes, configuration, output.

use crate::common;

use std::path::Path;

use serde_json::Value;

const BAD_SECRET: &str =
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: cGFzc3dvcmQ\n";
const PLAINTEXT_SECRET: &str =
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: hunter42\n";
const CLEAN_SECRET: &str =
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  password: x\n";

fn rules_in(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["rule"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "clean.yaml", CLEAN_SECRET);
    common::regcred_cmd()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(0);
    common::write(dir.path(), "warn.yaml", PLAINTEXT_SECRET);
    common::regcred_cmd()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(0);
    common::regcred_cmd()
        .current_dir(dir.path())
        .args(["lint", "--fail-on", "warning"])
        .assert()
        .code(1);
    common::write(dir.path(), "bad.yaml", BAD_SECRET);
    common::regcred_cmd()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(1);
    common::regcred_cmd()
        .current_dir(dir.path())
        .args(["lint", "missing-dir"])
        .assert()
        .code(2);
    common::regcred_cmd()
        .current_dir(dir.path())
        .args(["lint", "--select", "no-such-rule"])
        .assert()
        .code(2);
    common::regcred_cmd()
        .current_dir(dir.path())
        .args(["lint", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn stdin_is_linted() {
    let out = common::regcred_cmd()
        .args(["lint", "-", "--format", "json"])
        .write_stdin(BAD_SECRET)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["path"], "<stdin>");
    assert_eq!(report["findings"][0]["rule"], "secret-data-not-base64");
}

#[test]
fn walk_reads_hidden_folders_honours_gitignore_and_skips_git() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), ".hidden/a.yaml", BAD_SECRET);
    common::write(dir.path(), ".git/b.yaml", BAD_SECRET);
    common::write(dir.path(), "ignored/c.yaml", BAD_SECRET);
    common::write(dir.path(), ".gitignore", "ignored/\n");
    common::write(dir.path(), "notes.txt", BAD_SECRET);
    let (report, code) = common::lint_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec![".hidden/a.yaml"]);
    // A file named explicitly is read whatever its extension.
    let (report, _) = common::lint_json(dir.path(), &["notes.txt"]);
    assert_eq!(rules_in(&report), vec!["secret-data-not-base64"]);
}

#[test]
fn select_ignore_and_config_levels() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "s.yaml",
        &format!("{BAD_SECRET}  token: admin123\n"),
    );
    let (report, _) = common::lint_json(dir.path(), &[]);
    assert_eq!(
        rules_in(&report),
        vec!["secret-data-not-base64", "secret-data-plaintext"]
    );
    let (report, _) = common::lint_json(dir.path(), &["--select", "secret-data-plaintext"]);
    assert_eq!(rules_in(&report), vec!["secret-data-plaintext"]);
    let (report, code) = common::lint_json(dir.path(), &["--ignore", "secret-data-not-base64"]);
    assert_eq!(
        (rules_in(&report), code),
        (vec!["secret-data-plaintext".to_string()], 0)
    );
    common::write(
        dir.path(),
        ".regcred.yaml",
        "rules:\n  secret-data-not-base64: off\n  secret-data-plaintext: error\n",
    );
    let (report, code) = common::lint_json(dir.path(), &[]);
    assert_eq!(rules_in(&report), vec!["secret-data-plaintext"]);
    assert_eq!(
        (report["findings"][0]["level"].as_str(), code),
        (Some("error"), 1)
    );
}

#[test]
fn config_found_upwards_and_mistakes_have_lines() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        ".regcred.yaml",
        "skip:\n  - generated/\nrules:\n  secret-data-not-base64: loud\n",
    );
    common::write(dir.path(), "sub/s.yaml", BAD_SECRET);
    let out = common::regcred_cmd()
        .current_dir(dir.path().join("sub"))
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(".regcred.yaml:4:"), "{stderr}");
    common::write(dir.path(), ".regcred.yaml", "skip:\n  - generated/\n");
    common::write(dir.path(), "generated/s.yaml", BAD_SECRET);
    let paths = |report: &Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    let (report, _) = common::lint_json(dir.path(), &[]);
    assert_eq!(paths(&report), vec!["sub/s.yaml"]);
    // An empty config: the defaults (a regular file; /dev/null is a device).
    common::write(dir.path(), "empty.yaml", "");
    let (report, _) = common::lint_json(dir.path(), &["--config", "empty.yaml"]);
    assert_eq!(paths(&report), vec!["generated/s.yaml", "sub/s.yaml"]);
}

#[test]
fn suppressions_by_comment_and_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let annotated = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\n  annotations:\n    regcred.dev/ignore: secret-data-not-base64\ndata:\n  password: cGFzc3dvcmQ\n";
    let commented = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  # regcred:ignore secret-data-not-base64\n  password: cGFzc3dvcmQ\n  other: cGFzc3dvcmQ  # regcred:ignore secret-data-not-base64\n  third: cGFzc3dvcmQ  # regcred:ignore secret-name-invalid\n";
    common::write(dir.path(), "a.yaml", annotated);
    common::write(dir.path(), "c.yaml", commented);
    let (report, _) = common::lint_json(dir.path(), &[]);
    let lines: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, vec![("c.yaml".to_string(), 9)]);
}

#[test]
fn kustomize_generator_files_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "k/kustomization.yaml", "secretGenerator:\n- name: pull\n  type: kubernetes.io/dockerconfigjson\n  files:\n  - .dockerconfigjson=creds/../creds/docker.json\n");
    common::write(dir.path(), "k/creds/docker.json", "{\"auths\":{}}");
    let (report, _) = common::lint_json(dir.path(), &[]);
    // kustomization.yaml + the generator's payload (docker.json is also
    // walked as JSON; without `kind` it is not parsed).
    assert_eq!(report["summary"]["files"], 3);
}

#[test]
fn output_is_plain_off_a_terminal_and_never_shows_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: c3VwZXJzZWNyZXQ hunter2\n  word: hunter42\nstringData:\n  enabled: yes\n";
    common::write(dir.path(), "s.yaml", secret);
    for format in ["human", "json"] {
        let out = common::regcred_cmd()
            .current_dir(dir.path())
            .args(["lint", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains('\x1b'), "{text}");
        for leak in ["c3VwZXJzZWNyZXQ", "hunter2", "hunter42", "supersecret"] {
            assert!(
                !text.contains(leak),
                "{format} output shows {leak}:\n{text}"
            );
        }
        assert!(text.contains("secret-data-not-base64"));
    }
}

#[test]
fn json_report_matches_its_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("../../schemas/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let (report, _) = common::lint_json(&root, &[]);
    assert!(report["findings"].as_array().unwrap().len() > 10);
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let findings = report["findings"].as_array().unwrap();
    let keys: Vec<(String, u64, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "findings are sorted by path, line, column, rule"
    );
}

#[test]
fn explain_lists_and_prints_rules() {
    let out = common::regcred_cmd().arg("explain").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().count() >= 11 && text.contains("secret-data-not-base64"));
    let out = common::regcred_cmd()
        .args(["explain", "secret-data-not-base64"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("**Why.**"));
    // Whether `--fix` fixes it comes first.
    let first_line = |rule: &str| {
        let out = common::regcred_cmd()
            .args(["explain", rule])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines().next().unwrap_or("").to_string()
    };
    assert_eq!(
        first_line("pull-secret-wrong-type"),
        "pull-secret-wrong-type (error by default; `regcred lint --fix` fixes it)"
    );
    assert_eq!(
        first_line("secret-data-not-base64"),
        "secret-data-not-base64 (error by default)"
    );
    common::regcred_cmd()
        .args(["explain", "nope"])
        .assert()
        .code(2);
}

#[test]
fn docker_configs_in_the_tree_are_checked_at_their_own_position() {
    let dir = tempfile::tempdir().unwrap();
    // auth = base64("nocolon"): the kubelet rejects it.
    let config =
        "{\n  \"auths\": {\n    \"reg.example.com\": {\"auth\": \"bm9jb2xvbg==\"}\n  }\n}\n";
    common::write(dir.path(), "home/.docker/config.json", config);
    common::write(dir.path(), "k/kustomization.yaml", "secretGenerator:\n- name: pull\n  type: kubernetes.io/dockerconfigjson\n  files:\n  - .dockerconfigjson=creds/docker.json\n");
    common::write(dir.path(), "k/creds/docker.json", config);
    let (report, code) = common::lint_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found: Vec<(String, String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["rule"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let col = config.lines().nth(2).unwrap().find("\"bm9j").unwrap() as u64 + 1;
    let rule = "pull-secret-auth-no-colon".to_string();
    assert_eq!(
        found,
        vec![
            ("home/.docker/config.json".to_string(), rule.clone(), 3, col),
            ("k/creds/docker.json".to_string(), rule, 3, col),
        ]
    );
    let out = common::regcred_cmd()
        .current_dir(dir.path())
        .arg("lint")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("bm9jb2xvbg"), "{text}");
}

#[test]
fn a_docker_config_named_by_a_kustomization_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = "{\"auths\": {\"reg.example.com\": {\"auth\": \"bm9jb2xvbg==\"}}}";
    common::write(dir.path(), "k/kustomization.yaml", "secretGenerator:\n- name: pull\n  type: kubernetes.io/dockerconfigjson\n  files:\n  - .dockerconfigjson=.docker/config.json\n");
    common::write(dir.path(), "k/.docker/config.json", config);
    let (report, _) = common::lint_json(dir.path(), &[]);
    assert_eq!(report["findings"].as_array().unwrap().len(), 1, "{report}");
}

#[test]
fn byte_order_mark_and_crlf_keep_positions() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("\u{feff}{}", BAD_SECRET.replace('\n', "\r\n"));
    common::write(dir.path(), "bom.yaml", &text);
    let (report, _) = common::lint_json(dir.path(), &[]);
    let f = &report["findings"][0];
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(6), Some(23)),
        "{report}"
    );
}

#[test]
fn colour_is_forced_only_without_no_color() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "s.yaml", BAD_SECRET);
    let run = |no_color: bool| {
        let mut cmd = common::regcred_cmd();
        cmd.current_dir(dir.path())
            .arg("lint")
            .env("CLICOLOR_FORCE", "1");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    assert!(
        run(false).contains('\x1b'),
        "styled output when colour is forced"
    );
    assert!(!run(true).contains('\x1b'), "NO_COLOR wins");
}
