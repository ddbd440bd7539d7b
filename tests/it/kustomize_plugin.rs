//! The legacy exec plugin, end to end with the real `kubectl kustomize
//! --enable-alpha-plugins` (kustomize v5.5): `regcred kustomize
//! install-plugin` puts it where kustomize looks, the Secret appears with
//! kustomize's hash suffix, and every `imagePullSecrets` reference is
//! rewritten. Also: the plugin prints exactly what `regcred create` prints.

use crate::common;

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output};

use common::{os, regcred, require, KUBECTL_LEGACY};
use regcred::generate::hash::kustomize_secret_hash;
use regcred::krm::node::{parse_stream, Node};

const WORKLOADS: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: registry.example.com/app:1.0
  imagePullSecrets:
  - name: regcred
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.example.com/web:1.0
      imagePullSecrets:
      - name: regcred
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: job
            image: registry.example.com/job:1.0
          imagePullSecrets:
          - name: regcred
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
imagePullSecrets:
- name: regcred
"#;

const CREDENTIALS: &str = "apiVersion: regcred.dev/v1
kind: PullSecret
metadata:
  name: regcred
spec:
  server: registry.example.com
  username: alice
  passwordFrom: env:REG_PASSWORD
";

struct Kustomization {
    _dir: tempfile::TempDir,
    xdg: std::path::PathBuf,
    app: std::path::PathBuf,
}

/// A kustomization using `config` as its generator, with the plugin
/// installed by `regcred kustomize install-plugin` under a private
/// XDG_CONFIG_HOME.
fn kustomization(config: &str) -> Kustomization {
    let dir = tempfile::tempdir().unwrap();
    let xdg = dir.path().join("xdg");
    let app = dir.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("kustomization.yaml"),
        "generators:\n- pullsecret.yaml\nresources:\n- workloads.yaml\n",
    )
    .unwrap();
    std::fs::write(app.join("workloads.yaml"), WORKLOADS).unwrap();
    std::fs::write(app.join("pullsecret.yaml"), config).unwrap();
    let out = Command::new(regcred())
        .args(["kustomize", "install-plugin"])
        .env("XDG_CONFIG_HOME", &xdg)
        .env_remove("KUSTOMIZE_PLUGIN_HOME")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Where it went is kubectl's to judge: it must find it.
    Kustomization {
        _dir: dir,
        xdg,
        app,
    }
}

fn kubectl_kustomize(k: &Kustomization, env: &[(&str, &str)]) -> Option<Output> {
    let kubectl = require(KUBECTL_LEGACY, "the kustomize exec plugin test")?;
    // The plugin runs the regcred on PATH: this build's.
    let bin_dir = regcred().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let mut cmd = Command::new(kubectl);
    cmd.args(["kustomize", "--enable-alpha-plugins"])
        .arg(&k.app)
        .env("PATH", path)
        .env("XDG_CONFIG_HOME", &k.xdg)
        .env("KUBECONFIG", "/nonexistent/regcred-test-kubeconfig")
        .env_remove("KUSTOMIZE_PLUGIN_HOME")
        .env_remove("REG_PASSWORD");
    for (key, value) in env {
        cmd.env(key, value);
    }
    Some(cmd.output().unwrap())
}

fn find<'a>(docs: &'a [Node], kind: &str) -> &'a Node {
    docs.iter()
        .find(|d| d.get("kind").and_then(Node::as_str) == Some(kind))
        .unwrap_or_else(|| panic!("no {kind} in the build"))
}

fn pull_secret_names(node: &Node, path: &[&str]) -> Vec<String> {
    node.at(path)
        .and_then(Node::items)
        .unwrap_or_else(|| panic!("no imagePullSecrets at {path:?}"))
        .iter()
        .filter_map(|r| r.get("name").and_then(Node::as_str).map(String::from))
        .collect()
}

/// Every reference kustomize must rewrite, by kind.
fn references(docs: &[Node]) -> Vec<(&'static str, Vec<String>)> {
    vec![
        (
            "Pod",
            pull_secret_names(find(docs, "Pod"), &["spec", "imagePullSecrets"]),
        ),
        (
            "Deployment",
            pull_secret_names(
                find(docs, "Deployment"),
                &["spec", "template", "spec", "imagePullSecrets"],
            ),
        ),
        (
            "CronJob",
            pull_secret_names(
                find(docs, "CronJob"),
                &[
                    "spec",
                    "jobTemplate",
                    "spec",
                    "template",
                    "spec",
                    "imagePullSecrets",
                ],
            ),
        ),
        (
            "ServiceAccount",
            pull_secret_names(find(docs, "ServiceAccount"), &["imagePullSecrets"]),
        ),
    ]
}

