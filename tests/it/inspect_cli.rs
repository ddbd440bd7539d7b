//! `regcred inspect` end to end: the demo's failing pull explained, kubectl's
//! own output (a `List`, several documents, both kubectl versions), Docker
//! config files, the JSON schema, and exit codes.

use crate::common;

use std::ffi::OsString;

use serde_json::Value;

/// `inspect ARGS` on `stdin`: (stdout, exit code).
fn inspect(args: &[&str], stdin: &[u8]) -> (String, i32) {
    let out = common::regcred_cmd()
        .current_dir(common::manifest_dir())
        .arg("inspect")
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn inspect_json(args: &[&str], stdin: &[u8]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (text, code) = inspect(&all, stdin);
    assert_eq!(code, 0, "{text}");
    let value: Value = serde_json::from_str(&text).unwrap();
    let schema: Value =
        serde_json::from_str(include_str!("../../schemas/inspect.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    value
}

#[test]
fn the_demo_pod_pull_failure_is_explained() {
    let (text, code) = inspect(
        &[
            "fixtures/demo",
            "--pod",
            "fixtures/demo/base/deployment.yaml",
        ],
        b"",
    );
    assert_eq!(code, 0, "{text}");
    // The pod, its pull secret found, the key used for one image...
    assert!(text.contains("Deployment \"web\" (fixtures/demo/base/deployment.yaml)"));
    assert!(text.contains(
        "\"corp-registry\": Secret \"shop/corp-registry\" (fixtures/demo/base/pull-secret.yaml:2)"
    ));
    assert!(text.contains(
        "1. \"registry.corp.example\" of Secret \"shop/corp-registry\" (fixtures/demo/base/pull-secret.yaml:2)"
    ));
    // ...and why the other image has none, in the rule's words.
    assert!(text.contains(
        "\"registry.corp.example\" of Secret \"shop/corp-registry\" (fixtures/demo/base/pull-secret.yaml:2): the key's host has 3 dot-separated labels, the image's has 2"
    ), "{text}");
    assert!(text.contains("help: a key \"ghcr.io\" would match"));
    // The Secret that has ghcr.io is not named by the pod, and broken.
    assert!(text.contains(
        "\"ghcr.io\" of Secret \"shop/ghcr\" (fixtures/demo/base/ghcr-secret.yaml:2): the pod does not name this Secret; the kubelet rejects this Secret's payload (pull-secret-auth-no-colon)"
    ), "{text}");
    assert!(text.contains("error[image-pull-secret-no-match] line 20"));
    // The Secret holding ghcr.io is broken: the kubelet does not use it.
    assert!(text.contains("error[pull-secret-auth-no-colon] line 9"));
    // Never the password (demo-only) nor its auth.
    assert!(!text.contains("demo-only") && !text.contains("Y2k6ZGVtby1vbmx5"));

    let report = inspect_json(
        &[
            "fixtures/demo",
            "--pod",
            "fixtures/demo/base/deployment.yaml",
        ],
        b"",
    );
    let pod = &report["pods"][0];
    assert_eq!(pod["pull_secrets_from"], "pod");
    assert_eq!(pod["namespaces"], serde_json::json!(["shop"]));
    let metrics = &pod["containers"][1]["image"];
    assert_eq!(metrics["repository"], "ghcr.io/corp/metrics-sidecar");
    assert_eq!(metrics["suggested_key"], "ghcr.io");
    assert_eq!(metrics["keys"][0]["tried"], Value::Null);
    let web = &pod["containers"][0]["image"];
    assert_eq!(web["keys"][0]["tried"], 1);
    let used = web["keys"][0]["secret"].as_u64().unwrap() as usize;
    assert_eq!(report["secrets"][used]["name"], "corp-registry");
}

#[test]
fn a_kubectl_list_shows_every_secret_key_and_the_kubelets_order() {
    let report = inspect_json(
        &[
            "fixtures/inspect/list.yaml",
            "--image",
            "quay.io/team/app:1",
            "--image",
            "busybox",
        ],
        b"",
    );
    let secrets = report["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2);
    let hub = &secrets[0]["registries"][0];
    assert_eq!(hub["key"], "https://index.docker.io/v1/");
    assert_eq!(hub["index_key"], "index.docker.io");
    assert_eq!(hub["user"], "ci-bot");
    assert_eq!(hub["password_length"], 12);
    assert_eq!(hub["auth"], "agrees");
    assert_eq!(hub["email"], "ci@example.com");
    assert_eq!(secrets[1]["type"], "kubernetes.io/dockercfg");
    assert_eq!(secrets[1]["problems"][0]["rule"], "pull-secret-legacy-type");
    // quay.io/team before quay.io (reverse byte order), Docker Hub last.
    let quay: Vec<(&str, &Value)> = report["images"][0]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["key"].as_str().unwrap(), &k["tried"]))
        .collect();
    assert_eq!(
        quay,
        [
            ("quay.io/team", &Value::from(1)),
            ("quay.io", &Value::from(2)),
            ("https://index.docker.io/v1/", &Value::Null)
        ]
    );
    let busybox = &report["images"][1];
    assert_eq!(busybox["repository"], "docker.io/library/busybox");
    assert_eq!(busybox["docker_hub_fallback"], true);
    assert_eq!(busybox["keys"][0]["key"], "https://index.docker.io/v1/");
    assert_eq!(
        busybox["keys"][1]["miss"],
        "path \"/team\" is not a prefix of the image's path \"/library/busybox\""
    );
}

#[test]
fn several_documents_on_stdin_and_docker_configs() {
    let list =
        std::fs::read_to_string(common::manifest_dir().join("fixtures/inspect/list.yaml")).unwrap();
    // The List's two items as two documents.
    let stream = format!(
        "{}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: s3}}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{{\"auths\":{{\"reg.io\":{{\"auth\":\"dTpw\",\"username\":\"x\"}}}}}}'\n",
        list
    );
    let report = inspect_json(&["-"], stream.as_bytes());
    let names: Vec<&str> = report["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["regcred", "quay-legacy", "s3"]);
    let s3 = &report["secrets"][2];
    assert_eq!(s3["source"], "stringData");
    assert_eq!(s3["registries"][0]["auth"], "username_differs");
    assert_eq!(s3["problems"][0]["rule"], "pull-secret-auth-mismatch");

    // A Docker config, piped or named whatever its name.
    let config = br#"{"auths": {"reg.io": {"auth": "dTpw", "identitytoken": "tok"}, "ghcr.io": {}}, "credsStore": "desktop"}"#;
    let report = inspect_json(&["-"], config);
    let s = &report["secrets"][0];
    assert_eq!(s["source"], "file");
    assert_eq!(s["type"], Value::Null);
    assert_eq!(s["registries"][0]["identitytoken_length"], 3);
    assert_eq!(s["problems"][0]["rule"], "pull-secret-creds-store");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("saved.json");
    std::fs::write(&file, config).unwrap();
    let report = inspect_json(&[file.to_str().unwrap()], b"");
    assert_eq!(report["secrets"][0]["registries"][0]["user"], "u");
}

/// A pull secret whose keys cannot be read here (a SealedSecret, one not
/// among the inputs) is no reason to say the pull goes out anonymous.
#[test]
fn pods_whose_secrets_cannot_be_read_here() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sealed.yaml"),
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: sealed}\nspec:\n  encryptedData: {.dockerconfigjson: AgBy3i4OJSWK}\n  template:\n    type: kubernetes.io/dockerconfigjson\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  imagePullSecrets: [{name: sealed}, {name: elsewhere}]\n  containers:\n  - {name: app, image: reg.example.com/app:1}\n",
    )
    .unwrap();
    let dir = dir.path().to_str().unwrap();
    let pod = format!("{dir}/pod.yaml");
    let report = inspect_json(&[dir, "--pod", &pod], b"");
    let uses = &report["pods"][0]["pull_secrets"];
    assert_eq!(uses[0]["resolution"], "found");
    assert_eq!(uses[0]["keys_known"], false);
    // The SealedSecret is listed as the pull secret it becomes, keys unread.
    let sealed = &report["secrets"][uses[0]["secrets"][0].as_u64().unwrap() as usize];
    assert_eq!(sealed["kind"], "SealedSecret");
    assert_eq!(sealed["type"], "kubernetes.io/dockerconfigjson");
    assert_eq!(sealed["key"], ".dockerconfigjson");
    assert_eq!(sealed["source"], "encryptedData");
    assert_eq!(sealed["payload"]["state"], "unreadable");
    assert_eq!(sealed["registries"], serde_json::json!([]));
    assert_eq!(uses[1]["resolution"], "not_found");
    assert_eq!(uses[1]["keys_known"], false);
    let (text, _) = inspect(&[dir, "--pod", &pod], b"");
    assert!(
        text.contains("no key read here matches; \"sealed\", \"elsewhere\" may hold one"),
        "{text}"
    );
    assert!(!text.contains("pull goes out anonymous"), "{text}");
    assert!(
        text.contains("\"sealed\": SealedSecret \"sealed\""),
        "{text}"
    );
    assert!(!text.contains("does not use this"), "{text}");
}

