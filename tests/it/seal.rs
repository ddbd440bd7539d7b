//! `regcred create --seal-cert`: the SealedSecret `kubeseal --cert` would
//! write. The judge is kubesealpy, an independent implementation, unsealing
//! with the private key of a certificate openssl made: the Secret it yields
//! must be `regcred create`'s own, byte for byte, in every scope, and a
//! SealedSecret moved to another name or namespace must not unseal where
//! its scope forbids it.

use crate::common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{os, regcred, require, run};
use serde_json::Value;

const KUBESEALPY: &str = "/opt/kubesealpy/bin/python";
const OPENSSL: &str = "openssl";
const SCOPES: [&str; 3] = ["strict", "namespace-wide", "cluster-wide"];
const PASSWORD: &[u8] = b"s3cret <&> \"quoted\" \xc3\xa9";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/seal")
        .join(name)
}

fn create(args: &[OsString]) -> Output {
    let mut argv = vec![os("create")];
    argv.extend_from_slice(args);
    run(&regcred(), &argv, Some(PASSWORD), &[])
}

fn credentials(name: &str, namespace: Option<&str>) -> Vec<OsString> {
    let mut args = vec![
        os(name),
        os("--docker-server"),
        os("registry.example.com"),
        os("--docker-username"),
        os("alice"),
        os("--docker-password-stdin"),
        os("--label"),
        os("team=web"),
        os("--annotation"),
        os("owner=platform"),
    ];
    if let Some(ns) = namespace {
        args.extend([os("-n"), os(ns)]);
    }
    args
}

