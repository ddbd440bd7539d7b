//! secret-data-double-encoded
//!
//! **What it checks.** A Secret value whose content is itself base64 of what
//! belongs there: base64 of a JSON object under `.dockerconfigjson` or
//! `.dockercfg`, base64 of a PEM block under a `.crt`, `.pem` or `.key` key.
//! It looks at decoded `data` values and at `stringData` values (stored as
//! they are written).
//!
//! **Why.** The API server decodes `data` once and stores `stringData` as is.
//! A value encoded twice (or encoded and put under `stringData`) reaches the
//! kubelet or the application as base64 text: the pull secret is not JSON and
//! every pull of the pods using it fails; a certificate does not parse.
//!
//! **Bad**
//!
//! ```yaml
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: eyJhdXRocyI6e319
//! ```
//!
//! **Good**
//!
//! ```yaml
//! type: kubernetes.io/dockerconfigjson
//! data:
//!   .dockerconfigjson: eyJhdXRocyI6e319
//! ```

use super::Rule;
use crate::gocompat::base64::{self, Padding};
use crate::lint::{Finding, Level, Location};
use crate::manifest::secret::Field;
use crate::manifest::SecretView;

pub struct SecretDataDoubleEncoded;

/// A name for the content a key promises, and a test for it.
type Expected = (&'static str, fn(&[u8]) -> bool);

/// What the key promises its value holds, by name.
fn expected_content(key: &str) -> Option<Expected> {
    if key == ".dockerconfigjson" || key == ".dockercfg" {
        Some(("JSON", |b: &[u8]| b.trim_ascii_start().starts_with(b"{")))
    } else if [".crt", ".pem", ".key", ".cert"]
        .iter()
        .any(|s| key.ends_with(s))
    {
        Some(("a PEM block", |b: &[u8]| {
            b.trim_ascii_start().starts_with(b"-----BEGIN")
        }))
    } else {
        None
    }
}

impl Rule for SecretDataDoubleEncoded {
    fn id(&self) -> &'static str {
        "secret-data-double-encoded"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        for value in secret.values() {
            let Some((what, is_expected)) = expected_content(value.key_text()) else {
                continue;
            };
            let Some(stored) = value.bytes() else {
                continue;
            };
            let trimmed = stored.trim_ascii();
            if trimmed.is_empty() || is_expected(trimmed) {
                continue;
            }
            let Ok(inner) = base64::decode(trimmed, Padding::Required) else {
                continue;
            };
            if !is_expected(&inner) {
                continue;
            }
            let how = match value.field {
                Field::Data => "decodes to base64 text",
                Field::StringData => "is base64 text (stringData is stored as written)",
            };
            out.push(
                self.finding(
                    format!(
                        "{} value \"{}\" {how} of {what}: it is encoded once too often",
                        value.field.name(),
                        value.key_text()
                    ),
                    Location::File(value.value.span.clone()),
                )
                .with_note(format!("what reaches the consumer is base64, not {what}"))
                .with_help(match value.field {
                    Field::Data => "base64-encode the original content once",
                    Field::StringData => {
                        "move the value under data, or put the decoded content in stringData"
                    }
                }),
            );
        }
    }
}
