//! The rendered reports, reviewed as snapshots (insta): a change in wording
//! or layout shows up in review instead of slipping through.

use std::path::PathBuf;

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
