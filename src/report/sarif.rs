//! `--format sarif`: SARIF 2.1.0 (OASIS), what GitHub code scanning and
//! other security dashboards import. One run; the driver lists every rule
//! with its explanation, results point at them by id and index.

use serde_json::{json, Value};

use super::fingerprint::fingerprints;
use crate::lint::outcome::InputError;
use crate::lint::rules::{catalogue, explanation, Rule, RULES};
use crate::lint::{Level, Outcome, Reported};

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where a person learns about the tool (SARIF `informationUri`).
pub const INFORMATION_URI: &str = match option_env!("CARGO_PKG_HOMEPAGE") {
    Some(uri) if !uri.is_empty() => uri,
    _ => "https://regcred.dev/",
};

/// Where docs/rules.md is published, for each rule's `helpUri`
/// (`docs/rules.md#RULE-ID`, the anchor of the rule's heading): the
/// repository named at build time by REGCRED_REPOSITORY (the release
/// workflow, .github/workflows/release.yml, sets it to the repository it
/// runs in), else by Cargo.toml's `repository`, at this version's tag. The
/// project has no public URL yet, so a build without either carries no
/// helpUri rather than a guessed address (the help text is inline).
const REPOSITORY: Option<&str> = match option_env!("REGCRED_REPOSITORY") {
    Some(uri) if !uri.is_empty() => Some(uri),
    _ => match option_env!("CARGO_PKG_REPOSITORY") {
        Some(uri) if !uri.is_empty() => Some(uri),
        _ => None,
    },
};

/// A rule's page: its anchor in docs/rules.md under `repository`.
fn help_uri(repository: &str, id: &str) -> String {
    format!(
        "{}/blob/v{}/docs/rules.md#{id}",
        repository.trim_end_matches('/'),
        env!("CARGO_PKG_VERSION")
    )
}

/// The base that relative artifact URIs are resolved against: the folder
/// regcred ran in. Consumers (GitHub, sarif-tools) resolve it to the checkout.
pub const SRCROOT: &str = "%SRCROOT%";

/// The key of our entry in `partialFingerprints` (versioned, as SARIF asks).
pub const FINGERPRINT_KEY: &str = "regcred/v1";

pub fn render(outcome: &Outcome) -> String {
    let prints = fingerprints(&outcome.findings);
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .zip(&prints)
        .map(|(f, print)| result(f, print))
        .collect();
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "regcred",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": RULES.iter().map(|r| rule(*r)).collect::<Vec<_>>(),
                }
            },
            // Position columns count Unicode characters (lint::position).
            "columnKind": "unicodeCodePoints",
            // A run that could not read an input is not a clean result: a
            // consumer must not close the alerts of the files it missed.
            "invocations": [{
                "executionSuccessful": outcome.errors.is_empty(),
                "toolExecutionNotifications":
                    outcome.errors.iter().map(notification).collect::<Vec<_>>(),
            }],
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// SARIF's level names.
fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

fn rule(rule: &dyn Rule) -> Value {
    let text = explanation(rule.id()).unwrap_or("");
    let description = description(text);
    let mut value = json!({
        "id": rule.id(),
        "name": pascal_case(rule.id()),
        "shortDescription": { "text": catalogue::summary(rule) },
        "fullDescription": {
            "text": plain(&description),
            "markdown": description,
        },
        "help": {
            "text": plain(text),
            "markdown": text,
        },
        "defaultConfiguration": { "level": level(rule.default_level()) },
        // Whether `regcred lint --fix` can fix its findings.
        "properties": { "fixable": rule.fixable() },
    });
    if let (Some(repository), Some(object)) = (REPOSITORY, value.as_object_mut()) {
        object.insert("helpUri".into(), help_uri(repository, rule.id()).into());
    }
    value
}

/// The "What it checks" and "Why" paragraphs of an explanation (without
/// the Bad/Good examples), each reflowed to one line.
fn description(explanation: &str) -> String {
    let paragraphs: Vec<String> = explanation
        .split("\n\n")
        .filter(|p| p.starts_with("**What it checks.**") || p.starts_with("**Why.**"))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if paragraphs.is_empty() {
        explanation.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        paragraphs.join("\n\n")
    }
}