/// A SealedSecret or ExternalSecret whose template type is no pull-secret
/// type gives the kubelet no key: that is known without decrypting, so the
/// pod is not told that it "may hold one".
#[test]
fn gitops_secrets_of_an_ignored_type_hold_no_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: app-config, namespace: shop}\nspec:\n  encryptedData: {config.json: AgBy3i4OJSWK}\n  template: {type: Opaque}\n---\napiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  target: {name: db-credentials}\n  data: [{secretKey: password, remoteRef: {key: db/password}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  imagePullSecrets: [{name: app-config}, {name: db-credentials}]\n  containers: [{name: web, image: reg.example.com/team/web:1.0}]\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let pod = format!("{d}/app.yaml");
    let report = inspect_json(&[d, "--pod", &pod], b"");
    let uses = &report["pods"][0]["pull_secrets"];
    for u in uses.as_array().unwrap() {
        assert_eq!(u["resolution"], "found", "{u}");
        assert_eq!(u["keys_known"], true, "{u}");
    }
    let (text, _) = inspect(&[d, "--pod", &pod], b"");
    assert!(
        text.contains("SealedSecret of type \"Opaque\", which the kubelet ignores for pulls")
            && text.contains("ExternalSecret of type \"Opaque\", which the kubelet ignores"),
        "{text}"
    );
    assert!(!text.contains("may hold one"), "{text}");
    assert!(
        text.contains(
            "none of the pod's pull secrets gives the kubelet a key: the pull goes out anonymous"
        ),
        "{text}"
    );
    assert!(
        text.contains("error[image-pull-secret-not-pull-secret]"),
        "{text}"
    );
}

/// A pod without imagePullSecrets gets its ServiceAccount's; `kubectl get
/// -o json` prints a List as JSON.
#[test]
fn service_account_pull_secrets_and_a_json_list() {
    let list =
        std::fs::read_to_string(common::manifest_dir().join("fixtures/inspect/list.yaml")).unwrap();
    let docs = regcred::manifest::parse_stream(&list).unwrap();
    let json = docs[0].root.as_ref().map(to_json).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("secrets.json"),
        serde_json::to_string_pretty(&json).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("job.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder, namespace: shop}\nimagePullSecrets: [{name: quay-legacy}]\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: build, namespace: shop}\nspec:\n  template:\n    spec:\n      serviceAccountName: builder\n      containers: [{name: build, image: quay.io/team/builder:7}]\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let job = format!("{d}/job.yaml");
    let report = inspect_json(&[d, "--pod", &job], b"");
    assert_eq!(report["secrets"].as_array().unwrap().len(), 2);
    let pod = &report["pods"][0];
    assert_eq!(pod["kind"], "Job");
    assert_eq!(pod["pull_secrets_from"], "service_account");
    assert_eq!(pod["service_account"], "builder");
    let keys = &pod["containers"][0]["image"]["keys"];
    assert_eq!(keys[0]["key"], "quay.io/team");
    assert_eq!(keys[0]["tried"], 1);
    assert_eq!(keys[1]["key"], "quay.io");
    // Only the ServiceAccount's Secret is in the pod's keyring.
    assert_eq!(keys.as_array().unwrap().len(), 2);
}

/// A parsed YAML node as JSON (strings, mappings and sequences suffice here).
fn to_json(node: &regcred::manifest::Node) -> Value {
    use regcred::manifest::NodeKind;
    match &node.kind {
        NodeKind::Mapping(entries) => Value::Object(
            entries
                .iter()
                .map(|e| (e.key.text().unwrap_or("").to_string(), to_json(&e.value)))
                .collect(),
        ),
        NodeKind::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        _ => Value::String(node.text().unwrap_or("").to_string()),
    }
}

#[test]
fn exit_codes() {
    let (_, code) = inspect(&["fixtures/inspect/list.yaml"], b"");
    assert_eq!(code, 0);
    // Findings do not change it: inspect explains, lint judges.
    let (text, code) = inspect(&["fixtures/demo"], b"");
    assert_eq!(code, 0);
    assert!(text.contains("error[pull-secret-wrong-type]"));
    // An input that cannot be read.
    let (_, code) = inspect(&["fixtures/no-such-file.yaml"], b"");
    assert_eq!(code, 2);
    let (text, code) = inspect(&["-"], b"apiVersion: v1\nkind: ConfigMap\n");
    assert_eq!(code, 0);
    assert!(text.contains("no pull secret found"));
    // Input that is no YAML is read (exit 0), and said not to be parsed:
    // a pull secret in it would not be shown.
    let broken = b"apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ntype: kubernetes.io/dockerconfigjson\n---\nkind: [\n";
    let (text, code) = inspect(&["-"], broken);
    assert_eq!(code, 0);
    assert!(
        text.contains(":7: not read: YAML syntax error: ")
            && text.contains("(a pull secret there is not shown)"),
        "{text}"
    );
    let report = inspect_json(&["-"], broken);
    assert_eq!(
        report["unparsed"][0]["problem"]["rule"],
        "yaml-syntax-error"
    );
    assert_eq!(report["unparsed"][0]["problem"]["line"], 7);
    let report = inspect_json(&["fixtures/inspect"], b"");
    assert_eq!(report["unparsed"], serde_json::json!([]));
    // A --pod file without a workload says so; a missing one is an error.
    let (text, code) = inspect(&["--pod", "fixtures/inspect/list.yaml"], b"");
    assert_eq!(code, 0);
    assert!(
        text.contains("fixtures/inspect/list.yaml: no workload"),
        "{text}"
    );
    let (_, code) = inspect(&["--pod", "fixtures/no-such-pod.yaml"], b"");
    assert_eq!(code, 2);
}

/// `--pod -`: the workloads piped in (`kubectl get deploy NAME -o yaml |
/// regcred inspect k8s/ --pod -`), with the pull secrets of the PATHs.
#[test]
fn pod_from_stdin() {
    let deployment =
        std::fs::read(common::manifest_dir().join("fixtures/inspect/deployment.yaml")).unwrap();
    for args in [
        &["fixtures/inspect/list.yaml", "--pod", "-"][..],
        &["--pod", "-"],
    ] {
        let (text, code) = inspect(args, &deployment);
        assert_eq!(code, 0, "{args:?}: {text}");
        assert!(
            text.contains("Deployment \"api\" (<stdin>)"),
            "{args:?}: {text}"
        );
        assert!(!text.contains("no workload"), "{args:?}: {text}");
    }
    let (text, _) = inspect(&["fixtures/inspect/list.yaml", "--pod", "-"], &deployment);
    assert!(
        text.contains("\"regcred\": Secret \"shop/regcred\" (fixtures/inspect/list.yaml:4)"),
        "{text}"
    );
}

/// `inspect` with no PATH, its stdin `stdin`, in a folder holding one pull
/// secret (`tree.yaml`): (stdout, stderr, exit code). A run that has not
/// ended within the hang guard is killed and fails the test.
fn inspect_no_path(stdin: std::process::Stdio) -> (String, String, Option<i32>) {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::manifest_dir().join("fixtures/inspect/list.yaml"),
        dir.path().join("tree.yaml"),
    )
    .unwrap();
    let mut child = Command::new(common::regcred())
        .current_dir(dir.path())
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .arg("inspect")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + common::HANG_GUARD;
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("regcred inspect with no PATH is still waiting on its stdin");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        common::stderr(&out),
        out.status.code(),
    )
}

