//! The rule registry: every rule, in id order. One rule per file; the file's
//! `//!` doc comment is the rule's explanation (`regcred explain RULE`).

use super::finding::{Finding, Level};
use super::view::PullSecretView;

/// A lint rule. Each hook has a no-op default; a rule implements the views it
/// reads. Rules never read files, print, or know about output formats.
pub trait Rule: Send + Sync {
    /// The stable kebab-case id (RULES.md): what users select, ignore and suppress.
    fn id(&self) -> &'static str;
    fn default_level(&self) -> Level;
    /// Called once for each pull-secret payload: a Secret's `.dockerconfigjson`
    /// or `.dockercfg` value (decoded) and each Docker config file in the tree.
    fn check_pull_secret(&self, _view: &PullSecretView<'_>, _out: &mut Vec<Finding>) {}
}
