//! What `--fix` will change in one file: for each fixable finding, the
//! edits that fix it, or why it is left alone.

use super::edit::Edit;
use super::locate::{object_at, offset_of};
use super::{generator_fixes, pod_fixes, secret_fixes};
use crate::lint::outcome::Position;
use crate::lint::position::LineIndex;
use crate::lint::Reported;
use crate::manifest::{objects, Document, ObjectId};

pub const WRONG_TYPE: &str = "pull-secret-wrong-type";
pub const MISSING_KEY: &str = "pull-secret-missing-key";
pub const MISSING_PULL_SECRETS: &str = "missing-image-pull-secrets";

/// The rules `--fix` knows how to fix.
pub const FIXABLE: &[&str] = &[MISSING_PULL_SECRETS, MISSING_KEY, WRONG_TYPE];

pub fn is_fixable(rule: &str) -> bool {
    FIXABLE.contains(&rule)
}

/// One finding's fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub rule: &'static str,
    pub object: Option<ObjectId>,
    pub at: Position,
    pub edits: Vec<Edit>,
    /// What the fix does, for the report ("set type: ...").
    pub summary: String,
}

/// A fixable finding left as it is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rule: &'static str,
    pub at: Position,
    pub reason: String,
}

/// Where the pull secret name for `missing-image-pull-secrets` comes from.
pub trait SecretChooser: Sync {
    /// The Secret to name for a pod in `namespace` pulling `images`.
    fn choose(&self, namespace: Option<&str>, images: &[&str]) -> Option<String>;
}

/// Everything a fix needs to know about the file it edits.
pub struct Source<'a> {
    /// The file's bytes as read (BOM included).
    pub bytes: &'a [u8],
    /// The text after the BOM, which spans count from.
    pub text: &'a str,
    /// Bytes before `text` (a BOM).
    pub shift: usize,
    pub docs: &'a [Document],
}

#[derive(Debug, Default)]
pub struct FilePlan {
    pub planned: Vec<Planned>,
    pub skipped: Vec<Skipped>,
}

impl FilePlan {
    pub fn edits(&self) -> Vec<Edit> {
        self.planned.iter().flat_map(|p| p.edits.clone()).collect()
    }
}

/// Plans the fixes of this file's fixable `findings`.
pub fn plan_file(
    source: &Source<'_>,
    findings: &[&Reported],
    chooser: &dyn SecretChooser,
) -> FilePlan {
    let lines = LineIndex::new(source.bytes);
    let objects = objects(source.docs);
    let mut plan = FilePlan::default();
    let mut pod_findings = Vec::new();
    let mut secret_findings = Vec::new();
    let mut placed = Vec::new();
    for finding in findings.iter().filter(|f| is_fixable(f.rule)) {
        let skip = |reason: &str| Skipped {
            rule: finding.rule,
            at: finding.start,
            reason: reason.to_string(),
        };
        let Some(offset) = offset_of(source.bytes, &lines, finding.start)
            .and_then(|o| o.checked_sub(source.shift))
        else {
            plan.skipped.push(skip("its position is not in the file"));
            continue;
        };
        placed.push((*finding, offset));
    }
    // Findings in a kustomization's secretGenerator items first.
    let rest = generator_fixes::plan(source, &placed, &mut plan);
    for (finding, offset) in rest {
        let skip = |reason: &str| Skipped {
            rule: finding.rule,
            at: finding.start,
            reason: reason.to_string(),
        };
        let Some(object) = object_at(&objects, offset) else {
            plan.skipped
                .push(skip("it is not inside a Kubernetes object"));
            continue;
        };
        if finding.rule == MISSING_PULL_SECRETS {
            pod_findings.push((finding, object, offset));
        } else {
            secret_findings.push((finding, object, offset));
        }
    }
    secret_fixes::plan(source, &secret_findings, &mut plan);
    pod_fixes::plan(source, &pod_findings, chooser, &mut plan);
    plan
}
