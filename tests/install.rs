//! What a newcomer runs first works as the README prints it.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `cargo run -- lint fixtures/demo` picks the CLI although the package has
/// two binaries (`default-run`); the README prints it with `--release`, which
/// chooses the binary the same way.
#[test]
fn cargo_run_picks_the_cli() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- lint fixtures/demo"));
    let output = Command::new(env!("CARGO"))
        .args(["run", "-q", "--offline", "--", "lint", "fixtures/demo"])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("7 errors"));
}

/// The LICENSE file is the license Cargo.toml declares.
#[test]
fn license_file_matches_cargo_toml() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"Apache-2.0\""));
    let license = std::fs::read_to_string(root().join("LICENSE")).unwrap();
    assert!(license.contains("Apache License"));
    assert!(license.contains("Version 2.0, January 2004"));
}

/// Install comes before anything else in the README.
#[test]
fn readme_starts_with_install() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let first = readme.lines().find(|l| l.starts_with("## "));
    assert_eq!(first, Some("## Install"));
}
