//! How a YAML file is laid out where an edit goes: line breaks (LF or CRLF),
//! the column a mapping's keys start at, whether block sequences are
//! indented under their key, flow or block style. Edits copy what the file
//! already does instead of imposing a style.

use crate::manifest::{Node, NodeKind};

/// Start of the line holding `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    memchr::memrchr(b'\n', before).map_or(0, |i| i + 1)
}

/// Start of the line after the one holding `offset`, `None` on the last line.
pub fn next_line_start(text: &str, offset: usize) -> Option<usize> {
    let after = text.as_bytes().get(offset..)?;
    memchr::memchr(b'\n', after).map(|i| offset + i + 1)
}

/// The column (in bytes: indentation is ASCII) of `offset`.
pub fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset).min(offset)
}

/// Whether only spaces and sequence dashes (`- `) come before `offset` on
/// its line: a block key there can be repeated at the same column.
pub fn starts_its_line(text: &str, offset: usize) -> bool {
    let start = line_start(text, offset);
    text.get(start..offset)
        .is_some_and(|prefix| prefix.bytes().all(|b| b == b' ' || b == b'-'))
}

/// The line break the file uses near `offset`: that line's own, else the
/// file's first, else LF.
pub fn line_break(text: &str, offset: usize) -> &'static str {
    let bytes = text.as_bytes();
    let first_newline =
        |from: usize| memchr::memchr(b'\n', bytes.get(from..).unwrap_or(&[])).map(|i| from + i);
    let at = first_newline(line_start(text, offset)).or_else(|| first_newline(0));
    match at {
        Some(i) if i > 0 && bytes.get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// A collection written in flow style (`{...}`, `[...]`).
pub fn is_flow(text: &str, node: &Node) -> bool {
    matches!(
        text.as_bytes().get(node.span.start),
        Some(b'{') | Some(b'[')
    )
}

/// How far block sequences under a key are indented past the key: 0 for
/// `key:\n- item` (kubectl's style), 2 for `key:\n  - item`. Taken from the
/// first such sequence in `near`, then in `root`; `None` when neither has one.
pub fn sequence_offset(text: &str, near: &Node, root: &Node) -> Option<usize> {
    find_sequence_offset(text, near, 0).or_else(|| find_sequence_offset(text, root, 0))
}

fn find_sequence_offset(text: &str, node: &Node, depth: usize) -> Option<usize> {
    if depth > 64 {
        return None;
    }
    match &node.kind {
        NodeKind::Mapping(entries) if !is_flow(text, node) => entries.iter().find_map(|e| {
            let value = &e.value;
            let block_sequence = matches!(value.kind, NodeKind::Sequence(ref items) if !items.is_empty())
                && !is_flow(text, value);
            if block_sequence && starts_its_line(text, e.key.span.start) {
                let key = column(text, e.key.span.start);
                if let Some(dash) = value.items().first().and_then(|i| dash_column(text, i)) {
                    if dash >= key {
                        return Some(dash - key);
                    }
                }
            }
            find_sequence_offset(text, value, depth + 1)
        }),
        NodeKind::Sequence(items) => items
            .iter()
            .find_map(|i| find_sequence_offset(text, i, depth + 1)),
        _ => None,
    }
}

/// The column of the `- ` that starts a block sequence item (the item's
/// own span starts after it).
fn dash_column(text: &str, item: &Node) -> Option<usize> {
    let start = line_start(text, item.span.start);
    let prefix = text.get(start..item.span.start)?;
    if !prefix.bytes().all(|b| b == b' ' || b == b'-') {
        return None;
    }
    prefix.rfind('-')
}

/// How far a nested block mapping's keys sit past its parent key (2 or 4
/// in practice), from the first nested block mapping in `root`.
pub fn mapping_step(text: &str, root: &Node) -> Option<usize> {
    find_mapping_step(text, root, 0)
}

fn find_mapping_step(text: &str, node: &Node, depth: usize) -> Option<usize> {
    if depth > 64 {
        return None;
    }
    match &node.kind {
        NodeKind::Mapping(entries) if !is_flow(text, node) => entries.iter().find_map(|e| {
            let value = &e.value;
            if let Some(first) = value.entries().first() {
                if !is_flow(text, value)
                    && starts_its_line(text, e.key.span.start)
                    && starts_its_line(text, first.key.span.start)
                {
                    let parent = column(text, e.key.span.start);
                    let child = column(text, first.key.span.start);
                    if child > parent {
                        return Some(child - parent);
                    }
                }
            }
            find_mapping_step(text, value, depth + 1)
        }),
        NodeKind::Sequence(items) => items
            .iter()
            .find_map(|i| find_mapping_step(text, i, depth + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::parse_stream;

    fn root(text: &str) -> Node<'_> {
        parse_stream(text).unwrap()[0].root.clone().unwrap()
    }

    #[test]
    fn line_breaks_follow_the_file() {
        assert_eq!(line_break("a: 1\r\nb: 2\r\n", 7), "\r\n");
        assert_eq!(line_break("a: 1\nb: 2", 7), "\n");
        // Last line without a break: the file's first one decides.
        assert_eq!(line_break("a: 1\r\nb: 2", 8), "\r\n");
        assert_eq!(line_break("a: 1", 2), "\n");
    }

    #[test]
    fn sequence_styles_are_read() {
        let kubectl = "spec:\n  containers:\n  - name: a\n";
        let r = root(kubectl);
        assert_eq!(sequence_offset(kubectl, &r, &r), Some(0));
        let indented = "spec:\n    containers:\n        - name: a\n";
        let r = root(indented);
        assert_eq!(sequence_offset(indented, &r, &r), Some(4));
        assert_eq!(mapping_step(indented, &r), Some(4));
        let flow = "spec: {containers: [{name: a}]}\n";
        let r = root(flow);
        assert_eq!(sequence_offset(flow, &r, &r), None);
    }

    #[test]
    fn columns_and_lines() {
        let text = "a:\n  - b: 1\n    c: 2\n";
        let c = text.find("c:").unwrap();
        assert_eq!(column(text, c), 4);
        assert!(starts_its_line(text, c));
        assert!(starts_its_line(text, text.find("b:").unwrap()));
        assert!(!starts_its_line(text, text.find('1').unwrap()));
        assert_eq!(next_line_start(text, 0), Some(3));
        assert_eq!(next_line_start("x", 0), None);
    }
}
