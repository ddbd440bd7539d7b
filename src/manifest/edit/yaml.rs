//! YAML-aware edit builders over the spanned tree: replace a scalar (keeping
//! its quoting), add an entry to a mapping (block or flow, at the file's
//! indentation, with its line breaks). Each returns byte-offset [`Edit`]s;
//! nothing else of the file changes.

use super::layout::{
    column, is_flow, line_break, next_line_start, sequence_offset, starts_its_line,
};
use super::scalar::{double_quoted, render};
use super::Edit;
use crate::manifest::{Entry, Node, NodeKind, Style};

/// A value to write under a new key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    Scalar(String),
    /// A list of small mappings of strings, e.g. `[{name: regcred}]`.
    MappingList(Vec<Vec<(String, String)>>),
}

/// Why an edit cannot be built without risking the file's meaning.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlEditError {
    #[error("the value is not a scalar")]
    NotScalar,
    #[error(
        "the mapping is neither a block mapping with keys on their own lines nor a flow mapping"
    )]
    UnknownMappingLayout,
    #[error("the mapping's last value is a block scalar that keeps trailing lines (`|+`)")]
    KeptTrailingLines,
}

/// Replaces a scalar node's text by `value`, in the node's quoting style.
pub fn replace_scalar(node: &Node, value: &str) -> Result<Edit, YamlEditError> {
    let Some(scalar) = node.as_scalar() else {
        return Err(YamlEditError::NotScalar);
    };
    Ok(Edit::replace(
        node.span.clone(),
        render(value, scalar.style),
    ))
}

/// Sets an entry's scalar value, keeping its quoting. An empty value
/// (`key:`, whose span saphyr places anywhere near) gets ` value` right
/// after the key's `:`.
pub fn set_value(text: &str, entry: &Entry, value: &str) -> Result<Edit, YamlEditError> {
    let written = text.get(entry.value.span.clone()).unwrap_or("");
    if !written.trim().is_empty() {
        return replace_scalar(&entry.value, value);
    }
    if entry.value.as_scalar().is_none() {
        return Err(YamlEditError::NotScalar);
    }
    let rest = text.get(entry.key.span.end..).unwrap_or("");
    let colon = rest
        .find(|c: char| c != ' ')
        .filter(|&i| rest.as_bytes().get(i) == Some(&b':'))
        .ok_or(YamlEditError::UnknownMappingLayout)?;
    Ok(Edit::insert(
        entry.key.span.end + colon + 1,
        format!(" {}", render(value, Style::Plain)),
    ))
}

/// Where a mapping's keys are written: JSON-like (all keys double-quoted)
/// or YAML.
fn keys_double_quoted(mapping: &Node) -> bool {
    let entries = mapping.entries();
    !entries.is_empty()
        && entries.iter().all(|e| {
            e.key
                .as_scalar()
                .is_some_and(|s| s.style == Style::DoubleQuoted)
        })
}

/// Adds `key: value` as the last entry of `mapping`. `root` is the
/// document, read for the file's sequence indentation.
pub fn append_entry(
    text: &str,
    mapping: &Node,
    root: &Node,
    key: &str,
    value: &NewValue,
) -> Result<Edit, YamlEditError> {
    if is_flow(text, mapping) {
        append_flow_entry(text, mapping, key, value)
    } else {
        append_block_entry(text, mapping, root, key, value)
    }
}

