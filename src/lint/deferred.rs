//! Findings that wait for the whole workspace: a pod's checks need every
//! Secret and ServiceAccount, so they run after the walk. What reporting
//! needs from the pod's file (positions, masked excerpts, the suppression
//! comments that apply) is cut while the file is in memory, one anchor per
//! span a workload finding may point at.

use std::ops::Range;

use super::outcome::{Excerpt, Position, Reported};
use super::suppress::IgnoreComment;
use super::workload::PodView;
use super::Level;
use crate::manifest::ObjectId;

/// A span of a file, placed: a finding pointing at it is reported from
/// this. The path and the object are the pod's, kept once for all its
/// anchors (a large repository holds hundreds of thousands).
#[derive(Debug, Clone)]
pub struct Anchor {
    /// The span, in the coordinates rules use.
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub excerpt: Excerpt,
    /// Suppression comments whose place covers the span (line, line above,
    /// top of document); whether they name the rule is decided later.
    pub comments: Vec<IgnoreComment>,
}

impl Anchor {
    /// A finding of `rule` at this place, its level and words still unset.
    pub fn report(&self, rule: &'static str, path: &str, object: Option<ObjectId>) -> Reported {
        Reported {
            rule,
            level: Level::Info,
            message: String::new(),
            note: None,
            help: None,
            inner: None,
            fix: None,
            path: path.to_string(),
            start: self.start,
            end: self.end,
            object,
            excerpt: Some(self.excerpt.clone()),
        }
    }
}

/// A pod spec whose checks wait for the index.
#[derive(Debug, Clone)]
pub struct PendingPod {
    pub view: PodView,
    /// The file, as reported.
    pub path: String,
    /// In the order of [`PodView::spans`]: the pod spec key's last.
    pub anchors: Vec<Anchor>,
    /// Positions in `anchors`, sorted by range: a pod with 40,000
    /// containers finds each finding's anchor by binary search.
    by_range: Vec<usize>,
    /// Rule ids of the object's `regcred.dev/ignore` annotation.
    pub annotation_ignores: Vec<String>,
    /// Bytes before the text its spans count in (a BOM).
    pub shift: usize,
}

impl PendingPod {
    pub fn new(
        view: PodView,
        path: String,
        anchors: Vec<Anchor>,
        annotation_ignores: Vec<String>,
        shift: usize,
    ) -> Self {
        let mut by_range: Vec<usize> = (0..anchors.len()).collect();
        // Stable: of equal ranges, the first anchor is found first.
        by_range.sort_by_key(|&i| anchors.get(i).map(|a| (a.range.start, a.range.end)));
        PendingPod {
            view,
            path,
            anchors,
            by_range,
            annotation_ignores,
            shift,
        }
    }

    /// The anchor of `range`, or the pod spec key's when none is exact.
    pub fn anchor(&self, range: &Range<usize>) -> Option<&Anchor> {
        let key = |i: &usize| self.anchors.get(*i).map(|a| (a.range.start, a.range.end));
        let wanted = Some((range.start, range.end));
        super::work::count(1);
        let at = self.by_range.partition_point(|i| key(i) < wanted);
        self.by_range
            .get(at)
            .filter(|i| key(i) == wanted)
            .and_then(|&i| self.anchors.get(i))
            .or_else(|| self.anchors.last())
    }
}
