//! A Secret as the API server sees it: `data` (base64, decoded the Go way)
//! and `stringData` (verbatim), each value with its key and span.

use zeroize::Zeroize;

use super::node::{Entry, Node, NodeKind, ScalarType};
use super::object::Object;
use crate::gocompat::base64::{self, CorruptInput, Padding};

pub const DOCKERCONFIGJSON_TYPE: &str = "kubernetes.io/dockerconfigjson";
pub const DOCKERCFG_TYPE: &str = "kubernetes.io/dockercfg";
pub const DOCKERCONFIGJSON_KEY: &str = ".dockerconfigjson";
pub const DOCKERCFG_KEY: &str = ".dockercfg";

/// Decoded Secret bytes: wiped on drop, never printed.
#[derive(Clone, Default)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for SecretBytes {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretBytes({} bytes, redacted)", self.0.len())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Data,
    StringData,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Data => "data",
            Field::StringData => "stringData",
        }
    }
}

/// What a value holds once read the API server's way.
#[derive(Debug, Clone)]
pub enum Content {
    /// The bytes the Secret stores (decoded `data`, or `stringData` as is).
    Bytes(SecretBytes),
    /// A `data` value Go's base64 rejects.
    NotBase64(CorruptInput),
    /// Not a string for go-yaml (number, bool, null, mapping, list).
    NotString,
    /// A template expression (`{{ ... }}`), a SOPS `ENC[...]` value or an
    /// alias: its real content is not in the file.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct DataValue<'a> {
    pub field: Field,
    pub key: &'a Node<'a>,
    pub value: &'a Node<'a>,
    pub content: Content,
}

impl DataValue<'_> {
    pub fn key_text(&self) -> &str {
        self.key.text().unwrap_or("")
    }

    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Bytes(b) => Some(b.expose()),
            _ => None,
        }
    }
}

/// A `kind: Secret` object with its values read.
#[derive(Debug)]
pub struct SecretView<'a> {
    pub object: &'a Object<'a>,
    /// The whole file, for mapping offsets inside values.
    pub source: &'a str,
    pub name: Option<&'a Node<'a>>,
    /// The `type` value (`None` when absent: the API server uses Opaque).
    pub secret_type: Option<&'a Node<'a>>,
    pub data: Vec<DataValue<'a>>,
    pub string_data: Vec<DataValue<'a>>,
    /// The `data` and `stringData` entries themselves (key + value).
    pub data_entry: Option<&'a Entry<'a>>,
    pub string_data_entry: Option<&'a Entry<'a>>,
}

impl<'a> SecretView<'a> {
    /// `None` unless `object` is a core Secret.
    pub fn new(object: &'a Object<'a>, source: &'a str) -> Option<Self> {
        if !object.is_core("Secret") {
            return None;
        }
        let node = object.node;
        let encrypted = object.encrypted;
        let data_entry = node.entry("data");
        let string_data_entry = node.entry("stringData");
        let values = |entry: Option<&'a Entry<'a>>, field| {
            entry
                .map(|e| e.value.entries())
                .unwrap_or_default()
                .iter()
                .map(|e| DataValue {
                    field,
                    key: &e.key,
                    value: &e.value,
                    content: read_content(&e.value, field, encrypted, source),
                })
                .collect::<Vec<_>>()
        };
        Some(SecretView {
            object,
            source,
            name: node.path(&["metadata", "name"]),
            secret_type: node.get("type"),
            data: values(data_entry, Field::Data),
            string_data: values(string_data_entry, Field::StringData),
            data_entry,
            string_data_entry,
        })
    }

    /// The type as the API server defaults it.
    pub fn type_name(&self) -> &str {
        self.secret_type.and_then(Node::text).unwrap_or("Opaque")
    }

    /// `data` then `stringData` values.
    pub fn values(&self) -> impl Iterator<Item = &DataValue<'a>> {
        self.data.iter().chain(self.string_data.iter())
    }

    /// The value the API server stores under `key`: stringData wins.
    pub fn effective(&self, key: &str) -> Option<&DataValue<'a>> {
        let in_string_data = self.string_data.iter().rev().find(|v| v.key_text() == key);
        in_string_data.or_else(|| self.data.iter().rev().find(|v| v.key_text() == key))
    }

    /// The file offset of byte `n` of a value, if it maps exactly.
    pub fn value_offset(&self, value: &Node, n: usize) -> Option<usize> {
        super::scalar_offset::value_offset(self.source, value, n)
    }
}

fn read_content(value: &Node, field: Field, encrypted: bool, source: &str) -> Content {
    // `key: {{ .Values.x }}` parses as a flow mapping: a template, not data.
    let written = source.get(value.span.clone()).unwrap_or("");
    if written.contains("{{") || written.contains("${") {
        return Content::Unknown;
    }
    let NodeKind::Scalar(scalar) = &value.kind else {
        return match value.kind {
            NodeKind::Alias => Content::Unknown,
            _ => Content::NotString,
        };
    };
    // Go's encoding/json leaves a null as an empty value without error
    // (checked with Go): `key:` and `key: ~` are accepted, and empty.
    if scalar.ty == ScalarType::Null {
        return Content::Bytes(SecretBytes::default());
    }
    if scalar.ty != ScalarType::Str {
        return Content::NotString;
    }
    let text: &str = &scalar.value;
    if encrypted || text.starts_with("ENC[") || text.contains("{{") {
        return Content::Unknown;
    }
    match field {
        Field::StringData => Content::Bytes(SecretBytes::new(text.as_bytes().to_vec())),
        Field::Data => match base64::decode(text.as_bytes(), Padding::Required) {
            Ok(bytes) => Content::Bytes(SecretBytes::new(bytes)),
            Err(e) => Content::NotBase64(e),
        },
    }
}