fn create(args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let mut cmd = Command::new(regcred());
    cmd.arg("create").args(args).env_remove("REG_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "regcred create {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn kubectl_kustomize_appends_the_hash_and_rewrites_references() {
    let k = kustomization(CREDENTIALS);
    let Some(out) = kubectl_kustomize(&k, &[("REG_PASSWORD", "s3cret")]) else {
        return;
    };
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "kubectl kustomize failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = parse_stream(&stdout).unwrap();
    let secret = find(&docs, "Secret");
    let data = secret
        .at(&["data", ".dockerconfigjson"])
        .and_then(Node::as_str)
        .unwrap();
    let secret_type = secret.get("type").and_then(Node::as_str).unwrap();
    assert_eq!(secret_type, "kubernetes.io/dockerconfigjson");

    // The same data as `regcred create` with the same inputs.
    let created = create(
        &[
            "--docker-server=registry.example.com",
            "--docker-username=alice",
            "--docker-password-env=REG_PASSWORD",
            "regcred",
        ],
        &[("REG_PASSWORD", "s3cret")],
    );
    let created = parse_stream(std::str::from_utf8(&created).unwrap()).unwrap();
    assert_eq!(
        created
            .first()
            .and_then(|d| d.at(&["data", ".dockerconfigjson"]))
            .and_then(Node::as_str),
        Some(data)
    );

    // kustomize's suffix, computed independently over what it stored.
    let expected = format!(
        "regcred-{}",
        kustomize_secret_hash(secret_type, &[(".dockerconfigjson", data)])
    );
    let name = secret.at(&["metadata", "name"]).and_then(Node::as_str);
    assert_eq!(name, Some(expected.as_str()), "{stdout}");
    // kustomize consumed the annotation.
    assert!(
        secret
            .at(&[
                "metadata",
                "annotations",
                "kustomize.config.k8s.io/needs-hash"
            ])
            .is_none(),
        "{stdout}"
    );
    for (kind, names) in references(&docs) {
        assert_eq!(
            names,
            vec![expected.clone()],
            "{kind} reference in\n{stdout}"
        );
    }

    // The build lints clean, at every level.
    let mut lint = Command::new(regcred())
        .args(["lint", "--fail-on", "info", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        lint.stdin
            .take()
            .unwrap()
            .write_all(stdout.as_bytes())
            .unwrap();
    }
    let linted = lint.wait_with_output().unwrap();
    assert!(
        linted.status.success(),
        "{}",
        String::from_utf8_lossy(&linted.stdout)
    );
}

#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn hash_suffix_false_keeps_the_name() {
    let config = CREDENTIALS.replace(
        "  passwordFrom: env:REG_PASSWORD\n",
        "  passwordFrom: env:REG_PASSWORD\n  hashSuffix: false\n",
    );
    let k = kustomization(&config);
    let Some(out) = kubectl_kustomize(&k, &[("REG_PASSWORD", "s3cret")]) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = parse_stream(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    let secret = find(&docs, "Secret");
    assert_eq!(
        secret.at(&["metadata", "name"]).and_then(Node::as_str),
        Some("regcred")
    );
    for (kind, names) in references(&docs) {
        assert_eq!(names, vec!["regcred".to_string()], "{kind}");
    }
}

#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn config_files_are_relative_to_the_kustomization() {
    let config = "apiVersion: regcred.dev/v1
kind: PullSecret
metadata:
  name: regcred
spec:
  configFiles: [docker/config.json]
  registries: [quay.io]
";
    let k = kustomization(config);
    std::fs::create_dir_all(k.app.join("docker")).unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/create/several-registries.json");
    std::fs::copy(&fixture, k.app.join("docker/config.json")).unwrap();
    let Some(out) = kubectl_kustomize(&k, &[]) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = parse_stream(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    let data = find(&docs, "Secret")
        .at(&["data", ".dockerconfigjson"])
        .and_then(Node::as_str)
        .map(String::from);
    let created = create(
        &[
            "--from-config",
            fixture.to_str().unwrap(),
            "--registry=quay.io",
            "regcred",
        ],
        &[],
    );
    let created = parse_stream(std::str::from_utf8(&created).unwrap()).unwrap();
    assert_eq!(
        created
            .first()
            .and_then(|d| d.at(&["data", ".dockerconfigjson"]))
            .and_then(Node::as_str)
            .map(String::from),
        data
    );
}

#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn a_broken_config_fails_the_build_with_a_clear_message() {
    let inline = CREDENTIALS.replace(
        "  passwordFrom: env:REG_PASSWORD\n",
        "  password: hunter2-do-not-print\n",
    );
    let k = kustomization(&inline);
    let Some(out) = kubectl_kustomize(&k, &[]) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the build must fail");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("spec.password is not allowed") && stderr.contains("passwordFrom"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "the password leaked: {stderr}");

    // A password variable that is not set names the variable.
    let k = kustomization(CREDENTIALS);
    let Some(out) = kubectl_kustomize(&k, &[]) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    // regcred's line names the user's file and field, not kustomize's
    // temporary copy or a `regcred create` flag.
    let line = stderr
        .lines()
        .find(|l| l.contains("regcred PullSecret generator:"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        line.contains("pullsecret.yaml: PullSecret \"regcred\": spec.passwordFrom: environment variable REG_PASSWORD is not set"),
        "{line}"
    );
    assert!(
        !line.contains("kust-plugin-config") && !line.contains("--docker"),
        "{line}"
    );

    // A Docker config that cannot be read: the field and the path as written.
    let k = kustomization(
        "apiVersion: regcred.dev/v1\nkind: PullSecret\nmetadata:\n  name: regcred\n\
         spec:\n  configFiles: [docker/nope.json]\n",
    );
    let Some(out) = kubectl_kustomize(&k, &[]) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(
            "pullsecret.yaml: PullSecret \"regcred\": cannot read spec.configFiles docker/nope.json:"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("--from-config"), "{stderr}");
}

/// The installed plugin runs the `regcred` on PATH; without one, the
/// regcred that installed it while it exists; else it says what to do.
#[test]
fn installed_plugin_finds_regcred_on_path_then_falls_back() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    // An installing regcred that can go away: a hard link to this build.
    let installer = dir.path().join("installer/regcred");
    std::fs::create_dir_all(installer.parent().unwrap()).unwrap();
    std::fs::hard_link(regcred(), &installer).unwrap();
    let plugins = dir.path().join("plugins");
    let out = Command::new(&installer)
        .args(["kustomize", "install-plugin", "--dir"])
        .arg(&plugins)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plugin = plugins.join("regcred.dev/v1/pullsecret/PullSecret");

    // A `regcred` on PATH that shows how it was called.
    let on_path = dir.path().join("on-path");
    std::fs::create_dir_all(&on_path).unwrap();
    std::fs::write(on_path.join("regcred"), "#!/bin/sh\necho \"on PATH: $*\"\n").unwrap();
    std::fs::set_permissions(
        on_path.join("regcred"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let run = |path: &Path| {
        Command::new("/bin/sh")
            .arg(&plugin)
            .arg("config.yaml")
            .env("PATH", path)
            .env_remove("KUSTOMIZE_PLUGIN_CONFIG_ROOT")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };

    let out = run(&on_path);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "on PATH: kustomize plugin config.yaml\n"
    );

    // No regcred on PATH: the installer's, which reports the missing config.
    let out = run(&empty);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot read the generator config config.yaml"),
        "{stderr}"
    );

    // Neither: a message saying what to do.
    std::fs::remove_file(&installer).unwrap();
    let out = run(&empty);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(127), "{stderr}");
    assert!(stderr.contains("regcred is not on PATH"), "{stderr}");
    assert!(
        stderr.contains(&installer.display().to_string()),
        "{stderr}"
    );
}

/// The plugin run directly (as kustomize runs it) against `regcred create`
/// with the equivalent flags: the same bytes.
#[test]
fn plugin_output_is_byte_identical_to_create() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/create");
    std::fs::copy(
        fixture.join("several-registries.json"),
        dir.path().join("several.json"),
    )
    .unwrap();
    std::fs::copy(
        fixture.join("single-newline.json"),
        dir.path().join("single.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("pw"), "from-a-file\n").unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    let needs_hash = "--annotation=kustomize.config.k8s.io/needs-hash=true";
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "metadata: {name: regcred}\nspec: {server: r.example.com:5000, username: alice, passwordFrom: 'env:REG_PASSWORD'}",
            vec!["--docker-server=r.example.com:5000".into(), "--docker-username=alice".into(), "--docker-password-env=REG_PASSWORD".into(), needs_hash.into(), "regcred".into()],
        ),
        (
            "metadata: {name: \"123\", namespace: apps}\nspec: {username: bob, passwordFrom: 'file:pw', email: b@example.com, hashSuffix: false, labels: {app: web}, annotations: {note: \"a: b\"}}",
            vec!["--docker-username=bob".into(), format!("--docker-password-file={}", p("pw")), "--docker-email=b@example.com".into(), "-n".into(), "apps".into(), "--label=app=web".into(), "--annotation=note=a: b".into(), "123".into()],
        ),
        (
            "metadata: {name: legacy}\nspec: {configFiles: [several.json], registries: [quay.io, 'reg.corp.test:5000'], type: dockercfg}",
            vec![format!("--from-config={}", p("several.json")), "--registry=quay.io".into(), "--registry=reg.corp.test:5000".into(), "--type=dockercfg".into(), needs_hash.into(), "legacy".into()],
        ),
        (
            "metadata: {name: verbatim}\nspec: {configFiles: [single.json]}",
            vec![format!("--from-config={}", p("single.json")), needs_hash.into(), "verbatim".into()],
        ),
    ];
    for (i, (body, create_args)) in cases.iter().enumerate() {
        let config = dir.path().join(format!("config-{i}.yaml"));
        std::fs::write(
            &config,
            format!("apiVersion: regcred.dev/v1\nkind: PullSecret\n{body}\n"),
        )
        .unwrap();
        let out = Command::new(regcred())
            .args([
                os("kustomize"),
                os("plugin"),
                config.clone().into_os_string(),
            ])
            .current_dir(dir.path())
            .env("KUSTOMIZE_PLUGIN_CONFIG_ROOT", dir.path())
            .env("REG_PASSWORD", "pa$$ \"word\"")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "case {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let args: Vec<&str> = create_args.iter().map(String::as_str).collect();
        let expected = create(&args, &[("REG_PASSWORD", "pa$$ \"word\"")]);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&expected),
            "case {i}"
        );
    }
}

