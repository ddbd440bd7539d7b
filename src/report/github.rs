//! `--format github`: GitHub Actions workflow commands, one line per
//! finding, which the runner turns into annotations on the pull request:
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::MESSAGE`.
//!
//! The runner splits a command at `::` and its properties at `,` and `=`,
//! so data and properties are escaped exactly as the Actions toolkit does
//! (`@actions/core`, command.ts: `escapeData`, `escapeProperty`).

use crate::lint::outcome::InputError;
use crate::lint::{Level, Outcome, Reported};

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for e in &outcome.errors {
        out.push_str(&error_command(e));
        out.push('\n');
    }
    for f in &outcome.findings {
        out.push_str(&command(f));
        out.push('\n');
    }
    out
}

/// The workflow command names: GitHub has error, warning and notice.
fn name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    }
}

fn command(f: &Reported) -> String {
    let properties = [
        ("file", f.path.clone()),
        ("line", f.start.line.to_string()),
        ("col", f.start.column.to_string()),
        ("endLine", f.end.line.to_string()),
        ("endColumn", f.end.column.to_string()),
        ("title", format!("regcred {}", f.rule)),
    ];
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    // The annotation shows the whole message; the note and help go on
    // lines of their own, as in the human format.
    let mut message = f.message.clone();
    for line in [f.inner.as_deref(), f.note.as_deref()]
        .into_iter()
        .flatten()
    {
        message.push('\n');
        message.push_str(line);
    }
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} {}::{}",
        name(f.level),
        properties.join(","),
        escape_data(&message)
    )
}

/// An input not read: an error annotation on the file when there is one,
/// on the run otherwise.
fn error_command(e: &InputError) -> String {
    let mut properties = Vec::new();
    if let Some(path) = &e.path {
        properties.push(format!("file={}", escape_property(path)));
    }
    properties.push(format!("title=regcred {}", super::INPUT_NOT_READ));
    format!(
        "::error {}::{}",
        properties.join(","),
        escape_data(&format!("not read, the report is incomplete: {e}"))
    )
}

/// The toolkit's `escapeData`: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The toolkit's `escapeProperty`: as data, and `:` and `,` too.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::outcome::Position;

    #[test]
    fn data_escapes_percent_first_then_cr_lf_only() {
        assert_eq!(escape_data("100%\r\nok"), "100%25%0D%0Aok");
        // Already-escaped text is escaped again, not passed through.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data("a: b, c :: d"), "a: b, c :: d");
    }

    #[test]
    fn properties_escape_colon_and_comma_too() {
        assert_eq!(escape_property("a:b,c%d\ne\r"), "a%3Ab%2Cc%25d%0Ae%0D");
        assert_eq!(escape_property("dir,x/y::z.yaml"), "dir%2Cx/y%3A%3Az.yaml");
    }

    #[test]
    fn one_command_per_finding_with_all_positions() {
        let f = Reported {
            rule: "secret-data-plaintext",
            level: Level::Warning,
            message: "value \"a,b\" looks like: plain text\nnot base64".into(),
            note: Some("note".into()),
            help: Some("encode it".into()),
            inner: None,
            fix: None,
            path: "k8s/a,b:c.yaml".into(),
            start: Position {
                line: 6,
                column: 13,
            },
            end: Position {
                line: 6,
                column: 21,
            },
            object: None,
            excerpt: None,
        };
        assert_eq!(
            command(&f),
            "::warning file=k8s/a%2Cb%3Ac.yaml,line=6,col=13,endLine=6,endColumn=21,\
             title=regcred secret-data-plaintext::value \"a,b\" looks like: plain text%0Anot base64\
             %0Anote%0Ahelp: encode it"
        );
        let info = Reported {
            level: Level::Info,
            ..f.clone()
        };
        assert!(command(&info).starts_with("::notice "));
        let error = Reported {
            level: Level::Error,
            ..f
        };
        assert!(command(&error).starts_with("::error "));
    }
}
