//! The payload rules against their fixtures, read directly (the engine's
//! fixture harness runs the same files through the whole linter): each bad
//! fixture's data value must give exactly the rule its `# expect:` names,
//! each good one none of the payload rules.

use std::path::Path;

use regcred::gocompat::base64::{decode, Padding};
use regcred::lint::rules::all;
use regcred::lint::view::{PayloadFormat, PayloadOrigin, PullSecretView};

const PAYLOAD_RULES: [&str; 8] = [
    "pull-secret-auth-mismatch",
    "pull-secret-auth-no-colon",
    "pull-secret-auth-not-base64",
    "pull-secret-creds-store",
    "pull-secret-empty-credentials",
    "pull-secret-invalid-json",
    "pull-secret-invalid-registry",
    "pull-secret-no-auths",
];

/// The payload rules that fire on a fixture's `.dockerconfigjson` /
/// `.dockercfg` data line, and the rules that line expects.
fn fired_and_expected(path: &Path) -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let (line, format) = text
        .lines()
        .find_map(|l| {
            let t = l.trim_start();
            if t.starts_with(".dockerconfigjson:") {
                Some((t, PayloadFormat::DockerConfigJson))
            } else if t.starts_with(".dockercfg:") {
                Some((t, PayloadFormat::DockerCfg))
            } else {
                None
            }
        })
        .unwrap_or_else(|| panic!("{}: no data line", path.display()));
    let (value, comment) = line.split_once('#').unwrap_or((line, ""));
    let value = value.split_once(':').unwrap().1.trim();
    let expected: Vec<String> = comment
        .trim()
        .strip_prefix("expect:")
        .map(|rules| rules.split(',').map(|r| r.trim().to_string()).collect())
        .unwrap_or_default();
    let payload = decode(value.as_bytes(), Padding::Required).unwrap();
    let view = PullSecretView::new(&payload, format, PayloadOrigin::SecretData);
    let mut findings = Vec::new();
    for rule in all() {
        rule.check_pull_secret(&view, &mut findings);
    }
    let mut fired: Vec<String> = findings
        .iter()
        .map(|f| f.rule.to_string())
        .filter(|r| PAYLOAD_RULES.contains(&r.as_str()))
        .collect();
    fired.dedup();
    (fired, expected)
}

#[test]
fn payload_rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut checked = 0;
    for rule in PAYLOAD_RULES {
        for (kind, must_exist) in [("bad", true), ("good", true)] {
            let dir = root.join(rule).join(kind);
            let entries =
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            let mut count = 0;
            for entry in entries {
                let path = entry.unwrap().path();
                let (fired, expected) = fired_and_expected(&path);
                if kind == "bad" {
                    assert_eq!(expected, [rule], "{}: expectation", path.display());
                }
                assert_eq!(fired, expected, "{}", path.display());
                count += 1;
            }
            assert!(!must_exist || count > 0, "{}: no fixtures", dir.display());
            checked += count;
        }
    }
    assert!(checked >= 30);
}
