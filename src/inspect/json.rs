//! `inspect --format json`: one document, shaped by
//! `schemas/inspect.schema.json`. Like the human format it holds lengths,
//! never a password, `auth` or token.

use serde::Serialize;

use super::Inspection;

/// Bumped when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u64 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u64,
    #[serde(flatten)]
    inspection: &'a Inspection,
}

pub fn render(inspection: &Inspection) -> String {
    let document = Document {
        version: SCHEMA_VERSION,
        inspection,
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}
