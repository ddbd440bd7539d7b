//! `inspect --format json`: one document, shaped by
//! `schemas/inspect.schema.json`. Like the human format it holds lengths,
//! never a password, `auth` or token. Every text from the input (a name, a
//! type, an image, a registry key, a user) is escaped as JSON escapes and
//! bounded as lint's messages are ([`crate::shown_text`]): a name of 30 MB
//! costs a line, not 30 MB of report. File paths are whole (the system
//! bounds them, and a reader needs them to open the file).

use serde::Serialize;
use serde_json::Value;

use super::Inspection;
use crate::shown_text::bound;

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
    let mut text = match serde_json::to_value(&document) {
        Ok(mut value) => {
            bound_texts(&mut value);
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into())
        }
        Err(_) => "{}".into(),
    };
    text.push('\n');
    text
}

/// Bounds every string of the document but file paths (fields `path`, and
/// the items of `pod_files_without_workloads`, as given).
fn bound_texts(value: &mut Value) {
    match value {
        Value::String(text) => bound(text),
        Value::Array(items) => items.iter_mut().for_each(bound_texts),
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if name != "path" && name != "pod_files_without_workloads" {
                    bound_texts(field);
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}
