//! Shared helpers of the integration tests, one idea per file. Tests write
//! `use crate::common;` (or import the names they use) and never keep a
//! local copy of a helper found here.

#![allow(dead_code)]

mod binaries;
mod files;
mod generated_fixtures;
mod kubectl;
mod lint_json;
mod output;
mod privileges;
mod process;
mod programs;
mod recorded;

pub use binaries::*;
pub use files::*;
pub use generated_fixtures::*;
pub use kubectl::*;
pub use lint_json::*;
pub use output::*;
pub use privileges::*;
pub use process::*;
pub use programs::*;
pub use recorded::*;
