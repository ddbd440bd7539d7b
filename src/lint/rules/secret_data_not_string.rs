//! secret-data-not-string
//!
//! **What it checks.** Every `data` and `stringData` value must be a string
//! once read as YAML 1.1, the way Kubernetes (go-yaml v2) reads it: `yes`,
//! `no`, `on`, `off`, `true`, `y`, numbers such as `1234` or `0755`, a
//! mapping or a list are not strings. (`null`, `~` and an empty value are
//! accepted by the API server as an empty value, so they are not reported.)
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
use crate::manifest::secret::Content;
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
