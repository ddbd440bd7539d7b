//! The lint engine: the walk, the prefilter, the rule registry, suppressions
//! and configuration. It knows nothing of output formats: it produces an
//! [`Outcome`] that `report` renders.

pub mod config;
mod config_check;
pub mod context_cache;
pub mod deferred;
pub mod encoding;
pub mod engine;
pub mod excerpt;
pub mod expectations;
pub mod finding;
pub mod gitignore;
pub mod index;
pub mod index_parts;
pub mod index_places;
pub mod input;
pub mod kustomize;
pub mod kustomize_names;
pub mod mask;
pub mod memory;
pub mod name_list;
pub mod near_names;
pub mod outcome;
pub mod path_table;
pub mod position;
pub mod pull_secret_summary;
pub mod rules;
pub mod setting;
pub mod suppress;
pub mod typo;
pub mod view;
pub mod walk;
pub mod walk_skip;
pub mod work;
pub mod workload;

pub use engine::{Linter, Selection};
pub use finding::{Finding, Level, Location};
pub use outcome::{Outcome, Reported, Summary};
