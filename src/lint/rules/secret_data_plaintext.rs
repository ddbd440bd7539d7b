//! secret-data-plaintext
//!
//! **What it checks.** A `data` value that Go's base64 decoder accepts, but
//! that was plainly written as text: a lower-case word or number (`true`,
//! `bill`, `admin123`, `changeme`) whose "decoding" is not text.
//!
//! **Why.** Any text whose length is a multiple of 4 and uses only base64
//! letters decodes without error. The API server stores the garbage bytes
//! silently, and the application later reads binary noise instead of the
//! password it was given.
//!
//! **Bad**
//!
//! ```yaml
//! data:
//!   password: admin123
//! ```
//!
//! **Good**
//!
//! ```yaml
//! stringData:
//!   password: admin123
//! ```

use super::Rule;
use crate::lint::{Finding, Level, Location};
use crate::manifest::secret::Field;
use crate::manifest::SecretView;

pub struct SecretDataPlaintext;

/// Whether `raw`, a base64-valid value, reads as a human word: only
/// lower-case letters and digits (a capitalised word too), at least one
/// letter, no padding. Real base64 of text mixes cases.
fn looks_like_a_word(raw: &str) -> bool {
    let body = raw
        .strip_prefix(|c: char| c.is_ascii_uppercase())
        .unwrap_or(raw);
    !raw.is_empty()
        && raw.len() <= 64
        && body
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && raw.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Whether decoded bytes are text a person wrote.
pub fn is_text(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(s) => s
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')),
        Err(_) => false,
    }
}

impl Rule for SecretDataPlaintext {
    fn id(&self) -> &'static str {
        "secret-data-plaintext"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        for value in secret.data.iter().filter(|v| v.field == Field::Data) {
            let (Some(bytes), Some(raw)) = (value.bytes(), value.value.as_str()) else {
                continue;
            };
            if !looks_like_a_word(raw.trim()) || is_text(bytes) {
                continue;
            }
            out.push(
                self.finding(
                    format!(
                        "data value \"{}\" looks like plain text, but data holds base64: it decodes to {} bytes of binary",
                        value.key_text(),
                        bytes.len()
                    ),
                    Location::File(value.value.span.clone()),
                )
                .with_note("the API server accepts it silently and stores the decoded garbage, not this text")
                .with_help("move the value under stringData, or base64-encode it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_not_words() {
        for w in ["true", "admin123", "bill", "Password", "changeme"] {
            assert!(looks_like_a_word(w), "{w}");
        }
        for w in ["YWRtaW4=", "dGVzdA==", "1234", "eyJhdXRocyI6e30K", ""] {
            assert!(!looks_like_a_word(w), "{w}");
        }
    }
}
