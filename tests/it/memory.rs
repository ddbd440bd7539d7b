//! Memory per input stays a small multiple of its size (docs/limits.md,
//! "Memory"): the peak resident memory of `regcred lint` on a Docker config
//! with many `auths` entries and on a manifest with one large scalar, less
//! that of a run on a tiny file, over the input's size. Nothing is timed.

use crate::common;

use std::path::Path;
use std::process::Command;

/// Peak resident memory (KiB) of `regcred lint FILE`, as GNU time reports
/// it for the one child it forks. Not measured from this process: a child
/// spawned from here runs in this process's memory until exec, and the
/// kernel folds that memory's peak (this whole test binary's, other tests
/// included) into the child's; time(1)'s own child starts from time's small
/// memory instead.
fn peak_kib(time: &Path, file: &Path) -> u64 {
    let report = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new(time)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(report.path())
        .arg(common::regcred())
        .arg("lint")
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(
        status.code().is_some_and(|c| c < 2),
        "regcred failed on {file:?}: {status}"
    );
    let text = std::fs::read_to_string(report.path()).unwrap();
    // The last line: before it, time says so when the exit status is not 0.
    let last = text.lines().last().unwrap_or_default();
    last.trim()
        .parse()
        .unwrap_or_else(|_| panic!("time -f %M printed {text:?}"))
}

/// Each input alone in its folder (the context walk would read siblings).
fn alone(root: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let dir = root.join(name.replace('.', "-"));
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// (peak - baseline) / size.
fn multiple(peak: u64, baseline: u64, size: usize) -> f64 {
    (peak.saturating_sub(baseline) * 1024) as f64 / size as f64
}

#[test]
#[ignore = "needs GNU time (/usr/bin/time)"]
fn memory_is_a_small_multiple_of_the_input() {
    let Some(time) = common::require("/usr/bin/time", "peak memory of one child") else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let tiny = alone(root.path(), "tiny.dockerconfigjson", "{\"auths\":{}}");
    let baseline = peak_kib(&time, &tiny);

    let entries: Vec<String> = (0..80_000)
        .map(|i| format!("\"r{i:07}.example.io\":{{\"auth\":\"dTpw\"}}"))
        .collect();
    let config = format!("{{\"auths\":{{{}}}}}", entries.join(","));
    let file = alone(root.path(), "many.dockerconfigjson", &config);
    let config_multiple = multiple(peak_kib(&time, &file), baseline, config.len());

    let scalar = "QUJD".repeat(750_000);
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\ntype: Opaque\ndata:\n  big: {scalar}\n"
    );
    let file = alone(root.path(), "scalar.yaml", &manifest);
    let scalar_multiple = multiple(peak_kib(&time, &file), baseline, manifest.len());

    eprintln!("config: {config_multiple:.1}x, scalar: {scalar_multiple:.1}x");
    // docs/limits.md states the multiples measured at the file-size limit.
    assert!(config_multiple < 16.0, "config: {config_multiple:.1}x");
    assert!(scalar_multiple < 4.0, "scalar: {scalar_multiple:.1}x");
}

/// A repository of `folders` folders, each an app as the benchmark's
/// corpus has them: a Deployment of two containers naming its pull
/// Secret, the Secret, and a ServiceAccount.
fn repository(root: &Path, folders: usize) -> std::path::PathBuf {
    let repo = root.join(format!("repo-{folders}"));
    // {"auths":{"reg.corp.test":{"auth":"dTpw"}}}
    let payload = "eyJhdXRocyI6eyJyZWcuY29ycC50ZXN0Ijp7ImF1dGgiOiJkVHB3In19fQ==";
    for i in 0..folders {
        let dir = repo
            .join(format!("team-{}", i % 16))
            .join(format!("app-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let deployment = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: ns-{i}\n\
             spec:\n  template:\n    spec:\n      imagePullSecrets: [{{name: pull-{i}}}]\n\
             \x20     containers:\n      - name: app\n        image: reg.corp.test/team/app-{i}:1.{i}\n\
             \x20     - name: sidecar\n        image: unknown-{i}.example/proxy:2\n"
        );
        std::fs::write(dir.join("deployment.yaml"), deployment).unwrap();
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull-{i}\n  namespace: ns-{i}\n\
             type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {payload}\n---\n\
             apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-{i}\n  namespace: ns-{i}\n"
        );
        std::fs::write(dir.join("secret.yaml"), secret).unwrap();
    }
    repo
}

#[test]
#[ignore = "needs GNU time (/usr/bin/time)"]
fn memory_per_folder_of_a_repository_stays_small() {
    let Some(time) = common::require("/usr/bin/time", "peak memory of one child") else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let (n, large) = (1_000, 4_000);
    let small_peak = peak_kib(&time, &repository(root.path(), n));
    let large_peak = peak_kib(&time, &repository(root.path(), large));
    // What each folder of the 3,000 more costs until the end of the run
    // (its index entries, its pods, its findings, the walk's bookkeeping).
    let per_folder = (large_peak.saturating_sub(small_peak) * 1024) as f64 / (large - n) as f64;
    eprintln!("{small_peak} KiB for {n} folders, {large_peak} KiB for {large}: {per_folder:.0} bytes per folder");
    // docs/limits.md, "Memory": 6.9 KiB measured (a debug build; 7.3
    // before the files read were one buffer), most of it the folder's
    // finding, its pods and its index entries; 10 KiB is a regression (it
    // was 8 KiB before the index numbered its folders). The margin is for
    // the allocator's arenas, which vary with the threads' timing.
    assert!(per_folder < 10240.0, "{per_folder:.0} bytes per folder");
}
