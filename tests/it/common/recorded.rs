//! Recorded kustomize inputs, kept outside the checkout.

use std::path::{Path, PathBuf};

/// A recorded kustomize input from `../shared/krm` beside the checkout (as
/// in CI), or from REGCRED_SHARED_DIR; `None` with a SKIP line when absent.
pub fn recorded(name: &str) -> Option<String> {
    let dir = std::env::var_os("REGCRED_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = dir.join("krm").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!(
                "SKIP: {} not found (set REGCRED_SHARED_DIR to the shared folder), skipping the recorded-input test",
                path.display()
            );
            None
        }
    }
}
