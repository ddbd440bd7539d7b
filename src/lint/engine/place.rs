//! The engine's last step, the same for every finding: its level (the
//! configuration's, else the rule's), its suppressions (a
//! `regcred.dev/ignore` annotation, a `# regcred:ignore` comment on its
//! line, the line above or the top of its document) and its place (line,
//! column, a masked excerpt). Findings of a file are placed while its bytes
//! are in memory; a pod's findings later, from [`Anchor`]s cut then.

use std::ops::Range;

use super::Linter;
use crate::lint::deferred::Anchor;
use crate::lint::excerpt::{excerpt, Masks};
use crate::lint::finding::{Finding, Level, Location};
use crate::lint::outcome::{Position, Reported};
use crate::lint::position::LineIndex;
use crate::lint::suppress::{ignore_comments, IgnoreComment};
use crate::manifest::{Document, ObjectId};

/// A finding with its range in the file's text, before lines and columns.
pub(super) struct Placed {
    pub finding: Finding,
    /// In the coordinates rules use (after a BOM).
    pub range: Range<usize>,
    /// Where inside a decoded payload it is, when `range` is the whole value.
    pub inner: Option<String>,
    pub site: Site,
}

/// What a finding belongs to: its object, if any, and what the object's
/// annotation suppresses.
#[derive(Debug, Clone, Default)]
pub(super) struct Site {
    pub object: Option<ObjectId>,
    /// Rule ids of the object's `regcred.dev/ignore` annotation.
    pub annotation_ignores: Vec<String>,
}

impl Site {
    /// The document holding the object, for top-of-document comments.
    fn document(&self) -> Option<usize> {
        self.object.as_ref().map(|o| o.document)
    }
}

impl Placed {
    /// A finding placed where it points, outside any object.
    pub fn new(finding: Finding) -> Placed {
        Placed::at(finding, None, Site::default())
    }

    /// A finding at the range its location names, in `site`.
    pub fn at(finding: Finding, inner: Option<String>, site: Site) -> Placed {
        let range = match &finding.location {
            Location::File(r) | Location::Payload(r) => r.clone(),
        };
        Placed {
            finding,
            range,
            inner,
            site,
        }
    }
}

/// The level `finding` is reported at, `None` when it is not reported: its
/// rule is off, or the object's annotation suppresses it.
pub(super) fn level(
    linter: &Linter,
    finding: &Finding,
    annotation_ignores: &[String],
) -> Option<Level> {
    if annotation_ignores.iter().any(|r| r == finding.rule) {
        return None;
    }
    // A configured level replaces whatever level the rule chose.
    linter.level_of(finding.rule, finding.level)
}

/// `finding` reported at `anchor`, unless a comment there suppresses it.
/// `shift` is the length of the file's BOM: its fix's edits move past it.
pub(super) fn report(
    anchor: &Anchor,
    finding: Finding,
    level: Level,
    (path, shift): (&str, usize),
    object: Option<ObjectId>,
    inner: Option<String>,
) -> Option<Reported> {
    if anchor.comments.iter().any(|c| c.covers(finding.rule)) {
        return None;
    }
    let mut reported = anchor.report(finding.rule, path, object);
    reported.level = level;
    reported.message = finding.message;
    reported.note = finding.note;
    reported.help = finding.help;
    reported.inner = inner;
    reported.fix = finding.fix.map(|mut fix| {
        fix.shift(shift);
        fix
    });
    Some(reported)
}

/// Places the findings of one file: levels and suppressions, positions and
/// excerpts. `masks` (the secret values, in text coordinates) is computed
/// only when something is left to show.
pub(super) fn place(
    linter: &Linter,
    path: &str,
    bytes: &[u8],
    shift: usize,
    placed: Vec<Placed>,
    regions: &[Range<usize>],
    masks: impl FnOnce() -> Vec<Range<usize>>,
) -> Vec<Reported> {
    let placed: Vec<(Placed, Level)> = placed
        .into_iter()
        .filter_map(|p| {
            let level = level(linter, &p.finding, &p.site.annotation_ignores)?;
            Some((p, level))
        })
        .collect();
    if placed.is_empty() {
        return Vec::new();
    }
    let placer = Placer::new(bytes, shift, regions, masks());
    placed
        .into_iter()
        .filter_map(|(p, level)| {
            let anchor = placer.anchor(p.range.clone(), p.site.document());
            report(
                &anchor,
                p.finding,
                level,
                (path, shift),
                p.site.object,
                p.inner,
            )
        })
        .collect()
}

