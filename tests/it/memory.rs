//! Memory per input stays a small multiple of its size (docs/limits.md,
//! "Memory"): the peak resident memory of `regcred lint` on a Docker config
//! with many `auths` entries and on a manifest with one large scalar, less
//! that of a run on a tiny file, over the input's size. Nothing is timed.

use crate::common;

use std::path::Path;
use std::process::Command;

/// Peak resident memory (KiB) of `regcred lint FILE`, from the kernel's
/// accounting of that one child.
// The child is reaped by wait4, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn peak_kib(file: &Path) -> u64 {
    // A spawned child's peak starts at this process's peak (it runs in this
    // process's memory until exec): return freed memory and reset the peak
    // to the current size first (proc(5), clear_refs). Other tests running
    // at the same time can still raise it.
    // SAFETY: malloc_trim only returns the allocator's free memory.
    unsafe { libc::malloc_trim(0) };
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let child = Command::new(common::regcred())
        .arg("lint")
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = i32::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child spawned above, with valid pointers.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    assert!(libc::WIFEXITED(status), "regcred did not exit normally");
    assert!(libc::WEXITSTATUS(status) < 2, "regcred failed on {file:?}");
    u64::try_from(usage.ru_maxrss).unwrap()
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
fn memory_is_a_small_multiple_of_the_input() {
    let root = tempfile::tempdir().unwrap();
    let tiny = alone(root.path(), "tiny.dockerconfigjson", "{\"auths\":{}}");
    let baseline = peak_kib(&tiny);

    let entries: Vec<String> = (0..80_000)
        .map(|i| format!("\"r{i:07}.example.io\":{{\"auth\":\"dTpw\"}}"))
        .collect();
    let config = format!("{{\"auths\":{{{}}}}}", entries.join(","));
    let file = alone(root.path(), "many.dockerconfigjson", &config);
    let config_multiple = multiple(peak_kib(&file), baseline, config.len());

    let scalar = "QUJD".repeat(750_000);
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\ntype: Opaque\ndata:\n  big: {scalar}\n"
    );
    let file = alone(root.path(), "scalar.yaml", &manifest);
    let scalar_multiple = multiple(peak_kib(&file), baseline, manifest.len());

    eprintln!("config: {config_multiple:.1}x, scalar: {scalar_multiple:.1}x");
    // docs/limits.md states the multiples measured at the file-size limit.
    assert!(config_multiple < 20.0, "config: {config_multiple:.1}x");
    assert!(scalar_multiple < 6.0, "scalar: {scalar_multiple:.1}x");
}
