//! `--fix` over a whole lint run: every file with a fixable finding is read
//! again (a [`Snapshot`]), fixed in memory and checked, then either replaced
//! atomically or shown as a diff. Files with nothing to fix are not touched.

use std::collections::BTreeMap;
use std::path::Path;

use super::choose::Chooser;
use super::diff::{unified, Side};
use super::file_fix::fix_file;
use super::plan::{Planned, SecretChooser, Skipped};
use crate::lint::index::WorkspaceIndex;
use crate::lint::input::{classify, InputKind};
use crate::lint::kustomize::{generators, EntrySource};
use crate::lint::rules::by_id;
use crate::lint::walk::{FileLinters, STDIN_NAME};
use crate::lint::{mask, Linter, Outcome, Reported};
use crate::manifest::parse_stream;
use crate::safe_write::replace::Snapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Replace the files.
    Write,
    /// Print a unified diff, write nothing.
    Diff,
}

/// What `--fix` did (or, with `--diff`, would do).
#[derive(Debug, Default)]
pub struct FixRun {
    /// Unified diffs (diff mode).
    pub diff: String,
    pub fixed: Vec<(String, Planned)>,
    pub skipped: Vec<(String, Skipped)>,
    /// Files left as they were, and why.
    pub errors: Vec<String>,
    /// For each file fixed (in memory): what linting it reports now.
    pub remaining: BTreeMap<String, Vec<Reported>>,
}

impl FixRun {
    /// `outcome`'s findings with those of fixed files replaced by what
    /// linting the fixed text reports.
    pub fn remaining_outcome(&self, outcome: &Outcome) -> Outcome {
        let mut out = outcome.clone();
        out.findings
            .retain(|f| !self.remaining.contains_key(&f.path));
        out.findings
            .extend(self.remaining.values().flatten().cloned());
        out.finish();
        out
    }
}

/// Whether `finding`'s rule can carry a fix.
fn fixable(finding: &Reported) -> bool {
    by_id(finding.rule).is_some_and(|rule| rule.fixable())
}

/// Fixes the fixable findings of `outcome`; `index` is the run's (the pod
/// rules need it). Each file is fixed by the linter that linted it (its
/// nearest `.regcred.yaml`), so a fix follows the configuration of the
/// finding that asked for it.
pub fn fix_outcome(
    configs: &dyn FileLinters,
    outcome: &Outcome,
    index: &WorkspaceIndex,
    mode: Mode,
    chooser: &Chooser,
) -> FixRun {
    let mut by_path: BTreeMap<&str, Vec<&Reported>> = BTreeMap::new();
    for f in &outcome.findings {
        by_path.entry(f.path.as_str()).or_default().push(f);
    }
    let mut run = FixRun::default();
    for (path, findings) in by_path {
        if !findings.iter().any(|f| fixable(f)) {
            continue;
        }
        if path == STDIN_NAME {
            run.errors
                .push("<stdin>: --fix cannot fix stdin; lint the file instead".to_string());
            continue;
        }
        // A file its configuration skips, or whose configuration cannot
        // be read, was not linted: it has no findings to fix.
        let Ok(Some((_, linter))) = configs.linter_for(Path::new(path)) else {
            continue;
        };
        let chooser = chooser.for_file(linter.config.fix_secret_name.as_deref());
        fix_one(&linter, index, path, mode, &chooser, &mut run);
    }
    run
}

fn fix_one(
    linter: &Linter,
    index: &WorkspaceIndex,
    path: &str,
    mode: Mode,
    chooser: &dyn SecretChooser,
    run: &mut FixRun,
) {
    let file = Path::new(path);
    let kind = match classify(file, true) {
        Some(kind @ (InputKind::Manifest | InputKind::Kustomization)) => kind,
        _ => return,
    };
    let snapshot = match Snapshot::read(file) {
        Ok(s) => s,
        Err(e) => {
            run.errors.push(e.to_string());
            return;
        }
    };
    // This file's findings and their fixes as the bytes just read give
    // them: the per-file rules', then the pod rules' against the run's
    // index, most serious first (a fix made only along with others comes
    // after them).
    let mut fresh =
        linter
            .clone()
            .proposing_fixes()
            .collect_source(path, file.parent(), &snapshot.bytes, kind);
    let mut pods = linter.check_pods(index, std::mem::take(&mut fresh.pods));
    pods.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    pods.sort_by_key(|f| std::cmp::Reverse(f.level));
    let findings: Vec<&Reported> = fresh
        .findings
        .iter()
        .chain(&pods)
        .filter(|f| f.fix.is_some())
        .collect();
    let fix = match fix_file(
        linter,
        path,
        file.parent(),
        &snapshot.bytes,
        kind,
        &findings,
        chooser,
    ) {
        Ok(fix) => fix,
        Err(e) => {
            run.errors.push(format!("{path}: {e}"));
            return;
        }
    };
    run.skipped.extend(
        fix.plan
            .skipped
            .iter()
            .map(|s| (path.to_string(), s.clone())),
    );
    if !fix.changes() {
        return;
    }
    match mode {
        Mode::Diff => {
            run.diff
                .push_str(&masked_diff(path, &snapshot.bytes, &fix.fixed, &fix.edits))
        }
        Mode::Write => {
            if let Err(e) = snapshot.replace(&fix.fixed) {
                run.errors.push(e.to_string());
                return;
            }
        }
    }
    run.fixed.extend(
        fix.plan
            .planned
            .iter()
            .map(|p| (path.to_string(), p.clone())),
    );
    run.remaining.insert(path.to_string(), fix.remaining);
}

/// Secret values of a manifest, as byte ranges of the whole file.
fn masks_of(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let body = crate::gocompat::without_bom(bytes);
    let shift = bytes.len() - body.len();
    let Ok(text) = std::str::from_utf8(body) else {
        return mask::opaque_masks(bytes);
    };
    match parse_stream(text) {
        Ok(docs) => mask::manifest_masks(&docs)
            .into_iter()
            .chain(literal_values(text, &docs))
            .map(|r| r.start + shift..r.end + shift)
            .collect(),
        Err(_) => mask::unparsed_masks(text)
            .into_iter()
            .map(|r| r.start + shift..r.end + shift)
            .collect(),
    }
}

/// The values of secretGenerator `literals:` items (`KEY=VALUE`): the
/// bytes after the first `=`.
fn literal_values(text: &str, docs: &[crate::manifest::Document]) -> Vec<std::ops::Range<usize>> {
    generators(docs, text)
        .iter()
        .flat_map(|g| g.entries.iter())
        .filter(|e| e.source == EntrySource::Literal)
        .filter_map(|e| {
            let span = e.item.span.clone();
            let at = text.get(span.clone())?.find('=')?;
            Some(span.start + at + 1..span.end)
        })
        .collect()
}

fn masked_diff(
    path: &str,
    old: &[u8],
    new: &[u8],
    edits: &[crate::manifest::edit::Edit],
) -> String {
    let (Ok(old_text), Ok(new_text)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
        return String::new();
    };
    let old_masks = masks_of(old);
    let new_masks = masks_of(new);
    unified(
        path,
        &Side {
            text: old_text,
            masks: &old_masks,
        },
        &Side {
            text: new_text,
            masks: &new_masks,
        },
        edits,
    )
}
