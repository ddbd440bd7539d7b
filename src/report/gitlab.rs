//! `--format gitlab`: a GitLab Code Quality report (the Code Climate issue
//! subset GitLab reads), published with `artifacts: reports: codequality:`.
//! GitLab compares the fingerprints of the merge request's report with the
//! target branch's to show new and fixed findings, so they come from
//! [`super::fingerprint`], which ignores line positions.

use serde_json::{json, Value};

use super::fingerprint::{error_fingerprint, fingerprints};
use crate::lint::outcome::InputError;
use crate::lint::{Level, Outcome, Reported};

pub fn render(outcome: &Outcome) -> String {
    let prints = fingerprints(&outcome.findings);
    let issues: Vec<Value> = outcome
        .errors
        .iter()
        .map(error_issue)
        .chain(
            outcome
                .findings
                .iter()
                .zip(prints)
                .map(|(f, print)| issue(f, print)),
        )
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// GitLab's scale is info, minor, major, critical, blocker. An error breaks
/// image pulls or the apply, but regcred cannot tell how many workloads
/// depend on it, so errors are `major` (as most linters map them), warnings
/// `minor`, infos `info`; critical and blocker are left to security scanners.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "major",
        Level::Warning => "minor",
        Level::Info => "info",
    }
}

/// An input not read: a blocker, so the merge request shows the report is
/// incomplete rather than clean. Code Quality needs a path: the run's
/// folder (`.`) stands for an error that names none.
fn error_issue(e: &InputError) -> Value {
    json!({
        "type": "issue",
        "description": format!("not read, the report is incomplete: {e}"),
        "check_name": super::INPUT_NOT_READ,
        "fingerprint": error_fingerprint(e),
        "severity": "blocker",
        "categories": ["Bug Risk"],
        "location": {
            "path": e.path.as_deref().unwrap_or(".").replace('\\', "/"),
            "lines": { "begin": 1, "end": 1 },
        },
    })
}

fn issue(f: &Reported, fingerprint: String) -> Value {
    let mut description = f.message.clone();
    if let Some(inner) = &f.inner {
        description.push_str(" (");
        description.push_str(inner);
        description.push(')');
    }
    json!({
        "type": "issue",
        "description": description,
        "check_name": f.rule,
        "fingerprint": fingerprint,
        "severity": severity(f.level),
        "categories": ["Bug Risk"],
        "location": {
            "path": f.path.replace('\\', "/"),
            "lines": { "begin": f.start.line, "end": f.end.line },
        },
    })
}
