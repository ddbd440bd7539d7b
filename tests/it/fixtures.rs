//! Walks `fixtures/rules/<rule-id>/{bad,good}/` and checks each file's
//! findings against its `# expect: RULE[, RULE]` comments (on the line the
//! finding must start on; `# expect-below:` / `# expect-above:` name the
//! next / previous line). A `good/` file has no expectations, so it must
//! produce no finding at all. Files that cannot hold comments (Docker config
//! JSON) list `LINE RULE` pairs in a `NAME.expect` file beside them.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use regcred::lint::input::classify;
use regcred::lint::rules::RULES;
use regcred::lint::walk::lint_paths;
use regcred::lint::Linter;

fn expectations(path: &Path, text: &str) -> BTreeSet<(usize, String)> {
    let mut out = BTreeSet::new();
    let sidecar = PathBuf::from(format!("{}.expect", path.display()));
    if let Ok(list) = fs::read_to_string(&sidecar) {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let (n, rule) = line.trim().split_once(' ').expect("LINE RULE");
            out.insert((n.parse().expect("line number"), rule.trim().to_string()));
        }
    }
    for (i, line) in text.lines().enumerate() {
        for (marker, target) in [
            ("# expect-below:", i + 2),
            ("# expect-above:", i),
            ("# expect:", i + 1),
        ] {
            if let Some(at) = line.find(marker) {
                for rule in line[at + marker.len()..].split(',') {
                    out.insert((target, rule.trim().to_string()));
                }
                break;
            }
        }
    }
    out
}

fn lint(path: &Path, bytes: &[u8]) -> BTreeSet<(usize, String)> {
    let linter = Linter::default();
    let kind = classify(path, true).expect("a fixture is lintable");
    let result = linter.lint_source(&path.display().to_string(), path.parent(), bytes, kind);
    result
        .findings
        .iter()
        .map(|f| (f.start.line, f.rule.to_string()))
        .collect()
}

/// A folder named `*.workspace` is linted as a whole (cross-file rules:
/// pods and the Secrets they name); its findings are keyed by file.
fn is_workspace(path: &Path) -> bool {
    path.is_dir() && path.extension().is_some_and(|e| e == "workspace")
}

/// Lints a workspace folder as one run; (file, line, rule) per finding.
fn lint_workspace(dir: &Path) -> BTreeSet<(PathBuf, usize, String)> {
    let linter = Linter::default();
    let (outcome, errors) = lint_paths(&linter, &[dir.to_path_buf()], 1);
    assert!(errors.is_empty(), "{errors:?}");
    outcome
        .findings
        .iter()
        .map(|f| (PathBuf::from(&f.path), f.start.line, f.rule.to_string()))
        .collect()
}

fn workspace_expectations(dir: &Path) -> BTreeSet<(PathBuf, usize, String)> {
    let mut out = BTreeSet::new();
    for file in files(dir) {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for (line, rule) in expectations(&file, &text) {
            out.insert((file.clone(), line, rule));
        }
    }
    out
}

/// The fixture files under `dir`, sub-folders included (a kustomization
/// must be named `kustomization.yaml`, so each gets its own folder);
/// workspace folders are returned as folders.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for path in entries {
        if is_workspace(&path) && dir.extension().is_none_or(|e| e != "workspace") {
            out.push(path);
        } else if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().is_none_or(|e| e != "expect") {
            out.push(path);
        }
    }
    out
}

#[test]
fn every_fixture_finds_exactly_what_it_expects() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in RULES {
        let dir = root.join(rule.id());
        let bad = files(&dir.join("bad"));
        let good = files(&dir.join("good"));
        if good.is_empty() {
            failures.push(format!("{}: no good fixture", rule.id()));
        }
        let mut fired = bad.iter().any(|p| {
            if is_workspace(p) {
                return workspace_expectations(p)
                    .iter()
                    .any(|(_, _, r)| r == rule.id());
            }
            expectations(p, &fs::read_to_string(p).unwrap_or_default())
                .iter()
                .any(|(_, r)| r == rule.id())
        });
        if let Some(text) = common::generated_bad(rule.id()) {
            let path = dir.join("bad/generated.yaml");
            let found = lint(&path, text.as_bytes());
            let expected = expectations(&path, &text);
            if found != expected {
                failures.push(format!(
                    "{} (generated):\n  expected {expected:?}\n  found    {found:?}",
                    rule.id()
                ));
            }
            fired = true;
            checked += 1;
        }
        if !fired {
            failures.push(format!("{}: no bad fixture expects it", rule.id()));
        }
        for path in bad.iter().chain(&good) {
            if is_workspace(path) {
                let expected = workspace_expectations(path);
                let found = lint_workspace(path);
                checked += 1;
                if found != expected {
                    failures.push(format!(
                        "{}:\n  expected {expected:?}\n  found    {found:?}",
                        path.strip_prefix(&root).unwrap_or(path).display()
                    ));
                }
                continue;
            }
            let bytes = fs::read(path).expect("readable fixture");
            let text = String::from_utf8_lossy(&bytes);
            let expected = expectations(path, &text);
            let found = lint(path, &bytes);
            checked += 1;
            if found != expected {
                failures.push(format!(
                    "{}:\n  expected {expected:?}\n  found    {found:?}",
                    path.strip_prefix(&root).unwrap_or(path).display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} fixtures wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
