//! Proof that a fix changed only what it meant to: every scalar of the old
//! text outside the edited ranges must still be there in the new text, with
//! the same value and style, at its shifted position, inside collections
//! that start where they started (so no line was captured by another
//! mapping, no block scalar lost its trailing lines).

use std::collections::HashSet;

use crate::manifest::edit::Edit;
use crate::manifest::{Document, Node, NodeKind};

/// A scalar where it sits: its start, the starts of the collections and
/// keys around it, its value and style.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Placed<'a> {
    document: usize,
    start: usize,
    ancestors: Vec<usize>,
    value: &'a str,
    /// [`crate::manifest::Style`] as a number (it has no `Hash`).
    style: u8,
}

fn collect<'a>(
    document: usize,
    node: &'a Node<'a>,
    ancestors: &mut Vec<usize>,
    out: &mut Vec<Placed<'a>>,
) {
    // The parser bounds nesting, so this recursion is bounded too.
    match &node.kind {
        NodeKind::Scalar(s) => out.push(Placed {
            document,
            start: node.span.start,
            ancestors: ancestors.clone(),
            value: &s.value,
            style: s.style as u8,
        }),
        NodeKind::Mapping(entries) => {
            ancestors.push(node.span.start);
            for e in entries {
                collect(document, &e.key, ancestors, out);
                // The key a value sits under is part of where it is.
                ancestors.push(e.key.span.start);
                collect(document, &e.value, ancestors, out);
                ancestors.pop();
            }
            ancestors.pop();
        }
        NodeKind::Sequence(items) => {
            ancestors.push(node.span.start);
            for i in items {
                collect(document, i, ancestors, out);
            }
            ancestors.pop();
        }
        NodeKind::Alias => {}
    }
}

fn scalars<'a>(docs: &'a [Document<'a>]) -> Vec<Placed<'a>> {
    let mut out = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        if let Some(root) = &doc.root {
            collect(i, root, &mut Vec::new(), &mut out);
        }
    }
    out
}

/// Where an old offset is after `edits` (sorted): moved by every edit
/// that ends at or before it.
fn shifted(edits: &[Edit], offset: usize) -> usize {
    let mut out = offset as isize;
    for e in edits.iter().take_while(|e| e.range.end <= offset) {
        out += e.text.len() as isize - e.range.len() as isize;
    }
    out.max(0) as usize
}

/// Whether an edit replaces bytes of, or inserts inside, a scalar.
fn touched(edits: &[Edit], node_start: usize, node_len: usize) -> bool {
    let end = node_start + node_len;
    edits.iter().any(|e| {
        if e.range.is_empty() {
            node_start < e.range.start && e.range.start < end
        } else {
            e.range.start < end && node_start < e.range.end
        }
    })
}

/// The old offset of the first scalar that did not survive, if any.
pub fn first_lost(old: &[Document], new: &[Document], edits: &[Edit]) -> Option<usize> {
    let after: HashSet<Placed<'_>> = scalars(new).into_iter().collect();
    let mut spans = Vec::new();
    for doc in old {
        if let Some(root) = &doc.root {
            spans_of(root, &mut spans);
        }
    }
    for (placed, len) in scalars(old).into_iter().zip(spans) {
        // An empty value (`key:`) has no bytes to keep, and saphyr places
        // its span loosely: a fix may well fill it in.
        if len == 0 || touched(edits, placed.start, len) {
            continue;
        }
        let moved = Placed {
            document: placed.document,
            start: shifted(edits, placed.start),
            ancestors: placed
                .ancestors
                .iter()
                .map(|&a| shifted(edits, a))
                .collect(),
            value: placed.value,
            style: placed.style,
        };
        if !after.contains(&moved) {
            return Some(placed.start);
        }
    }
    None
}

/// Scalar span lengths, in the same order as [`scalars`].
fn spans_of(node: &Node, out: &mut Vec<usize>) {
    match &node.kind {
        NodeKind::Scalar(_) => out.push(node.span.len()),
        NodeKind::Mapping(entries) => {
            for e in entries {
                spans_of(&e.key, out);
                spans_of(&e.value, out);
            }
        }
        NodeKind::Sequence(items) => items.iter().for_each(|i| spans_of(i, out)),
        NodeKind::Alias => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::edit::apply;
    use crate::manifest::parse_stream;

    fn lost(text: &str, edits: &[Edit]) -> Option<usize> {
        let new = apply(text, edits).unwrap();
        let old_docs = parse_stream(text).unwrap();
        let new_docs = parse_stream(&new).unwrap();
        first_lost(&old_docs, &new_docs, edits)
    }

    #[test]
    fn intended_edits_pass() {
        let text = "a:\n  b: 1\nc: Opaque\n";
        let at = text.find("Opaque").unwrap();
        assert_eq!(lost(text, &[Edit::replace(at..at + 6, "x/y")]), None);
        assert_eq!(lost(text, &[Edit::insert(10, "  k: v\n")]), None);
    }

    #[test]
    fn captured_lines_and_changed_values_are_caught() {
        // Inserted at the wrong indentation: `c: 2` becomes text of `k`.
        let text = "a:\n  b: 1\n  c: 2\n";
        assert_eq!(lost(text, &[Edit::insert(10, "k: |\n")]), Some(12));
        // Sequence items moved under a new key.
        let text = "a:\n- 1\n- 2\n";
        assert_eq!(lost(text, &[Edit::insert(3, "k:\n")]), Some(5));
        // A kept block scalar loses its trailing lines.
        let text = "a: |+\n  x\n\nb: 1\n";
        let at = text.find("\nb").unwrap();
        assert!(lost(text, &[Edit::insert(at - 1, "k: v\n")]).is_some());
    }
}
