//! The CI report formats (`--format sarif|github|gitlab|junit`) checked by
//! what reads them: the SARIF 2.1.0 schema and Microsoft's SARIF validator,
//! sarif-tools, GitLab's documented Code Quality fields, junitparser and a
//! JUnit schema (tests/schemas/junit.xsd), and
//! GitHub's unescaping rules; and never a secret in any of them.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use regcred::gocompat::base64::encode;
use serde_json::Value;

const FORMATS: [&str; 6] = ["human", "json", "sarif", "github", "gitlab", "junit"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

/// `regcred lint --format FORMAT ARGS` in `dir`: stdout and exit code.
fn lint(dir: &Path, format: &str, args: &[&str]) -> (String, i32) {
    let out = Command::new(common::regcred())
        .current_dir(dir)
        .args(["lint", "--format", format])
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run regcred");
    (
        String::from_utf8(out.stdout).expect("UTF-8 report"),
        out.status.code().unwrap_or(-1),
    )
}

/// The JSON report's findings, the reference the other formats must agree with.
fn json_findings(dir: &Path, args: &[&str]) -> Vec<Value> {
    let (text, _) = lint(dir, "json", args);
    let report: Value = serde_json::from_str(&text).expect("JSON report");
    report["findings"].as_array().cloned().unwrap_or_default()
}

// ---------------------------------------------------------------- SARIF

fn sarif_schema() -> Value {
    serde_json::from_str(include_str!("../../schemas/sarif-schema-2.1.0.json")).expect("schema")
}

#[test]
fn sarif_is_valid_against_the_oasis_schema() {
    let (text, code) = lint(&fixtures(), "sarif", &[]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let validator = jsonschema::validator_for(&sarif_schema()).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is not vacuous: a wrong level and a zero line fail it.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert_eq!(validator.iter_errors(&broken).count(), 2);
}

#[test]
fn sarif_results_agree_with_the_json_report() {
    let dir = fixtures();
    let (text, _) = lint(&dir, "sarif", &[]);
    let doc: Value = serde_json::from_str(&text).expect("SARIF");
    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "regcred");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let registry: Vec<&str> = regcred::lint::rules::all().iter().map(|r| r.id()).collect();
    assert_eq!(ids, registry);
    for rule in rules {
        for field in ["shortDescription", "fullDescription", "help"] {
            let words = rule[field]["text"].as_str().unwrap_or("");
            assert!(words.len() > 20, "{field} of {}: {words:?}", rule["id"]);
        }
        let id = rule["id"].as_str().unwrap_or("");
        assert_eq!(
            rule["help"]["markdown"].as_str(),
            regcred::lint::rules::explanation(id)
        );
        // Whether `--fix` fixes it, as the rule says.
        let fixable = regcred::lint::rules::by_id(id).is_some_and(|r| r.fixable());
        assert_eq!(rule["properties"]["fixable"], fixable, "{id}");
        assert!(rule["fullDescription"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("Why."));
    }
    let results = run["results"].as_array().expect("results");
    let findings = json_findings(&dir, &[]);
    assert_eq!(results.len(), findings.len());
    assert!(results.len() > 10);
    let level = |l: &str| {
        if l == "info" {
            "note".to_string()
        } else {
            l.to_string()
        }
    };
    for (r, f) in results.iter().zip(&findings) {
        assert_eq!(r["ruleId"], f["rule"]);
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], f["rule"]);
        assert_eq!(r["level"], level(f["level"].as_str().unwrap_or("")));
        assert!(r["message"]["text"]
            .as_str()
            .unwrap_or("")
            .starts_with(f["message"].as_str().unwrap_or("?")));
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap_or("");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(uri, f["path"].as_str().unwrap_or("").replace(' ', "%20"));
        assert!(!uri.starts_with('/') && !uri.starts_with("./") && !uri.contains('\\'));
        let region = &location["region"];
        assert_eq!(region["startLine"], f["line"]);
        assert_eq!(region["startColumn"], f["column"]);
        assert_eq!(region["endLine"], f["end_line"]);
        assert_eq!(region["endColumn"], f["end_column"]);
    }
    // Fingerprints: one per result, all distinct, the same on a second run.
    let prints = |doc: &Value| -> Vec<String> {
        doc["runs"][0]["results"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                r["partialFingerprints"]["regcred/v1"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    let first = prints(&doc);
    assert_eq!(first.iter().collect::<BTreeSet<_>>().len(), first.len());
    let again: Value = serde_json::from_str(&lint(&dir, "sarif", &[]).0).expect("SARIF");
    assert_eq!(prints(&again), first);
}

/// A pull secret with a wrong auth, in a file that can grow lines above it.
const PAYLOAD_SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\n\
type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \
'{\"auths\":{\"reg.example.com\":{\"auth\":\"czNjcmV0\"}}}'\n---\napiVersion: v1\nkind: Secret\n\
metadata:\n  name: app\ndata:\n  a: not base64!\n  b: not base64!\n";

#[test]
fn fingerprints_survive_lines_inserted_above_in_sarif_and_gitlab() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "deploy/pull.yaml", PAYLOAD_SECRET);
    let before_sarif: Value =
        serde_json::from_str(&lint(dir.path(), "sarif", &[]).0).expect("sarif");
    let before_gitlab: Value =
        serde_json::from_str(&lint(dir.path(), "gitlab", &[]).0).expect("gitlab");
    common::write(
        dir.path(),
        "deploy/pull.yaml",
        &format!("# a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n---\n{PAYLOAD_SECRET}"),
    );
    let after_sarif: Value =
        serde_json::from_str(&lint(dir.path(), "sarif", &[]).0).expect("sarif");
    let after_gitlab: Value =
        serde_json::from_str(&lint(dir.path(), "gitlab", &[]).0).expect("gitlab");
    let sarif = |doc: &Value| -> Vec<(Value, Value)> {
        doc["runs"][0]["results"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    r["partialFingerprints"]["regcred/v1"].clone(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
                )
            })
            .collect()
    };
    let gitlab = |doc: &Value| -> Vec<(Value, Value)> {
        doc.as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                (
                    i["fingerprint"].clone(),
                    i["location"]["lines"]["begin"].clone(),
                )
            })
            .collect()
    };
    for (before, after) in [
        (sarif(&before_sarif), sarif(&after_sarif)),
        (gitlab(&before_gitlab), gitlab(&after_gitlab)),
    ] {
        assert!(before.len() >= 3, "{before:?}");
        assert_eq!(before.len(), after.len());
        for ((print_before, line_before), (print_after, line_after)) in before.iter().zip(&after) {
            assert_eq!(print_before, print_after);
            assert_eq!(line_before.as_u64().map(|l| l + 6), line_after.as_u64());
        }
        let unique: BTreeSet<String> = before.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(
            unique.len(),
            before.len(),
            "two identical findings, two fingerprints"
        );
    }
}

