//! What a newcomer runs first works as the README prints it, and the
//! install routes of docs/ci.md (install.sh, the GitLab CI job) work.

use std::path::Path;
use std::process::Command;

use crate::common;

/// `cargo run --release -- lint fixtures/demo` picks the CLI although the
/// package has two binaries: Cargo's `default-run` (asked from `cargo
/// metadata`, which builds nothing; running `cargo run` here would rebuild
/// the crate without its dev-dependencies' features, a minute each time).
#[test]
fn cargo_run_picks_the_cli() {
    let readme = std::fs::read_to_string(common::manifest_dir().join("README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- lint fixtures/demo"));
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(common::manifest_dir())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "regcred")
        .unwrap();
    let bins = package["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            t["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bin"))
        })
        .count();
    assert!(bins > 1, "with one binary default-run is not needed");
    assert_eq!(package["default_run"], "regcred");
}

/// The LICENSE file is the license Cargo.toml declares.
#[test]
fn license_file_matches_cargo_toml() {
    let manifest = std::fs::read_to_string(common::manifest_dir().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"Apache-2.0\""));
    let license = std::fs::read(common::manifest_dir().join("LICENSE")).unwrap();
    // The Apache Software Foundation's LICENSE-2.0.txt, unchanged (the same
    // bytes as Debian's /usr/share/common-licenses/Apache-2.0).
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(&license)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        digest,
        "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
    );
}