/// With no PATH, a pipe on stdin that never closes (a CI step's, an
/// editor's) is not waited on: exit 2 at once, saying to give `-` or `.`,
/// with the usage. A file on stdin (`< FILE`) is still read, and
/// `/dev/null` (cron, a CI step) means the current folder, as a terminal does.
#[test]
fn no_path_never_waits_on_an_open_pipe() {
    use std::process::Stdio;
    // The write end stays open, unwritten, until the run has ended.
    let (reader, writer) = std::io::pipe().unwrap();
    let (stdout, stderr, code) = inspect_no_path(Stdio::from(reader));
    drop(writer);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: no PATH given and stdin is a pipe")
            && stderr.contains("| regcred inspect -`")
            && stderr.contains("or `.` for the current folder")
            && stderr.contains("Usage: regcred inspect [OPTIONS] [PATHS]..."),
        "{stderr}"
    );
    let file =
        std::fs::File::open(common::manifest_dir().join("fixtures/inspect/ci.dockerconfigjson"))
            .unwrap();
    let (stdout, stderr, code) = inspect_no_path(Stdio::from(file));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("Docker config <stdin>\n"), "{stdout}");
    let (stdout, stderr, code) = inspect_no_path(Stdio::null());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("Secret \"shop/regcred\" (tree.yaml:4)"),
        "{stdout}"
    );
}

