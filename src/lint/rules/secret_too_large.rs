//! secret-too-large
//!
//! **What it checks.** The decoded size of all `data` values plus the
//! `stringData` values (stringData replacing data under the same key) must
//! be at most 1 MiB (1,048,576 bytes).
//!
//! **Why.** The API server refuses larger Secrets (`Too long: must have at
//! most 1048576 bytes`): Secrets live in etcd and are sent to every node that
//! mounts them.
//!
//! **Bad**: a Secret carrying a 2 MB certificate bundle or binary.
//!
//! **Good**: keep large files in a volume or an image; keep Secrets to
//! credentials and keys.

use std::collections::BTreeMap;

use super::Rule;
use crate::lint::{Finding, Level, Location};
use crate::manifest::SecretView;

pub const MAX_SECRET_BYTES: usize = 1 << 20;

pub struct SecretTooLarge;

impl Rule for SecretTooLarge {
    fn id(&self) -> &'static str {
        "secret-too-large"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        // stringData is merged over data before validation.
        let mut sizes = BTreeMap::new();
        for value in secret.values() {
            if let Some(bytes) = value.bytes() {
                sizes.insert(value.key_text(), (bytes.len(), value));
            }
        }
        let total: usize = sizes.values().map(|(n, _)| n).sum();
        if total <= MAX_SECRET_BYTES {
            return;
        }
        let Some((largest, value)) = sizes.values().max_by_key(|(n, _)| *n) else {
            return;
        };
        out.push(
            self.finding(
                format!(
                    "the Secret holds {total} bytes of data, over the 1 MiB limit (1048576 bytes); \"{}\" alone is {largest} bytes",
                    value.key_text()
                ),
                Location::File(value.key.span.clone()),
            )
            .with_note("the API server rejects Secrets larger than 1 MiB")
            .with_help("move large files out of the Secret (a ConfigMap, a volume, or the image)"),
        );
    }
}
