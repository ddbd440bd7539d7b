//! A YAML tree that keeps every scalar as written: its text and whether it
//! was plain or quoted. Items a KRM function passes through must come out
//! meaning exactly what went in (`"8080"` stays a string, `8080` a number,
//! `yes` stays whatever the next YAML reader makes of a plain `yes`), so
//! scalars are never resolved to types here, only copied.

use std::fmt::Write as _;

use saphyr::{ScalarStyle, Yaml, YamlLoader};
use saphyr_parser::Parser;

/// One scalar, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    /// Plain scalars are typed by the reader (`8080`, `true`, `null`);
    /// quoted and block scalars are always strings.
    pub plain: bool,
    /// An explicit tag (`!!str`), as its full name.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    /// Keys are scalars; their order is kept.
    Mapping(Vec<(String, Node)>),
}

#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("not valid YAML: {0}")]
    Syntax(String),
    #[error("expected one YAML document, found {0}")]
    Documents(usize),
    #[error("a mapping key that is not a scalar is not supported")]
    ComplexKey,
    #[error("an unresolved YAML alias is not supported")]
    Alias,
}

impl Node {
    pub fn string(text: impl Into<String>) -> Node {
        Node::Scalar(Scalar {
            text: text.into(),
            plain: false,
            tag: None,
        })
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Mapping(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Follows `path` through mappings.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The text of a scalar (any style).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// A plain `null`, `~` or empty scalar: what YAML readers take as null.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(s) if s.plain && s.tag.is_none() && matches!(s.text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn entries(&self) -> Option<&[(String, Node)]> {
        match self {
            Node::Mapping(e) => Some(e),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Node]> {
        match self {
            Node::Sequence(i) => Some(i),
            _ => None,
        }
    }
}

fn from_yaml(y: Yaml<'_>) -> Result<Node, NodeError> {
    Ok(match y {
        Yaml::Representation(text, style, tag) => Node::Scalar(Scalar {
            text: text.into_owned(),
            plain: style == ScalarStyle::Plain,
            tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
        }),
        Yaml::Value(v) => Node::string(format!("{v:?}")),
        Yaml::Sequence(items) => {
            Node::Sequence(items.into_iter().map(from_yaml).collect::<Result<_, _>>()?)
        }
        Yaml::Mapping(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = match from_yaml(k)? {
                    Node::Scalar(s) => s.text,
                    _ => return Err(NodeError::ComplexKey),
                };
                entries.push((key, from_yaml(v)?));
            }
            Node::Mapping(entries)
        }
        // A tag on a collection (`!!map`) says nothing the structure does not.
        Yaml::Tagged(_, inner) => from_yaml(*inner)?,
        Yaml::Alias(_) | Yaml::BadValue => return Err(NodeError::Alias),
    })
}

/// Parses one YAML (or JSON) document, keeping scalars as written.
pub fn parse(text: &str) -> Result<Node, NodeError> {
    let mut parser = Parser::new_from_str(text);
    let mut loader: YamlLoader<'_, Yaml<'_>> = YamlLoader::default();
    loader.early_parse(false);
    parser
        .load(&mut loader, true)
        .map_err(|e| NodeError::Syntax(e.to_string()))?;
    if let Some(e) = loader.error() {
        return Err(NodeError::Syntax(e.to_string()));
    }
    let mut docs = loader.into_documents();
    if docs.len() != 1 {
        return Err(NodeError::Documents(docs.len()));
    }
    match docs.pop() {
        Some(doc) => from_yaml(doc),
        None => Err(NodeError::Documents(0)),
    }
}

/// Parses a stream of YAML documents (`---` separated).
pub fn parse_stream(text: &str) -> Result<Vec<Node>, NodeError> {
    let mut parser = Parser::new_from_str(text);
    let mut loader: YamlLoader<'_, Yaml<'_>> = YamlLoader::default();
    loader.early_parse(false);
    parser
        .load(&mut loader, true)
        .map_err(|e| NodeError::Syntax(e.to_string()))?;
    if let Some(e) = loader.error() {
        return Err(NodeError::Syntax(e.to_string()));
    }
    loader.into_documents().into_iter().map(from_yaml).collect()
}

/// A double-quoted YAML string. JSON's escaping is valid YAML; U+0085,
/// U+2028 and U+2029 are escaped too because YAML 1.1 readers take them as
/// line breaks.
fn quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn scalar(out: &mut String, s: &Scalar) {
    if let Some(tag) = &s.tag {
        let _ = write!(out, "!<{tag}> ");
    }
    // A plain scalar is copied as written, so the next reader types it as
    // the first did. Folding can leave a line break in a plain scalar's
    // value; such a value is a string, so quoting it keeps its meaning.
    let plain_ok = s.plain && !s.text.contains('\n') && s.text.trim() == s.text;
    if plain_ok {
        out.push_str(&s.text);
    } else if s.plain && s.text.is_empty() {
        // Nothing: an empty plain scalar is null.
    } else {
        quoted(out, &s.text);
    }
}

fn key(out: &mut String, k: &str) {
    let simple = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
        && k.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    // Keys that a YAML reader could type (`true`, `123`) stay strings.
    let typed = matches!(
        k,
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "True" | "False"
    ) || k.parse::<f64>().is_ok();
    if simple && !typed {
        out.push_str(k);
    } else {
        quoted(out, k);
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn is_empty_collection(n: &Node) -> bool {
    matches!(n, Node::Sequence(i) if i.is_empty()) || matches!(n, Node::Mapping(e) if e.is_empty())
}

/// Writes `node` as the value of a mapping key or sequence entry; `indent`
/// is the column of the parent's entries.
fn value(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Scalar(s) => {
            let start = out.len();
            out.push(' ');
            scalar(out, s);
            if out.len() == start + 1 {
                out.truncate(start);
            }
            out.push('\n');
        }
        Node::Sequence(items) if items.is_empty() => out.push_str(" []\n"),
        Node::Mapping(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Node::Sequence(_) => {
            // Sequences under a key are not indented, as kubectl writes them.
            out.push('\n');
            block(out, node, indent);
        }
        Node::Mapping(_) => {
            out.push('\n');
            block(out, node, indent + 2);
        }
    }
}

/// Writes a collection in block style with its entries at column `indent`.
fn block(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Mapping(entries) => {
            for (k, v) in entries {
                pad(out, indent);
                key(out, k);
                out.push(':');
                value(out, v, indent);
            }
        }
        Node::Sequence(items) => {
            for item in items {
                pad(out, indent);
                out.push('-');
                match item {
                    Node::Mapping(entries) if !entries.is_empty() => {
                        // The first entry shares the dash's line.
                        let mut first = String::new();
                        block(&mut first, item, indent + 2);
                        out.push(' ');
                        out.push_str(first.get(indent + 2..).unwrap_or(""));
                    }
                    Node::Sequence(inner) if !inner.is_empty() => {
                        out.push('\n');
                        block(out, item, indent + 2);
                    }
                    _ if is_empty_collection(item) => value(out, item, indent),
                    _ => value(out, item, indent),
                }
            }
        }
        Node::Scalar(s) => {
            pad(out, indent);
            scalar(out, s);
            out.push('\n');
        }
    }
}

/// The document as block YAML, ending with a newline.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Mapping(e) if !e.is_empty() => block(&mut out, node, 0),
        Node::Sequence(i) if !i.is_empty() => block(&mut out, node, 0),
        Node::Mapping(_) => out.push_str("{}\n"),
        Node::Sequence(_) => out.push_str("[]\n"),
        Node::Scalar(s) => {
            scalar(&mut out, s);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_scalar_styles() {
        let src = "a: 8080\nb: \"8080\"\nc: 'yes'\nd: yes\ne:\nf: |\n  two\n  lines\ng: [1, {h: i}]\nj: {}\nk: []\n\"8\": x\nl:\n- - 1\n  - 2\n- {}\n- m: n\n  o: p\n";
        let node = parse(src).unwrap();
        let out = to_yaml(&node);
        assert_eq!(
            out,
            "a: 8080\nb: \"8080\"\nc: \"yes\"\nd: yes\ne:\nf: \"two\\nlines\\n\"\ng:\n- 1\n- h: i\nj: {}\nk: []\n\"8\": x\nl:\n-\n  - 1\n  - 2\n- {}\n- m: n\n  o: p\n"
        );
        assert_eq!(parse(&out).unwrap(), {
            // Block scalars become quoted: same value, still a string.
            let mut n = node.clone();
            if let Node::Mapping(e) = &mut n {
                for (k, v) in e.iter_mut() {
                    if k == "c" || k == "f" {
                        if let Node::Scalar(s) = v {
                            s.plain = false;
                        }
                    }
                }
            }
            n
        });
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        assert!(parse("a: [").is_err());
        assert!(parse("? [a]\n: b\n").is_err());
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
        assert_eq!(parse_stream("a: 1\n---\nb: 2\n").unwrap().len(), 2);
    }
}