/// `--pod DIR`: every workload under the folder, with the Secrets there.
#[test]
fn pod_folder_means_every_workload_in_it() {
    for pod in ["fixtures/demo/base", "fixtures/demo/base/", "fixtures/demo"] {
        let report = inspect_json(&["--pod", pod], b"");
        let pods: Vec<(&str, &str)> = report["pods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["kind"].as_str().unwrap(), p["path"].as_str().unwrap()))
            .collect();
        assert!(
            pods.contains(&("Deployment", "fixtures/demo/base/deployment.yaml")),
            "{pod}: {pods:?}"
        );
        assert!(
            pods.iter()
                .any(|(_, path)| *path == "fixtures/demo/base/worker.yaml"),
            "{pod}: {pods:?}"
        );
        assert_eq!(report["pod_files_without_workloads"], serde_json::json!([]));
        // The folder is the input: the Deployment's Secret is found there.
        let web = report["pods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "web")
            .unwrap();
        assert_eq!(web["pull_secrets"][0]["resolution"], "found", "{pod}");
    }
}

/// `kubectl create secret docker-registry ... -o yaml|json` from both
/// kubectl versions, with a canary password: inspect reads each and shows
/// the user, the key and the lengths, never the password.
#[test]
#[ignore = "needs kubectl 1.32 and a current kubectl"]
fn kubectl_created_secrets_from_both_versions() {
    let canary = format!("Canary-{}-pw", std::process::id());
    let encoded = regcred::gocompat::base64::encode(format!("ci:{canary}").as_bytes());
    let mut checked = 0;
    for kubectl in [common::KUBECTL_LEGACY, common::KUBECTL_CURRENT] {
        let Some(kubectl) = common::require(kubectl, "inspect on kubectl's output") else {
            return;
        };
        for output in ["yaml", "json"] {
            let args: Vec<OsString> = [
                "create",
                "secret",
                "docker-registry",
                "regcred",
                "--docker-server=reg.example.com:5000",
                "--docker-username=ci",
                &format!("--docker-password={canary}"),
                "--docker-email=ci@example.com",
                "--namespace=prod",
                "--dry-run=client",
                "-o",
                output,
            ]
            .iter()
            .map(OsString::from)
            .collect();
            let out = common::run(&kubectl, &args, None, &[]);
            assert!(out.status.success(), "{kubectl:?} {output}");
            for format in ["human", "json"] {
                let (text, code) = inspect(
                    &[
                        "-",
                        "--format",
                        format,
                        "--image",
                        "reg.example.com:5000/team/app:1",
                    ],
                    &out.stdout,
                );
                assert_eq!(code, 0, "{text}");
                assert!(
                    !text.contains(&canary) && !text.contains(&encoded),
                    "{text}"
                );
                if format == "json" {
                    let report: Value = serde_json::from_str(&text).unwrap();
                    let s = &report["secrets"][0];
                    assert_eq!(s["name"], "regcred");
                    assert_eq!(s["namespace"], "prod");
                    let r = &s["registries"][0];
                    assert_eq!(r["key"], "reg.example.com:5000");
                    assert_eq!(r["index_key"], "reg.example.com:5000");
                    assert_eq!(r["user"], "ci");
                    assert_eq!(r["password_length"], canary.len());
                    assert_eq!(r["auth"], "agrees");
                    assert_eq!(r["email"], "ci@example.com");
                    assert_eq!(s["problems"], serde_json::json!([]));
                    assert_eq!(report["images"][0]["keys"][0]["tried"], 1);
                } else {
                    assert!(text.contains(&format!("password: {} bytes", canary.len())));
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 8);
}

/// What `kubectl get secret NAME -o json|yaml` prints for a Secret made
/// with `kubectl apply`: the server's fields (`managedFields`, `uid`...) and
/// the `last-applied-configuration` annotation, which holds the whole
/// Secret again, payload included. inspect reads the Secret once and shows
/// neither copy.
#[test]
fn kubectl_get_of_an_applied_secret_shows_no_copy_of_the_payload() {
    let canary = format!("Applied-{}-pw", std::process::id());
    let out = common::regcred_cmd()
        .args([
            "create",
            "regcred",
            "-n",
            "prod",
            "--docker-server=reg.example.com",
            "--docker-username=ci",
            "--docker-password-stdin",
            "-o",
            "json",
        ])
        .write_stdin(canary.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let mut secret: Value = serde_json::from_slice(&out.stdout).unwrap();
    let payload = secret["data"][".dockerconfigjson"]
        .as_str()
        .unwrap()
        .to_string();
    let auth = regcred::gocompat::base64::encode(format!("ci:{canary}").as_bytes());
    let applied = serde_json::to_string(&secret).unwrap();
    let meta = &mut secret["metadata"];
    meta["annotations"] = serde_json::json!({
        "kubectl.kubernetes.io/last-applied-configuration": format!("{applied}\n"),
    });
    meta["creationTimestamp"] = Value::from("2026-11-30T08:12:44Z");
    meta["resourceVersion"] = Value::from("91842");
    meta["uid"] = Value::from("3f0c2a8e-5b7d-4e8f-9a1c-2d6e4b8f0a13");
    meta["managedFields"] = serde_json::json!([{
        "apiVersion": "v1",
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:data": {".": {}, "f:.dockerconfigjson": {}}, "f:type": {}},
        "manager": "kubectl-client-side-apply",
        "operation": "Update",
        "time": "2026-11-30T08:12:44Z",
    }]);
    let json = serde_json::to_string_pretty(&secret).unwrap();
    let yaml = format!(
        "apiVersion: v1\ndata:\n  .dockerconfigjson: {payload}\nkind: Secret\nmetadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {applied}\n  creationTimestamp: \"2026-11-30T08:12:44Z\"\n  managedFields:\n  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n      f:data:\n        .: {{}}\n        f:.dockerconfigjson: {{}}\n    manager: kubectl-client-side-apply\n    operation: Update\n  name: regcred\n  namespace: prod\n  resourceVersion: \"91842\"\n  uid: 3f0c2a8e-5b7d-4e8f-9a1c-2d6e4b8f0a13\ntype: kubernetes.io/dockerconfigjson\n"
    );
    for (what, input) in [("json", &json), ("yaml", &yaml)] {
        let report = inspect_json(&["-", "--image", "reg.example.com/app"], input.as_bytes());
        let secrets = report["secrets"].as_array().unwrap();
        assert_eq!(secrets.len(), 1, "{what}: {report}");
        let r = &secrets[0]["registries"][0];
        assert_eq!(r["user"], "ci", "{what}");
        assert_eq!(r["password_length"], canary.len(), "{what}");
        assert_eq!(secrets[0]["problems"], serde_json::json!([]), "{what}");
        for format in ["human", "json"] {
            let (text, code) = inspect(&["-", "--format", format], input.as_bytes());
            assert_eq!(code, 0, "{what} {format}: {text}");
            for needle in [canary.as_str(), payload.as_str(), auth.as_str()] {
                assert!(!text.contains(needle), "{what} {format}: {text}");
            }
            assert!(!text.contains("last-applied"), "{what} {format}: {text}");
        }
    }
}

/// Text from the input (names, namespaces, types, images) reaches a
/// terminal escaped and bounded: no escape sequence, no line split by a
/// newline in a value, no line of a megabyte.
#[test]
fn hostile_names_are_escaped_and_bounded() {
    let long = "n".repeat(100_000);
    let stream = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: \"a\\e[31mred\", namespace: \"n\\e[2Jx\"}}\ntype: \"kubernetes.io/dockerconfigjson\\nfake: line\"\ndata:\n  .dockerconfigjson: eyJhdXRocyI6eyJyZWcuaW8iOnsiYXV0aCI6ImRUcHcifX19\n---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {long}}}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: eyJhdXRocyI6eyJyZWcuaW8iOnsiYXV0aCI6ImRUcHcifX19\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: \"x\\e[5m\"}}\nspec:\n  imagePullSecrets: [{{name: {long}}}]\n  containers: [{{name: \"c\\e[1m\", image: \"reg.io/app\\e[1m\"}}]\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.yaml");
    std::fs::write(&file, &stream).unwrap();
    let file = file.to_str().unwrap();
    let (text, code) = inspect(&[file, "--pod", file], b"");
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(
        text.contains(r#"Secret "n\u{1b}[2Jx/a\u{1b}[31mred""#),
        "{text}"
    );
    assert!(
        text.contains(r"type: kubernetes.io/dockerconfigjson\nfake: line"),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("fake")), "{text}");
    assert!(text.contains(r"namespace: x\u{1b}[5m"), "{text}");
    assert!(text.contains(r"reg.io/app\u{1b}[1m"), "{text}");
    assert!(text.contains("characters left out"), "{text}");
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 1100, "a line of {longest} characters");
    // JSON: every text from the input bounded as lint's messages are (a
    // long name, type and image), file paths whole.
    let long_type = format!("kubernetes.io/{}", "t".repeat(100_000));
    let typed = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: x, namespace: y}}\ntype: {long_type}\ndata:\n  .dockerconfigjson: eyJhdXRocyI6eyJyZWcuaW8iOnsiYXV0aCI6ImRUcHcifX19\n"
    );
    let typed_file = dir.path().join("typed.yaml");
    std::fs::write(&typed_file, typed).unwrap();
    let image = format!("reg.io/{}", "i".repeat(100_000));
    let report = inspect_json(
        &[
            file,
            typed_file.to_str().unwrap(),
            "--pod",
            file,
            "--image",
            &image,
        ],
        b"",
    );
    let mut texts = Vec::new();
    strings(&report, &mut texts);
    let longest = texts.iter().map(|t| t.chars().count()).max().unwrap();
    assert!(longest <= 1100, "a text of {longest} characters");
    let cut = texts
        .iter()
        .filter(|t| t.contains("characters left out"))
        .count();
    assert!(cut >= 4, "{cut} texts cut: {report}");
    let secrets = report["secrets"].as_array().unwrap();
    assert!(
        secrets.iter().any(|s| s["type"].as_str().is_some_and(|t| t
            .starts_with("kubernetes.io/ttt")
            && t.contains("characters left out"))),
        "{report}"
    );
    assert!(report["images"][0]["image"]
        .as_str()
        .unwrap()
        .contains("characters left out"));
    assert_eq!(report["pods"][0]["path"], file);
}

/// Every string of a JSON value but `path` fields.
fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(fields) => fields
            .iter()
            .filter(|(k, _)| *k != "path")
            .for_each(|(_, v)| strings(v, out)),
        _ => {}
    }
}

