//! `--format junit`: JUnit XML, for CI systems that show test reports
//! (GitLab `artifacts: reports: junit:`, Jenkins, Azure Pipelines).
//!
//! One test case per checked file, so clean files show as passed tests. A
//! file with findings is one failed test case holding one `<failure>` (its
//! `type` the rule id, or the ids when several rules found something; its
//! text every finding, whatever its level: `--fail-on` decides the exit
//! code, the report shows everything). An input not read is one `<error>`
//! (the run is incomplete). So each test case has at most one result, as
//! the JUnit schema (Ant's `testcase`: a choice of one `error` or
//! `failure`) allows, and `failures` and `errors` count failed test cases,
//! which is also what junitparser recounts from the elements.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::lint::outcome::InputError;
use crate::lint::{Outcome, Reported};

/// The test case of an error that names no input.
const RUN_CASE: &str = "regcred lint";

pub fn render(outcome: &Outcome) -> String {
    // Every checked file, any path a finding names (a generated file), and
    // every input not read.
    let mut cases: BTreeMap<&str, Case<'_>> = outcome
        .checked
        .iter()
        .map(|p| (p, Case::default()))
        .collect();
    for f in &outcome.findings {
        cases.entry(f.path.as_str()).or_default().failures.push(f);
    }
    for e in &outcome.errors {
        let name = e.path.as_deref().unwrap_or(RUN_CASE);
        cases.entry(name).or_default().errors.push(e);
    }
    let tests = cases.len();
    let errors = cases.values().filter(|c| !c.errors.is_empty()).count();
    let failures = cases
        .values()
        .filter(|c| c.errors.is_empty() && !c.failures.is_empty())
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\"");
    let _ = writeln!(out, "<testsuites name=\"regcred lint\" {counts}>");
    let _ = writeln!(
        out,
        "  <testsuite name=\"regcred lint\" {counts} skipped=\"0\">"
    );
    for (path, case) in cases {
        let name = attribute(path);
        let open =
            format!("    <testcase name=\"{name}\" classname=\"regcred.lint\" file=\"{name}\"");
        if case.failures.is_empty() && case.errors.is_empty() {
            let _ = writeln!(out, "{open}/>");
            continue;
        }
        let _ = writeln!(out, "{open}>");
        let findings = case
            .failures
            .iter()
            .map(|f| body(f))
            .collect::<Vec<_>>()
            .join("\n\n");
        if case.errors.is_empty() {
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                attribute(&rules(&case.failures)),
                attribute(&failure_message(&case.failures)),
                text(&findings)
            );
        } else {
            // An input not read is an error of the test, not a finding.
            let message = match case.errors.as_slice() {
                [one] => one.message.clone(),
                many => format!("{} inputs not read", many.len()),
            };
            let mut body = case
                .errors
                .iter()
                .map(|e| format!("not read, the report is incomplete: {e}"))
                .collect::<Vec<_>>()
                .join("\n");
            if !findings.is_empty() {
                body.push_str("\n\n");
                body.push_str(&findings);
            }
            let _ = writeln!(
                out,
                "      <error type=\"{}\" message=\"{}\">{}</error>",
                crate::report::INPUT_NOT_READ,
                attribute(&message),
                text(&body)
            );
        }
        let _ = writeln!(out, "    </testcase>");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[derive(Default)]
struct Case<'a> {
    failures: Vec<&'a Reported>,
    errors: Vec<&'a InputError>,
}

/// The rule ids of a case's findings, each once, in report order.
fn rules(failures: &[&Reported]) -> String {
    let mut ids: Vec<&str> = Vec::new();
    for f in failures {
        if !ids.contains(&f.rule) {
            ids.push(f.rule);
        }
    }
    ids.join(" ")
}

/// The failure's message: the finding's, or how many there are and the
/// first.
fn failure_message(failures: &[&Reported]) -> String {
    match failures {
        [one] => one.message.clone(),
        [first, rest @ ..] => format!("{} findings; the first: {}", rest.len() + 1, first.message),
        [] => String::new(),
    }
}

/// A finding's text: where, what, and the note and help, as lines.
fn body(f: &Reported) -> String {
    let mut body = format!(
        "{}:{}:{}: {}[{}]: {}",
        f.path,
        f.start.line,
        f.start.column,
        f.level.as_str(),
        f.rule,
        f.message
    );
    for line in [f.inner.as_deref(), f.note.as_deref()]
        .into_iter()
        .flatten()
    {
        body.push_str("\n  = note: ");
        body.push_str(line);
    }
    if let Some(help) = &f.help {
        body.push_str("\n  = help: ");
        body.push_str(help);
    }
    body
}

/// Escapes element text: `&`, `<`, `>`, and characters XML 1.0 cannot hold.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Escapes an attribute value: as text, plus quotes, and tab, CR and LF as
/// character references (an XML parser would turn them into spaces).
pub fn attribute(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\'' if in_attribute => out.push_str("&apos;"),
            '\t' | '\n' | '\r' if in_attribute => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            // A lone CR in text would be read back as LF.
            '\r' => out.push_str("&#13;"),
            c if allowed_in_xml(c) => out.push(c),
            // XML 1.0 has no way to write these, not even as references:
            // the replacement character marks where one was.
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// XML 1.0's `Char` production (Rust chars are never surrogates).
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(text("a<b>&c\"'"), "a&lt;b&gt;&amp;c\"'");
        assert_eq!(attribute("a<b>&c\"'"), "a&lt;b&gt;&amp;c&quot;&apos;");
    }

    #[test]
    fn whitespace_survives_attribute_normalisation() {
        assert_eq!(attribute("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
        assert_eq!(text("a\tb\nc\rd"), "a\tb\nc&#13;d");
    }

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        assert_eq!(text("a\u{0}b\u{1b}c\u{7f}"), "a\u{FFFD}b\u{FFFD}c\u{7f}");
        assert_eq!(
            attribute("\u{FFFE}\u{FFFF}\u{10FFFF}"),
            "\u{FFFD}\u{FFFD}\u{10FFFF}"
        );
        assert_eq!(text("é€😀"), "é€😀");
    }
}
