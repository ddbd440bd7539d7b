//! Memory per input stays a small multiple of its size (docs/limits.md,
//! "Memory"): how much the peak resident memory of `regcred lint` grows
//! from an input to one three times larger, over the bytes added, for a
//! Docker config with many `auths` entries and for a manifest with one
//! large scalar. Nothing is timed.
//!
//! Linux starts a spawned child's peak at the peak of the process that
//! spawned it (the child runs in, or on a copy of, its memory until exec),
//! and this binary runs other tests at the same time. So this process's
//! peak is reset to its current size just before each spawn
//! (`/proc/self/clear_refs`), and a child's peak not above this process's
//! peak around the spawn may be that and is measured again. The growth
//! between two sizes, both well above this process's size, needs no run
//! on a tiny file (which would measure this process).

use crate::common;

use std::path::Path;
use std::process::Command;

/// This process's peak resident memory (KiB) since the last reset.
fn own_peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Resets this process's peak to its current size (proc(5), clear_refs).
fn reset_own_peak() {
    // Without it (an old kernel) the check against own_peak_kib still holds.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory (KiB) of `regcred lint FILE`, from the kernel's
/// accounting of that one child, measured again while it may be this
/// process's size rather than the child's (see the top of this file).
fn peak_kib(file: &Path) -> u64 {
    for _ in 0..50 {
        reset_own_peak();
        let peak = spawned_peak_kib(file);
        if peak > own_peak_kib() * 11 / 10 {
            return peak;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    panic!("the peak of regcred on {file:?} stays below this test process's own size");
}

/// The kernel's peak for one run (KiB), maybe this process's size.
// The child is reaped by wait4, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn spawned_peak_kib(file: &Path) -> u64 {
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

/// How much the peak grows from input `make(n)` to `make(3 * n)`, over the
/// bytes added. The texts are written and dropped before measuring.
fn growth(root: &Path, name: &str, n: usize, make: impl Fn(usize) -> String) -> f64 {
    let (small, large, added) = {
        let (small, large) = (make(n), make(3 * n));
        (
            alone(root, &format!("small-{name}"), &small),
            alone(root, &format!("large-{name}"), &large),
            large.len() - small.len(),
        )
    };
    // SAFETY: malloc_trim only returns the allocator's free memory.
    unsafe { libc::malloc_trim(0) };
    let small_peak = peak_kib(&small);
    let large_peak = peak_kib(&large);
    (large_peak.saturating_sub(small_peak) * 1024) as f64 / added as f64
}

#[test]
fn memory_is_a_small_multiple_of_the_input() {
    let root = tempfile::tempdir().unwrap();
    let config = |n: usize| {
        let entries: Vec<String> = (0..n)
            .map(|i| format!("\"r{i:07}.example.io\":{{\"auth\":\"dTpw\"}}"))
            .collect();
        format!("{{\"auths\":{{{}}}}}", entries.join(","))
    };
    let config_multiple = growth(root.path(), "many.dockerconfigjson", 50_000, config);

    let manifest = |n: usize| {
        let scalar = "QUJD".repeat(n);
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\ntype: Opaque\ndata:\n  big: {scalar}\n"
        )
    };
    let scalar_multiple = growth(root.path(), "scalar.yaml", 2_000_000, manifest);

    eprintln!("config: {config_multiple:.1}x, scalar: {scalar_multiple:.1}x");
    // docs/limits.md states the multiples measured at the file-size limit.
    assert!(config_multiple < 20.0, "config: {config_multiple:.1}x");
    assert!(scalar_multiple < 6.0, "scalar: {scalar_multiple:.1}x");
}
