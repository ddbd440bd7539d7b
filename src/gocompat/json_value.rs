//! A JSON reader with Go `encoding/json`'s acceptance rules and error
//! offsets, producing a tree with the byte span of every key and value.
//!
//! The API server and the kubelet both read pull-secret payloads with
//! `json.Unmarshal`, which first runs Go's byte-at-a-time scanner over the
//! whole input (`checkValid`) and only then decodes. [`parse`] does the same:
//! a transcription of that scanner decides acceptance and the error (message
//! and `Offset`), then an iterative builder makes the tree. What Go accepts
//! and other readers may not: duplicate keys (kept; lookups take the last),
//! invalid UTF-8 and lone surrogates in strings (each becomes U+FFFD),
//! trailing whitespace. What it rejects: a leading BOM, trailing content,
//! nesting deeper than 10000.

use std::fmt;
use std::ops::Range;

const TOO_LARGE: &str = "larger than 4 GiB, more than regcred reads as JSON";

/// Go's `maxNestingDepth` (encoding/json/scanner.go).
const MAX_NESTING_DEPTH: usize = 10_000;

/// Go's `*json.SyntaxError`, located.
///
/// The offending byte itself is not stored (it may be part of a secret);
/// [`SyntaxError::go_message`] rebuilds Go's exact text from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Go's `SyntaxError.Offset`: bytes read before the error, so the index
    /// of the offending byte plus one, or the input length at its end.
    pub offset: usize,
    /// The byte to point at: the offending byte, or the input length when
    /// the input ended too early.
    pub at: usize,
    pub kind: SyntaxErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// `invalid character 'c' CONTEXT`. When the input ended inside a number
    /// or literal, Go feeds a virtual space and reports that (`at` is then
    /// the input length).
    InvalidCharacter { context: &'static str, at_end: bool },
    /// `unexpected end of JSON input`.
    UnexpectedEnd,
    /// Valid for Go, but over 4 GiB: more than regcred's tree can index
    /// (docs/limits.md). Not a Go error.
    TooLarge,
}

impl SyntaxError {
    /// Go's `err.Error()` text, which quotes the offending byte.
    /// Meant for tests against Go; it can show one payload byte.
    pub fn go_message(&self, input: &[u8]) -> String {
        match self.kind {
            SyntaxErrorKind::UnexpectedEnd => "unexpected end of JSON input".to_string(),
            SyntaxErrorKind::TooLarge => TOO_LARGE.to_string(),
            SyntaxErrorKind::InvalidCharacter { context, at_end } => {
                let byte = if at_end {
                    b' '
                } else {
                    input.get(self.at).copied().unwrap_or(b' ')
                };
                format!("invalid character {} {}", quote_char(byte), context)
            }
        }
    }

    /// The context words of the error, e.g. "looking for beginning of value".
    pub fn context(&self) -> &'static str {
        match self.kind {
            SyntaxErrorKind::UnexpectedEnd => "unexpected end of JSON input",
            SyntaxErrorKind::TooLarge => TOO_LARGE,
            SyntaxErrorKind::InvalidCharacter { context, .. } => context,
        }
    }
}

/// Go's scanner contexts, reworded as where the byte was unexpected, for
/// messages that follow "unexpected character" or a described byte.
pub fn context_words(context: &'static str) -> &'static str {
    match context {
        "looking for beginning of value" => "where a value should start",
        "looking for beginning of object key string" => "where a quoted key should start",
        "after object key" => "after a key, where ':' should follow",
        "after object key:value pair" => "after a value, where ',' or '}' should follow",
        "after array element" => "after an array element, where ',' or ']' should follow",
        "after top-level value" => "after the end of the JSON value",
        MAX_DEPTH_CONTEXT => "nested deeper than Go's limit of 10000 levels",
        other => other,
    }
}

/// Go's context when a value opens past [`MAX_NESTING_DEPTH`].
pub const MAX_DEPTH_CONTEXT: &str = "exceeded max depth";

impl fmt::Display for SyntaxError {
    // No payload byte here: Display may end up in a report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            SyntaxErrorKind::UnexpectedEnd => write!(f, "unexpected end of JSON input"),
            SyntaxErrorKind::TooLarge => write!(f, "{TOO_LARGE}"),
            SyntaxErrorKind::InvalidCharacter { context, .. } => {
                write!(
                    f,
                    "invalid JSON at byte {}: unexpected character {context}",
                    self.at
                )
            }
        }
    }
}

