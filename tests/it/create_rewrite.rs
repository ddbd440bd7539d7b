//! When regcred rewrites a payload (`--registry`, several `--from-config`,
//! `--type dockercfg`), the result must be what kubectl writes for the same
//! credentials. The reference payload is assembled from kubectl's own
//! single-registry payloads, then rendered by kubectl via `--from-file`.

use crate::common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/create")
}

struct Reg<'a> {
    server: &'a str,
    user: &'a str,
    pass: &'a str,
    email: Option<&'a str>,
}

/// kubectl's `SERVER:ENTRY` member for one registry, cut out of its payload.
fn kubectl_member(kubectl: &Path, r: &Reg<'_>) -> Vec<u8> {
    let mut args = vec![
        os("create"),
        os("secret"),
        os("docker-registry"),
        os("x"),
        os(format!("--docker-server={}", r.server)),
        os(format!("--docker-username={}", r.user)),
        os(format!("--docker-password={}", r.pass)),
        os("--dry-run=client"),
        os("-o"),
        os("json"),
    ];
    if let Some(e) = r.email {
        args.push(os(format!("--docker-email={e}")));
    }
    let out = run(kubectl, &args, None, &[]);
    assert!(out.status.success());
    let payload = dockerconfigjson_of(&out.stdout);
    let prefix = br#"{"auths":{"#;
    assert!(payload.starts_with(prefix) && payload.ends_with(b"}}"));
    payload[prefix.len()..payload.len() - 2].to_vec()
}