/// Install comes before anything else in the README, and lists pip, cargo
/// install --locked, the prebuilt binaries and the image, in that order.
#[test]
fn readme_starts_with_install() {
    let readme = std::fs::read_to_string(common::manifest_dir().join("README.md")).unwrap();
    let first = readme.lines().find(|l| l.starts_with("## "));
    assert_eq!(first, Some("## Install"));
    let section = readme
        .split("## Install\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("an Install section");
    let rows: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| how"))
        .collect();
    let expected = [
        ("| pip |", "pip install"),
        ("| cargo |", "cargo install --locked"),
        ("| prebuilt binaries |", "install.sh"),
        ("| the container image |", "docker run"),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:#?}");
    for (row, (how, command)) in rows.iter().zip(expected) {
        assert!(row.starts_with(how) && row.contains(command), "{row}");
    }
}

/// A release laid out as the release workflow publishes it, in a folder:
/// `BASE/v0.1.0/{regcred-v0.1.0-TARGET.tar.gz, SHA256SUMS}`.
/// Stand-ins for the binaries (the real ones are 100+ MB in a debug
/// build): what is tested is the download, the check and the copy.
fn fake_release(base: &Path, target: &str, sums_match: bool) {
    fake_release_with(base, target, sums_match, |bin| {
        format!(
            "#!/bin/sh\necho '{bin} {} (stand-in)'\n",
            env!("CARGO_PKG_VERSION")
        )
    });
}

/// [`fake_release`] whose binaries are the scripts `stand_in` writes.
fn fake_release_with(
    base: &Path,
    target: &str,
    sums_match: bool,
    stand_in: impl Fn(&str) -> String,
) {
    use sha2::{Digest, Sha256};
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let name = format!("regcred-{tag}-{target}");
    let staging = base.join("staging").join(&name);
    std::fs::create_dir_all(&staging).unwrap();
    for bin in ["regcred", "regcred-fn"] {
        std::fs::write(staging.join(bin), stand_in(bin)).unwrap();
    }
    let release = base.join(&tag);
    std::fs::create_dir_all(&release).unwrap();
    let archive = release.join(format!("{name}.tar.gz"));
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(base.join("staging"))
        .arg(&name)
        .status()
        .unwrap();
    assert!(status.success());
    let mut digest = Sha256::digest(std::fs::read(&archive).unwrap()).to_vec();
    if !sums_match {
        digest[0] ^= 1;
    }
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(
        release.join("SHA256SUMS"),
        format!("{}  other.whl\n{hex}  {name}.tar.gz\n", "0".repeat(64)),
    )
    .unwrap();
}

fn install_sh(base: &Path, dir: &Path, target: &str) -> std::process::Output {
    Command::new("sh")
        .arg(common::manifest_dir().join("install.sh"))
        .env("REGCRED_VERSION", format!("v{}", env!("CARGO_PKG_VERSION")))
        .env("REGCRED_BASE_URL", format!("file://{}", base.display()))
        .env("REGCRED_INSTALL_DIR", dir)
        .env("REGCRED_TARGET", target)
        .output()
        .unwrap()
}

/// install.sh (used by action.yml and docs/ci.md) installs both binaries
/// from a release whose SHA256SUMS lists the archive, and installs nothing
/// when the archive does not match.
#[test]
#[ignore = "needs curl"]
fn install_sh_checks_the_archive_and_installs_both_binaries() {
    if common::require("curl", "install.sh").is_none() {
        return;
    }
    let target = "x86_64-unknown-linux-musl";
    let scratch = tempfile::tempdir().unwrap();
    let good = scratch.path().join("good");
    fake_release(&good, target, true);
    let bin = scratch.path().join("bin");
    let out = install_sh(&good, &bin, target);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("installed regcred"));
    let version = Command::new(bin.join("regcred"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
    assert!(bin.join("regcred-fn").is_file());

    let bad = scratch.path().join("bad");
    fake_release(&bad, target, false);
    let elsewhere = scratch.path().join("bin2");
    let out = install_sh(&bad, &elsewhere, target);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("does not match SHA256SUMS"), "{stderr}");
    assert!(!elsewhere.join("regcred").exists());

    // A target the release has no archive for: a download error naming it.
    let out = install_sh(&good, &elsewhere, "riscv64-unknown-linux-musl");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("regcred-v0.1.0-riscv64-unknown-linux-musl.tar.gz"),
        "{stderr}"
    );
}

/// The GitLab CI job docs/ci.md shows, parsed: its variables and script.
fn documented_gitlab_job() -> (Vec<(String, String)>, Vec<String>) {
    use saphyr::{LoadableYamlNode, Yaml};
    let doc = std::fs::read_to_string(common::manifest_dir().join("docs/ci.md")).unwrap();
    let start = "```yaml\n# .gitlab-ci.yml\n";
    let from = doc.find(start).expect("docs/ci.md shows a GitLab job") + start.len();
    let len = doc[from..].find("```").expect("closed block");
    let docs = Yaml::load_from_str(&doc[from..from + len]).expect("the job is YAML");
    let job = docs[0]
        .as_mapping_get("regcred")
        .expect("a job named regcred");
    let variables = job
        .as_mapping_get("variables")
        .and_then(|v| v.as_mapping())
        .expect("variables")
        .iter()
        .map(|(k, v)| {
            let text = |y: &Yaml| y.as_str().expect("a string").to_string();
            (text(k), text(v))
        })
        .collect();
    let script = job
        .as_mapping_get("script")
        .and_then(|s| s.as_sequence())
        .expect("script")
        .iter()
        .map(|l| l.as_str().expect("a script line").to_string())
        .collect();
    (variables, script)
}

/// The GitLab CI job of docs/ci.md, run as the runner runs it (each line
/// with `sh -e`), against a release laid out in a folder whose archive holds
/// this build: it installs regcred without compiling (install.sh, checked
/// against SHA256SUMS), writes both reports, passes on a clean repository
/// and fails on a broken one. Only the image's `apk add` is left out and
/// the install folder moved from /usr/local/bin.
#[test]
#[ignore = "needs curl"]
fn documented_gitlab_job_installs_and_reports() {
    if common::require("curl", "the GitLab CI job of docs/ci.md").is_none() {
        return;
    }
    let (variables, script) = documented_gitlab_job();
    let version = variables
        .iter()
        .find(|(k, _)| k == "REGCRED_VERSION")
        .map(|(_, v)| v.clone())
        .expect("REGCRED_VERSION");
    assert_eq!(version, format!("v{}", env!("CARGO_PKG_VERSION")));
    assert!(variables.iter().any(|(k, _)| k == "REGCRED_BASE_URL"));

    let scratch = tempfile::tempdir().unwrap();
    let base = scratch.path().join("releases");
    let target = "x86_64-unknown-linux-musl";
    // The archive's binaries run this build (the real ones are built only
    // by a release); install.sh is a release asset too.
    fake_release_with(&base, target, true, |bin| {
        let real = match bin {
            "regcred" => common::regcred(),
            _ => common::regcred_fn(),
        };
        format!("#!/bin/sh\nexec '{}' \"$@\"\n", real.display())
    });
    std::fs::copy(
        common::manifest_dir().join("install.sh"),
        base.join(&version).join("install.sh"),
    )
    .unwrap();

    let bin = scratch.path().join("bin");
    let mut lines = Vec::new();
    for line in &script {
        if line.starts_with("apk add ") {
            continue;
        }
        let moved = line.replace("/usr/local/bin", &bin.display().to_string());
        assert!(!moved.contains("cargo"), "no compiling: {line}");
        lines.push(moved);
    }
    assert!(lines.iter().any(|l| l.contains("sh install.sh")));

    let run = |repo: &Path| {
        let mut cmd = Command::new("sh");
        cmd.arg("-e")
            .arg("-c")
            .arg(lines.join("\n"))
            .current_dir(repo)
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            )
            .env("REGCRED_TARGET", target);
        for (k, v) in &variables {
            cmd.env(k, v);
        }
        cmd.env("REGCRED_BASE_URL", format!("file://{}", base.display()));
        cmd.output().unwrap()
    };

    let clean = scratch.path().join("clean");
    common::write(
        &clean,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    );
    let out = run(&clean);
    assert!(out.status.success(), "{}", common::text(&out));
    assert!(bin.join("regcred").is_file() && bin.join("regcred-fn").is_file());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(clean.join("gl-code-quality-report.json")).unwrap())
            .unwrap();
    assert_eq!(report, serde_json::json!([]));

    let broken = scratch.path().join("broken");
    common::write(
        &broken,
        "secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  a: not base64!\n",
    );
    let out = run(&broken);
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(broken.join("gl-code-quality-report.json")).unwrap())
            .unwrap();
    assert_eq!(
        report[0]["check_name"], "secret-data-not-base64",
        "{report}"
    );
    let junit = std::fs::read_to_string(broken.join("regcred-junit.xml")).unwrap();
    assert!(junit.contains("failures=\"1\""), "{junit}");
}
