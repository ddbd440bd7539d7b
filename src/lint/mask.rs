//! Which bytes of a file are secret, so excerpts can mask them.

use std::ops::Range;

use crate::gocompat::json_fold::{fold_name, folds_to};
use crate::gocompat::json_value::{self, Kind};
use crate::manifest::partial::{self, Read};
use crate::manifest::{Document, Node, NodeKind};

/// Keys whose values are credentials wherever they appear, compared as Go's
/// `encoding/json` compares keys with field names (escapes resolved by the
/// parser, then case-folded: `"p\u0061ssword"` and `"paſſword"` are
/// `password` to Go, so they are here).
fn is_secret_key(key: &str) -> bool {
    // Most keys are short ASCII: folded on the stack, not in a String.
    let mut short = [0u8; 32];
    if let Some(folded) = short.get_mut(..key.len()).filter(|_| key.is_ascii()) {
        folded.copy_from_slice(key.as_bytes());
        folded.make_ascii_uppercase();
        return is_secret_folded_key(folded);
    }
    is_secret_folded_key(fold_name(key).as_bytes())
}

/// [`is_secret_key`] of a key already folded.
fn is_secret_folded_key(k: &[u8]) -> bool {
    matches!(
        k,
        b"AUTH"
            | b"PASSWORD"
            | b"PASSWD"
            | b"TOKEN"
            | b"IDENTITYTOKEN"
            | b"REGISTRYTOKEN"
            | b"HTTPHEADERS"
            | b"SECRET"
            | b"APIKEY"
            | b"API_KEY"
            | b"SECRETKEY"
            | b"PRIVATEKEY"
            | b"ENCRYPTEDDATA"
    ) || k.ends_with(b"PASSWORD")
        || k.ends_with(b"TOKEN")
}

/// Keys of a Secret whose every value is secret.
fn is_secret_data_key(key: &str) -> bool {
    folds_to(key, "DATA") || folds_to(key, "STRINGDATA")
}

/// In a parsed manifest: every value under a Secret's `data`/`stringData`
/// (and any `encryptedData`), and any scalar under a credential-like key.
pub fn manifest_masks(docs: &[Document]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for doc in docs {
        if let Some(root) = &doc.root {
            collect(root, false, &mut out, 0);
        }
    }
    out
}

fn collect(node: &Node, secret: bool, out: &mut Vec<Range<usize>>, depth: usize) {
    if depth > 64 {
        out.push(node.span.clone());
        return;
    }
    match &node.kind {
        NodeKind::Scalar(_) | NodeKind::Alias => {
            if secret {
                out.push(node.span.clone());
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                collect(item, secret, out, depth + 1);
            }
        }
        NodeKind::Mapping(entries) => {
            let is_secret_object = entries.iter().any(|e| {
                e.key.text().is_some_and(|k| folds_to(k, "KIND"))
                    && e.value.text().is_some_and(|v| folds_to(v, "SECRET"))
            });
            for e in entries {
                let key = e.key.text().unwrap_or("");
                let hides =
                    secret || is_secret_key(key) || (is_secret_object && is_secret_data_key(key));
                collect(&e.value, hides, out, depth + 1);
            }
        }
    }
}

/// In a Docker config (JSON), decided on what Go decodes: the value of
/// every member whose key Go matches to a credential field (after escapes
/// and case folding), whatever its type. When the JSON does not parse, see
/// [`json_prefix_masks`]. `parsed` is `bytes` as
/// [`json_value::parse`] read them (the lint's own parse, not made twice).
pub fn json_masks(
    bytes: &[u8],
    parsed: Result<&json_value::Document, &json_value::SyntaxError>,
) -> Vec<Range<usize>> {
    let doc = match parsed {
        Ok(doc) => doc,
        Err(e) => return json_prefix_masks(bytes, e.at),
    };
    let mut out = Vec::new();
    for id in doc.ids() {
        for member in doc.members(id) {
            if is_secret_key(doc.key(member)) {
                out.push(json_value_span(doc, member.value));
            }
        }
    }
    out
}

