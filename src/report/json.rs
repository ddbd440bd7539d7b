//! `--format json`: one document, shaped by `schemas/report.schema.json`.

use serde_json::{json, Value};

use crate::lint::{Outcome, Reported};

pub const SCHEMA_VERSION: u64 = 1;

pub fn render(outcome: &Outcome) -> String {
    let s = &outcome.summary;
    let doc = json!({
        "version": SCHEMA_VERSION,
        "findings": outcome.findings.iter().map(finding).collect::<Vec<_>>(),
        "summary": {
            "files": s.files,
            "objects": s.objects,
            "skipped_templates": s.skipped_templates,
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
        },
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

fn finding(f: &Reported) -> Value {
    let object = f.object.as_ref().map(|o| {
        json!({
            "api_version": o.api_version,
            "kind": o.kind,
            "name": o.name,
            "namespace": o.namespace,
            "document": o.document,
        })
    });
    json!({
        "rule": f.rule,
        "level": f.level.as_str(),
        "message": f.message,
        "note": f.note,
        "help": f.help,
        "inner": f.inner,
        "path": f.path,
        "line": f.start.line,
        "column": f.start.column,
        "end_line": f.end.line,
        "end_column": f.end.column,
        "object": object,
    })
}
