//! What a rule reports: a rule id, a level, words for a person, and where.

use std::ops::Range;

/// How serious a finding is (docs/rules.md: error, warning, info).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A byte range of the file being linted.
    File(Range<usize>),
    /// A byte range of a decoded pull-secret payload (the JSON inside a
    /// base64 `data` value, or a Docker config file itself). The engine maps
    /// it back to the file: directly for a config file, to the whole `data`
    /// value plus a "line L column C of the decoded payload" note otherwise.
    Payload(Range<usize>),
}

/// One problem found by one rule. Messages never contain secret bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    /// The rule's default level ([`Rule::default_level`], the one docs/rules.md
    /// and SARIF show), set by [`Rule::finding`]; a rule whose explanation
    /// grades its findings lowers or raises it per finding.
    ///
    /// [`Rule::default_level`]: super::rules::Rule::default_level
    /// [`Rule::finding`]: super::rules::Rule::finding
    pub level: Level,
    pub message: String,
    /// Why it matters in the real system's terms (one line), if not in `message`.
    pub note: Option<String>,
    /// One thing the user can do.
    pub help: Option<String>,
    pub location: Location,
}

impl Finding {
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