/// A value's span; a string's without its quotes, so they stay readable.
fn json_value_span(doc: &json_value::Document, id: json_value::NodeId) -> Range<usize> {
    let span = doc.span(id);
    match doc.kind(id) {
        Kind::String if span.len() >= 2 => span.start + 1..span.end - 1,
        _ => span,
    }
}

/// JSON that stops parsing at byte `error`: before it the syntax is valid,
/// so its tokens are known, and only object keys (a string followed by
/// `:`) and punctuation stay readable; every value, and everything from
/// the unfinished token at the error on, is masked.
fn json_prefix_masks(bytes: &[u8], error: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < error {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'{' | b'}' | b'[' | b']' | b':' | b',' | b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' => {
                let Some(end) = json_string_end(bytes, i, error) else {
                    out.push(i..bytes.len());
                    return out;
                };
                let next = bytes
                    .get(end..error)
                    .and_then(|rest| rest.iter().find(|c| !c.is_ascii_whitespace()));
                if next != Some(&b':') {
                    out.push(i + 1..end - 1);
                }
                i = end;
            }
            _ => {
                let end = bytes
                    .get(i..error)
                    .and_then(|rest| rest.iter().position(|c| b",:{}[]\" \t\n\r".contains(c)))
                    .map_or(error, |n| i + n);
                out.push(i..end);
                i = end;
            }
        }
    }
    out.push(i.min(bytes.len())..bytes.len());
    out
}

