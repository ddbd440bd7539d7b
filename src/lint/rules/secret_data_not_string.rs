//! secret-data-not-string
//!
//! **What it checks.** `data` and `stringData` must each be a mapping
//! of keys to strings, and every value a string once read as YAML 1.1, the
//! way Kubernetes (go-yaml v2) reads it: `yes`, `no`, `on`, `off`, `true`,
//! `y`, numbers such as `1234` or `0755`, a mapping or a list are not
//! strings. A `data:` or `stringData:` that is a list or a scalar instead of a
//! mapping is reported too. (`null`, `~` and an empty value are accepted by
//! the API server as an empty value, for the field or a value, so they are
//! not reported.)
//!
//! **Why.** The API server's Secret schema holds strings only: `kubectl
//! apply` fails with `cannot unmarshal bool into Go struct field
//! Secret.data of type []uint8` (or `string` for stringData) and the Secret is
//! not created. YAML 1.2 tools read `yes` as a string, so the mistake hides
//! in editors and other linters.
//!
//! **Bad**
//!
//! ```yaml
//! stringData:
//!   enabled: yes
//!   port: 5432
//! ```
//!
//! **Good**
//!
//! ```yaml
//! stringData:
//!   enabled: "yes"
//!   port: "5432"
//! ```

use super::Rule;
use crate::lint::{Finding, Level, Location};
use crate::manifest::node::{Node, NodeKind, ScalarType};
use crate::manifest::secret::{Content, Field};
use crate::manifest::SecretView;

pub struct SecretDataNotString;

impl Rule for SecretDataNotString {
    fn id(&self) -> &'static str {
        "secret-data-not-string"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        let fields = [
            (secret.data_entry, Field::Data),
            (secret.string_data_entry, Field::StringData),
        ];
        for (entry, field) in fields {
            let Some(entry) = entry.filter(|e| not_a_mapping(&e.value, secret.source)) else {
                continue;
            };
            out.push(
                self.finding(
                    format!(
                        "{} is {}, not a mapping of keys to values",
                        field.name(),
                        entry.value.describe()
                    ),
                    Location::File(entry.value.span.clone()),
                )
                .with_note(
                    "the API server rejects a Secret whose data or stringData is not a mapping",
                )
                .with_help("write one `key: value` line per entry below the field"),
            );
        }
        for value in secret.values() {
            if !matches!(value.content, Content::NotString) {
                continue;
            }
            let what = value.value.describe();
            out.push(
                self.finding(
                    format!(
                        "{} value \"{}\" is {what} for Kubernetes, not a string",
                        value.field.name(),
                        value.key_text()
                    ),
                    Location::File(value.value.span.clone()),
                )
                .with_note("the API server rejects a Secret whose values are not strings (YAML 1.1 reads yes/no/on/off and numbers as such)")
                .with_help("quote the value"),
            );
        }
    }
}

/// Whether a `data` or `stringData` field is something else than a
/// mapping the API server takes: a list or a non-null scalar (an alias or a
/// template placeholder is not judged).
fn not_a_mapping(value: &Node, source: &str) -> bool {
    let written = source.get(value.span.clone()).unwrap_or("");
    if written.contains("{{") || written.contains("${") {
        return false;
    }
    match &value.kind {
        NodeKind::Sequence(_) => true,
        NodeKind::Scalar(s) => s.ty != ScalarType::Null,
        NodeKind::Mapping(_) | NodeKind::Alias => false,
    }
}