/// What placing findings in one file needs, computed once per file.
pub(super) struct Placer<'a> {
    bytes: &'a [u8],
    shift: usize,
    regions: &'a [Range<usize>],
    lines: LineIndex,
    comments: Vec<IgnoreComment>,
    masks: Masks,
}

impl<'a> Placer<'a> {
    pub fn new(
        bytes: &'a [u8],
        shift: usize,
        regions: &'a [Range<usize>],
        masks: Vec<Range<usize>>,
    ) -> Self {
        let lines = LineIndex::new(bytes);
        let comments = ignore_comments(bytes, &lines);
        let masks = Masks::new(
            masks
                .into_iter()
                .map(|r| r.start + shift..r.end + shift)
                .collect(),
        );
        Placer {
            bytes,
            shift,
            regions,
            lines,
            comments,
            masks,
        }
    }

    /// The suppression comments that speak for `line` (0-based) of
    /// `document`, found by binary search (comments are sorted by offset, so
    /// by line): many comments and many findings in one file must not
    /// compare every pair.
    fn comments_at(&self, line: usize, document: Option<usize>) -> Vec<IgnoreComment> {
        let comments = &self.comments;
        let near = comments.partition_point(|c| c.line + 1 < line)
            ..comments.partition_point(|c| c.line <= line);
        let in_body = |c: &IgnoreComment| c.offset.saturating_sub(self.shift);
        let top = document
            .and_then(|d| self.regions.get(d))
            .map_or(0..0, |r| {
                comments.partition_point(|c| in_body(c) < r.start)
                    ..comments.partition_point(|c| in_body(c) < r.end)
            });
        let mut picked: Vec<usize> = near.chain(top).collect();
        crate::lint::work::count(picked.len());
        picked.sort_unstable();
        picked.dedup();
        picked
            .into_iter()
            .filter_map(|i| comments.get(i))
            .filter(|c| at_place(c, line, document, self.regions, self.shift))
            .cloned()
            .collect()
    }

    /// `range` (in body coordinates) placed: positions, excerpt, and the
    /// suppression comments at its place.
    pub fn anchor(&self, range: Range<usize>, document: Option<usize>) -> Anchor {
        let bytes = self.bytes;
        let shift = self.shift;
        let file_range =
            (range.start + shift).min(bytes.len())..(range.end + shift).min(bytes.len());
        let (line, column) = self.lines.position(bytes, file_range.start);
        let comments = self.comments_at(line - 1, document);
        let (end_line, end_column) = self
            .lines
            .position(bytes, file_range.end.max(file_range.start));
        Anchor {
            range,
            start: Position { line, column },
            end: Position {
                line: end_line,
                column: end_column,
            },
            excerpt: excerpt(bytes, &self.lines, file_range, &self.masks),
            comments,
        }
    }
}

/// For each document: the bytes before its content where a comment speaks
/// for the whole document (from the end of the previous document's content).
pub(super) fn document_regions(docs: &[Document]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(docs.len());
    let mut previous_end = 0;
    for doc in docs {
        match &doc.root {
            Some(root) => out.push(previous_end..root.span.start),
            None => out.push(0..0),
        }
        // Documents not built (pre-scan) end where a built one would.
        previous_end = doc.content_end.unwrap_or(previous_end);
    }
    out
}

/// Whether a comment sits where it speaks for a finding on `line` (0-based):
/// that line, the line above, or the top of the finding's document.
fn at_place(
    c: &IgnoreComment,
    line: usize,
    document: Option<usize>,
    regions: &[Range<usize>],
    shift: usize,
) -> bool {
    c.line == line
        || (c.own_line && c.line + 1 == line)
        || (c.own_line
            && document
                .and_then(|d| regions.get(d))
                .is_some_and(|r| r.contains(&c.offset.saturating_sub(shift))))
}
