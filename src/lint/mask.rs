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
                let rest = bytes.get(end + 1..).unwrap_or(&[]);
                if expect_value && last_key_secret {
                    // A secret value followed by anything but `,` `}` `]`
                    // broke the JSON, most likely with an unescaped `"`
                    // inside: the rest of its line is still the secret.
                    let next = rest.iter().find(|c| !matches!(c, b' ' | b'\t'));
                    let broken = !matches!(next, None | Some(b',' | b'}' | b']' | b'\n' | b'\r'));
                    let masked_end = if broken {
                        memchr::memchr(b'\n', rest).map_or(bytes.len(), |n| end + 1 + n)
                    } else {
                        end
                    };
                    out.push(start..masked_end);
                }
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
                if last_key_secret {
                    // A secret key's value that is no string (an array, an
                    // object, a number, a bare word) is masked whole.
                    let start = i + bytes
                        .get(i..)
                        .unwrap_or(&[])
                        .iter()
                        .take_while(|c| c.is_ascii_whitespace())
                        .count();
                    if bytes.get(start).is_some_and(|&c| c != b'"') {
                        let end = non_string_end(bytes, start);
                        out.push(start..end);
                        expect_value = false;
                        i = end;
                    }
                }
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

/// Where a JSON value that is not a string, starting at `start`, ends: at
/// its matching bracket, or before the `,` `}` `]` or line break after it.
fn non_string_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = start;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            _ if in_string => {}
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth <= 1 => return (i + usize::from(depth == 1)).min(bytes.len()),
            b']' | b'}' => depth -= 1,
            b',' | b'\n' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
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

    #[test]
    fn json_masks_cover_a_value_broken_by_a_quote() {
        // The password `ab"cd` written unescaped: `cd"` follows the value.
        let text = b"{\"auths\":{\"r\":{\"password\":\"ab\"cd\"}}}\n{\"x\":1}";
        let masks = json_masks(text);
        let masked: Vec<_> = masks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(masked, vec![&b"ab\"cd\"}}}"[..]]);
    }

    #[test]
    fn json_masks_cover_secret_values_that_are_not_strings() {
        let text =
            br#"{"r":{"password":["p1",{"a":"]"}],"auth":12345,"Token":{"x":[1]} ,"email":"e"}}"#;
        let masks = json_masks(text);
        let masked: Vec<_> = masks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            masked,
            vec![
                &br#"["p1",{"a":"]"}]"#[..],
                &b"12345"[..],
                &br#"{"x":[1]}"#[..]
            ]
        );
    }
}
