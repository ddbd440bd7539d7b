//! yaml-syntax-error
//!
//! **What it checks.** A YAML (or JSON) manifest that does not parse. The
//! finding points at the parser's position. Files with Helm template
//! expressions (`{{ ... }}`) that do not parse are skipped (and counted in
//! the summary), not reported: they are not YAML until rendered.
//!
//! Only files that can matter to a rule are parsed, so only they are
//! checked: a file is read when one of its documents may be a Secret
//! (SealedSecret, ExternalSecret...), a ServiceAccount, a pod-bearing
//! workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! ReplicationController, Job, CronJob, PodTemplate, or any object with a
//! `spec` holding `containers`), a `List`, or whatever a byte scan cannot
//! classify (flow style, JSON, quoted keys, escapes that may spell a
//! letter, anchors). A file of ConfigMaps, Services or CRDs only, or of
//! Helm values or other JSON without `kind` (`\"` and `\n` escapes cannot
//! spell it), is skipped unparsed, and a syntax error in it is not reported: this keeps
//! a whole-repository run near the speed of reading the bytes. In a file
//! that is read, every document is checked.
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
        let mut at = error.offset.min(file.source.len());
        let mut message = format!("YAML syntax error: {}", error.message);
        let tab = error
            .message
            .contains("tab")
            .then(|| indentation_tab(file.source, at))
            .flatten();
        if let Some(tab) = tab {
            // The parser's position may be past the tab, or on the line
            // before it: point at the tab itself and say what it is.
            at = tab;
            message = "YAML syntax error: a tab in the indentation (YAML indents with spaces only)"
                .to_string();
        }
        let len = file
            .source
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        out.push(
            self.finding(message, Location::File(at..at + len))
                .with_note("kubectl rejects the whole file: none of its objects is applied")
                .with_help("fix the YAML at this position"),
        );
    }
}

/// The first tab in the leading whitespace of the line holding `at`, or of
/// the next line, when the parser's error at `at` is about tabs.
fn indentation_tab(source: &str, at: usize) -> Option<usize> {
    let line_start = source.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let mut start = line_start;
    for _ in 0..2 {
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = &source[start..line_end];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..indent].find('\t') {
            return Some(start + i);
        }
        if line_end >= source.len() {
            break;
        }
        start = line_end + 1;
    }
    None
}
