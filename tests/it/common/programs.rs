//! Outside programs some tests compare against or drive, and the one way
//! such a test skips.
//!
//! Every test that needs an outside program is `#[ignore = "needs
//! <program>"]`, so a plain `cargo test` on a fresh machine passes and lists
//! it as ignored. `cargo test -- --include-ignored` runs it: [`require`]
//! finds the program, and when it is missing the test fails if
//! REGCRED_TEST_REQUIRE_PROGRAMS=1 (as .ci/run sets), else prints a SKIP
//! line on the real standard error and returns. A program that no reachable
//! package registry carries (kpt) is exempted by naming it in
//! REGCRED_TEST_UNAVAILABLE_PROGRAMS (comma-separated; .ci/run does so, and
//! says so loudly, when it is absent): its tests then print the SKIP line.

use std::io::Write;
use std::path::PathBuf;

use super::{KUBECTL_CURRENT, KUBECTL_LEGACY, KUBECTL_LEGACY_FALLBACK};

/// Set to 1, a missing outside program fails the test instead of skipping it.
pub const REQUIRE_PROGRAMS: &str = "REGCRED_TEST_REQUIRE_PROGRAMS";

/// Programs named here (comma-separated) skip even when programs are required.
pub const UNAVAILABLE_PROGRAMS: &str = "REGCRED_TEST_UNAVAILABLE_PROGRAMS";

/// Whether a missing outside program fails the test (REGCRED_TEST_REQUIRE_PROGRAMS=1).
pub fn programs_required() -> bool {
    std::env::var(REQUIRE_PROGRAMS).is_ok_and(|v| v == "1")
}

/// Whether `what` is named in REGCRED_TEST_UNAVAILABLE_PROGRAMS.
fn declared_unavailable(what: &str) -> bool {
    std::env::var(UNAVAILABLE_PROGRAMS)
        .is_ok_and(|list| list.split(',').any(|p| !p.is_empty() && p.trim() == what))
}

/// A prerequisite (`what`: a program, a package, a wheel) is missing:
/// panics when programs are required (unless `what` is declared
/// unavailable), else prints a SKIP line that the test harness does not
/// capture; the caller then returns.
pub fn missing(what: &str, why: &str) {
    if programs_required() && !declared_unavailable(what) {
        panic!("{what} is missing ({why}); {REQUIRE_PROGRAMS}=1 makes that an error (.ci/run installs it)");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    // Written to the process's standard error directly: libtest captures
    // `eprintln!`, which would hide the skip behind an `ok`.
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIP {test}: {what} is missing ({why}); set {REQUIRE_PROGRAMS}=1 to make this fail"
    );
}

/// `Some(path)` when the program exists (a path, or a name looked up on
/// PATH); otherwise [`missing`] and `None`. The kubectl paths can be moved
/// with REGCRED_KUBECTL_LEGACY and REGCRED_KUBECTL_CURRENT; the legacy one
/// falls back to the machine's /usr/bin/kubectl.
pub fn require(path: &str, why: &str) -> Option<PathBuf> {
    let overridden = match path {
        KUBECTL_LEGACY => std::env::var("REGCRED_KUBECTL_LEGACY").ok().or_else(|| {
            let installed = std::path::Path::new(KUBECTL_LEGACY).is_file();
            (!installed && std::path::Path::new(KUBECTL_LEGACY_FALLBACK).is_file())
                .then(|| KUBECTL_LEGACY_FALLBACK.to_string())
        }),
        KUBECTL_CURRENT => std::env::var("REGCRED_KUBECTL_CURRENT").ok(),
        _ => None,
    };
    let path = overridden.as_deref().unwrap_or(path);
    let p = PathBuf::from(path);
    if p.is_file() {
        return Some(p);
    }
    if let Some(found) = which(path) {
        return Some(found);
    }
    missing(path, why);
    None
}

/// `name` on PATH (a name with a `/` is never looked up).
pub fn which(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        return None;
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// The CI toolbox: the venv and npm folder .ci/run installs the programs of
/// the report-format, pre-commit, wheel and workflow tests into
/// (/opt/regcred-ci; REGCRED_CI_TOOLS moves it).
pub fn ci_tools() -> PathBuf {
    PathBuf::from(std::env::var("REGCRED_CI_TOOLS").unwrap_or_else(|_| "/opt/regcred-ci".into()))
}

/// `rel` in the CI toolbox when installed there, else `name` from PATH
/// (as [`require`]).
pub fn ci_tool(rel: &str, name: &str, why: &str) -> Option<PathBuf> {
    let installed = ci_tools().join(rel);
    if installed.is_file() {
        return Some(installed);
    }
    require(name, why)
}
