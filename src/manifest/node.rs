//! The parsed tree: every key and value with its byte span in the file.
//!
//! A tree borrows the text it was read from (`'t`): a scalar whose value is
//! its text (plain, or quoted without escapes) is a slice of it, not a copy;
//! only values that differ from their text (escapes, folding, block
//! scalars) own a `String`.

use std::borrow::Cow;
use std::ops::Range;

/// How a scalar was written; it decides how go-yaml v2 types it and whether
/// an offset inside its value maps straight back to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// The type go-yaml v2 (what Kubernetes reads YAML with) gives a scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    Str,
    Bool,
    Int,
    Float,
    Null,
}

impl ScalarType {
    pub fn describe(self) -> &'static str {
        match self {
            ScalarType::Str => "a string",
            ScalarType::Bool => "a boolean",
            ScalarType::Int => "an integer",
            ScalarType::Float => "a number",
            ScalarType::Null => "null",
        }
    }
}

#[derive(Clone, PartialEq)]
pub struct Scalar<'t> {
    /// The value after YAML unescaping and folding: borrowed from the text
    /// when it is the text.
    pub value: Cow<'t, str>,
    pub style: Style,
    pub ty: ScalarType,
}

// Values may be secrets: never print them.
impl std::fmt::Debug for Scalar<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scalar")
            .field("len", &self.value.len())
            .field("style", &self.style)
            .field("ty", &self.ty)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind<'t> {
    Scalar(Scalar<'t>),
    Mapping(Vec<Entry<'t>>),
    Sequence(Vec<Node<'t>>),
    /// `*name`: not expanded (so no alias bomb), opaque to the rules.
    Alias,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'t> {
    pub key: Node<'t>,
    pub value: Node<'t>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'t> {
    /// Byte range in the file, quotes and block headers included.
    pub span: Range<usize>,
    pub kind: NodeKind<'t>,
}

impl<'t> Node<'t> {
    /// The same tree owning every value: for a tree read from a text that
    /// does not outlive it (a repaired copy of the file).
    pub fn into_owned(self) -> Node<'static> {
        let kind = match self.kind {
            NodeKind::Scalar(s) => NodeKind::Scalar(Scalar {
                value: Cow::Owned(s.value.into_owned()),
                style: s.style,
                ty: s.ty,
            }),
            NodeKind::Mapping(entries) => NodeKind::Mapping(
                entries
                    .into_iter()
                    .map(|e| Entry {
                        key: e.key.into_owned(),
                        value: e.value.into_owned(),
                    })
                    .collect(),
            ),
            NodeKind::Sequence(items) => {
                NodeKind::Sequence(items.into_iter().map(Node::into_owned).collect())
            }
            NodeKind::Alias => NodeKind::Alias,
        };
        Node {
            span: self.span,
            kind,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar<'t>> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The value when this is a scalar that go-yaml reads as a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) if s.ty == ScalarType::Str => Some(s.value.as_ref()),
            _ => None,
        }
    }

    /// The scalar's text whatever its YAML type (keys, names: Kubernetes
    /// turns them into strings anyway).
    pub fn text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.value.as_ref())
    }

    /// An optional string field as Kubernetes reads it (`metadata.namespace`,
    /// a kustomization's `namespace:`): null and empty mean unset.
    pub fn said(&self) -> Option<&str> {
        let scalar = self.as_scalar()?;
        (scalar.ty != ScalarType::Null && !scalar.value.is_empty()).then_some(scalar.value.as_ref())
    }

    pub fn entries(&self) -> &[Entry<'t>] {
        match &self.kind {
            NodeKind::Mapping(e) => e,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node<'t>] {
        match &self.kind {
            NodeKind::Sequence(items) => items,
            _ => &[],
        }
    }

    pub fn is_mapping(&self) -> bool {
        matches!(self.kind, NodeKind::Mapping(_))
    }

    /// The entry under `key` (the last one when duplicated, as go-yaml keeps).
    pub fn entry(&self, key: &str) -> Option<&Entry<'t>> {
        self.entries()
            .iter()
            .rev()
            .find(|e| e.key.text() == Some(key))
    }

    pub fn get(&self, key: &str) -> Option<&Node<'t>> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node<'t>> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// A short name of what this node is, for messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(s) => s.ty.describe(),
            NodeKind::Mapping(_) => "a mapping",
            NodeKind::Sequence(_) => "a list",
            NodeKind::Alias => "an alias",
        }
    }
}
