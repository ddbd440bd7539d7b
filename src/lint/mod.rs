//! The lint engine: the workspace index, the rule registry, suppressions and
//! configuration. It knows nothing of output formats.

pub mod finding;
pub mod rules;
pub mod view;

pub use finding::{Finding, Level, Location};