#[test]
fn install_plugin_honours_dir_and_kustomize_plugin_home() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[OsString], env: &[(&str, &Path)]| {
        let mut cmd = Command::new(regcred());
        cmd.args(args)
            .env_remove("KUSTOMIZE_PLUGIN_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env("HOME", dir.path().join("home"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::path::PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    };
    let install = [os("kustomize"), os("install-plugin")];
    let home = run(&install, &[]);
    assert_eq!(
        home,
        dir.path()
            .join("home/.config/kustomize/plugin/regcred.dev/v1/pullsecret/PullSecret")
    );
    let plugin_home = dir.path().join("ph");
    let got = run(&install, &[("KUSTOMIZE_PLUGIN_HOME", &plugin_home)]);
    assert_eq!(
        got,
        plugin_home.join("regcred.dev/v1/pullsecret/PullSecret")
    );
    let explicit = dir.path().join("explicit");
    let mut with_dir = install.to_vec();
    with_dir.extend([os("--dir"), explicit.clone().into_os_string()]);
    let got = run(&with_dir, &[("KUSTOMIZE_PLUGIN_HOME", &plugin_home)]);
    assert_eq!(got, explicit.join("regcred.dev/v1/pullsecret/PullSecret"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&got).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o755);
    // Installing again replaces the wrapper.
    run(&with_dir, &[]);
}

/// `for:` keeps only the registries the listed workloads pull from, as
/// `regcred create --for` does.
#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn for_paths_pick_the_registries_of_the_workloads() {
    let config = "apiVersion: regcred.dev/v1
kind: PullSecret
metadata:
  name: regcred
spec:
  configFiles: [docker/config.json]
  for: [workloads.yaml]
";
    let k = kustomization(config);
    let quay = WORKLOADS.replace("registry.example.com/", "quay.io/shop/");
    std::fs::write(k.app.join("workloads.yaml"), &quay).unwrap();
    std::fs::create_dir_all(k.app.join("docker")).unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/create/several-registries.json");
    std::fs::copy(&fixture, k.app.join("docker/config.json")).unwrap();
    let Some(out) = kubectl_kustomize(&k, &[]) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = parse_stream(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    let data = find(&docs, "Secret")
        .at(&["data", ".dockerconfigjson"])
        .and_then(Node::as_str)
        .map(String::from)
        .unwrap();
    let created = create(
        &[
            "--from-config",
            fixture.to_str().unwrap(),
            "--for",
            k.app.join("workloads.yaml").to_str().unwrap(),
            "regcred",
        ],
        &[],
    );
    let created = parse_stream(std::str::from_utf8(&created).unwrap()).unwrap();
    assert_eq!(
        created
            .first()
            .and_then(|d| d.at(&["data", ".dockerconfigjson"]))
            .and_then(Node::as_str),
        Some(data.as_str())
    );
    let payload = regcred::gocompat::base64::decode(
        data.as_bytes(),
        regcred::gocompat::base64::Padding::Required,
    );
    let payload = String::from_utf8(payload.unwrap()).unwrap();
    assert!(payload.contains("\"quay.io\""), "only quay.io");
    assert!(!payload.contains("reg.corp.test") && !payload.contains("index.docker.io"));
}