fn sealed_with(cert: &Path, scope: &str) -> Vec<OsString> {
    vec![os("--seal-cert"), os(cert), os("--seal-scope"), os(scope)]
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "regcred failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn error_of(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "expected a usage/input error");
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn sealed_json_has_kubeseals_fields_and_no_plaintext() {
    for scope in SCOPES {
        let mut args = credentials("regcred", Some("apps"));
        args.extend(sealed_with(&fixture("controller.pem"), scope));
        args.extend([os("-o"), os("json")]);
        let text = ok(&create(&args));
        let doc: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(doc["apiVersion"], "bitnami.com/v1alpha1");
        assert_eq!(doc["kind"], "SealedSecret");
        assert_eq!(doc["metadata"]["name"], "regcred");
        assert_eq!(doc["metadata"]["namespace"], "apps");
        let template = &doc["spec"]["template"];
        assert_eq!(template["type"], "kubernetes.io/dockerconfigjson");
        assert_eq!(template["metadata"]["name"], "regcred");
        assert_eq!(template["metadata"]["labels"]["team"], "web");
        assert_eq!(template["metadata"]["annotations"]["owner"], "platform");
        let scope_annotation = format!("sealedsecrets.bitnami.com/{scope}");
        let expected = if scope == "strict" {
            None
        } else {
            Some("true")
        };
        assert_eq!(
            doc["metadata"]["annotations"][&scope_annotation].as_str(),
            expected
        );
        assert_eq!(
            template["metadata"]["annotations"][&scope_annotation].as_str(),
            expected
        );
        // The SealedSecret's own metadata carries no labels, as kubeseal's.
        assert!(doc["metadata"].get("labels").is_none());
        let data = doc["spec"]["encryptedData"].as_object().expect("map");
        assert_eq!(data.len(), 1);
        let sealed = data[".dockerconfigjson"].as_str().expect("string");
        let bytes = regcred::gocompat::base64::decode(
            sealed.as_bytes(),
            regcred::gocompat::base64::Padding::Required,
        )
        .expect("base64");
        // 2-byte length, a 4096-bit key's 512-byte wrapped key, the value
        // and its 16-byte GCM tag.
        assert_eq!(&bytes[..2], &[2, 0]);
        assert!(bytes.len() > 2 + 512 + 16);
        assert!(!text.contains("alice"), "the user is sealed too");
    }
}

#[test]
fn yaml_is_kubeseals_layout_in_both_dialects() {
    let mut args = credentials("regcred", Some("apps"));
    args.extend(sealed_with(&fixture("controller.pem"), "cluster-wide"));
    args.extend([os("--type"), os("dockercfg")]);
    let current = ok(&create(&args));
    let lines: Vec<&str> = current.lines().collect();
    let keys: Vec<&str> = lines
        .iter()
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(
        keys,
        [
            "apiVersion",
            "kind",
            "metadata",
            "  annotations",
            "    sealedsecrets.bitnami.com/cluster-wide",
            "  name",
            "  namespace",
            "spec",
            "  encryptedData",
            "    .dockercfg",
            "  template",
            "    metadata",
            "      annotations",
            "        owner",
            "        sealedsecrets.bitnami.com/cluster-wide",
            "      labels",
            "        team",
            "      name",
            "      namespace",
            "    type",
        ]
    );
    assert!(current.contains("    sealedsecrets.bitnami.com/cluster-wide: \"true\"\n"));
    assert!(current.ends_with("    type: kubernetes.io/dockercfg\n"));

    args.extend([os("--kubectl-dialect"), os("legacy")]);
    let legacy = ok(&create(&args));
    assert_eq!(legacy.matches("creationTimestamp: null\n").count(), 2);
    assert!(legacy.contains("\n  creationTimestamp: null\n  name: regcred\n"));
    assert!(legacy.contains("\n      creationTimestamp: null\n      labels:\n"));
}

#[test]
fn cluster_wide_needs_no_namespace_and_the_others_do() {
    let mut args = credentials("regcred", None);
    args.extend(sealed_with(&fixture("controller.pem"), "cluster-wide"));
    let text = ok(&create(&args));
    assert!(!text.contains("namespace:"));
    for scope in ["strict", "namespace-wide"] {
        let mut args = credentials("regcred", None);
        args.extend(sealed_with(&fixture("controller.pem"), scope));
        let message = error_of(&create(&args));
        assert!(
            message.contains(&format!(
                "the {scope} seal scope binds the value to a namespace"
            )) && message.contains("-n NAMESPACE"),
            "{message}"
        );
    }
}

#[test]
fn bad_certificates_and_flags_are_clear_errors() {
    let cases: Vec<(Vec<OsString>, &str)> = vec![
        (
            sealed_with(&fixture("ecdsa.pem"), "strict"),
            "the certificate's key is ECDSA, not RSA",
        ),
        (
            sealed_with(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("Cargo.toml")
                    .as_path(),
                "strict",
            ),
            "holds no PEM certificate",
        ),
        (
            sealed_with(&fixture("missing.pem"), "strict"),
            "cannot read the sealing certificate",
        ),
        (
            sealed_with(Path::new(env!("CARGO_MANIFEST_DIR")), "strict"),
            "a directory, not a regular file",
        ),
        (
            sealed_with(&fixture("expired.pem"), "strict"),
            "expired.pem: the certificate expired on 2025-01-01",
        ),
        (
            vec![os("--seal-scope"), os("cluster-wide")],
            "--seal-cert <FILE>",
        ),
        (
            vec![
                os("--seal-cert"),
                os(fixture("controller.pem")),
                os("--seal-scope"),
                os("wide"),
            ],
            "possible values: strict, namespace-wide, cluster-wide",
        ),
        (
            {
                let mut v = sealed_with(&fixture("controller.pem"), "strict");
                v.extend([
                    os("--annotation"),
                    os("sealedsecrets.bitnami.com/cluster-wide=true"),
                ]);
                v
            },
            "is set by the seal scope: use --seal-scope",
        ),
    ];
    for (extra, expected) in cases {
        let mut args = credentials("regcred", Some("apps"));
        args.extend(extra);
        let message = error_of(&create(&args));
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
}

/// The certificate is read as every input is (src/bounded_read.rs): a
/// regular file of at most 1 MiB; a device or a FIFO nobody writes to is
/// refused, not read or waited on.
#[test]
fn the_certificate_is_a_bounded_regular_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo.pem");
    common::mkfifo(&fifo);
    let big = dir.path().join("big.pem");
    let mut bytes = std::fs::read(fixture("controller.pem")).expect("fixture");
    bytes.resize((1 << 20) + 1, b'\n');
    std::fs::write(&big, bytes).expect("write");
    for (cert, expected) in [
        (fifo.as_path(), "fifo.pem: a FIFO, not a regular file"),
        (
            Path::new("/dev/zero"),
            "/dev/zero: a character device, not a regular file",
        ),
        (big.as_path(), "big.pem: larger than 1048576 bytes"),
    ] {
        let mut args = vec![os("create")];
        args.extend(credentials("regcred", Some("apps")));
        args.extend(sealed_with(cert, "strict"));
        let out = common::regcred_cmd()
            .timeout(common::HANG_GUARD)
            .args(&args)
            .write_stdin(PASSWORD)
            .output()
            .expect("run");
        let message = error_of(&out);
        assert!(
            message.starts_with("error: cannot read the sealing certificate ")
                && message.contains(expected)
                && message.lines().count() == 1,
            "{expected:?} not in {message}"
        );
    }
}

#[test]
fn output_file_and_append_hash_behave_as_for_a_secret() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sealed.yaml");
    let mut args = credentials("regcred", Some("apps"));
    args.extend(sealed_with(&fixture("controller.pem"), "strict"));
    args.extend([os("--append-hash"), os("--output-file"), os(&path)]);
    let out = create(&args);
    assert!(ok(&out).is_empty());
    let written = std::fs::read_to_string(&path).expect("written");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // The name is the Secret's `--append-hash` name: the hash of the
    // plaintext Secret, so the sealed and the plain output agree on it.
    let mut plain = credentials("regcred", Some("apps"));
    plain.extend([os("--append-hash"), os("-o"), os("json")]);
    let secret: Value = serde_json::from_str(&ok(&create(&plain))).expect("JSON");
    let name = secret["metadata"]["name"].as_str().expect("name");
    assert!(name.starts_with("regcred-") && name.len() == "regcred-".len() + 10);
    assert_eq!(written.matches(&format!("  name: {name}\n")).count(), 2);
    // A second run refuses to replace it without --force.
    let message = error_of(&create(&args));
    assert!(message.contains("already exists"), "{message}");
}

