//! The Secrets among the inputs as this run's own fixes will leave them.
//!
//! A Secret whose type or key `--fix` corrects becomes a pull secret only
//! once its file is rewritten. Were pods fixed before that given
//! `fix.secret-name`, and pods fixed after it the Secret itself, a run
//! interrupted and resumed would end unlike one that was not. Choosing
//! among the Secrets as they will be makes the choice the same at every
//! point of the run, and in `--diff`.

use std::path::Path;

use super::file_fix::fix_file;
use super::plan::SecretChooser;
use crate::lint::finding::Fix;
use crate::lint::index::SecretDef;
use crate::lint::input::{classify, InputKind};
use crate::lint::walk::{FileLinters, STDIN_NAME};
use crate::lint::{Linter, Outcome, Reported};
use crate::safe_write::replace::Snapshot;

/// The Secret fixes make no choice of pull secret.
struct NoChoice;

impl SecretChooser for NoChoice {
    fn choose(&self, _: Option<&str>, _: &[&str]) -> Option<String> {
        None
    }
}

/// The Secrets defined in the files that have a Secret fix to make, as
/// they read once those fixes are made (in memory; nothing is written),
/// each file by the linter that linted it.
pub fn fixed_secrets(configs: &dyn FileLinters, outcome: &Outcome) -> Vec<SecretDef> {
    let mut paths: Vec<&str> = outcome
        .findings
        .iter()
        .filter(|f| fixes_secret(f) && f.path != STDIN_NAME)
        .map(|f| f.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let mut out = Vec::new();
    for path in paths {
        let findings: Vec<&Reported> = outcome
            .findings
            .iter()
            .filter(|f| f.path == path && fixes_secret(f))
            .collect();
        if let Ok(Some((_, linter))) = configs.linter_for(Path::new(path)) {
            out.extend(fixed_in(&linter, path, &findings));
        }
    }
    out
}

/// Whether `finding`'s fix is edits that need no choice (a Secret's type
/// or key; a pod's pull Secret is what is being chosen).
fn fixes_secret(finding: &Reported) -> bool {
    matches!(finding.fix.as_deref(), Some(Fix::Edits { .. }))
}

fn fixed_in(linter: &Linter, path: &str, findings: &[&Reported]) -> Vec<SecretDef> {
    let file = Path::new(path);
    let Some(kind @ (InputKind::Manifest | InputKind::Kustomization)) = classify(file, true) else {
        return Vec::new();
    };
    let Ok(snapshot) = Snapshot::read(file) else {
        return Vec::new();
    };
    let Ok(fix) = fix_file(
        linter,
        path,
        file.parent(),
        &snapshot.bytes,
        kind,
        findings,
        &NoChoice,
    ) else {
        return Vec::new();
    };
    linter
        .collect_source(path, file.parent(), &fix.fixed, kind)
        .index
        .secrets
}
