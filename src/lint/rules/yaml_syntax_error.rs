//! yaml-syntax-error
//!
//! **What it checks.** A YAML (or JSON) manifest that does not parse. The
//! finding points at the parser's position. Files with Helm template
//! expressions (`{{ ... }}`) that do not parse are skipped (and counted in
//! the summary), not reported: they are not YAML until rendered. Only files
//! that look like Kubernetes manifests (they mention `kind`) are read.
//!
//! **Why.** `kubectl apply` fails on the whole file: none of its objects,
//! the pull Secret included, reaches the cluster.
//!
//! **Bad**
//!
//! ```yaml
//! kind: Secret
//! metadata:
//!   name: pull
//!  namespace: apps     # indentation
//! ```
//!
//! **Good**
//!
//! ```yaml
//! kind: Secret
//! metadata:
//!   name: pull
//!   namespace: apps
//! ```

use super::Rule;
use crate::lint::view::FileView;
use crate::lint::{Finding, Level, Location};

pub struct YamlSyntaxError;

impl Rule for YamlSyntaxError {
    fn id(&self) -> &'static str {
        "yaml-syntax-error"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_file(&self, file: &FileView<'_>, out: &mut Vec<Finding>) {
        let Some(error) = file.syntax_error else {
            return;
        };
        let at = error.offset.min(file.source.len());
        let len = file
            .source
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        out.push(
            self.finding(
                format!("YAML syntax error: {}", error.message),
                Location::File(at..at + len),
            )
            .with_note("kubectl rejects the whole file: none of its objects is applied")
            .with_help("fix the YAML at this position"),
        );
    }
}