// --------------------------------------------------------------- the judge

struct Judge {
    python: PathBuf,
    dir: tempfile::TempDir,
}

impl Judge {
    /// kubesealpy and a fresh RSA-4096 certificate with its private key.
    fn new() -> Option<Judge> {
        let python = require(KUBESEALPY, "unsealing with kubesealpy")?;
        let openssl = require(OPENSSL, "making a sealing certificate")?;
        let dir = tempfile::tempdir().expect("tempdir");
        let out = run(
            &openssl,
            &[
                os("req"),
                os("-x509"),
                os("-newkey"),
                os("rsa:4096"),
                os("-nodes"),
                os("-keyout"),
                os(dir.path().join("key.pem")),
                os("-out"),
                os(dir.path().join("cert.pem")),
                os("-days"),
                os("2"),
                os("-subj"),
                os("/O=sealed-secret"),
            ],
            None,
            &[],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(Judge { python, dir })
    }

    fn cert(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// kubesealpy's Secret for `sealed`, optionally moved to another name
    /// or namespace; `None` when it cannot unseal.
    fn unseal(&self, sealed: &[u8], moved: &[(&str, &str)]) -> Option<Value> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kubesealpy/unseal.py");
        let mut args = vec![os(script), os(self.dir.path().join("key.pem"))];
        for (field, value) in moved {
            args.extend([os(format!("--{field}")), os(value)]);
        }
        let out = run(&self.python, &args, Some(sealed), &[]);
        match out.status.code() {
            Some(0) => Some(serde_json::from_slice(&out.stdout).expect("unseal.py JSON")),
            Some(3) => None,
            _ => panic!("unseal.py: {}", String::from_utf8_lossy(&out.stderr)),
        }
    }
}

/// What `regcred create` prints without sealing, in the shape unseal.py
/// reports a Secret, with the scope's annotation the controller keeps.
fn expected_secret(args: &[OsString], scope: &str) -> Value {
    let mut plain = args.to_vec();
    plain.extend([os("-o"), os("json")]);
    let secret: Value = serde_json::from_str(&ok(&create(&plain))).expect("JSON");
    let meta = &secret["metadata"];
    let map = |field: &str| meta.get(field).cloned().unwrap_or(serde_json::json!({}));
    let mut annotations = map("annotations");
    if scope != "strict" {
        annotations[format!("sealedsecrets.bitnami.com/{scope}")] = Value::from("true");
    }
    serde_json::json!({
        "name": meta["name"],
        "namespace": meta.get("namespace").cloned().unwrap_or(Value::Null),
        "labels": map("labels"),
        "annotations": annotations,
        "type": secret["type"],
        "data": secret["data"],
    })
}

#[test]
#[ignore = "needs kubesealpy (/opt/kubesealpy) and openssl"]
fn kubesealpy_unseals_creates_secret_in_every_scope() {
    let Some(judge) = Judge::new() else { return };
    let mut checked = 0;
    for scope in SCOPES {
        for (ty, format) in [("dockerconfigjson", "yaml"), ("dockercfg", "json")] {
            let mut args = credentials("regcred", Some("apps"));
            args.extend([os("--type"), os(ty)]);
            let expected = expected_secret(&args, scope);
            args.extend(sealed_with(&judge.cert(), scope));
            args.extend([os("-o"), os(format)]);
            let sealed = create(&args);
            ok(&sealed);
            let what = format!("{scope} {ty} -o {format}");
            assert_eq!(
                judge.unseal(&sealed.stdout, &[]),
                Some(expected.clone()),
                "{what}"
            );
            // Moved elsewhere, it unseals only where the scope allows.
            let other_name = judge.unseal(&sealed.stdout, &[("name", "other")]);
            let other_ns = judge.unseal(&sealed.stdout, &[("namespace", "other")]);
            assert_eq!(other_name.is_some(), scope != "strict", "{what}: renamed");
            assert_eq!(other_ns.is_some(), scope == "cluster-wide", "{what}: moved");
            checked += 1;
        }
    }
    // Cluster-wide without a namespace.
    let mut args = credentials("regcred", None);
    let expected = expected_secret(&args, "cluster-wide");
    args.extend(sealed_with(&judge.cert(), "cluster-wide"));
    let sealed = create(&args);
    ok(&sealed);
    assert_eq!(judge.unseal(&sealed.stdout, &[]), Some(expected));
    assert_eq!(checked, 6);
}

#[test]
#[ignore = "needs kubesealpy (/opt/kubesealpy) and openssl"]
fn kubesealpy_unseals_a_config_file_selection() {
    let Some(judge) = Judge::new() else { return };
    let config = judge.dir.path().join("config.json");
    std::fs::write(
        &config,
        br#"{"auths":{"a.example.com":{"auth":"dTpw"},"b.example.com":{"username":"v","password":"q"}}}"#,
    )
    .expect("write");
    let mut args = vec![
        os("pull"),
        os("-n"),
        os("apps"),
        os("--from-config"),
        os(&config),
        os("--registry"),
        os("b.example.com"),
    ];
    let expected = expected_secret(&args, "strict");
    args.extend(sealed_with(&judge.cert(), "strict"));
    let sealed = create(&args);
    ok(&sealed);
    assert_eq!(judge.unseal(&sealed.stdout, &[]), Some(expected));
}

// ------------------------------------------------------------ the generators

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: apps
spec:
  containers:
  - name: app
    image: registry.example.com/app:1.0
  imagePullSecrets:
  - name: regcred
";

/// A PullSecret config for `registry.example.com` (password in
/// REG_PASSWORD), sealed with `cert` when given.
fn pull_secret_config(cert: Option<&Path>, scope: &str) -> String {
    let mut config = "apiVersion: regcred.dev/v1
kind: PullSecret
metadata:
  name: regcred
  namespace: apps
spec:
  server: registry.example.com
  username: alice
  passwordFrom: env:REG_PASSWORD
"
    .to_string();
    if let Some(cert) = cert {
        config.push_str(&format!(
            "  seal:\n    certificate: {}\n    scope: {scope}\n",
            cert.display()
        ));
    }
    config
}

const REG_PASSWORD: &str = "generator-s3cret-Zq9";

/// The `.dockerconfigjson` value `regcred create` writes for that config.
fn created_data() -> Value {
    let args = [
        os("create"),
        os("regcred"),
        os("-n"),
        os("apps"),
        os("--docker-server=registry.example.com"),
        os("--docker-username=alice"),
        os("--docker-password-env=REG_PASSWORD"),
        os("-o"),
        os("json"),
    ];
    let out = run(
        &regcred(),
        &args,
        None,
        &[("REG_PASSWORD".to_string(), os(REG_PASSWORD))],
    );
    let secret: Value = serde_json::from_str(&ok(&out)).expect("JSON");
    secret["data"].clone()
}

/// The YAML document of `kind` in a stream.
fn document<'a>(stream: &'a str, kind: &str) -> Option<&'a str> {
    stream
        .split("\n---\n")
        .find(|d| d.lines().any(|l| l == format!("kind: {kind}")))
}

