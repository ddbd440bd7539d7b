//! What a rule reports: a rule id, a level, words for a person, and where.

use std::ops::Range;

use crate::manifest::edit::{Edit, NamingEdit};

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
    /// How to fix it, when its rule knows (boxed: most findings have none).
    pub fix: Option<Box<Fix>>,
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

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }
}

/// How a finding is fixed, carried by the finding as ruff carries a fix
/// with a diagnostic: the rule that sees a problem with one right answer
/// says the edits. `regcred lint --fix` applies them (`src/fix/`), proves
/// the result and writes it; it never works out a fix itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Edits of the file that fix the finding, and what they do ("set
    /// `type: kubernetes.io/dockerconfigjson`"). Findings whose fixes are
    /// the same edits are fixed by one.
    Edits { edits: Vec<Edit>, summary: String },
    /// An edit naming a pull Secret that `--fix` chooses (`--fix-secret`,
    /// else the pull Secret among the inputs whose registries match
    /// `images`, else `fix.secret-name`).
    NamePullSecret(NamePullSecret),
    /// No fix here, and why (`--fix` says it).
    Unavailable(String),
}

/// [`Fix::NamePullSecret`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePullSecret {
    pub edit: NamingEdit,
    /// What the edit does, `{name}` standing for the chosen name.
    pub summary: String,
    /// The namespace the pull Secret must be in (none: any).
    pub namespace: Option<String>,
    /// The images it is for.
    pub images: Vec<String>,
    /// Applied only along with the same edit for another finding; alone,
    /// left for this reason.
    pub only_with_others: Option<String>,
}

impl Fix {
    /// Moves its edits `shift` bytes on (from text to
    /// file coordinates, past a BOM).
    pub fn shift(&mut self, shift: usize) {
        let by = |r: &mut std::ops::Range<usize>| *r = r.start + shift..r.end + shift;
        match self {
            Fix::Edits { edits, .. } => edits.iter_mut().for_each(|e| by(&mut e.range)),
            Fix::NamePullSecret(fix) => by(&mut fix.edit.range),
            Fix::Unavailable(_) => {}
        }
    }
}
