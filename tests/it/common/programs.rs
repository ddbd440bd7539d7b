//! Finding the outside programs some tests compare against.

use std::path::PathBuf;

use super::{KUBECTL_CURRENT, KUBECTL_LEGACY};

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `Some(path)` when the program exists; otherwise prints a SKIP line, or
/// panics in CI where every external program must be installed.
/// The kubectl paths can be moved with REGCRED_KUBECTL_LEGACY and
/// REGCRED_KUBECTL_CURRENT.
pub fn require(path: &str, why: &str) -> Option<PathBuf> {
    let overridden = match path {
        KUBECTL_LEGACY => std::env::var("REGCRED_KUBECTL_LEGACY").ok(),
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
    if in_ci() {
        panic!("{path} is required in CI ({why}) but missing");
    }
    eprintln!("SKIP: {path} not found, skipping {why}");
    None
}

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
/// (as `require`).
pub fn ci_tool(rel: &str, name: &str, why: &str) -> Option<PathBuf> {
    let installed = ci_tools().join(rel);
    if installed.is_file() {
        return Some(installed);
    }
    require(name, why)
}