/// A file name is input too: a newline in it cannot add a line of its own
/// to the report (the Secret's heading, a pod's, an unreadable file's).
#[test]
fn file_names_cannot_forge_report_lines() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: regcred}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: eyJhdXRocyI6eyJyZWcuaW8iOnsiYXV0aCI6ImRUcHcifX19\n";
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: c, image: reg.io/app}]\n";
    for (name, text) in [
        ("s\nforged: secret.yaml", secret),
        ("p\nforged: pod.yaml", pod),
        ("u\nforged: unparsed.yaml", "kind: Secret\nmetadata: [\n"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let folder = dir.path().to_str().unwrap();
    let (text, code) = inspect(&[folder, "--pod", folder], b"");
    assert_eq!(code, 0, "{text}");
    assert!(!text.lines().any(|l| l.starts_with("forged")), "{text}");
    for shown in [
        r"s\nforged: secret.yaml",
        r"p\nforged: pod.yaml",
        r"u\nforged: unparsed.yaml",
    ] {
        assert!(text.contains(shown), "{shown} in {text}");
    }
}

/// A SealedSecret's scope is shown, and a kustomization that moves a
/// strict or namespace-wide one to another namespace is a SealedSecret the
/// controller cannot open there: said once, and the pod gets no key from
/// it; renamed by a `namePrefix`, only a strict one.
#[test]
fn sealed_secret_scope_and_a_kustomization_that_moves_it() {
    let cert = common::manifest_dir().join("fixtures/seal/controller.pem");
    for scope in ["strict", "namespace-wide", "cluster-wide"] {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("base");
        std::fs::create_dir(&base).unwrap();
        let out = common::regcred_cmd()
            .args([
                "create",
                "regcred",
                "-n",
                "team-a",
                "--docker-server=registry.example.com",
                "--docker-username=alice",
                "--docker-password-stdin",
                "--seal-scope",
                scope,
                "--seal-cert",
            ])
            .arg(&cert)
            .write_stdin("s3cret")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", common::stderr(&out));
        std::fs::write(base.join("regcred.yaml"), &out.stdout).unwrap();
        std::fs::write(
            base.join("deploy.yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: team-a}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: web, image: registry.example.com/web:1}]\n",
        )
        .unwrap();
        std::fs::write(
            base.join("kustomization.yaml"),
            "resources: [regcred.yaml, deploy.yaml]\n",
        )
        .unwrap();
        let b = base.to_str().unwrap();
        let pod = format!("{b}/deploy.yaml");
        // Where it was sealed for: nothing to say.
        let report = inspect_json(&[b, "--pod", &pod], b"");
        let sealed = &report["secrets"][0];
        assert_eq!(sealed["seal_scope"], scope);
        assert_eq!(sealed["unseal_problem"], Value::Null, "{scope}");
        assert_eq!(report["pods"][0]["pull_secrets"][0]["keys_known"], false);
        // Moved to another namespace by an overlay.
        let prod = dir.path().join("prod");
        std::fs::create_dir(&prod).unwrap();
        std::fs::write(
            prod.join("kustomization.yaml"),
            "namespace: prod\nresources: [../base]\n",
        )
        .unwrap();
        let d = dir.path().to_str().unwrap();
        let report = inspect_json(&[d, "--pod", &pod], b"");
        let sealed = &report["secrets"][0];
        let problem = sealed["unseal_problem"].as_str();
        let uses = &report["pods"][0]["pull_secrets"][0];
        if scope == "cluster-wide" {
            assert_eq!(problem, None, "{scope}");
            assert_eq!(uses["keys_known"], false);
        } else {
            let problem = problem.unwrap_or_default();
            assert!(
                problem.starts_with(&format!(
                    "a kustomization deploys it in namespace \"prod\", but a {scope} SealedSecret unseals only in the namespace it was sealed for (\"team-a\")"
                )),
                "{problem}"
            );
            assert_eq!(uses["keys_known"], true, "{scope}: it gives no key");
            // Told once: the rule's finding is not repeated among problems.
            let rules: Vec<&Value> = sealed["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| &p["rule"])
                .collect();
            assert!(
                !rules.contains(&&Value::from("sealed-secret-scope-moved")),
                "{rules:?}"
            );
            let (text, _) = inspect(&[d, "--pod", &pod], b"");
            assert!(
                text.contains(&format!(
                    "  seal scope: {scope}\n  cannot be unsealed (sealed-secret-scope-moved): a kustomization"
                )),
                "{text}"
            );
            assert_eq!(
                text.matches("sealed-secret-scope-moved").count(),
                1,
                "{text}"
            );
            assert!(text.contains("  lint: no other problem\n"), "{text}");
            assert!(
                text.contains("(cannot be unsealed there: see above)"),
                "{text}"
            );
        }
        // Renamed in its own namespace: only a strict seal holds the name.
        std::fs::remove_dir_all(&prod).unwrap();
        let renamed = dir.path().join("renamed");
        std::fs::create_dir(&renamed).unwrap();
        std::fs::write(
            renamed.join("kustomization.yaml"),
            "namePrefix: blue-\nresources: [../base]\n",
        )
        .unwrap();
        let report = inspect_json(&[d], b"");
        let problem = report["secrets"][0]["unseal_problem"].as_str();
        if scope == "strict" {
            let problem = problem.unwrap_or_default();
            assert!(
                problem.starts_with("a kustomization deploys it renamed \"blue-regcred\" (namePrefix/nameSuffix), but a strict SealedSecret unseals only in the namespace and under the name it was sealed for (\"team-a\", \"regcred\")"),
                "{problem}"
            );
        } else {
            assert_eq!(problem, None, "{scope}");
        }
    }
}
