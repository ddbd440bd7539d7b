//! secret-data-not-base64
//!
//! **What it checks.** Every `data` value of a Secret must be base64 exactly as
//! the API server decodes it: Go's `base64.StdEncoding`. Line breaks are
//! skipped anywhere (even inside the padding); spaces, tabs, the URL-safe
//! `-` and `_`, and a missing `=` padding are errors. The finding points at
//! the first byte Go rejects.
//!
//! **Why.** `kubectl apply` fails with `illegal base64 data at input byte N`
//! and the Secret is never created; every pod that needs it stays pending.
//!
//! **Bad**
//!
//! ```yaml
//! data:
//!   password: cGFzc3dvcmQ   # padding missing
//!   token: dG9r ZW4=        # a space
//! ```
//!
//! **Good**
//!
//! ```yaml
//! data:
//!   password: cGFzc3dvcmQ=
//! stringData:
//!   token: the plain text, stored as is
//! ```

use super::{describe_byte, Rule};
use crate::lint::{Finding, Level, Location};
use crate::manifest::secret::{Content, Field};
use crate::manifest::SecretView;
use crate::placeholder::placeholder;

pub struct SecretDataNotBase64;

impl Rule for SecretDataNotBase64 {
    fn id(&self) -> &'static str {
        "secret-data-not-base64"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        for value in secret.data.iter().filter(|v| v.field == Field::Data) {
            let Content::NotBase64(error) = &value.content else {
                continue;
            };
            let raw = value.value.text().unwrap_or("").as_bytes();
            // Go reports an unfinished last group at the group's first byte,
            // which is then a valid base64 letter.
            let (what, at) = match raw.get(error.offset) {
                Some(&b) if !is_base64_letter(b) => (
                    format!("byte {} is {}", error.offset, describe_byte(b)),
                    error.offset,
                ),
                _ => (
                    format!(
                        "the last 4-character group (from byte {}) is incomplete: `=` padding is missing",
                        error.offset
                    ),
                    raw.len().saturating_sub(1),
                ),
            };
            let text = value.value.text().unwrap_or("");
            // A placeholder is said to be one, not analysed byte by byte
            // ("'_' (URL-safe base64)" misleads for REPLACE_WITH_BASE64_CERT).
            let is_placeholder = placeholder(text).is_some();
            let what = match is_placeholder {
                true => "it is a placeholder left from an example, not a value".to_string(),
                false => what,
            };
            let offset = secret.value_offset(value.value, at);
            let folded = offset
                .and_then(|o| secret.source.as_bytes().get(o))
                .is_some_and(|&b| b == b'\n' || b == b'\r');
            let what = if folded {
                format!("{what}: a line break YAML folded into a space (write multi-line base64 as a `|` block)")
            } else {
                what
            };
            let span = match offset {
                Some(o) => o..o + char_len(secret.source, o),
                None => value.value.span.clone(),
            };
            out.push(
                self.finding(
                    format!(
                        "data value \"{}\" is not valid base64: {what}",
                        value.key_text()
                    ),
                    Location::File(span),
                )
                .with_note(format!(
                    "the API server rejects this Secret: illegal base64 data at input byte {}",
                    error.offset
                ))
                .with_help(match is_placeholder {
                    true => "put the real value in its place: base64 under data (`base64 -w0`), or \
                             the plain text under stringData",
                    false => {
                        "encode the value with `base64 -w0`, or move the plain text under stringData"
                    }
                }),
            );
        }
    }
}

fn is_base64_letter(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

fn char_len(source: &str, at: usize) -> usize {
    source
        .get(at..)
        .and_then(|s| s.chars().next())
        .map_or(1, char::len_utf8)
}
