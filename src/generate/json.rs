//! `kubectl ... -o json`: Go's `json.MarshalIndent` with four spaces over the
//! typed Secret, so fields come in struct order (kind, apiVersion, metadata,
//! data, type; metadata: name, namespace, creationTimestamp, labels,
//! annotations) and map keys sorted bytewise.

use super::{Dialect, Secret};
use crate::gocompat::json::write_string;

fn indent(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    out.extend(std::iter::repeat_n(b' ', depth * 4));
}

fn member(out: &mut Vec<u8>, depth: usize, first: &mut bool, key: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    indent(out, depth);
    write_string(out, key.as_bytes());
    out.extend_from_slice(b": ");
}

fn string_map(out: &mut Vec<u8>, depth: usize, entries: &[(String, String)]) {
    let mut sorted: Vec<&(String, String)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.push(b'{');
    let mut first = true;
    for (k, v) in sorted {
        member(out, depth + 1, &mut first, k);
        write_string(out, v.as_bytes());
    }
    indent(out, depth);
    out.push(b'}');
}

pub fn render(secret: &Secret, dialect: Dialect) -> Vec<u8> {
    let mut out = Vec::with_capacity(secret.payload.len() * 2 + 512);
    out.push(b'{');
    let mut first = true;
    member(&mut out, 1, &mut first, "kind");
    write_string(&mut out, b"Secret");
    member(&mut out, 1, &mut first, "apiVersion");
    write_string(&mut out, b"v1");
    member(&mut out, 1, &mut first, "metadata");
    {
        out.push(b'{');
        let mut first = true;
        member(&mut out, 2, &mut first, "name");
        write_string(&mut out, secret.name.as_bytes());
        if let Some(ns) = &secret.namespace {
            member(&mut out, 2, &mut first, "namespace");
            write_string(&mut out, ns.as_bytes());
        }
        if dialect == Dialect::Legacy {
            member(&mut out, 2, &mut first, "creationTimestamp");
            out.extend_from_slice(b"null");
        }
        if !secret.labels.is_empty() {
            member(&mut out, 2, &mut first, "labels");
            string_map(&mut out, 2, &secret.labels);
        }
        if !secret.annotations.is_empty() {
            member(&mut out, 2, &mut first, "annotations");
            string_map(&mut out, 2, &secret.annotations);
        }
        indent(&mut out, 1);
        out.push(b'}');
    }
    member(&mut out, 1, &mut first, "data");
    {
        out.push(b'{');
        let mut first = true;
        member(&mut out, 2, &mut first, secret.kind.data_key());
        write_string(&mut out, secret.encoded_payload().as_bytes());
        indent(&mut out, 1);
        out.push(b'}');
    }
    member(&mut out, 1, &mut first, "type");
    write_string(&mut out, secret.kind.secret_type().as_bytes());
    out.extend_from_slice(b"\n}\n");
    out
}