/// The end (after the closing quote) of the JSON string opening at
/// `start`, if it closes before `limit`.
fn json_string_end(bytes: &[u8], start: usize, limit: usize) -> Option<usize> {
    let mut j = start + 1;
    while j < limit {
        match bytes.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// In YAML that does not parse, decided on the structure read before the
/// error ([`partial::read_until_error`]): keys stay readable, and values
/// are masked where a parsed file would mask them, as if every mapping
/// were a Secret (its `kind` may come after the error). Everything after
/// the known part is masked.
pub fn unparsed_masks(text: &str) -> Vec<Range<usize>> {
    let prefix = partial::read_until_error(text);
    let mut out = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    for event in &prefix.events {
        // The role of the node this event starts, from its parent.
        let (hidden, is_key) = match stack.last() {
            None => (true, false),
            Some(o) if o.mapping && o.at_key => (o.hides, true),
            Some(o) if o.mapping => (o.value_hides, false),
            Some(o) => (o.hides, false),
        };
        match event {
            Read::Document => stack.clear(),
            Read::Mapping | Read::Sequence => stack.push(Open {
                mapping: matches!(event, Read::Mapping),
                // A document's root shows its keys and plain values; a
                // collection as a key is not Kubernetes: hide it all.
                hides: (hidden && !stack.is_empty()) || is_key,
                at_key: true,
                value_hides: true,
            }),
            Read::End => {
                stack.pop();
                Open::completed(&mut stack, None);
            }
            Read::Scalar { span, text } => {
                if hidden && !is_key {
                    out.push(span.clone());
                }
                Open::completed(&mut stack, is_key.then_some(text.as_str()));
            }
            Read::Alias { span } => {
                if hidden && !is_key {
                    out.push(span.clone());
                }
                Open::completed(&mut stack, None);
            }
        }
    }
    out.push(prefix.known_end.min(text.len())..text.len());
    out
}

/// An open collection of YAML read before an error.
struct Open {
    mapping: bool,
    /// Every value inside is hidden.
    hides: bool,
    /// In a mapping: the next node is a key.
    at_key: bool,
    /// In a mapping: whether the value after the last key is hidden.
    value_hides: bool,
}

impl Open {
    /// A child of the innermost open collection is complete; `key` is its
    /// text when it was a scalar key.
    fn completed(stack: &mut [Open], key: Option<&str>) {
        let Some(o) = stack.last_mut() else {
            return;
        };
        if !o.mapping {
            return;
        }
        if o.at_key {
            o.value_hides = match key {
                Some(k) => o.hides || is_secret_key(k) || is_secret_data_key(k),
                None => true,
            };
        }
        o.at_key = !o.at_key;
    }
}

/// Bytes whose structure is unknown altogether (not UTF-8): all masked.
pub fn opaque_masks(bytes: &[u8]) -> Vec<Range<usize>> {
    std::iter::once(0..bytes.len()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_fold_short_long_and_non_ascii() {
        let long = format!("{}Token", "x".repeat(40));
        for key in [
            "auth",
            "dbPassword",
            "pa\u{17f}\u{17f}word",
            "\u{131}dentitytoken",
            &long,
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        let other = format!("{}tokens", "x".repeat(40));
        for key in ["", "kind", "auths", "passwords", "\u{e1}uth", &other] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    /// The masks of `bytes` parsed here.
    fn json_masks(bytes: &[u8]) -> Vec<Range<usize>> {
        super::json_masks(bytes, json_value::parse(bytes).as_ref())
    }

    #[test]
    fn json_masks_credentials_only() {
        let text = br#"{"auths":{"reg.io":{"auth":"dTpw","Password":"p\"w","email":"e@x"}}}"#;
        let masks = json_masks(text);
        let masked: Vec<_> = masks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(masked, vec![&b"dTpw"[..], &br#"p\"w"#[..]]);
    }

    fn masked<'a>(text: &'a [u8], masks: &[Range<usize>]) -> Vec<&'a [u8]> {
        masks.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn json_masks_cover_a_value_broken_by_a_quote() {
        // The password `ab"cd` written unescaped: Go stops at `c`; what
        // follows has no known structure.
        let text = b"{\"auths\":{\"r\":{\"password\":\"ab\"cd\"}}}\n{\"x\":1}";
        let masks = json_masks(text);
        assert_eq!(
            masked(text, &masks),
            vec![&b"ab"[..], &b"cd\"}}}\n{\"x\":1}"[..]]
        );
    }

    #[test]
    fn json_masks_cover_secret_values_that_are_not_strings() {
        let text =
            br#"{"r":{"password":["p1",{"a":"]"}],"auth":12345,"Token":{"x":[1]} ,"email":"e"}}"#;
        let masks = json_masks(text);
        assert_eq!(
            masked(text, &masks),
            vec![
                &br#"["p1",{"a":"]"}]"#[..],
                &b"12345"[..],
                &br#"{"x":[1]}"#[..]
            ]
        );
    }

    #[test]
    fn json_keys_are_matched_as_go_decodes_them() {
        let text = "{\"r\":{\"\\u0061uth\":\"A1\",\"pa\u{17f}\u{17f}word\":\"P2\",\"\\u0131dentitytoken\":\"T3\",\"email\":\"e\"}}";
        let masks = json_masks(text.as_bytes());
        assert_eq!(
            masked(text.as_bytes(), &masks),
            vec![&b"A1"[..], &b"P2"[..], &b"T3"[..]]
        );
    }

    #[test]
    fn broken_json_shows_only_keys_and_punctuation() {
        let text = br#"{"auths":{"r":{"email":"e@x","password":"pw" "x"}}}"#;
        let masks = json_masks(text);
        assert_eq!(
            masked(text, &masks),
            vec![&b"e@x"[..], &b"pw"[..], &br#""x"}}}"#[..]]
        );
    }

    #[test]
    fn broken_yaml_masks_secret_values_and_everything_unknown() {
        let text = r#"{"kind":"Secret","data":{"pw":"Q0FOQVJZ"},"stringData":{"p":"CANARY"} "x"}"#;
        let masks = unparsed_masks(text);
        assert_eq!(
            masked(text.as_bytes(), &masks),
            vec![&br#""Q0FOQVJZ""#[..], &br#""CANARY""#[..], &br#" "x"}"#[..]]
        );
        let text = "metadata:\n  name: web\nstringData:\n  password: hunter2: x\n";
        let masks = unparsed_masks(text);
        assert_eq!(
            masked(text.as_bytes(), &masks),
            vec![&b"hunter2"[..], &b": x\n"[..]]
        );
        let text = "a:\n  pa\u{17f}\u{17f}word: hunter2\n  b: [\n";
        let masks = unparsed_masks(text);
        assert_eq!(
            masked(text.as_bytes(), &masks).first(),
            Some(&&b"hunter2"[..])
        );
    }
}