/// What kubectl would write for these registries, as a payload file.
fn reference_payload(
    kubectl: &Path,
    regs: &mut [Reg<'_>],
    legacy_shape: bool,
    dir: &Path,
) -> PathBuf {
    regs.sort_by(|a, b| a.server.cmp(b.server));
    let members: Vec<Vec<u8>> = regs.iter().map(|r| kubectl_member(kubectl, r)).collect();
    let inner = members.join(&b","[..]);
    let payload = if legacy_shape {
        [b"{".as_slice(), &inner, b"}"].concat()
    } else {
        [br#"{"auths":{"#.as_slice(), &inner, b"}}"].concat()
    };
    let path = dir.join(format!("reference-{}.json", regs.len()));
    std::fs::write(&path, payload).unwrap();
    path
}

/// Compares regcred with kubectl rendering `reference` (both dialects).
fn compare(regcred_args: &[OsString], reference: &Path, legacy_shape: bool) {
    for (kubectl, dialect) in [(KUBECTL_LEGACY, "legacy"), (KUBECTL_CURRENT, "current")] {
        let Some(kubectl) = require(kubectl, "the rewrite differential test") else {
            continue;
        };
        for format in ["yaml", "json"] {
            let (key, ty) = if legacy_shape {
                (".dockercfg", "kubernetes.io/dockercfg")
            } else {
                (".dockerconfigjson", "kubernetes.io/dockerconfigjson")
            };
            let mut from = OsString::from(format!("--from-file={key}="));
            from.push(reference);
            let want = run(
                &kubectl,
                &[
                    os("create"),
                    os("secret"),
                    os("generic"),
                    os("pull"),
                    from,
                    os(format!("--type={ty}")),
                    os("--append-hash"),
                    os("--dry-run=client"),
                    os("-o"),
                    os(format),
                ],
                None,
                &[],
            );
            assert!(want.status.success());
            let mut args = vec![
                os("create"),
                os("pull"),
                os("--append-hash"),
                os("-o"),
                os(format),
            ];
            args.push(os(format!("--kubectl-dialect={dialect}")));
            args.extend(regcred_args.iter().cloned());
            let got = run(&regcred(), &args, None, &[]);
            assert!(
                got.status.success(),
                "{}",
                String::from_utf8_lossy(&got.stderr)
            );
            assert!(
                got.stdout == want.stdout,
                "{dialect} {format}:\n{}",
                first_difference(&want.stdout, &got.stdout)
            );
        }
    }
}

fn reg<'a>(server: &'a str, user: &'a str, pass: &'a str, email: Option<&'a str>) -> Reg<'a> {
    Reg {
        server,
        user,
        pass,
        email,
    }
}

/// A config file among the fixtures, as an argument.
fn config(name: &str) -> OsString {
    os(fixtures().join(name))
}

/// regcred run with `regcred_args` writes what kubectl writes for `regs`.
fn agrees_with_kubectl(
    kubectl: &Path,
    regs: &mut [Reg<'_>],
    legacy_shape: bool,
    regcred_args: &[OsString],
) {
    let dir = tempfile::tempdir().unwrap();
    let reference = reference_payload(kubectl, regs, legacy_shape, dir.path());
    compare(regcred_args, &reference, legacy_shape);
}

const QUAY: Reg<'static> = Reg {
    server: "quay.io",
    user: "robot+ci",
    pass: "Q<uay>&\"pw\"",
    email: Some("ci@example.com"),
};

#[test]
#[ignore = "needs kubectl 1.32 and a current kubectl"]
fn registry_filter_keeps_one_entry_in_kubectl_style() {
    let Some(kubectl) = require(KUBECTL_CURRENT, "the rewrite differential test") else {
        return;
    };
    let several = || [os("--from-config"), config("several-registries.json")];
    let filtered = |names: &[&str]| {
        let mut args = several().to_vec();
        for name in names {
            args.extend([os("--registry"), os(name)]);
        }
        args
    };
    agrees_with_kubectl(&kubectl, &mut [QUAY], false, &filtered(&["quay.io"]));

    // Docker Hub's names all select its entry.
    let hub = || {
        [reg(
            "https://index.docker.io/v1/",
            "hubuser",
            "hubpass",
            Some("hub@example.com"),
        )]
    };
    for name in [
        "docker.io",
        "index.docker.io",
        "https://index.docker.io/v1/",
    ] {
        agrees_with_kubectl(&kubectl, &mut hub(), false, &filtered(&[name]));
    }

    // Two filters keep two entries; an auth with colons in the password.
    agrees_with_kubectl(
        &kubectl,
        &mut [
            QUAY,
            reg("reg.corp.test:5000", "corp", "p@ss:with:colons", None),
        ],
        false,
        &filtered(&["reg.corp.test:5000", "quay.io"]),
    );
}

#[test]
#[ignore = "needs kubectl 1.32 and a current kubectl"]
fn merged_files_are_rewritten_sorted() {
    let Some(kubectl) = require(KUBECTL_CURRENT, "the rewrite differential test") else {
        return;
    };
    agrees_with_kubectl(
        &kubectl,
        &mut [
            reg("registry.example.com", "alice", "s3cret", None),
            reg(
                "https://index.docker.io/v1/",
                "dockerhub-user",
                "hub-password",
                None,
            ),
            reg("ghcr.io", "gh-user", "ghp_token", None),
        ],
        false,
        &[
            os("--from-config"),
            config("single-newline.json"),
            os("--from-config"),
            config("pretty-two-registries.json"),
        ],
    );
}

#[test]
#[ignore = "needs kubectl 1.32 and a current kubectl"]
fn prefer_later_lets_the_later_file_win() {
    let Some(kubectl) = require(KUBECTL_CURRENT, "the rewrite differential test") else {
        return;
    };
    agrees_with_kubectl(
        &kubectl,
        &mut [reg("registry.example.com", "other", "pass", None)],
        false,
        &[
            os("--from-config"),
            config("single-no-newline.json"),
            os("--from-config"),
            config("conflicting.json"),
            os("--prefer-later"),
        ],
    );
}

#[test]
#[ignore = "needs kubectl 1.32 and a current kubectl"]
fn dockercfg_type_is_the_bare_legacy_shape() {
    let Some(kubectl) = require(KUBECTL_CURRENT, "the rewrite differential test") else {
        return;
    };
    agrees_with_kubectl(
        &kubectl,
        &mut [reg(
            "registry.example.com",
            "alice",
            "s3<cr>et&",
            Some("a@example.com"),
        )],
        true,
        &[
            os("--type=dockercfg"),
            os("--docker-server=registry.example.com"),
            os("--docker-username=alice"),
            os("--docker-password=s3<cr>et&"),
            os("--docker-email=a@example.com"),
        ],
    );
    // From a config file, the legacy shape is a rewrite too.
    agrees_with_kubectl(
        &kubectl,
        &mut [reg("registry.example.com", "alice", "s3cret", None)],
        true,
        &[
            os("--type=dockercfg"),
            os("--from-config"),
            config("single-newline.json"),
        ],
    );
}

const WORKLOADS: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: init\n        image: reg.corp.test:5000/team/init:1\n      containers:\n      - name: web\n        image: quay.io/team/web:1.0\n      - name: pause\n        image: registry.k8s.io/pause:3.9\n";

#[test]
#[ignore = "needs kubectl 1.32 and a current kubectl"]
fn for_workloads_keeps_the_registries_they_pull_from() {
    let Some(kubectl) = require(KUBECTL_CURRENT, "the rewrite differential test") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deploy.yaml"), WORKLOADS).unwrap();
    let args = [
        os("--from-config"),
        config("several-registries.json"),
        os("--for"),
        os(dir.path()),
    ];
    // registry.k8s.io is public and needs nothing; Docker Hub is not pulled from.
    agrees_with_kubectl(
        &kubectl,
        &mut [
            QUAY,
            reg("reg.corp.test:5000", "corp", "p@ss:with:colons", None),
        ],
        false,
        &args,
    );
    // nginx pulls from Docker Hub: the kubelet uses the index.docker.io key.
    let hub = dir.path().join("hub");
    std::fs::create_dir(&hub).unwrap();
    std::fs::write(
        hub.join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: n, image: nginx}\n",
    )
    .unwrap();
    agrees_with_kubectl(
        &kubectl,
        &mut [reg(
            "https://index.docker.io/v1/",
            "hubuser",
            "hubpass",
            Some("hub@example.com"),
        )],
        false,
        &[
            os("--from-config"),
            config("several-registries.json"),
            os("--for"),
            os(&hub),
        ],
    );
}

#[test]
fn for_workloads_fails_on_an_image_without_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deploy.yaml");
    // reg.corp.test without the port: the key reg.corp.test:5000 does not match.
    std::fs::write(
        &path,
        WORKLOADS.replace("reg.corp.test:5000/", "reg.corp.test/"),
    )
    .unwrap();
    let out = run(
        &regcred(),
        &[
            os("create"),
            os("pull"),
            os("--from-config"),
            config("several-registries.json"),
            os("--for"),
            os(dir.path()),
        ],
        None,
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("reg.corp.test/team/init:1"), "{stderr}");
    assert!(stderr.contains("deploy.yaml:10"), "{stderr}");
    assert!(stderr.contains("docker login reg.corp.test"), "{stderr}");
}
