//! The KRM exec function `regcred-fn`: on the ResourceLists kustomize v5.5
//! really sends (recorded in `fixtures/krm/`), and end to end with the real
//! `kpt fn eval --exec`.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{recorded, regcred, regcred_fn, require};
use regcred::krm::node::{parse, parse_stream, Node};

/// The recordings used a placeholder config kind; ours is regcred.dev/v1 PullSecret.
fn as_pull_secret(recorded: &str) -> String {
    recorded
        .replace("example.com/v1", "regcred.dev/v1")
        .replace("RegcredGenerator", "PullSecret")
}

fn run_fn(input: &str, env: &[(&str, &str)], dir: &Path) -> Output {
    let mut cmd = Command::new(regcred_fn());
    cmd.current_dir(dir)
        .env_remove("REG_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn create_node(args: &[&str], env: &[(&str, &str)]) -> Node {
    let mut cmd = Command::new(regcred());
    cmd.arg("create").args(args).env_remove("REG_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse(std::str::from_utf8(&out.stdout).unwrap()).unwrap()
}

fn items(list: &Node) -> Vec<Node> {
    list.get("items")
        .and_then(Node::items)
        .map(<[Node]>::to_vec)
        .unwrap_or_default()
}

#[test]
fn recorded_kustomize_generator_input() {
    let text = recorded("generator-input.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = run_fn(
        &as_pull_secret(&text),
        &[("REG_PASSWORD", "s3cret")],
        dir.path(),
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = parse(&stdout).unwrap();
    assert_eq!(
        list.get("kind").and_then(Node::as_str),
        Some("ResourceList")
    );
    // The copy of the config (local config) is not emitted: only the Secret.
    let items = items(&list);
    assert_eq!(items.len(), 1, "{stdout}");
    let expected = create_node(
        &[
            "--docker-server=registry.example.com",
            "--docker-username=alice",
            "--docker-password-env=REG_PASSWORD",
            "--annotation=kustomize.config.k8s.io/needs-hash=true",
            "regcred-gen",
        ],
        &[("REG_PASSWORD", "s3cret")],
    );
    assert_eq!(items.first(), Some(&expected), "{stdout}");
}

#[test]
fn recorded_inputs_with_another_kind_are_refused_clearly() {
    let text = recorded("generator-input.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = run_fn(&text, &[("REG_PASSWORD", "s3cret")], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("\"example.com/v1\" \"RegcredGenerator\"")
            && stderr.contains("regcred.dev/v1")
            && stderr.contains("PullSecret"),
        "{stderr}"
    );
    // The error is also a KRM result.
    let list = parse(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    let results = list.get("results").and_then(Node::items).unwrap();
    assert_eq!(
        results
            .first()
            .and_then(|r| r.get("severity"))
            .and_then(Node::as_str),
        Some("error")
    );
}

#[test]
fn recorded_legacy_plugin_config() {
    let text = recorded("legacy-plugin-config.yaml");
    let dir = tempfile::tempdir().unwrap();
    let run = |config: &str| {
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, config).unwrap();
        Command::new(regcred())
            .args(["kustomize", "plugin"])
            .arg(&path)
            .current_dir(dir.path())
            .env("KUSTOMIZE_PLUGIN_CONFIG_ROOT", dir.path())
            .env("KUSTOMIZE_PLUGIN_CONFIG_STRING", config)
            .output()
            .unwrap()
    };
    // As recorded: another kind.
    let out = run(&text);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("expected apiVersion regcred.dev/v1 and kind PullSecret"),
        "{stderr}"
    );
    // Our kind, with only a server: no credentials, and says what to add.
    let out = run(&as_pull_secret(&text));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no credentials") && stderr.contains("passwordFrom"),
        "{stderr}"
    );
    // Completed with credentials: the Secret, named after the config.
    let complete = format!(
        "{}  username: alice\n  passwordFrom: env:REG_PASSWORD\n",
        as_pull_secret(&text)
    );
    let path = dir.path().join("complete.yaml");
    std::fs::write(&path, &complete).unwrap();
    let out = Command::new(regcred())
        .args(["kustomize", "plugin"])
        .arg(&path)
        .current_dir(dir.path())
        .env("REG_PASSWORD", "s3cret")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let secret = parse(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    assert_eq!(
        secret.at(&["metadata", "name"]).and_then(Node::as_str),
        Some("regcred-gen")
    );
}

#[test]
fn exec_function_takes_no_arguments() {
    let out = Command::new(regcred_fn()).arg("x").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("takes no arguments"));
}

// ------------------------------------------------------------------ kpt

