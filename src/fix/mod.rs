//! `regcred lint --fix`: byte-offset edits to the original text, built from
//! the spanned YAML tree so that comments, key order, quoting, blank lines,
//! line breaks and indentation stay as they were; checked by parsing and
//! linting the result again; written atomically.

pub mod edit;
pub mod layout;
pub mod scalar;
pub mod yaml_edit;

pub use edit::{apply, Edit, EditError};
pub mod atomic;
pub mod choose;
pub mod diff;
pub mod file_fix;
pub mod generator_fixes;
pub mod locate;
pub mod plan;
pub mod pod_fixes;
pub mod preserved;
pub mod run;
pub mod secret_fixes;
