//! When regcred rewrites a payload (`--registry`, several `--from-config`,
//! `--type dockercfg`), the result must be what kubectl writes for the same
//! credentials. The reference payload is assembled from kubectl's own
//! single-registry payloads, then rendered by kubectl via `--from-file`.

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::*;
use regcred::gocompat::base64::{self, Padding};

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
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let b64 = doc["data"][".dockerconfigjson"].as_str().unwrap();
    let payload = base64::decode(b64.as_bytes(), Padding::Required).unwrap();
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

fn kubectl_or_skip() -> Option<PathBuf> {
    require(KUBECTL_CURRENT, "the rewrite differential test")
}

#[test]
fn registry_filter_keeps_one_entry_in_kubectl_style() {
    let Some(kubectl) = kubectl_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let several = fixtures().join("several-registries.json");
    let reference = reference_payload(
        &kubectl,
        &mut [Reg {
            server: "quay.io",
            user: "robot+ci",
            pass: "Q<uay>&\"pw\"",
            email: Some("ci@example.com"),
        }],
        false,
        dir.path(),
    );
    compare(
        &[
            os("--from-config"),
            os(&several),
            os("--registry"),
            os("quay.io"),
        ],
        &reference,
        false,
    );

    // Docker Hub's names all select its entry.
    let reference = reference_payload(
        &kubectl,
        &mut [Reg {
            server: "https://index.docker.io/v1/",
            user: "hubuser",
            pass: "hubpass",
            email: Some("hub@example.com"),
        }],
        false,
        dir.path(),
    );
    for name in [
        "docker.io",
        "index.docker.io",
        "https://index.docker.io/v1/",
    ] {
        compare(
            &[
                os("--from-config"),
                os(&several),
                os("--registry"),
                os(name),
            ],
            &reference,
            false,
        );
    }

    // Two filters keep two entries; an auth with colons in the password.
    let reference = reference_payload(
        &kubectl,
        &mut [
            Reg {
                server: "quay.io",
                user: "robot+ci",
                pass: "Q<uay>&\"pw\"",
                email: Some("ci@example.com"),
            },
            Reg {
                server: "reg.corp.test:5000",
                user: "corp",
                pass: "p@ss:with:colons",
                email: None,
            },
        ],
        false,
        dir.path(),
    );
    compare(
        &[
            os("--from-config"),
            os(&several),
            os("--registry"),
            os("reg.corp.test:5000"),
            os("--registry"),
            os("quay.io"),
        ],
        &reference,
        false,
    );
}

#[test]
fn merged_files_are_rewritten_sorted() {
    let Some(kubectl) = kubectl_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let reference = reference_payload(
        &kubectl,
        &mut [
            Reg {
                server: "registry.example.com",
                user: "alice",
                pass: "s3cret",
                email: None,
            },
            Reg {
                server: "https://index.docker.io/v1/",
                user: "dockerhub-user",
                pass: "hub-password",
                email: None,
            },
            Reg {
                server: "ghcr.io",
                user: "gh-user",
                pass: "ghp_token",
                email: None,
            },
        ],
        false,
        dir.path(),
    );
    compare(
        &[
            os("--from-config"),
            os(fixtures().join("single-newline.json")),
            os("--from-config"),
            os(fixtures().join("pretty-two-registries.json")),
        ],
        &reference,
        false,
    );
}

#[test]
fn prefer_later_lets_the_later_file_win() {
    let Some(kubectl) = kubectl_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let reference = reference_payload(
        &kubectl,
        &mut [Reg {
            server: "registry.example.com",
            user: "other",
            pass: "pass",
            email: None,
        }],
        false,
        dir.path(),
    );
    compare(
        &[
            os("--from-config"),
            os(fixtures().join("single-no-newline.json")),
            os("--from-config"),
            os(fixtures().join("conflicting.json")),
            os("--prefer-later"),
        ],
        &reference,
        false,
    );
}

#[test]
fn dockercfg_type_is_the_bare_legacy_shape() {
    let Some(kubectl) = kubectl_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let reference = reference_payload(
        &kubectl,
        &mut [Reg {
            server: "registry.example.com",
            user: "alice",
            pass: "s3<cr>et&",
            email: Some("a@example.com"),
        }],
        true,
        dir.path(),
    );
    compare(
        &[
            os("--type=dockercfg"),
            os("--docker-server=registry.example.com"),
            os("--docker-username=alice"),
            os("--docker-password=s3<cr>et&"),
            os("--docker-email=a@example.com"),
        ],
        &reference,
        true,
    );
    // From a config file, the legacy shape is a rewrite too.
    let reference = reference_payload(
        &kubectl,
        &mut [Reg {
            server: "registry.example.com",
            user: "alice",
            pass: "s3cret",
            email: None,
        }],
        true,
        dir.path(),
    );
    compare(
        &[
            os("--type=dockercfg"),
            os("--from-config"),
            os(fixtures().join("single-newline.json")),
        ],
        &reference,
        true,
    );
}
