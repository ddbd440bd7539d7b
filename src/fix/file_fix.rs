//! Fixes one file's text and proves the result: the edited text must parse
//! into as many documents as before, and linting it again must no longer
//! report any finding that was fixed. Nothing is written here.

use std::path::Path;

use super::plan::{plan_file, FilePlan, SecretChooser};
use super::preserved::first_lost;
use crate::lint::index::WorkspaceIndex;
use crate::lint::input::InputKind;
use crate::lint::position::LineIndex;
use crate::lint::{Linter, Reported};
use crate::manifest::edit::{apply, sorted, Edit, EditError};
use crate::manifest::parse_stream;

/// One file, fixed in memory.
#[derive(Debug)]
pub struct FileFix {
    pub plan: FilePlan,
    /// The edits as byte offsets of the file (BOM included).
    pub edits: Vec<Edit>,
    /// The fixed bytes (the original when there is nothing to change).
    pub fixed: Vec<u8>,
    /// What linting the fixed bytes reports.
    pub remaining: Vec<Reported>,
}

impl FileFix {
    pub fn changes(&self) -> bool {
        !self.edits.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("the file is not UTF-8 text")]
    NotText,
    #[error("the file does not parse as YAML: it is left as it is")]
    Unparsed,
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error("the fixed text would not parse ({0}): nothing written")]
    BrokeSyntax(String),
    #[error("the fixed text would hold {after} documents instead of {before}: nothing written")]
    DocumentsChanged { before: usize, after: usize },
    #[error("the fix would change what line {line} means: nothing written")]
    WouldChange { line: usize },
    #[error("after the fix, {rule} is still reported at line {line}: nothing written")]
    NotFixed { rule: &'static str, line: usize },
}

/// Plans and applies the fixes `findings` carry (this file's, as
/// reported, their edits in `bytes`), then lints the result with `linter`.
pub fn fix_file(
    linter: &Linter,
    path: &str,
    dir: Option<&Path>,
    bytes: &[u8],
    kind: InputKind,
    findings: &[&Reported],
    chooser: &dyn SecretChooser,
) -> Result<FileFix, FixError> {
    let body = crate::gocompat::without_bom(bytes);
    let shift = bytes.len() - body.len();
    let text = std::str::from_utf8(body).map_err(|_| FixError::NotText)?;
    let docs = parse_stream(text).map_err(|_| FixError::Unparsed)?;
    let plan = plan_file(findings, chooser);
    let edits = plan.edits();
    if edits.is_empty() {
        return Ok(FileFix {
            plan,
            edits: Vec::new(),
            fixed: bytes.to_vec(),
            remaining: findings.iter().map(|f| (*f).clone()).collect(),
        });
    }
    // From the file's bytes to the text's.
    let in_text = edits
        .into_iter()
        .map(|e| match e.range.start.checked_sub(shift) {
            Some(start) => Ok(Edit::replace(start..e.range.end - shift, e.text)),
            None => Err(EditError::OutOfBounds(e.range)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let edits = sorted(in_text, text)?;
    let new_text = apply(text, &edits)?;
    let new_docs = parse_stream(&new_text).map_err(|e| FixError::BrokeSyntax(e.message))?;
    if new_docs.len() != docs.len() {
        return Err(FixError::DocumentsChanged {
            before: docs.len(),
            after: new_docs.len(),
        });
    }
    if let Some(offset) = first_lost(&docs, &new_docs, &edits) {
        let line = LineIndex::new(body).line_of(offset) + 1;
        return Err(FixError::WouldChange { line });
    }
    let mut fixed = bytes.get(..shift).unwrap_or(&[]).to_vec();
    fixed.extend_from_slice(new_text.as_bytes());
    // What linting the fixed bytes reports: the per-file rules, and the pod
    // rules against what this file alone defines (a pod that names a pull
    // Secret no longer misses one, wherever the Secret is).
    let mut after = linter.collect_source(path, dir, &fixed, kind);
    let remaining = std::mem::take(&mut after.findings);
    let mut index = WorkspaceIndex::default();
    index.add(std::mem::take(&mut after.index));
    index.finish();
    let pods = linter.check_pods(&index, std::mem::take(&mut after.pods));
    for p in &plan.planned {
        let still = match &p.object {
            Some(_) => remaining
                .iter()
                .chain(&pods)
                .find(|f| f.rule == p.rule && f.object == p.object),
            // Outside objects (secretGenerator items): fewer such findings
            // of the rule than before, by as many as were fixed.
            None => {
                let count = |list: &mut dyn Iterator<Item = &Reported>| {
                    list.filter(|f| f.rule == p.rule && f.object.is_none())
                        .count()
                };
                let before = count(&mut findings.iter().copied());
                let fixed = plan
                    .planned
                    .iter()
                    .filter(|q| q.rule == p.rule && q.object.is_none())
                    .count();
                let after = count(&mut remaining.iter());
                (after + fixed > before)
                    .then(|| {
                        remaining
                            .iter()
                            .find(|f| f.rule == p.rule && f.object.is_none())
                    })
                    .flatten()
            }
        };
        if let Some(f) = still {
            return Err(FixError::NotFixed {
                rule: p.rule,
                line: f.start.line,
            });
        }
    }
    let edits = edits
        .into_iter()
        .map(|e| Edit::replace(e.range.start + shift..e.range.end + shift, e.text))
        .collect();
    Ok(FileFix {
        plan,
        edits,
        fixed,
        remaining,
    })
}
