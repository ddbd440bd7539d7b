//! `kubectl ... -o json`: Go's `json.MarshalIndent` with four spaces over the
//! typed Secret, so fields come in struct order (kind, apiVersion, metadata,
//! data, type; metadata: name, namespace, creationTimestamp, labels,
//! annotations) and map keys sorted bytewise.

use super::{Dialect, Meta, Secret};
use crate::gocompat::json::Indented;

/// An object's `metadata` in `ObjectMeta`'s struct order: name, namespace,
/// creationTimestamp (legacy dialect), labels, annotations.
pub fn metadata(j: &mut Indented, meta: &Meta<'_>, dialect: Dialect) {
    j.key("metadata");
    j.open();
    j.key("name");
    j.string(meta.name.as_bytes());
    if let Some(ns) = meta.namespace {
        j.key("namespace");
        j.string(ns.as_bytes());
    }
    if dialect == Dialect::Legacy {
        j.key("creationTimestamp");
        j.raw(b"null");
    }
    if !meta.labels.is_empty() {
        j.key("labels");
        j.string_map(meta.labels);
    }
    if !meta.annotations.is_empty() {
        j.key("annotations");
        j.string_map(meta.annotations);
    }
    j.close();
}

pub fn render(secret: &Secret, dialect: Dialect) -> Vec<u8> {
    let mut j = Indented::new(4, secret.payload.len() * 2 + 512);
    j.key("kind");
    j.string(b"Secret");
    j.key("apiVersion");
    j.string(b"v1");
    metadata(&mut j, &secret.meta(), dialect);
    j.key("data");
    j.open();
    j.key(secret.kind.data_key());
    j.string(secret.encoded_payload().as_bytes());
    j.close();
    j.key("type");
    j.string(secret.kind.secret_type().as_bytes());
    j.finish()
}
