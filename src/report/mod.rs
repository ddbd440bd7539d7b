//! Output formats, one per file. Each reads a lint [`Outcome`] and nothing
//! of the rules.

use crate::lint::Outcome;

pub mod escape;
mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;

pub use fingerprint::{error_fingerprint, fingerprints};

/// The rule-like name the CI formats give an input not read.
pub const INPUT_NOT_READ: &str = "input-not-read";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets and a summary line
    Human,
    /// One JSON document (schemas/report.schema.json)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other dashboards
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
    /// GitLab Code Quality report (artifacts: reports: codequality)
    Gitlab,
    /// JUnit XML, one test case per checked file
    Junit,
}

/// Renders `outcome`. `styled` asks for ANSI colours; the caller prints
/// through anstream, which drops them off a terminal and under NO_COLOR.
pub fn render(outcome: &Outcome, format: Format, styled: bool) -> String {
    match format {
        Format::Human => human::render(outcome, styled),
        Format::Json => json::render(outcome),
        Format::Sarif => sarif::render(outcome),
        Format::Github => github::render(outcome),
        Format::Gitlab => gitlab::render(outcome),
        Format::Junit => junit::render(outcome),
    }
}