fn flow_value(value: &NewValue, json: bool) -> String {
    let scalar = |s: &str| {
        if json {
            double_quoted(s)
        } else {
            render(s, Style::Plain)
        }
    };
    match value {
        NewValue::Scalar(s) => scalar(s),
        NewValue::MappingList(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|pairs| {
                    let inner: Vec<String> = pairs
                        .iter()
                        .map(|(k, v)| format!("{}: {}", scalar(k), scalar(v)))
                        .collect();
                    format!("{{{}}}", inner.join(", "))
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
    }
}

fn append_flow_entry(
    text: &str,
    mapping: &Node,
    key: &str,
    value: &NewValue,
) -> Result<Edit, YamlEditError> {
    let json = keys_double_quoted(mapping);
    let key_text = if json {
        double_quoted(key)
    } else {
        render(key, Style::Plain)
    };
    let entry = format!("{key_text}: {}", flow_value(value, json));
    let Some(last) = mapping.entries().last() else {
        // `{}`: the entry goes between the braces.
        let close = mapping.span.end.saturating_sub(1);
        if text.as_bytes().get(close) != Some(&b'}') {
            return Err(YamlEditError::UnknownMappingLayout);
        }
        return Ok(Edit::insert(close, entry));
    };
    let end = last.value.span.end.max(last.key.span.end);
    let open_line = super::layout::line_start(text, mapping.span.start);
    let key_line = super::layout::line_start(text, last.key.span.start);
    // A mapping written one entry per line (pretty-printed JSON) gets its
    // new entry on a line of its own, at the last key's column.
    if key_line != open_line && starts_its_line(text, last.key.span.start) {
        let indent = " ".repeat(column(text, last.key.span.start));
        let eol = line_break(text, last.key.span.start);
        return Ok(Edit::insert(end, format!(",{eol}{indent}{entry}")));
    }
    Ok(Edit::insert(end, format!(", {entry}")))
}

/// Whether a block scalar keeps its trailing lines (`|+`, `>+`, `|2+`).
fn keeps_trailing_lines(text: &str, node: &Node) -> bool {
    // The span starts at the content: the header is the last `|` or `>`
    // before it.
    match node.as_scalar().map(|s| s.style) {
        Some(Style::Literal | Style::Folded) => {
            let before = text.get(..node.span.start).unwrap_or("");
            before
                .rfind(['|', '>'])
                .and_then(|at| before.get(at..))
                .and_then(|rest| rest.lines().next())
                .is_some_and(|header| header.split('#').next().unwrap_or("").contains('+'))
        }
        _ => false,
    }
}

/// The last value of a block collection, however deep.
fn deepest_last<'a>(node: &'a Node<'a>) -> &'a Node<'a> {
    let mut node = node;
    for _ in 0..512 {
        let next = match &node.kind {
            NodeKind::Mapping(entries) => entries.last().map(|e| &e.value),
            NodeKind::Sequence(items) => items.last(),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node
}

fn append_block_entry(
    text: &str,
    mapping: &Node,
    root: &Node,
    key: &str,
    value: &NewValue,
) -> Result<Edit, YamlEditError> {
    let (Some(first), Some(last)) = (mapping.entries().first(), mapping.entries().last()) else {
        return Err(YamlEditError::UnknownMappingLayout);
    };
    if !starts_its_line(text, first.key.span.start) {
        return Err(YamlEditError::UnknownMappingLayout);
    }
    if keeps_trailing_lines(text, deepest_last(&last.value)) {
        return Err(YamlEditError::KeptTrailingLines);
    }
    let key_column = column(text, first.key.span.start);
    let indent = " ".repeat(key_column);
    let end = last.value.span.end.max(last.key.span.end);
    let eol = line_break(text, end);
    // After the line holding the last value (its comment included).
    let (at, lead) = match next_line_start(text, end) {
        Some(at) => (at, ""),
        None => (text.len(), eol),
    };
    let key_text = render(key, Style::Plain);
    let mut out = String::from(lead);
    match value {
        NewValue::Scalar(s) => {
            out.push_str(&format!(
                "{indent}{key_text}: {}{eol}",
                render(s, Style::Plain)
            ));
        }
        NewValue::MappingList(items) => {
            let offset = sequence_offset(text, mapping, root).unwrap_or(0);
            let dash = " ".repeat(key_column + offset);
            out.push_str(&format!("{indent}{key_text}:{eol}"));
            for pairs in items {
                for (i, (k, v)) in pairs.iter().enumerate() {
                    let lead = if i == 0 { "- " } else { "  " };
                    out.push_str(&format!(
                        "{dash}{lead}{}: {}{eol}",
                        render(k, Style::Plain),
                        render(v, Style::Plain)
                    ));
                }
            }
        }
    }
    Ok(Edit::insert(at, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::edit::apply;
    use crate::manifest::parse_stream;

    fn with_entry(text: &str, path: &[&str], key: &str, value: NewValue) -> String {
        let docs = parse_stream(text).unwrap();
        let root = docs[0].root.as_ref().unwrap();
        let mapping = root.path(path).unwrap();
        let edit = append_entry(text, mapping, root, key, &value).unwrap();
        let out = apply(text, &[edit]).unwrap();
        parse_stream(&out).unwrap_or_else(|e| panic!("{e:?}\n{out}"));
        out
    }

    fn pull_secrets(name: &str) -> NewValue {
        NewValue::MappingList(vec![vec![("name".into(), name.into())]])
    }

    #[test]
    fn block_entries_follow_the_indentation() {
        let text = "spec:\n  containers:\n  - name: a  # c\n    image: x\n\nother: 1\n";
        assert_eq!(
            with_entry(text, &["spec"], "imagePullSecrets", pull_secrets("s")),
            "spec:\n  containers:\n  - name: a  # c\n    image: x\n  imagePullSecrets:\n  - name: s\n\nother: 1\n"
        );
        let text = "spec:\n    containers:\n        - name: a\n";
        assert_eq!(
            with_entry(text, &["spec"], "imagePullSecrets", pull_secrets("s")),
            "spec:\n    containers:\n        - name: a\n    imagePullSecrets:\n        - name: s\n"
        );
    }

    #[test]
    fn crlf_and_missing_final_break() {
        let text = "a: 1\r\nb: 2";
        assert_eq!(
            with_entry(text, &[], "type", NewValue::Scalar("t".into())),
            "a: 1\r\nb: 2\r\ntype: t\r\n"
        );
    }

    #[test]
    fn flow_mappings_stay_flow() {
        let text = "spec: {containers: [{name: a}]}\n";
        assert_eq!(
            with_entry(text, &["spec"], "imagePullSecrets", pull_secrets("s")),
            "spec: {containers: [{name: a}], imagePullSecrets: [{name: s}]}\n"
        );
        assert_eq!(
            with_entry("a: {}\n", &["a"], "k", NewValue::Scalar("v".into())),
            "a: {k: v}\n"
        );
    }

    #[test]
    fn json_gets_json() {
        let text = "{\n  \"kind\": \"Secret\",\n  \"data\": {}\n}\n";
        assert_eq!(
            with_entry(text, &[], "type", NewValue::Scalar("kubernetes.io/dockercfg".into())),
            "{\n  \"kind\": \"Secret\",\n  \"data\": {},\n  \"type\": \"kubernetes.io/dockercfg\"\n}\n"
        );
        let out = with_entry(
            "{\"spec\": {\"containers\": []}}",
            &["spec"],
            "imagePullSecrets",
            pull_secrets("s"),
        );
        assert_eq!(
            out,
            "{\"spec\": {\"containers\": [], \"imagePullSecrets\": [{\"name\": \"s\"}]}}"
        );
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }

    #[test]
    fn kept_block_scalars_are_refused() {
        let text = "a:\n  b: |+\n    x\n\nc: 1\n";
        let docs = parse_stream(text).unwrap();
        let root = docs[0].root.as_ref().unwrap();
        let a = root.get("a").unwrap();
        assert_eq!(
            append_entry(text, a, root, "k", &NewValue::Scalar("v".into())),
            Err(YamlEditError::KeptTrailingLines)
        );
    }

    #[test]
    fn scalars_keep_their_quotes() {
        let text = "a: 'Opaque'\nb: \"x\"\nc: plain\n";
        let docs = parse_stream(text).unwrap();
        let root = docs[0].root.as_ref().unwrap();
        let edits: Vec<Edit> = ["a", "b", "c"]
            .iter()
            .map(|k| set_value(text, root.entry(k).unwrap(), "new.v/x").unwrap())
            .collect();
        assert_eq!(
            apply(text, &edits).unwrap(),
            "a: 'new.v/x'\nb: \"new.v/x\"\nc: new.v/x\n"
        );
    }

    #[test]
    fn empty_values_get_one() {
        for text in [
            "type:
b: 1
",
            "type: 
b: 1
",
            "type: ~
b: 1
",
        ] {
            let docs = parse_stream(text).unwrap();
            let root = docs[0].root.as_ref().unwrap();
            let edit = set_value(text, root.entry("type").unwrap(), "t").unwrap();
            let out = apply(text, &[edit]).unwrap();
            let docs = parse_stream(&out).unwrap();
            let root = docs[0].root.as_ref().unwrap();
            assert_eq!(root.get("type").unwrap().as_str(), Some("t"), "{out}");
            assert_eq!(root.get("b").unwrap().text(), Some("1"), "{out}");
        }
    }
}
