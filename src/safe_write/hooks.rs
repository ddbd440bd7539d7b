//! Test hooks that stop or disturb a writer at its worst moment, so that
//! tests can prove what a crash or a concurrent editor leaves behind.
//!
//! They exist in debug builds only (`#[cfg(debug_assertions)]`): a release
//! binary has neither the code nor the variable names, so no environment
//! can make a user's run append to a file, sleep or SIGKILL itself. The
//! tests that use them (tests/it/output_file.rs, tests/it/fix.rs) run the binaries
//! cargo builds for `cargo test`, which are debug builds, so they still run
//! there and in CI.
//!
//! - `REGCRED_TEST_PAUSE_BEFORE_RENAME=MS`: a new private file
//!   ([`super::private`]) is complete and synced; print
//!   [`PAUSE_MESSAGE`] on stderr and sleep MS milliseconds before it gets
//!   its name.
//! - `REGCRED_TEST_FIX_HOOK`: a replacement ([`super::replace`]) is
//!   complete, before the on-disk check: `modify` appends a comment line to
//!   the original (as a concurrent editor would), `kill` SIGKILLs the
//!   process (as a crash would), `kill-after:N` the same once N files are
//!   replaced; `kill-after-link` kills between the temporary file's link
//!   and the rename.

use std::path::Path;

/// The line printed on stderr when pausing.
pub const PAUSE_MESSAGE: &str = "test hook: paused before rename";

/// Before a new private file gets its name.
#[cfg(debug_assertions)]
pub fn pause_before_rename() {
    let Some(ms) = std::env::var("REGCRED_TEST_PAUSE_BEFORE_RENAME")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    eprintln!("{PAUSE_MESSAGE}");
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

#[cfg(not(debug_assertions))]
pub fn pause_before_rename() {}

/// Before a replacement checks the original, `replaced` files into the run.
#[cfg(debug_assertions)]
pub fn before_replace(original: &Path, replaced: usize) {
    use std::io::Write;
    let Some(hook) = fix_hook() else {
        return;
    };
    match hook.as_str() {
        "modify" => {
            if let Ok(mut f) = std::fs::OpenOptions::new().append(true).open(original) {
                let _ = f.write_all(b"# edited meanwhile\n");
            }
        }
        "kill" => kill_self(),
        other => {
            let after = other
                .strip_prefix("kill-after:")
                .and_then(|n| n.parse::<usize>().ok());
            if after.is_some_and(|n| replaced >= n) {
                kill_self();
            }
        }
    }
}

#[cfg(not(debug_assertions))]
pub fn before_replace(_original: &Path, _replaced: usize) {}

/// Between a replacement's temporary link and its rename.
#[cfg(debug_assertions)]
pub fn after_link() {
    if fix_hook().as_deref() == Some("kill-after-link") {
        kill_self();
    }
}

#[cfg(not(debug_assertions))]
pub fn after_link() {}

#[cfg(debug_assertions)]
fn fix_hook() -> Option<String> {
    std::env::var("REGCRED_TEST_FIX_HOOK").ok()
}

#[cfg(debug_assertions)]
fn kill_self() {
    // SAFETY: signals this very process; never returns.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
}
