//! From a reported finding back to the nodes a fix edits: its (line,
//! column) to a byte offset, the object holding it, the pod spec around it.

use crate::lint::outcome::Position;
use crate::lint::position::LineIndex;
use crate::manifest::{Node, NodeKind, Object};

/// The byte offset of a 1-based (line, column in characters) position in
/// `bytes`, `None` when it is not in the file.
pub fn offset_of(bytes: &[u8], lines: &LineIndex, at: Position) -> Option<usize> {
    let line = at.line.checked_sub(1)?;
    let range = lines.line_range(bytes, line);
    if lines.line_of(range.start) != line {
        return None;
    }
    let line_bytes = bytes.get(range.clone())?;
    let mut chars = 0;
    for (i, &b) in line_bytes.iter().enumerate() {
        if (b & 0xC0) != 0x80 {
            chars += 1;
            if chars == at.column {
                return Some(range.start + i);
            }
        }
    }
    // Just past the line's last character.
    (chars + 1 == at.column).then_some(range.end)
}

/// The innermost object whose span holds `offset`.
pub fn object_at<'o, 'a>(objects: &'o [Object<'a>], offset: usize) -> Option<&'o Object<'a>> {
    objects
        .iter()
        .filter(|o| o.node.span.contains(&offset))
        .min_by_key(|o| o.node.span.len())
}

/// Whether a mapping is a pod spec: it has `containers`.
pub fn is_pod_spec(node: &Node) -> bool {
    node.is_mapping() && node.get("containers").is_some()
}

/// The innermost pod spec (a mapping with `containers`) under `node` whose
/// span holds `offset`.
pub fn pod_spec_at(node: &Node, offset: usize) -> Option<&Node> {
    let mut found = None;
    let mut current = node;
    // Descend through whichever child holds the offset; depth is bounded
    // by the parser's own nesting limit.
    for _ in 0..crate::manifest::yaml::MAX_DEPTH {
        if is_pod_spec(current) {
            found = Some(current);
        }
        let next = match &current.kind {
            NodeKind::Mapping(entries) => entries
                .iter()
                .map(|e| &e.value)
                .find(|v| v.span.contains(&offset)),
            NodeKind::Sequence(items) => items.iter().find(|v| v.span.contains(&offset)),
            _ => None,
        };
        match next {
            Some(n) => current = n,
            None => break,
        }
    }
    found
}

/// Every pod spec under `node` (a workload's template, a CronJob's job
/// template, a Pod's own spec), outermost first.
pub fn pod_specs(node: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    collect_pod_specs(node, &mut out, 0);
    out
}

fn collect_pod_specs<'n>(node: &'n Node, out: &mut Vec<&'n Node>, depth: usize) {
    if depth > 64 {
        return;
    }
    if is_pod_spec(node) {
        out.push(node);
        return;
    }
    for e in node.entries() {
        collect_pod_specs(&e.value, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{objects, parse_stream};

    #[test]
    fn positions_map_back_to_bytes() {
        let text = "a: é\nbé: x\n";
        let bytes = text.as_bytes();
        let lines = LineIndex::new(bytes);
        for offset in [0, 3, 6, 9, 10] {
            let (line, column) = lines.position(bytes, offset);
            assert_eq!(
                offset_of(bytes, &lines, Position { line, column }),
                Some(offset)
            );
        }
        assert_eq!(
            offset_of(bytes, &lines, Position { line: 9, column: 1 }),
            None
        );
        assert_eq!(
            offset_of(bytes, &lines, Position { line: 1, column: 9 }),
            None
        );
    }

    #[test]
    fn pod_specs_are_found_by_offset() {
        let text = "kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - image: reg.corp/app\n";
        let docs = parse_stream(text).unwrap();
        let objs = objects(&docs);
        let at = text.find("reg.corp").unwrap();
        let object = object_at(&objs, at).unwrap();
        let spec = pod_spec_at(object.node, at).unwrap();
        assert_eq!(spec.span.start, text.find("containers").unwrap());
        assert_eq!(pod_specs(object.node).len(), 1);
        assert!(pod_spec_at(object.node, 0).is_none());
    }
}
