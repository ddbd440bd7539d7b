//! Findings that wait for the whole workspace: a pod's checks need every
//! Secret and ServiceAccount, so they run after the walk. What reporting
//! needs from the pod's file (positions, masked excerpts, the suppression
//! comments that apply) is cut while the file is in memory, one anchor per
//! span a workload finding may point at.

use std::ops::Range;

use super::outcome::Reported;
use super::suppress::IgnoreComment;
use super::workload::PodView;

/// A span of a file, placed: a finding pointing at it is reported from this.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// The span, in the coordinates rules use.
    pub range: Range<usize>,
    /// Path, positions, excerpt and object filled in; rule, level and words not.
    pub template: Reported,
    /// Suppression comments whose place covers the span (line, line above,
    /// top of document); whether they name the rule is decided later.
    pub comments: Vec<IgnoreComment>,
}

/// A pod spec whose checks wait for the index.
#[derive(Debug, Clone)]
pub struct PendingPod {
    pub view: PodView,
    pub anchors: Vec<Anchor>,
    /// Rule ids of the object's `regcred.dev/ignore` annotation.
    pub annotation_ignores: Vec<String>,
}

impl PendingPod {
    /// The anchor of `range`, or the pod spec key's when none is exact.
    pub fn anchor(&self, range: &Range<usize>) -> Option<&Anchor> {
        self.anchors
            .iter()
            .find(|a| &a.range == range)
            .or_else(|| self.anchors.last())
    }
}
