//! `regcred lint --fix`: byte-offset edits to the original text, built from
//! the spanned YAML tree so that comments, key order, quoting, blank lines,
//! line breaks and indentation stay as they were; checked by parsing and
//! linting the result again; written atomically.
//!
//! The flow: [`run`] takes a lint outcome and, per file with a fixable
//! finding, reads a [`atomic::Snapshot`], lets [`file_fix`] plan
//! ([`plan`]: [`secret_fixes`], [`generator_fixes`], [`pod_fixes`] with a
//! [`choose::Chooser`], which chooses among the Secrets as the run's fixes
//! will leave them: [`prospect`]) and apply the [`edit`]s, proves the result
//! ([`preserved`], a re-lint), then replaces the file or prints a [`diff`].
//! The edits themselves come from [`yaml_edit`], which reads the file's
//! [`layout`] and writes [`scalar`]s that read back as meant.

pub mod atomic;
pub mod choose;
pub mod diff;
pub mod file_fix;
pub mod leftovers;
pub mod plan;
pub mod preserved;
pub mod prospect;
pub mod run;
pub mod unnamed;

pub use crate::manifest::edit::{apply, Edit, EditError};
