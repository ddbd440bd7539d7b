//! `regcred lint --fix`: applies the fixes findings carry
//! ([`crate::lint::finding::Fix`], byte-range edits of the file made by the
//! rule that found the problem, with `crate::manifest::edit`'s
//! layout-keeping builders), checks the result by parsing and linting it
//! again, and writes it atomically. Nothing here knows which rule made a
//! fix.
//!
//! The flow: [`run`] takes a lint outcome and, per file with a finding of a
//! fixable rule, reads a [`Snapshot`](crate::safe_write::replace::Snapshot), lints it again for the fixes
//! of its bytes, lets [`file_fix`] plan them ([`plan`]: the same edits made
//! once, a pull Secret named by a [`choose::Chooser`], which chooses among
//! the Secrets as the run's fixes will leave them: [`prospect`]) and apply
//! them, proves the result ([`preserved`], a re-lint), then replaces the
//! file or prints a [`diff`].

pub mod choose;
pub mod diff;
pub mod file_fix;
pub mod plan;
pub mod preserved;
pub mod prospect;
pub mod run;

pub use crate::manifest::edit::{apply, Edit, EditError};
