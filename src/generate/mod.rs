//! Building pull Secrets and rendering them exactly as kubectl prints them.

pub mod hash;
pub mod json;
pub mod names;
pub mod secret;
pub mod yaml;

pub use secret::{Meta, Secret};

/// Which kubectl's output to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Dialect {
    /// kubectl 1.34 and newer: no `creationTimestamp`.
    #[default]
    Current,
    /// kubectl 1.33 and older: `creationTimestamp: null` in metadata.
    Legacy,
}