/// Microsoft's SARIF validator (`@microsoft/sarif-multitool validate`): the
/// schema plus the SARIF rules; no error or warning may remain.
#[test]
#[ignore = "needs node and the npm package @microsoft/sarif-multitool"]
fn sarif_is_accepted_by_the_sarif_multitool() {
    let Some(tool) = common::ci_tool(
        "npm/node_modules/.bin/sarif-multitool",
        "sarif-multitool",
        "SARIF validation by @microsoft/sarif-multitool",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let validate = |doc: &str| -> Vec<Value> {
        let input = dir.path().join("in.sarif");
        let output = dir.path().join("validation.sarif");
        let _ = fs::remove_file(&output);
        fs::write(&input, doc).expect("write");
        let out = Command::new(&tool)
            .arg("validate")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .output()
            .expect("run sarif-multitool");
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let log: Value =
            serde_json::from_str(&fs::read_to_string(&output).expect("validation log"))
                .expect("JSON");
        log["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| matches!(r["level"].as_str(), Some("error" | "warning") | None))
            .collect()
    };
    let (text, _) = lint(&fixtures(), "sarif", &[]);
    let problems = validate(&text);
    assert!(problems.is_empty(), "{problems:#?}");
    let incomplete = incomplete_run();
    let problems = validate(&lint(incomplete.path(), "sarif", &INCOMPLETE).0);
    assert!(problems.is_empty(), "{problems:#?}");
    // The tool does reject a broken log (so an empty list means something).
    let mut broken: Value = serde_json::from_str(&text).expect("SARIF");
    broken["runs"][0]["results"][0]["ruleIndex"] = 99.into();
    let problems = validate(&broken.to_string());
    assert!(
        problems.iter().any(|p| p["ruleId"] == "SARIF1009"),
        "{problems:#?}"
    );
}

/// sarif-tools (`sarif summary`, PyPI) reads the log and counts by level.
#[test]
#[ignore = "needs sarif-tools (PyPI)"]
fn sarif_is_read_by_sarif_tools() {
    let Some(tool) = common::ci_tool("bin/sarif", "sarif", "SARIF reading by sarif-tools") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (text, _) = lint(&fixtures(), "sarif", &[]);
    let input = dir.path().join("regcred.sarif");
    fs::write(&input, &text).expect("write");
    let out = Command::new(&tool)
        .arg("summary")
        .arg(&input)
        .output()
        .expect("run sarif");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{summary}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings = json_findings(&fixtures(), &[]);
    for (ours, theirs) in [("error", "error"), ("warning", "warning"), ("info", "note")] {
        let n = findings.iter().filter(|f| f["level"] == ours).count();
        assert!(n > 0);
        assert!(
            summary
                .lines()
                .any(|l| l.trim() == format!("{theirs}: {n}")),
            "expected {theirs}: {n} in\n{summary}"
        );
    }
}

// ---------------------------------------------------------------- GitLab

#[test]
fn gitlab_report_has_the_documented_code_quality_fields() {
    let schema: Value =
        serde_json::from_str(include_str!("../schemas/gitlab-codequality.schema.json"))
            .expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let (text, code) = lint(&fixtures(), "gitlab", &[]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let issues = doc.as_array().expect("array");
    let findings = json_findings(&fixtures(), &[]);
    assert_eq!(issues.len(), findings.len());
    let severity = |l: &str| match l {
        "error" => "major",
        "warning" => "minor",
        _ => "info",
    };
    for (i, f) in issues.iter().zip(&findings) {
        assert_eq!(i["check_name"], f["rule"]);
        assert_eq!(i["severity"], severity(f["level"].as_str().unwrap_or("")));
        assert_eq!(i["location"]["path"], f["path"]);
        assert_eq!(i["location"]["lines"]["begin"], f["line"]);
        assert_eq!(i["location"]["lines"]["end"], f["end_line"]);
        assert!(i["description"]
            .as_str()
            .unwrap_or("")
            .starts_with(f["message"].as_str().unwrap_or("?")));
    }
    let prints: BTreeSet<&str> = issues
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    assert_eq!(prints.len(), issues.len());
    // An empty run is an empty array, which GitLab reads as "no issues".
    let clean = tempfile::tempdir().expect("tempdir");
    assert_eq!(lint(clean.path(), "gitlab", &[]).0.trim(), "[]");
}

// ---------------------------------------------------------------- GitHub

/// The runner's reading of a property value (the inverse of escapeProperty).
fn unescape_property(s: &str) -> String {
    s.replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

fn unescape_data(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

#[test]
fn github_commands_read_back_to_the_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A path with the characters the runner splits on.
    common::write(dir.path(), "odd,dir/a:b%c.yaml", PAYLOAD_SECRET);
    let (text, code) = lint(dir.path(), "github", &[]);
    assert_eq!(code, 1);
    let findings = json_findings(dir.path(), &[]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), findings.len());
    assert!(findings.len() >= 3);
    for (line, f) in lines.iter().zip(&findings) {
        let rest = line.strip_prefix("::").expect("a workflow command");
        let (head, message) = rest.split_once("::").expect("properties::message");
        let (name, properties) = head.split_once(' ').expect("name properties");
        let expected_name = match f["level"].as_str() {
            Some("error") => "error",
            Some("warning") => "warning",
            _ => "notice",
        };
        assert_eq!(name, expected_name);
        // What the runner does: split at ',', then at the first '='.
        let props: Vec<(String, String)> = properties
            .split(',')
            .map(|p| {
                let (k, v) = p.split_once('=').expect("key=value");
                (k.to_string(), unescape_property(v))
            })
            .collect();
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(get("file"), f["path"].as_str().unwrap_or("?"));
        assert_eq!(get("file"), "odd,dir/a:b%c.yaml");
        assert_eq!(get("line"), f["line"].to_string());
        assert_eq!(get("col"), f["column"].to_string());
        assert_eq!(get("endLine"), f["end_line"].to_string());
        assert_eq!(get("endColumn"), f["end_column"].to_string());
        assert_eq!(
            get("title"),
            format!("regcred {}", f["rule"].as_str().unwrap_or("?"))
        );
        assert!(!message.contains('\n') && !message.contains('\r'));
        let message = unescape_data(message);
        assert!(
            message.starts_with(f["message"].as_str().unwrap_or("?")),
            "{message}"
        );
        if let Some(help) = f["help"].as_str() {
            assert!(message.ends_with(&format!("\nhelp: {help}")), "{message}");
        }
    }
}

// ---------------------------------------------------------------- JUnit

#[test]
#[ignore = "needs python3 with junitparser (PyPI)"]
fn junit_is_read_by_junitparser_with_the_right_counts() {
    let Some(python) = common::ci_tool("bin/python", "python3", "JUnit reading by junitparser")
    else {
        return;
    };
    let probe = Command::new(&python)
        .args(["-c", "import junitparser"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        common::missing(
            &format!("junitparser (importable by {})", python.display()),
            "JUnit reading by junitparser",
        );
        return;
    }
    let dir = junit_inputs();
    fs::copy(
        fixtures().join("pull-secret-auth-no-colon/bad/password-only.yaml"),
        dir.path().join("no-colon.yaml"),
    )
    .expect("copy fixture");
    let (xml, code) = lint(dir.path(), "junit", &[]);
    assert_eq!(code, 1);
    let report_file = dir.path().join("report.xml");
    fs::write(&report_file, &xml).expect("write");
    let script = r#"
import json, sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
declared = {"tests": xml.tests, "failures": xml.failures, "errors": xml.errors}
cases = []
for suite in xml:
    for case in suite:
        cases.append({
            "name": case.name,
            "failures": [{"type": r.type, "message": r.message, "text": r.text}
                         for r in case.result if isinstance(r, Failure)],
        })
xml.update_statistics()
counted = {"tests": xml.tests, "failures": xml.failures, "errors": xml.errors}
print(json.dumps({"declared": declared, "counted": counted, "cases": cases}))
"#;
    let out = Command::new(&python)
        .args(["-c", script])
        .arg(&report_file)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("JSON from python");
    let findings = json_findings(dir.path(), &[]);
    let (json_text, _) = lint(dir.path(), "json", &[]);
    let files =
        serde_json::from_str::<Value>(&json_text).expect("json")["summary"]["files"].clone();
    assert_eq!(parsed["declared"], parsed["counted"], "{xml}");
    assert_eq!(parsed["declared"]["tests"], files);
    // `failures` counts failed test cases: the files with findings.
    let failing: std::collections::BTreeSet<&str> =
        findings.iter().filter_map(|f| f["path"].as_str()).collect();
    assert!(findings.len() > failing.len(), "a file with two findings");
    assert_eq!(
        parsed["declared"]["failures"].as_u64(),
        Some(failing.len() as u64)
    );
    assert_eq!(parsed["declared"]["errors"], 0);
    let cases = parsed["cases"].as_array().expect("cases");
    let names: Vec<&str> = cases.iter().filter_map(|c| c["name"].as_str()).collect();
    // The control character cannot be written in XML 1.0: it comes back as U+FFFD.
    assert_eq!(
        names,
        ["a&b<c>/x\"\u{FFFD}.yaml", "clean.yaml", "no-colon.yaml"]
    );
    let clean = &cases[1];
    assert_eq!(clean["failures"].as_array().map(Vec::len), Some(0));
    // One result per test case (the JUnit schema's choice), holding every
    // finding of its file: each rule in its type, each message in its text.
    for case in cases {
        let failures = case["failures"].as_array().expect("failures");
        assert!(failures.len() <= 1, "one failure per case: {case}");
        let name = case["name"].as_str().unwrap_or("");
        // The control character in a name comes back as U+FFFD.
        let in_xml = |p: &str| p.replace('\u{1}', "\u{FFFD}");
        let of_case: Vec<&Value> = findings
            .iter()
            .filter(|f| f["path"].as_str().map(in_xml).as_deref() == Some(name))
            .collect();
        assert_eq!(of_case.is_empty(), failures.is_empty(), "{name}");
        for f in of_case {
            let failure = &failures[0];
            let rule = f["rule"].as_str().unwrap_or("");
            assert!(
                failure["type"]
                    .as_str()
                    .unwrap_or("")
                    .split(' ')
                    .any(|t| t == rule),
                "{rule} in {failure}"
            );
            let message = f["message"].as_str().unwrap_or("");
            assert!(
                failure["text"].as_str().unwrap_or("").contains(message),
                "{message} in {failure}"
            );
        }
    }
}

/// `xmllint --schema tests/schemas/junit.xsd` on a report: Ok, or its complaint.
fn xsd_check(xmllint: &Path, report: &Path) -> Result<(), String> {
    let out = Command::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/junit.xsd"))
        .arg(report)
        .output()
        .expect("run xmllint");
    if out.status.success() {
        Ok(())
    } else {
        Err(common::text(&out))
    }
}

/// The JUnit tests' inputs: a pull Secret whose file name holds markup and
/// a control character (as its messages do), and a clean file.
fn junit_inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "a&b<c>/x\"\u{1}.yaml", PAYLOAD_SECRET);
    common::write(
        dir.path(),
        "clean.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    );
    dir
}

/// The JUnit report is valid against the JUnit schema (tests/schemas/junit.xsd):
/// at most one result per test case, which is what makes `failures` and
/// `errors` counts of test cases (junitparser recounts them above). A
/// finding-laden run, a clean one and one with an input not read.
#[test]
#[ignore = "needs xmllint (libxml2-utils)"]
fn junit_is_valid_against_the_junit_xsd() {
    let Some(xmllint) = common::require("xmllint", "JUnit schema validation") else {
        return;
    };
    let dir = junit_inputs();
    let incomplete = incomplete_run();
    let runs: [(&Path, &[&str], i32); 3] = [
        (dir.path(), &[], 1),
        (dir.path(), &["clean.yaml"], 0),
        (incomplete.path(), &INCOMPLETE, 2),
    ];
    let reports = tempfile::tempdir().expect("tempdir");
    for (i, (cwd, args, code)) in runs.into_iter().enumerate() {
        let (xml, got) = lint(cwd, "junit", args);
        assert_eq!(got, code, "{args:?}");
        let file = reports.path().join(format!("report-{i}.xml"));
        fs::write(&file, &xml).expect("write report");
        if let Err(complaint) = xsd_check(&xmllint, &file) {
            panic!("{args:?}: {complaint}\n{xml}");
        }
    }
    // The schema does hold a report to one result per test case.
    let (xml, _) = lint(dir.path(), "junit", &[]);
    let doubled = xml.replacen("</failure>", "</failure><failure type=\"x\">y</failure>", 1);
    assert_ne!(doubled, xml);
    let file = reports.path().join("doubled.xml");
    fs::write(&file, doubled).expect("write report");
    assert!(xsd_check(&xmllint, &file).is_err());
}

// ---------------------------------------------------------------- incomplete runs

/// A folder with one linted file (one finding) beside an input that does
/// not exist: `lint ok.yaml missing.yaml`.
fn incomplete_run() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "ok.yaml", PAYLOAD_SECRET);
    dir
}

const INCOMPLETE: [&str; 2] = ["ok.yaml", "missing.yaml"];

/// A run that could not read an input is never a clean report: exit 2 and
/// each format says which input was not read, while the inputs that were
/// read are still reported on.
#[test]
fn a_run_that_could_not_read_an_input_says_so_in_every_format() {
    let dir = incomplete_run();
    let findings = json_findings(dir.path(), &INCOMPLETE);
    assert!(!findings.is_empty(), "ok.yaml is still linted");
    for format in FORMATS {
        assert_eq!(lint(dir.path(), format, &INCOMPLETE).1, 2, "{format}");
    }

    let (human, _) = lint(dir.path(), "human", &INCOMPLETE);
    let summary = human.lines().last().unwrap_or("");
    assert!(
        summary.starts_with("incomplete: 1 input not read (missing.yaml); "),
        "{summary}"
    );
    assert!(summary.ends_with("in 1 file (2 objects)"), "{summary}");

    let (json, _) = lint(dir.path(), "json", &INCOMPLETE);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        json["errors"],
        serde_json::json!([{"path": "missing.yaml", "message": "no such file or directory"}])
    );
    let schema: Value =
        serde_json::from_str(include_str!("../../schemas/report.schema.json")).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    assert!(validator.is_valid(&json));

    let (sarif, _) = lint(dir.path(), "sarif", &INCOMPLETE);
    let sarif: Value = serde_json::from_str(&sarif).expect("SARIF");
    let validator = jsonschema::validator_for(&sarif_schema()).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing.yaml"
    );
    assert_eq!(
        run["results"].as_array().map(Vec::len),
        Some(findings.len())
    );
    // A complete run says it succeeded.
    let (clean, _) = lint(dir.path(), "sarif", &["ok.yaml"]);
    let clean: Value = serde_json::from_str(&clean).expect("SARIF");
    assert_eq!(
        clean["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );

    let (github, _) = lint(dir.path(), "github", &INCOMPLETE);
    assert!(
        github.lines().any(|l| l
            == "::error file=missing.yaml,title=regcred input-not-read::\
                not read, the report is incomplete: missing.yaml: no such file or directory"),
        "{github}"
    );
    assert_eq!(github.lines().count(), findings.len() + 1);

    let (gitlab, _) = lint(dir.path(), "gitlab", &INCOMPLETE);
    let gitlab: Value = serde_json::from_str(&gitlab).expect("JSON");
    let schema: Value =
        serde_json::from_str(include_str!("../schemas/gitlab-codequality.schema.json"))
            .expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    assert!(validator.is_valid(&gitlab));
    let issue = gitlab
        .as_array()
        .and_then(|a| a.iter().find(|i| i["check_name"] == "input-not-read"))
        .expect("an issue for the input not read");
    assert_eq!(issue["severity"], "blocker");
    assert_eq!(issue["location"]["path"], "missing.yaml");

    let (junit, _) = lint(dir.path(), "junit", &INCOMPLETE);
    assert!(junit.contains(" errors=\"1\""), "{junit}");
    assert!(
        junit.contains(
            "<testcase name=\"missing.yaml\" classname=\"regcred.lint\" file=\"missing.yaml\">\n      \
             <error type=\"input-not-read\" message=\"no such file or directory\">"
        ),
        "{junit}"
    );
}

// ---------------------------------------------------------------- secrets

/// A password with characters every format escapes differently.
const PASSWORD: &str = "Tr0ub4dor&\"3\\<x>:,%y";

#[test]
fn no_format_ever_shows_the_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json_password = serde_json::to_string(PASSWORD).expect("json");
    let json_password = &json_password[1..json_password.len() - 1];
    let auth = encode(format!("ci:{PASSWORD}").as_bytes());
    // The auth disagrees with the password field, and a second entry's auth
    // is the bare password: findings inside the payload, next to the secret.
    let config = format!(
        "{{\"auths\":{{\"reg.example.com\":{{\"username\":\"ci\",\"password\":\"{json_password}x\",\"auth\":\"{auth}\"}},\
         \"other.example.com\":{{\"auth\":\"{}\"}}}}}}",
        encode(PASSWORD.as_bytes())
    );
    let encoded_config = encode(config.as_bytes());
    common::write(
        dir.path(),
        "deploy/pull.yaml",
        &format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\ntype: kubernetes.io/dockerconfigjson\n\
             data:\n  .dockerconfigjson: {encoded_config}\n---\n\
             apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull-plain\ntype: Opaque\nstringData:\n  \
             .dockerconfigjson: '{config}'\n---\n\
             apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: {PASSWORD}\n  \
             encoded: {}\n",
            encode(encode(PASSWORD.as_bytes()).as_bytes())
        ),
    );
    common::write(dir.path(), ".docker/config.json", &config);
    let forms = [
        PASSWORD.to_string(),
        json_password.to_string(),
        "Tr0ub4dor".to_string(),
        encode(PASSWORD.as_bytes()),
        auth.clone(),
        encoded_config.clone(),
        encoded_config[..24].to_string(),
        auth[..16].to_string(),
    ];
    // Each form is really in the input, so its absence below means something.
    let input = fs::read_to_string(dir.path().join("deploy/pull.yaml")).expect("read")
        + &fs::read_to_string(dir.path().join(".docker/config.json")).expect("read");
    for form in &forms {
        assert!(input.contains(form.as_str()), "{form:?} not in the fixture");
    }
    for format in FORMATS {
        let (text, code) = lint(dir.path(), format, &[]);
        assert_eq!(code, 1, "{format}: {text}");
        assert!(
            text.contains("pull-secret-auth-"),
            "{format} has no payload finding:\n{text}"
        );
        for form in &forms {
            assert!(
                !text.contains(form.as_str()),
                "{format} shows {form:?}:\n{text}"
            );
        }
    }
}