impl std::error::Error for SyntaxError {}

/// Go's `quoteChar`: the byte widened to a rune, quoted by `strconv.Quote`.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => r"'\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => format!("'{}'", go_quote_rune_body(char::from(c))),
    }
}

// strconv.Quote's escaping for runes U+0000..U+00FF.
fn go_quote_rune_body(r: char) -> String {
    match r {
        '\u{7}' => r"\a".into(),
        '\u{8}' => r"\b".into(),
        '\u{c}' => r"\f".into(),
        '\n' => r"\n".into(),
        '\r' => r"\r".into(),
        '\t' => r"\t".into(),
        '\u{b}' => r"\v".into(),
        '\\' => r"\\".into(),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => format!(r"\x{:02x}", c as u32),
        // strconv.IsPrint is false for the C1 controls, NBSP and the soft hyphen.
        c if (0x80..=0xa0).contains(&(c as u32)) || c as u32 == 0xad => {
            format!(r"\u{:04x}", c as u32)
        }
        c => c.to_string(),
    }
}

use super::json_tree::{self, MAX_INPUT};
pub use super::json_tree::{decode_rune, Document, Kind, Member, MemberId, NodeId, Value};

/// Go's `*json.UnmarshalTypeError` from `json.Unmarshal(data, &map[string]interface{}{})`:
/// the API server's check of a `.dockerconfigjson` / `.dockercfg` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapUnmarshalError {
    /// The top level is not an object (nor null).
    NotAnObject { found: Kind },
    /// A number that overflows float64 (Go's `strconv.ParseFloat` range error).
    NumberOutOfRange { span: Range<usize> },
}

/// What the API server's `json.Unmarshal` into `map[string]interface{}`
/// says about an already-parsed document.
pub fn unmarshal_into_map(doc: &Document, input: &[u8]) -> Result<(), MapUnmarshalError> {
    let root = doc.root();
    match doc.kind(root) {
        Kind::Null => return Ok(()),
        Kind::Object => {}
        found => return Err(MapUnmarshalError::NotAnObject { found }),
    }
    // Nodes are stored in document order, so the first overflow is Go's.
    for id in doc.ids() {
        let span = doc.span(id);
        if doc.kind(id) == Kind::Number && !number_fits_float64(input.get(span.clone())) {
            return Err(MapUnmarshalError::NumberOutOfRange { span });
        }
    }
    Ok(())
}

// Go's ParseFloat fails with ErrRange on overflow to ±Inf (underflow to 0 is
// fine). Rust's parser rounds the same way, so an infinite result is overflow.
fn number_fits_float64(text: Option<&[u8]>) -> bool {
    text.and_then(|t| std::str::from_utf8(t).ok())
        .and_then(|t| t.parse::<f64>().ok())
        .is_some_and(f64::is_finite)
}

/// Parses `input` exactly as Go's `json.Unmarshal` accepts it.
pub fn parse(input: &[u8]) -> Result<Document, SyntaxError> {
    check_valid(input)?;
    if input.len() > MAX_INPUT {
        return Err(SyntaxError {
            offset: 0,
            at: 0,
            kind: SyntaxErrorKind::TooLarge,
        });
    }
    json_tree::build(input).ok_or(SyntaxError {
        // Unreachable for input the scanner accepted; kept as a value, not a panic.
        offset: input.len(),
        at: input.len(),
        kind: SyntaxErrorKind::UnexpectedEnd,
    })
}

// ---------------------------------------------------------------------------
// The scanner: a transcription of encoding/json/scanner.go (Go 1.19).

