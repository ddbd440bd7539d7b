//! What a lint run produces: findings placed in files, and counts. Report
//! formats read only this.

use super::finding::{Fix, Level};
use super::name_list::NameList;
use crate::manifest::ObjectId;

/// A 1-based line and column (columns in Unicode characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A few masked source lines around a finding, kept so the file's contents
/// can be dropped once it is linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// 1-based number of the first line of `text`.
    pub first_line: usize,
    /// The lines, secret values masked, long lines cut around the finding.
    pub text: String,
    /// The byte range in `text` to underline.
    pub range: std::ops::Range<usize>,
    /// The first line was cut at its start: columns in `text` are not the
    /// file's.
    pub cut: bool,
}

/// One finding, placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub rule: &'static str,
    pub level: Level,
    pub message: String,
    pub note: Option<String>,
    pub help: Option<String>,
    /// Where inside a decoded payload the finding is ("in the decoded
    /// .dockerconfigjson, line 1 column 31"), when the file position is the
    /// whole encoded value.
    pub inner: Option<String>,
    /// How to fix it ([`Fix`]), its edits in the file's bytes.
    pub fix: Option<Box<Fix>>,
    /// The path as given (or found by the walk); `-` for stdin.
    pub path: String,
    pub start: Position,
    pub end: Position,
    pub object: Option<ObjectId>,
    pub excerpt: Option<Excerpt>,
}

impl Reported {
    /// The deterministic report order: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, Position, &str) {
        (&self.path, self.start, self.rule)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Kubernetes objects found.
    pub objects: usize,
    /// Helm templates that do not parse as YAML, skipped.
    pub skipped_templates: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// An input the run could not read (missing, unreadable, over a limit), or
/// a setting that kept the walk from starting: the report is incomplete,
/// and every format says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The input as reports show paths; `None` when the error names none.
    pub path: Option<String>,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{path}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Reported>,
    /// What could not be read, sorted: when not empty, the findings are
    /// not the whole truth (exit 2).
    pub errors: Vec<InputError>,
    /// The name of every source linted (as in `Reported::path`), sorted:
    /// formats that list what passed (JUnit) read it.
    pub checked: NameList,
    pub summary: Summary,
}

impl Outcome {
    /// Adds the outcome of another workspace; [`Outcome::finish`] after.
    pub fn absorb(&mut self, other: Outcome) {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.checked.append(&other.checked);
        self.summary.files += other.summary.files;
        self.summary.objects += other.summary.objects;
        self.summary.skipped_templates += other.summary.skipped_templates;
    }

    /// Sorts findings and counts them by level.
    pub fn finish(&mut self) {
        // Names quoted from the input can be megabytes long.
        for f in &mut self.findings {
            let texts = [Some(&mut f.message), f.note.as_mut(), f.help.as_mut()];
            for text in texts.into_iter().flatten() {
                crate::shown_text::bound(text);
            }
            if let Some(inner) = f.inner.as_mut() {
                crate::shown_text::bound(inner);
            }
        }
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.findings.dedup();
        self.checked.sort_and_dedup();
        self.errors
            .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
        self.errors.dedup();
        let count = |level| self.findings.iter().filter(|f| f.level == level).count();
        self.summary.errors = count(Level::Error);
        self.summary.warnings = count(Level::Warning);
        self.summary.infos = count(Level::Info);
    }

    /// The highest level found, if any.
    pub fn worst(&self) -> Option<Level> {
        self.findings.iter().map(|f| f.level).max()
    }
}
