//! The engine's first step: a manifest's bytes to the text it holds, or
//! why there is no text to parse. The encoding is read as kubectl reads it
//! (`encoding`: UTF-16 decoded, UTF-32 refused, lone CRs as LF), a UTF-8
//! BOM set aside, the pre-scan and the document limit applied before any
//! parsing (docs/limits.md).

use std::borrow::Cow;

use crate::lint::encoding::{self, Text};
use crate::lint::input::{worth_indexing, worth_parsing, InputKind};
use crate::manifest::prescan;

/// A manifest's text, ready to parse.
pub(super) struct Source<'a> {
    /// The bytes as decoded (BOM included): what positions count in.
    pub bytes: &'a [u8],
    /// The text after the BOM, which spans count from.
    pub text: &'a str,
    /// Bytes before `text` (a BOM).
    pub shift: usize,
}

/// Why a manifest is not parsed.
pub(super) enum Unread {
    /// kubectl cannot decode it: a `yaml-syntax-error` at `offset` of the
    /// raw bytes, with no excerpt (the bytes are not text to show).
    Undecodable { offset: usize, message: String },
    /// No document can matter (the pre-scan): only its objects are counted.
    Prefiltered { objects: usize },
    /// Over `limits.max-documents`, described.
    OverLimit(String),
    /// Not UTF-8 from this byte of the text on.
    NotUtf8 { offset: usize },
}

/// The bytes a manifest's text is in, decoded as kubectl decodes them.
pub(super) fn decode(bytes: &[u8]) -> Result<Cow<'_, [u8]>, Unread> {
    match encoding::read(bytes) {
        Text::Plain(text) => Ok(text),
        Text::FromUtf16(text) => Ok(Cow::Owned(text)),
        Text::Refused(message) => Err(Unread::Undecodable {
            offset: 0,
            message: message.to_string(),
        }),
        Text::BadUtf16(at) => Err(Unread::Undecodable {
            offset: at,
            message: format!(
                "the file starts with a UTF-16 byte order mark but is not UTF-16 at byte {at}; kubectl cannot decode it"
            ),
        }),
    }
}

/// What reading decoded bytes needs to know of the linter.
pub(super) struct ReadOptions {
    /// Parse whatever the pre-scan says.
    pub full_parse: bool,
    /// Only the index is wanted (context files).
    pub index_only: bool,
    pub max_documents: usize,
}

/// The text of `bytes` (decoded), or why it is not parsed.
pub(super) fn text<'a>(
    bytes: &'a [u8],
    kind: InputKind,
    options: &ReadOptions,
) -> Result<Source<'a>, Unread> {
    let body = crate::gocompat::without_bom(bytes);
    let shift = bytes.len() - body.len();
    let worth = match options.index_only {
        true => worth_indexing(body, kind),
        false => worth_parsing(body, kind),
    };
    if !options.full_parse && !worth {
        let objects = prescan::documents(body)
            .filter(|d| prescan::names_a_kind(d))
            .count();
        return Err(Unread::Prefiltered { objects });
    }
    let max = options.max_documents;
    if document_separators(body) >= max {
        return Err(Unread::OverLimit(format!(
            "more than {max} YAML documents (limits.max-documents in .regcred.yaml); not linted"
        )));
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Source { bytes, text, shift }),
        Err(e) => Err(Unread::NotUtf8 {
            offset: e.valid_up_to(),
        }),
    }
}

/// Document separators (`---` at the start of a line): an upper bound on the
/// documents of a stream, counted at memory speed before any parsing.
fn document_separators(bytes: &[u8]) -> usize {
    usize::from(bytes.starts_with(b"---")) + memchr::memmem::find_iter(bytes, b"\n---").count()
}