#[derive(Clone, Copy, PartialEq, Eq)]
enum ParseState {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    BeginValue,
    BeginValueOrEmpty,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    InStringEscU(u8),
    Neg,
    One,
    Zero,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    Literal(&'static [u8], usize),
}

const LIT_TRUE: &[u8] = b"true";
const LIT_FALSE: &[u8] = b"false";
const LIT_NULL: &[u8] = b"null";

fn literal_context(lit: &'static [u8], i: usize) -> &'static str {
    match (lit, i) {
        (LIT_TRUE, 1) => "in literal true (expecting 'r')",
        (LIT_TRUE, 2) => "in literal true (expecting 'u')",
        (LIT_TRUE, _) => "in literal true (expecting 'e')",
        (LIT_FALSE, 1) => "in literal false (expecting 'a')",
        (LIT_FALSE, 2) => "in literal false (expecting 'l')",
        (LIT_FALSE, 3) => "in literal false (expecting 's')",
        (LIT_FALSE, _) => "in literal false (expecting 'e')",
        (_, 1) => "in literal null (expecting 'u')",
        (_, 2) => "in literal null (expecting 'l')",
        _ => "in literal null (expecting 'l')",
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

struct Scanner {
    step: Step,
    parse_state: Vec<ParseState>,
    end_top: bool,
}

/// Err carries the context of Go's `s.error(c, context)`.
type StepResult = Result<(), &'static str>;

impl Scanner {
    fn new() -> Self {
        Scanner {
            step: Step::BeginValue,
            parse_state: Vec::new(),
            end_top: false,
        }
    }

    fn push(&mut self, state: ParseState) -> StepResult {
        self.parse_state.push(state);
        if self.parse_state.len() <= MAX_NESTING_DEPTH {
            Ok(())
        } else {
            Err(MAX_DEPTH_CONTEXT)
        }
    }

    fn step(&mut self, c: u8) -> StepResult {
        match self.step {
            Step::BeginValueOrEmpty => {
                if is_space(c) {
                    Ok(())
                } else if c == b']' {
                    self.end_value(c)
                } else {
                    self.begin_value(c)
                }
            }
            Step::BeginValue => self.begin_value(c),
            Step::BeginStringOrEmpty => {
                if is_space(c) {
                    Ok(())
                } else if c == b'}' {
                    if let Some(last) = self.parse_state.last_mut() {
                        *last = ParseState::ObjectValue;
                    }
                    self.end_value(c)
                } else {
                    self.begin_string(c)
                }
            }
            Step::BeginString => self.begin_string(c),
            Step::EndValue => self.end_value(c),
            Step::EndTop => {
                if is_space(c) {
                    Ok(())
                } else {
                    Err("after top-level value")
                }
            }
            Step::InString => {
                match c {
                    b'"' => self.step = Step::EndValue,
                    b'\\' => self.step = Step::InStringEsc,
                    c if c < 0x20 => return Err("in string literal"),
                    _ => {}
                }
                Ok(())
            }
            Step::InStringEsc => match c {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                    self.step = Step::InString;
                    Ok(())
                }
                b'u' => {
                    self.step = Step::InStringEscU(0);
                    Ok(())
                }
                _ => Err("in string escape code"),
            },
            Step::InStringEscU(n) => {
                if c.is_ascii_hexdigit() {
                    self.step = if n == 3 {
                        Step::InString
                    } else {
                        Step::InStringEscU(n + 1)
                    };
                    Ok(())
                } else {
                    Err("in \\u hexadecimal character escape")
                }
            }
            Step::Neg => match c {
                b'0' => {
                    self.step = Step::Zero;
                    Ok(())
                }
                b'1'..=b'9' => {
                    self.step = Step::One;
                    Ok(())
                }
                _ => Err("in numeric literal"),
            },
            Step::One => {
                if c.is_ascii_digit() {
                    Ok(())
                } else {
                    self.zero(c)
                }
            }
            Step::Zero => self.zero(c),
            Step::Dot => {
                if c.is_ascii_digit() {
                    self.step = Step::Dot0;
                    Ok(())
                } else {
                    Err("after decimal point in numeric literal")
                }
            }
            Step::Dot0 => {
                if c.is_ascii_digit() {
                    Ok(())
                } else if c == b'e' || c == b'E' {
                    self.step = Step::E;
                    Ok(())
                } else {
                    self.end_value(c)
                }
            }
            Step::E => {
                if c == b'+' || c == b'-' {
                    self.step = Step::ESign;
                    Ok(())
                } else {
                    self.e_sign(c)
                }
            }
            Step::ESign => self.e_sign(c),
            Step::E0 => {
                if c.is_ascii_digit() {
                    Ok(())
                } else {
                    self.end_value(c)
                }
            }
            Step::Literal(lit, i) => {
                if lit.get(i) == Some(&c) {
                    self.step = if i + 1 == lit.len() {
                        Step::EndValue
                    } else {
                        Step::Literal(lit, i + 1)
                    };
                    Ok(())
                } else {
                    Err(literal_context(lit, i))
                }
            }
        }
    }

    fn begin_value(&mut self, c: u8) -> StepResult {
        if is_space(c) {
            return Ok(());
        }
        match c {
            b'{' => {
                self.step = Step::BeginStringOrEmpty;
                self.push(ParseState::ObjectKey)
            }
            b'[' => {
                self.step = Step::BeginValueOrEmpty;
                self.push(ParseState::ArrayValue)
            }
            b'"' => {
                self.step = Step::InString;
                Ok(())
            }
            b'-' => {
                self.step = Step::Neg;
                Ok(())
            }
            b'0' => {
                self.step = Step::Zero;
                Ok(())
            }
            b't' => {
                self.step = Step::Literal(LIT_TRUE, 1);
                Ok(())
            }
            b'f' => {
                self.step = Step::Literal(LIT_FALSE, 1);
                Ok(())
            }
            b'n' => {
                self.step = Step::Literal(LIT_NULL, 1);
                Ok(())
            }
            b'1'..=b'9' => {
                self.step = Step::One;
                Ok(())
            }
            _ => Err("looking for beginning of value"),
        }
    }

    fn begin_string(&mut self, c: u8) -> StepResult {
        if is_space(c) {
            Ok(())
        } else if c == b'"' {
            self.step = Step::InString;
            Ok(())
        } else {
            Err("looking for beginning of object key string")
        }
    }

    fn zero(&mut self, c: u8) -> StepResult {
        if c == b'.' {
            self.step = Step::Dot;
            Ok(())
        } else if c == b'e' || c == b'E' {
            self.step = Step::E;
            Ok(())
        } else {
            self.end_value(c)
        }
    }

    fn e_sign(&mut self, c: u8) -> StepResult {
        if c.is_ascii_digit() {
            self.step = Step::E0;
            Ok(())
        } else {
            Err("in exponent of numeric literal")
        }
    }

    fn end_value(&mut self, c: u8) -> StepResult {
        let Some(&ps) = self.parse_state.last() else {
            // The top-level value ended before this byte.
            self.step = Step::EndTop;
            self.end_top = true;
            return self.step(c);
        };
        if is_space(c) {
            self.step = Step::EndValue;
            return Ok(());
        }
        match ps {
            ParseState::ObjectKey => {
                if c == b':' {
                    self.set_top(ParseState::ObjectValue);
                    self.step = Step::BeginValue;
                    Ok(())
                } else {
                    Err("after object key")
                }
            }
            ParseState::ObjectValue => match c {
                b',' => {
                    self.set_top(ParseState::ObjectKey);
                    self.step = Step::BeginString;
                    Ok(())
                }
                b'}' => {
                    self.pop();
                    Ok(())
                }
                _ => Err("after object key:value pair"),
            },
            ParseState::ArrayValue => match c {
                b',' => {
                    self.step = Step::BeginValue;
                    Ok(())
                }
                b']' => {
                    self.pop();
                    Ok(())
                }
                _ => Err("after array element"),
            },
        }
    }

    fn set_top(&mut self, state: ParseState) {
        if let Some(last) = self.parse_state.last_mut() {
            *last = state;
        }
    }

    fn pop(&mut self) {
        self.parse_state.pop();
        self.step = if self.parse_state.is_empty() {
            self.end_top = true;
            Step::EndTop
        } else {
            Step::EndValue
        };
    }
}

// Go's checkValid: every byte through the scanner, then `eof`, which feeds a
// virtual space to finish a trailing number or literal.
fn check_valid(input: &[u8]) -> Result<(), SyntaxError> {
    let mut scanner = Scanner::new();
    for (i, &c) in input.iter().enumerate() {
        if let Err(context) = scanner.step(c) {
            return Err(SyntaxError {
                offset: i + 1,
                at: i,
                kind: SyntaxErrorKind::InvalidCharacter {
                    context,
                    at_end: false,
                },
            });
        }
    }
    if scanner.end_top {
        return Ok(());
    }
    let end = input.len();
    if let Err(context) = scanner.step(b' ') {
        return Err(SyntaxError {
            offset: end,
            at: end,
            kind: SyntaxErrorKind::InvalidCharacter {
                context,
                at_end: true,
            },
        });
    }
    if scanner.end_top {
        return Ok(());
    }
    Err(SyntaxError {
        offset: end,
        at: end,
        kind: SyntaxErrorKind::UnexpectedEnd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> (usize, String) {
        let e = parse(input.as_bytes()).unwrap_err();
        (e.offset, e.go_message(input.as_bytes()))
    }

    #[test]
    fn go_messages_and_offsets() {
        assert_eq!(
            err("x"),
            (
                1,
                "invalid character 'x' looking for beginning of value".into()
            )
        );
        assert_eq!(err(""), (0, "unexpected end of JSON input".into()));
        assert_eq!(err("{\"a\":1"), (6, "unexpected end of JSON input".into()));
        assert_eq!(
            err("{} x"),
            (4, "invalid character 'x' after top-level value".into())
        );
        assert_eq!(
            err("-"),
            (1, "invalid character ' ' in numeric literal".into())
        );
        assert_eq!(
            err("{\"a\" 1}"),
            (6, "invalid character '1' after object key".into())
        );
        assert_eq!(
            err("tru"),
            (
                3,
                "invalid character ' ' in literal true (expecting 'e')".into()
            )
        );
        assert_eq!(
            err("\"a\nb\""),
            (3, "invalid character '\\n' in string literal".into())
        );
    }

    #[test]
    fn bom_is_rejected_with_gos_wording() {
        let input = b"\xef\xbb\xbf{}";
        let e = parse(input).unwrap_err();
        assert_eq!(e.offset, 1);
        assert_eq!(
            e.go_message(input),
            "invalid character '\u{ef}' looking for beginning of value"
        );
    }

    #[test]
    fn depth_limit_is_gos() {
        let ok = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(ok.as_bytes()).is_ok());
        let deep = "[".repeat(100_000);
        let e = parse(deep.as_bytes()).unwrap_err();
        assert_eq!(e.offset, 10_001);
        assert_eq!(
            e.go_message(deep.as_bytes()),
            "invalid character '[' exceeded max depth"
        );
    }

    #[test]
    fn tree_has_spans_and_keeps_duplicates() {
        let input = br#" {"a": [1, "x"], "a": null} "#;
        let doc = parse(input).unwrap();
        let root = doc.root();
        assert_eq!(doc.span(root), 1..27);
        let members = doc.members(root);
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].key_span(), 2..5);
        assert_eq!(doc.kind(members[0].value), Kind::Array);
        assert_eq!(doc.span(members[0].value), 7..15);
        let last = doc.get(root, "a").unwrap();
        assert_eq!(doc.kind(last.value), Kind::Null);
    }

    #[test]
    fn strings_unquote_like_go() {
        let doc = parse(b"[\"\\u0041\\ud83d\\ude00\\ud800x\\udc00\\u00e9\xe2\x82a\"]").unwrap();
        let Value::Array(items) = doc.value(doc.root()) else {
            panic!()
        };
        assert_eq!(
            doc.as_str(items[0]).unwrap(),
            "A\u{1f600}\u{fffd}x\u{fffd}\u{e9}\u{fffd}\u{fffd}a"
        );
    }

    #[test]
    fn api_server_map_check() {
        let check = |s: &str| unmarshal_into_map(&parse(s.as_bytes()).unwrap(), s.as_bytes());
        assert_eq!(check("null"), Ok(()));
        assert_eq!(check(r#"{"a":[1e308]}"#), Ok(()));
        assert_eq!(
            check("[]"),
            Err(MapUnmarshalError::NotAnObject { found: Kind::Array })
        );
        assert_eq!(
            check(r#"{"a":1e400}"#),
            Err(MapUnmarshalError::NumberOutOfRange { span: 5..10 })
        );
    }

    #[test]
    fn debug_does_not_show_strings() {
        let doc = parse(br#"{"password":"hunter2"}"#).unwrap();
        assert!(!format!("{doc:?}").contains("hunter2"));
    }
}
