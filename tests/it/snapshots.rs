//! The rendered reports, reviewed as snapshots (insta): a change in wording
//! or layout shows up in review instead of slipping through.

use std::path::PathBuf;

use crate::common;

use regcred::lint::walk::lint_paths;
use regcred::lint::Linter;
use regcred::report::{render, Format};

fn report(dirs: &[&str], format: Format) -> String {
    let paths: Vec<PathBuf> = dirs
        .iter()
        .map(|d| PathBuf::from(format!("fixtures/rules/{d}")))
        .collect();
    let (outcome, errors) = lint_paths(&Linter::default(), &paths, 1);
    assert!(errors.is_empty(), "{errors:?}");
    render(&outcome, format, false)
}

#[test]
fn human_secret_data_not_base64() {
    insta::assert_snapshot!(report(&["secret-data-not-base64/bad"], Format::Human));
}

#[test]
fn human_pull_secret_rules() {
    insta::assert_snapshot!(report(
        &["pull-secret-missing-key/bad", "pull-secret-wrong-type/bad"],
        Format::Human
    ));
}

#[test]
fn human_yaml_syntax_errors_and_skipped_templates() {
    insta::assert_snapshot!(report(&["yaml-syntax-error"], Format::Human));
}

#[test]
fn json_secret_data_rules() {
    insta::assert_snapshot!(report(
        &["secret-data-not-string/bad", "secret-data-plaintext/bad"],
        Format::Json
    ));
}

/// SARIF's results only: the driver's rule list repeats every rule's
/// explanation, which docs/rules.md already holds for review.
#[test]
fn sarif_results_payload_rules() {
    let text = report(
        &[
            "pull-secret-auth-no-colon/bad",
            "secret-data-not-base64/bad",
        ],
        Format::Sarif,
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &doc["runs"][0];
    let shown = serde_json::json!({
        "columnKind": run["columnKind"],
        "results": run["results"],
    });
    insta::assert_snapshot!(serde_json::to_string_pretty(&shown).unwrap());
}

#[test]
fn github_payload_rules() {
    insta::assert_snapshot!(report(
        &[
            "pull-secret-auth-no-colon/bad",
            "secret-data-not-base64/bad"
        ],
        Format::Github
    ));
}

#[test]
fn gitlab_payload_rules() {
    insta::assert_snapshot!(report(
        &[
            "pull-secret-auth-no-colon/bad",
            "secret-data-not-base64/bad"
        ],
        Format::Gitlab
    ));
}

#[test]
fn junit_payload_rules_and_clean_files() {
    insta::assert_snapshot!(report(
        &["pull-secret-auth-no-colon", "secret-data-not-base64/bad"],
        Format::Junit
    ));
}

#[test]
fn human_workload_rules() {
    insta::assert_snapshot!(report(
        &[
            "image-pull-secret-no-match/bad",
            "image-pull-secret-not-found/bad",
            "image-pull-secret-not-pull-secret/bad",
            "missing-image-pull-secrets/bad",
        ],
        Format::Human
    ));
}

#[test]
fn json_workload_rules() {
    insta::assert_snapshot!(report(
        &[
            "image-reference-invalid/bad",
            "image-pull-secret-empty-name/bad"
        ],
        Format::Json
    ));
}

/// `regcred inspect` on the inspect fixtures (kubectl's List, a Docker
/// config with a stale auth, a token-only entry, an unparsable key and a
/// duplicate key) with a Deployment and an image.
fn inspection(format: &str) -> String {
    use regcred::inspect::{self, Request};
    let linter = Linter::default().collecting_pull_secrets();
    let read = regcred::lint::walk::inspect_paths(&linter, &[PathBuf::from("fixtures/inspect")], 1);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let request = Request {
        images: vec!["api.corp.example/x".into(), "Not/Valid".into()],
        pod_files: vec![PathBuf::from("fixtures/inspect/deployment.yaml")],
    };
    let inspection = inspect::inspect(&read, &request);
    match format {
        "json" => inspect::json::render(&inspection),
        _ => inspect::human::render(&inspection),
    }
}

#[test]
fn human_inspect() {
    insta::assert_snapshot!(inspection("human"));
}

#[test]
fn json_inspect() {
    insta::assert_snapshot!(inspection("json"));
}

/// Every rule's human message, from its bad fixtures (fixtures/rules/<id>/bad/,
/// or the generated one of a rule too big to commit): a new rule gets its
/// snapshot here, to review, or this test fails.
#[test]
fn human_message_of_every_rule() {
    for rule in regcred::lint::rules::all() {
        let id = rule.id();
        let text = match common::generated_bad(id) {
            Some(bad) => {
                let dir = tempfile::tempdir().unwrap();
                std::fs::write(dir.path().join("bad.yaml"), bad).unwrap();
                let (outcome, errors) =
                    lint_paths(&Linter::default(), &[dir.path().to_path_buf()], 1);
                assert!(errors.is_empty(), "{errors:?}");
                let shown = format!("{}/", dir.path().display());
                render(&outcome, Format::Human, false).replace(&shown, "<generated>/")
            }
            None => report(&[&format!("{id}/bad")], Format::Human),
        };
        assert!(text.contains(&format!("[{id}]")), "{id} not found:\n{text}");
        insta::assert_snapshot!(format!("human_rule_{id}"), text);
    }
}

/// The check that fails when a rule has no snapshot of its human message,
/// whichever test wrote it.
#[test]
fn every_rule_has_a_human_message_snapshot() {
    let dir = common::manifest_dir().join("tests/it/snapshots");
    let snapshots: String = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "snap"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let missing: Vec<&str> = regcred::lint::rules::all()
        .iter()
        .map(|r| r.id())
        .filter(|id| {
            !["error", "warning", "info"]
                .iter()
                .any(|level| snapshots.contains(&format!("{level}[{id}]: ")))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no human message snapshot for {missing:?}"
    );
}