fn kpt() -> Option<PathBuf> {
    require("kpt", "the kpt fn eval --exec tests")
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: registry.example.com/app:1.0
  imagePullSecrets:
  - name: regcred
";

const FN_CONFIG: &str = "apiVersion: regcred.dev/v1
kind: PullSecret
metadata:
  name: regcred
  namespace: apps
spec:
  server: registry.example.com
  username: alice
  passwordFrom: env:REG_PASSWORD
";

const KPTFILE: &str = "apiVersion: kpt.dev/v1
kind: Kptfile
metadata:
  name: pkg
  annotations:
    config.kubernetes.io/local-config: \"true\"
";

fn kpt_eval(kpt: &Path, pkg: &Path, fn_config: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(kpt);
    cmd.args(["fn", "eval"])
        .arg(pkg)
        .arg("--exec")
        .arg(regcred_fn())
        .arg("--fn-config")
        .arg(fn_config)
        .env("KUBECONFIG", "/nonexistent/regcred-test-kubeconfig")
        .env_remove("REG_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Every YAML document in the package (kpt puts new namespaced resources
/// in a folder named after the namespace), by relative file name.
fn package(dir: &Path) -> Vec<(String, Node)> {
    fn walk(root: &Path, dir: &Path, docs: &mut Vec<(String, Node)>) {
        for path in common::sorted_entries(dir) {
            if path.is_dir() {
                walk(root, &path, docs);
                continue;
            }
            let name = path.strip_prefix(root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            for doc in parse_stream(&text).unwrap() {
                docs.push((name.clone(), doc));
            }
        }
    }
    let mut docs = Vec::new();
    walk(dir, dir, &mut docs);
    docs
}

#[test]
#[ignore = "needs kpt"]
fn kpt_fn_eval_generates_the_secret() {
    let Some(kpt) = kpt() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::write(pkg.join("Kptfile"), KPTFILE).unwrap();
    std::fs::write(pkg.join("pod.yaml"), POD).unwrap();
    let fn_config = dir.path().join("fn-config.yaml");
    std::fs::write(&fn_config, FN_CONFIG).unwrap();

    let expected = create_node(
        &[
            "--docker-server=registry.example.com",
            "--docker-username=alice",
            "--docker-password-env=REG_PASSWORD",
            "--namespace=apps",
            "--annotation=kustomize.config.k8s.io/needs-hash=true",
            "regcred",
        ],
        &[("REG_PASSWORD", "s3cret")],
    );
    for round in 0..2 {
        let out = kpt_eval(&kpt, &pkg, &fn_config, &[("REG_PASSWORD", "s3cret")]);
        assert!(
            out.status.success(),
            "round {round}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let docs = package(&pkg);
        let secrets: Vec<&(String, Node)> = docs
            .iter()
            .filter(|(_, d)| d.get("kind").and_then(Node::as_str) == Some("Secret"))
            .collect();
        // A second run replaces the Secret, it does not add another.
        assert_eq!(secrets.len(), 1, "round {round}: {docs:?}");
        let (_, secret) = secrets[0];
        assert_eq!(secret, &expected, "round {round}");
        // The package's other files are untouched.
        assert_eq!(std::fs::read_to_string(pkg.join("pod.yaml")).unwrap(), POD);
        assert!(
            pkg.join("Kptfile").is_file(),
            "round {round}: Kptfile deleted"
        );
    }
}

#[test]
#[ignore = "needs kpt"]
fn kpt_fn_eval_fails_clearly_on_a_broken_config() {
    let Some(kpt) = kpt() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::write(pkg.join("pod.yaml"), POD).unwrap();
    let fn_config = dir.path().join("fn-config.yaml");
    std::fs::write(&fn_config, FN_CONFIG).unwrap();
    // REG_PASSWORD is not set.
    let out = kpt_eval(&kpt, &pkg, &fn_config, &[]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "{all}");
    assert!(all.contains("REG_PASSWORD is not set"), "{all}");
    assert_eq!(package(&pkg).len(), 1, "nothing written");
}

#[test]
fn hostile_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut bomb = vec!["a0: &a0 [x,x,x,x,x,x,x,x,x,x]".to_string()];
    for i in 1..10 {
        bomb.push(format!(
            "a{i}: &a{i} [{}]",
            vec![format!("*a{}", i - 1); 10].join(",")
        ));
    }
    for input in [deep, bomb.join("\n"), "items: [".to_string(), String::new()] {
        let out = run_fn(&input, &[], dir.path());
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("error: stdin is not a ResourceList"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
