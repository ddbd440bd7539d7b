//! The engine's second step: a manifest's text to spanned documents, in the
//! one parse mode the linter and the input's kind choose, or why it has no
//! documents to lint (a template, JSON the YAML parser trips on, a syntax
//! error).

use super::read::Source;
use crate::lint::input::InputKind;
use crate::manifest::{parse_stream, parse_stream_filtered, prescan, Document, SyntaxError};

/// Which documents of a stream get a tree; the others are parsed for
/// syntax only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Every document: a kustomization (its generators are not objects),
    /// and the full parse the pre-scan is tested against.
    Whole,
    /// Documents that can matter to a hook (`manifest::prescan` lists
    /// them; a hook that reads other objects extends it).
    Linted,
    /// Documents that define something the index holds (context files).
    Indexed,
}

impl Mode {
    /// The mode for an input of `kind`.
    pub fn of(kind: InputKind, full_parse: bool, index_only: bool) -> Mode {
        match kind {
            InputKind::Kustomization => Mode::Whole,
            _ if full_parse => Mode::Whole,
            _ if index_only => Mode::Indexed,
            _ => Mode::Linted,
        }
    }
}

/// Why a manifest has no documents.
pub(super) enum Unparsed {
    /// A Helm/Go (`{{`) or Jinja (`{%`) template: not YAML until rendered.
    Template,
    /// Valid JSON the YAML parser trips on (tabs): not an error.
    Json,
    /// A `yaml-syntax-error`.
    Syntax(SyntaxError),
}

/// The documents of `source`.
pub(super) fn documents<'t>(
    source: &Source<'t>,
    path: &str,
    mode: Mode,
) -> Result<Vec<Document<'t>>, Unparsed> {
    let parsed = match mode {
        Mode::Whole => parse_stream(source.text),
        Mode::Linted => {
            parse_stream_filtered(source.text, &|d: &str| prescan::may_matter(d.as_bytes()))
        }
        Mode::Indexed => {
            parse_stream_filtered(source.text, &|d: &str| prescan::may_define(d.as_bytes()))
        }
    };
    parsed.map_err(|error| {
        let body = source.text.as_bytes();
        if memchr::memmem::find(body, b"{{").is_some()
            || memchr::memmem::find(body, b"{%").is_some()
        {
            Unparsed::Template
        } else if path.ends_with(".json")
            && serde_json::from_str::<serde_json::Value>(source.text).is_ok()
        {
            Unparsed::Json
        } else {
            Unparsed::Syntax(error)
        }
    })
}