/// Every file under `dir` with its text.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).expect("read");
                out.push((path, text));
            }
        }
    }
    out
}

#[test]
#[ignore = "needs kpt, kubesealpy (/opt/kubesealpy) and openssl"]
fn kpt_fn_eval_seals_and_leaves_no_plaintext_secret_behind() {
    let Some(judge) = Judge::new() else { return };
    let Some(kpt) = require("kpt", "the kpt fn eval --exec sealing test") else {
        return;
    };
    let pkg = judge.dir.path().join("pkg");
    std::fs::create_dir(&pkg).expect("mkdir");
    std::fs::write(
        pkg.join("Kptfile"),
        "apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\n",
    )
    .expect("write");
    std::fs::write(pkg.join("pod.yaml"), POD).expect("write");
    let expected = created_data();
    let plain_b64 = expected[".dockerconfigjson"]
        .as_str()
        .expect("data")
        .to_string();
    let eval = |config: &str| {
        let fn_config = judge.dir.path().join("fn-config.yaml");
        std::fs::write(&fn_config, config).expect("write");
        let args = [
            os("fn"),
            os("eval"),
            os(&pkg),
            os("--exec"),
            os(common::regcred_fn()),
            os("--fn-config"),
            os(&fn_config),
        ];
        let out = run(
            &kpt,
            &args,
            None,
            &[("REG_PASSWORD".to_string(), os(REG_PASSWORD))],
        );
        assert!(
            out.status.success(),
            "kpt fn eval: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // First unsealed, as a package may have it today: the plaintext is there.
    eval(&pull_secret_config(None, "strict"));
    assert!(files(&pkg).iter().any(|(_, t)| t.contains(&plain_b64)));
    // Then sealed, once in each scope: each run replaces the last, and
    // leaves one SealedSecret, no Secret, no plaintext.
    for (round, scope) in SCOPES.into_iter().enumerate() {
        eval(&pull_secret_config(Some(&judge.cert()), scope));
        let all = files(&pkg);
        let sealed: Vec<&(PathBuf, String)> = all
            .iter()
            .filter(|(_, t)| document(t, "SealedSecret").is_some())
            .collect();
        assert_eq!(sealed.len(), 1, "round {round}: {all:?}");
        assert!(
            all.iter().all(|(_, t)| document(t, "Secret").is_none()),
            "round {round}: a Secret is left: {all:?}"
        );
        assert!(
            all.iter()
                .all(|(_, t)| !t.contains(&plain_b64) && !t.contains(REG_PASSWORD)),
            "round {round}: plaintext left in the package"
        );
        let doc = document(&sealed[0].1, "SealedSecret").expect("document");
        let secret = judge.unseal(doc.as_bytes(), &[]).expect("unseals");
        assert_eq!(secret["data"], expected, "round {round}");
        assert_eq!(secret["name"], "regcred");
        assert_eq!(secret["namespace"], "apps");
        let annotation = format!("sealedsecrets.bitnami.com/{scope}");
        let expected_annotation = (scope != "strict").then_some("true");
        assert_eq!(
            secret["annotations"][&annotation].as_str(),
            expected_annotation,
            "{scope}"
        );
        // Moved, it unseals only where the scope allows.
        let renamed = judge.unseal(doc.as_bytes(), &[("name", "other")]);
        assert_eq!(renamed.is_some(), scope != "strict", "{scope}: renamed");
        assert_eq!(
            std::fs::read_to_string(pkg.join("pod.yaml")).expect("pod"),
            POD
        );
    }
}

/// `kubectl kustomize --enable-alpha-plugins` on a kustomization whose
/// generator is `config`, with the plugin installed by `regcred kustomize
/// install-plugin`; `kustomization` is the rest of kustomization.yaml.
fn kubectl_kustomize(dir: &Path, config: &str, kustomization: &str) -> Option<Output> {
    let kubectl = require(common::KUBECTL_LEGACY, "the kustomize sealing test")?;
    let xdg = dir.join("xdg");
    let app = dir.join("app");
    std::fs::create_dir_all(&app).expect("mkdir");
    std::fs::write(
        app.join("kustomization.yaml"),
        format!("generators:\n- pullsecret.yaml\nresources:\n- pod.yaml\n{kustomization}"),
    )
    .expect("write");
    std::fs::write(app.join("pod.yaml"), POD).expect("write");
    std::fs::write(app.join("pullsecret.yaml"), config).expect("write");
    let install = run(
        &regcred(),
        &[os("kustomize"), os("install-plugin")],
        None,
        &[("XDG_CONFIG_HOME".to_string(), os(&xdg))],
    );
    ok(&install);
    let bin_dir = regcred().parent().expect("bin dir").to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    Some(run(
        &kubectl,
        &[os("kustomize"), os("--enable-alpha-plugins"), os(&app)],
        None,
        &[
            ("PATH".to_string(), path),
            ("XDG_CONFIG_HOME".to_string(), os(&xdg)),
            ("REG_PASSWORD".to_string(), os(REG_PASSWORD)),
        ],
    ))
}

#[test]
#[ignore = "needs kubectl (kustomize), kubesealpy (/opt/kubesealpy) and openssl"]
fn kubectl_kustomize_plugin_writes_a_sealed_secret() {
    let Some(judge) = Judge::new() else { return };
    let expected = created_data();
    for scope in SCOPES {
        let dir = judge.dir.path().join(scope);
        let config = pull_secret_config(Some(&judge.cert()), scope);
        let Some(out) = kubectl_kustomize(&dir, &config, "") else {
            return;
        };
        let stdout = ok(&out);
        assert!(document(&stdout, "Secret").is_none(), "{stdout}");
        assert!(!stdout.contains(REG_PASSWORD));
        assert!(!stdout.contains(expected[".dockerconfigjson"].as_str().expect("data")));
        let doc = document(&stdout, "SealedSecret").expect("a SealedSecret");
        // No hash suffix: the name the pod refers to is the one sealed.
        assert!(doc.contains("\n  name: regcred\n"), "{doc}");
        assert!(
            stdout.contains("imagePullSecrets:\n  - name: regcred\n"),
            "{stdout}"
        );
        let secret = judge.unseal(doc.as_bytes(), &[]).expect("unseals");
        assert_eq!(secret["data"], expected, "{scope}");
        assert_eq!(secret["namespace"], "apps", "{scope}");
    }
    // A kustomization namespace would move a strict seal where it cannot
    // be unsealed: refused, in the config's words.
    let dir = judge.dir.path().join("moved");
    let config = pull_secret_config(Some(&judge.cert()), "strict");
    let Some(out) = kubectl_kustomize(&dir, &config, "namespace: other\n") else {
        return;
    };
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the kustomization sets namespace: other")
            && stderr.contains("set metadata.namespace: other, or spec.seal.scope: cluster-wide"),
        "{stderr}"
    );
    // A namePrefix renames what the generator printed (not its template,
    // not the pod's reference): a namespace-wide seal still opens under
    // the new name, a strict one would not and is refused.
    let dir = judge.dir.path().join("renamed-namespace-wide");
    let config = pull_secret_config(Some(&judge.cert()), "namespace-wide");
    let Some(out) = kubectl_kustomize(&dir, &config, "namePrefix: blue-\n") else {
        return;
    };
    let stdout = ok(&out);
    let doc = document(&stdout, "SealedSecret").expect("a SealedSecret");
    assert!(doc.contains("\n  name: blue-regcred\n"), "{doc}");
    assert!(doc.contains("\n      name: regcred\n"), "{doc}");
    assert!(
        stdout.contains("imagePullSecrets:\n  - name: regcred\n"),
        "{stdout}"
    );
    let secret = judge.unseal(doc.as_bytes(), &[]).expect("unseals renamed");
    assert_eq!(secret["data"], expected);
    // (A strict seal renamed does not open: kubesealpy_unseals_creates_secret_in_every_scope.)
    let dir = judge.dir.path().join("renamed-strict");
    let config = pull_secret_config(Some(&judge.cert()), "strict");
    let Some(out) = kubectl_kustomize(&dir, &config, "nameSuffix: -v2\n") else {
        return;
    };
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rename the SealedSecret to regcred-v2 after it is sealed for regcred")
            && stderr.contains("set spec.seal.scope: namespace-wide"),
        "{stderr}"
    );
}