/// Markdown's emphasis markers dropped for the plain-text variants.
fn plain(markdown: &str) -> String {
    markdown.replace("**", "")
}

/// SARIF recommends a readable `name` distinct from the opaque id.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn result(f: &Reported, print: &str) -> Value {
    let mut text = f.message.clone();
    for line in [f.inner.as_deref(), f.note.as_deref()]
        .into_iter()
        .flatten()
    {
        text.push('\n');
        text.push_str(line);
    }
    if let Some(help) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.level),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact(&f.path),
                "region": {
                    "startLine": f.start.line,
                    "startColumn": f.start.column,
                    "endLine": f.end.line,
                    "endColumn": f.end.column,
                },
            },
        }],
        "partialFingerprints": { FINGERPRINT_KEY: print },
    });
    if let Some(index) = RULES.iter().position(|r| r.id() == f.rule) {
        result["ruleIndex"] = json!(index);
    }
    result
}

/// An input not read, as an error-level tool notification.
fn notification(e: &InputError) -> Value {
    let mut notification = json!({
        "level": "error",
        "message": { "text": e.to_string() },
    });
    if let Some(path) = &e.path {
        notification["locations"] = json!([{
            "physicalLocation": { "artifactLocation": artifact(path) },
        }]);
    }
    notification
}

/// A relative path becomes a relative URI reference against `%SRCROOT%`; an
/// absolute one a `file:` URI. Separators are `/` on every platform.
fn artifact(path: &str) -> Value {
    let slashed = path.replace('\\', "/");
    if slashed.starts_with('/') {
        json!({ "uri": format!("file://{}", percent_encode(&slashed)) })
    } else {
        json!({ "uri": percent_encode(&slashed), "uriBaseId": SRCROOT })
    }
}

/// Percent-encodes every byte but RFC 3986 unreserved characters and `/`,
/// so spaces, `%`, `#`, `?` and a `:` in the first segment (which would read
/// as a scheme) survive as path text.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule's helpUri anchor is a heading of docs/rules.md (GitHub and
    /// GitLab make `## id` the anchor `#id`), and a build that names no
    /// repository gives no helpUri at all.
    #[test]
    fn help_uris_point_at_the_rules_headings() {
        let doc = include_str!("../../docs/rules.md");
        for r in RULES {
            let uri = help_uri("https://git.example/o/regcred/", r.id());
            let anchor = uri.rsplit_once('#').map(|(_, a)| a).unwrap_or_default();
            assert!(
                uri.starts_with("https://git.example/o/regcred/blob/v"),
                "{uri}"
            );
            assert!(doc.contains(&format!("\n## {anchor}\n")), "{anchor}");
        }
        let value = rule(RULES[0]);
        assert_eq!(value.get("helpUri").is_some(), REPOSITORY.is_some());
    }

    #[test]
    fn uris_are_relative_slashed_and_encoded() {
        assert_eq!(
            artifact("deploy/a b%#?.yaml"),
            json!({"uri": "deploy/a%20b%25%23%3F.yaml", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("c:x\\pull.yaml"),
            json!({"uri": "c%3Ax/pull.yaml", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("/srv/é.yaml"),
            json!({"uri": "file:///srv/%C3%A9.yaml"})
        );
    }

    #[test]
    fn rule_names_and_descriptions() {
        assert_eq!(
            pascal_case("pull-secret-auth-no-colon"),
            "PullSecretAuthNoColon"
        );
        let text =
            "**What it checks.** A\nthing.\n\n**Why.** Because\nso.\n\n**Bad**\n\n```yaml\nx\n```";
        assert_eq!(
            description(text),
            "**What it checks.** A thing.\n\n**Why.** Because so."
        );
        assert_eq!(
            plain(&description(text)),
            "What it checks. A thing.\n\nWhy. Because so."
        );
    }
}
