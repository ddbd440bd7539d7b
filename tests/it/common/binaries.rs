//! The binaries under test.

use std::path::PathBuf;

/// The `regcred` command-line binary.
pub fn regcred() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_regcred"))
}

/// The KRM function binary.
pub fn regcred_fn() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_regcred-fn"))
}

/// `regcred` as an assert_cmd command, without what a developer's shell may
/// have set that changes its output: NO_COLOR (a test that wants it sets
/// it), the debug-build fix hook and REGCRED_NO_CACHE; the context caches
/// of trees outside a repository go to the target folder, not the
/// developer's `~/.cache`.
pub fn regcred_cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(regcred());
    cmd.env_remove("NO_COLOR")
        .env_remove("REGCRED_TEST_FIX_HOOK")
        .env_remove("REGCRED_NO_CACHE")
        .env(
            "XDG_CACHE_HOME",
            super::target_dir().join("test-user-cache"),
        );
    cmd
}

/// `regcred-fn` as an assert_cmd command.
pub fn regcred_fn_cmd() -> assert_cmd::Command {
    assert_cmd::Command::new(regcred_fn())
}

/// How long a run of regcred on hostile input may take before the test
/// kills it: only a guard against a hang, no test asserts a duration.
pub const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(600);
