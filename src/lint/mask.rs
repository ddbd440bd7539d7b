//! Which bytes of a file are secret, so excerpts can mask them.

use std::ops::Range;

use crate::manifest::{Document, Node, NodeKind};

/// Keys whose scalar values are credentials wherever they appear.
fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    matches!(
        k.as_str(),
        "auth"
            | "password"
            | "passwd"
            | "token"
            | "identitytoken"
            | "registrytoken"
            | "secret"
            | "apikey"
            | "api_key"
            | "secretkey"
            | "privatekey"
    ) || k.ends_with("password")
        || k.ends_with("token")
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
            let is_secret_object = node.get("kind").and_then(Node::text) == Some("Secret");
            for e in entries {
                let key = e.key.text().unwrap_or("");
                let hides = secret
                    || is_secret_key(key)
                    || (is_secret_object && matches!(key, "data" | "stringData"))
                    || key == "encryptedData";
                collect(&e.value, hides, out, depth + 1);
            }
        }
    }
}

/// In a Docker config (JSON): the string values of `auth`, `password`,
/// `identitytoken`, `registrytoken` (any case). A small scanner, so it works
/// on invalid JSON too.
pub fn json_masks(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut last_key_secret = false;
    let mut expect_value = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while let Some(&c) = bytes.get(j) {
                    match c {
                        b'\\' => j += 2,
                        b'"' => break,
                        _ => j += 1,
                    }
                }
                let end = j.min(bytes.len());
                if expect_value && last_key_secret {
                    out.push(start..end);
                }
                let rest = bytes.get(end + 1..).unwrap_or(&[]);
                let is_key = rest.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b':');
                if is_key {
                    let key = String::from_utf8_lossy(bytes.get(start..end).unwrap_or(&[]));
                    last_key_secret = is_secret_key(&key);
                }
                expect_value = false;
                i = end + 1;
            }
            b':' => {
                expect_value = true;
                i += 1;
            }
            b',' | b'{' | b'}' | b'[' | b']' => {
                expect_value = false;
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// In a file that did not parse: everything after the first `: ` or `- `
/// of each line (keys stay readable, values do not).
pub fn unparsed_masks(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        let line = bytes.get(start..end).unwrap_or(&[]);
        let value = memchr::memmem::find(line, b": ")
            .or_else(|| memchr::memmem::find(line, b"- "))
            .map(|i| i + 2);
        if let Some(v) = value {
            out.push(start + v..end);
        }
        start = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_masks_credentials_only() {
        let text = br#"{"auths":{"reg.io":{"auth":"dTpw","Password":"p\"w","email":"e@x"}}}"#;
        let masks = json_masks(text);
        let masked: Vec<_> = masks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(masked, vec![&b"dTpw"[..], &br#"p\"w"#[..]]);
    }
}
