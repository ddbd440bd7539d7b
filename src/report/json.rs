//! `--format json`: one document, shaped by `schemas/report.schema.json`.
//!
//! Serialized straight from borrowed views of the findings: no `Value`
//! tree, whose size (~5 KB a finding) would dominate peak memory on a
//! large repository.

use std::borrow::Cow;

use serde::Serialize;

use crate::lint::outcome::InputError;
use crate::lint::{Outcome, Reported};
use crate::shown_text::bounded;

pub const SCHEMA_VERSION: u64 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u64,
    findings: Vec<Finding<'a>>,
    /// The inputs not read: the findings are incomplete when any is.
    errors: Vec<Error<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Error<'a> {
    path: Option<&'a str>,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    objects: usize,
    skipped_templates: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    level: &'a str,
    message: &'a str,
    note: Option<&'a str>,
    help: Option<&'a str>,
    inner: Option<&'a str>,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    object: Option<Object<'a>>,
}

/// The object as written, each field bounded as messages are
/// ([`crate::shown_text`]): a name of megabytes costs a line.
#[derive(Serialize)]
struct Object<'a> {
    api_version: Option<Cow<'a, str>>,
    kind: Cow<'a, str>,
    name: Option<Cow<'a, str>>,
    namespace: Option<Cow<'a, str>>,
    document: usize,
}

pub fn render(outcome: &Outcome) -> String {
    let s = &outcome.summary;
    let report = Report {
        version: SCHEMA_VERSION,
        findings: outcome.findings.iter().map(finding).collect(),
        errors: outcome.errors.iter().map(error).collect(),
        summary: Summary {
            files: s.files,
            objects: s.objects,
            skipped_templates: s.skipped_templates,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
        },
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

fn error(e: &InputError) -> Error<'_> {
    Error {
        path: e.path.as_deref(),
        message: &e.message,
    }
}

fn finding(f: &Reported) -> Finding<'_> {
    Finding {
        rule: f.rule,
        level: f.level.as_str(),
        message: &f.message,
        note: f.note.as_deref(),
        help: f.help.as_deref(),
        inner: f.inner.as_deref(),
        path: &f.path,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        object: f.object.as_ref().map(|o| Object {
            api_version: o.api_version.as_deref().map(bounded),
            kind: bounded(&o.kind),
            name: o.name.as_deref().map(bounded),
            namespace: o.namespace.as_deref().map(bounded),
            document: o.document,
        }),
    }
}
