//! Output formats, one per file. Each reads a lint [`Outcome`] and nothing
//! of the rules.

use crate::lint::Outcome;

pub mod human;
pub mod json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets and a summary line
    Human,
    /// One JSON document (schemas/report.schema.json)
    Json,
}

/// Renders `outcome`. `styled` asks for ANSI colours; the caller prints
/// through anstream, which drops them off a terminal and under NO_COLOR.
pub fn render(outcome: &Outcome, format: Format, styled: bool) -> String {
    match format {
        Format::Human => human::render(outcome, styled),
        Format::Json => json::render(outcome),
    }
}
