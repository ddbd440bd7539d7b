//! secret-data-key-invalid
//!
//! **What it checks.** Every key of `data` and `stringData` must be a valid
//! Secret key: only letters, digits, `-`, `_` and `.`, at most 253 bytes, and
//! not `.`, `..` or anything starting with `..`.
//!
//! **Why.** The API server rejects the Secret (`a valid config key must
//! consist of alphanumeric characters, '-', '_' or '.'`). Keys become file
//! names when the Secret is mounted, which is why `/` and spaces are refused.
//!
//! **Bad**
//!
//! ```yaml
//! data:
//!   docker/config.json: e30=
//!   "my key": dmFsdWU=
//! ```
//!
//! **Good**
//!
//! ```yaml
//! data:
//!   config.json: e30=
//!   my-key: dmFsdWU=
//! ```

use super::Rule;
use crate::lint::{Finding, Level, Location};
use crate::manifest::SecretView;

pub struct SecretDataKeyInvalid;

/// Why `key` is not a valid Secret data key (docs/kubernetes.md §1), if it is not.
pub fn key_problem(key: &str) -> Option<String> {
    if key.is_empty() {
        return Some("it is empty".into());
    }
    if key.len() > 253 {
        return Some(format!("it is {} bytes long, over 253", key.len()));
    }
    if key == "." || key == ".." || key.starts_with("..") {
        return Some("it is `.`, `..` or starts with `..`".into());
    }
    let bad = key
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))?;
    Some(match bad {
        ' ' => "it contains a space".into(),
        c => format!("it contains {c:?}"),
    })
}

impl Rule for SecretDataKeyInvalid {
    fn id(&self) -> &'static str {
        "secret-data-key-invalid"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        for value in secret.values() {
            let key = value.key_text();
            if key.contains("{{") {
                continue;
            }
            let Some(problem) = key_problem(key) else {
                continue;
            };
            out.push(
                self.finding(
                    format!("{} key {key:?} is not a valid Secret key: {problem}", value.field.name()),
                    Location::File(value.key.span.clone()),
                )
                .with_note("the API server rejects the Secret: keys may hold only letters, digits, '-', '_' and '.'")
                .with_help("rename the key (a mounted Secret uses it as a file name)"),
            );
        }
    }
}
