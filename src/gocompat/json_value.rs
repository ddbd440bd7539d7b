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

use zeroize::Zeroize;

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
}

impl SyntaxError {
    /// Go's `err.Error()` text, which quotes the offending byte.
    /// Meant for tests against Go; it can show one payload byte.
    pub fn go_message(&self, input: &[u8]) -> String {
        match self.kind {
            SyntaxErrorKind::UnexpectedEnd => "unexpected end of JSON input".to_string(),
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
            SyntaxErrorKind::InvalidCharacter { context, .. } => context,
        }
    }
}

impl fmt::Display for SyntaxError {
    // No payload byte here: Display may end up in a report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            SyntaxErrorKind::UnexpectedEnd => write!(f, "unexpected end of JSON input"),
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

/// The index of a node in its [`Document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(usize);

/// A JSON value's kind, named as Go's `UnmarshalTypeError.Value` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    pub fn go_name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "bool",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }

    /// With an article, for messages: "an object", "a number".
    pub fn described(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// One value. Numbers keep only their span (their text is in the input).
#[derive(Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number,
    /// Unquoted as Go does it: escapes resolved, invalid UTF-8 and lone
    /// surrogates replaced by U+FFFD.
    String(String),
    Array(Vec<NodeId>),
    Object(Vec<Member>),
}

impl Value {
    pub fn kind(&self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }
}

// String values may be passwords: Debug shows their length only.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => write!(f, "Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Number => write!(f, "Number"),
            Value::String(s) => write!(f, "String(<{} bytes>)", s.len()),
            Value::Array(items) => f.debug_tuple("Array").field(items).finish(),
            Value::Object(members) => f.debug_tuple("Object").field(members).finish(),
        }
    }
}

/// An object member, in document order (duplicates kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The unquoted key.
    pub key: String,
    /// The key's span, quotes included.
    pub key_span: Range<usize>,
    pub value: NodeId,
}

/// A value and where it sits in the input (quotes and brackets included).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Range<usize>,
    /// For a string: whether its source had escapes or invalid UTF-8, so
    /// that a byte of the unquoted text is not at `span.start + 1 + i`.
    pub string_is_verbatim: bool,
}

/// A parsed JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    nodes: Vec<Node>,
    root: NodeId,
}

// String values may be passwords or `auth` values: wipe them on drop, as
// the readers that came before this one did with `Zeroizing`.
impl Drop for Document {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            if let Value::String(s) = &mut node.value {
                s.zeroize();
            }
        }
    }
}

impl Document {
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The node `id` names. Ids come only from this document.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0]
    }

    pub fn kind(&self, id: NodeId) -> Kind {
        self.node(id).value.kind()
    }

    pub fn span(&self, id: NodeId) -> Range<usize> {
        self.node(id).span.clone()
    }

    /// The members of an object, in document order; empty for other kinds.
    pub fn members(&self, id: NodeId) -> &[Member] {
        match &self.node(id).value {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    /// The last member named exactly `key` (Go: the last duplicate wins).
    pub fn get(&self, id: NodeId, key: &str) -> Option<&Member> {
        self.members(id).iter().rev().find(|m| m.key == key)
    }

    pub fn as_str(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Where byte `i` of a string's unquoted text sits in the input, when
    /// the source spells it verbatim (no escapes, valid UTF-8).
    pub fn source_offset_in_string(&self, id: NodeId, i: usize) -> Option<usize> {
        let node = self.node(id);
        match &node.value {
            Value::String(s) if node.string_is_verbatim && i <= s.len() => {
                Some(node.span.start + 1 + i)
            }
            _ => None,
        }
    }

    /// Every node id, in document order of their start.
    pub fn ids(&self) -> impl Iterator<Item = NodeId> {
        (0..self.nodes.len()).map(NodeId)
    }
}

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
        let node = doc.node(id);
        if node.value == Value::Number && !number_fits_float64(input.get(node.span.clone())) {
            return Err(MapUnmarshalError::NumberOutOfRange {
                span: node.span.clone(),
            });
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
    Builder::new(input).build().ok_or(SyntaxError {
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
            Err("exceeded max depth")
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

// ---------------------------------------------------------------------------
// The builder: runs only on input the scanner accepted, without recursion.

enum Frame {
    Object {
        id: NodeId,
        key: Option<(String, Range<usize>)>,
    },
    Array {
        id: NodeId,
    },
}

struct Builder<'a> {
    input: &'a [u8],
    pos: usize,
    nodes: Vec<Node>,
}

impl<'a> Builder<'a> {
    fn new(input: &'a [u8]) -> Self {
        Builder {
            input,
            pos: 0,
            nodes: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn push_node(&mut self, value: Value, span: Range<usize>, verbatim: bool) -> NodeId {
        self.nodes.push(Node {
            value,
            span,
            string_is_verbatim: verbatim,
        });
        NodeId(self.nodes.len() - 1)
    }

    fn build(mut self) -> Option<Document> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Read one value; containers open a frame and continue inside.
            self.skip_space();
            let start = self.pos;
            let mut done = match self.peek()? {
                b'{' => {
                    self.pos += 1;
                    let id = self.push_node(Value::Object(Vec::new()), start..start, false);
                    self.skip_space();
                    if self.peek()? == b'}' {
                        self.pos += 1;
                        self.nodes.get_mut(id.0)?.span = start..self.pos;
                        Some(id)
                    } else {
                        let key = self.read_key()?;
                        stack.push(Frame::Object { id, key: Some(key) });
                        None
                    }
                }
                b'[' => {
                    self.pos += 1;
                    let id = self.push_node(Value::Array(Vec::new()), start..start, false);
                    self.skip_space();
                    if self.peek()? == b']' {
                        self.pos += 1;
                        self.nodes.get_mut(id.0)?.span = start..self.pos;
                        Some(id)
                    } else {
                        stack.push(Frame::Array { id });
                        None
                    }
                }
                b'"' => {
                    let (text, verbatim) = self.read_string()?;
                    Some(self.push_node(Value::String(text), start..self.pos, verbatim))
                }
                b't' => {
                    self.pos += 4;
                    Some(self.push_node(Value::Bool(true), start..self.pos, false))
                }
                b'f' => {
                    self.pos += 5;
                    Some(self.push_node(Value::Bool(false), start..self.pos, false))
                }
                b'n' => {
                    self.pos += 4;
                    Some(self.push_node(Value::Null, start..self.pos, false))
                }
                _ => {
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_digit() || b"+-.eE".contains(&c))
                    {
                        self.pos += 1;
                    }
                    Some(self.push_node(Value::Number, start..self.pos, false))
                }
            };
            // Attach finished values to their parents, closing containers
            // whose last element this was.
            while let Some(child) = done.take() {
                let Some(frame) = stack.last_mut() else {
                    return Some(Document {
                        nodes: self.nodes,
                        root: child,
                    });
                };
                match frame {
                    Frame::Object { id, key } => {
                        let id = *id;
                        let (key, key_span) = key.take()?;
                        if let Value::Object(members) = &mut self.nodes.get_mut(id.0)?.value {
                            members.push(Member {
                                key,
                                key_span,
                                value: child,
                            });
                        }
                        self.skip_space();
                        if self.peek()? == b',' {
                            self.pos += 1;
                            let next = self.read_key()?;
                            if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                                *key = Some(next);
                            }
                        } else {
                            self.pos += 1; // '}'
                            let node = self.nodes.get_mut(id.0)?;
                            node.span.end = self.pos;
                            // Most objects of a Docker config have one or
                            // two members: drop the growth's spare room.
                            if let Value::Object(members) = &mut node.value {
                                members.shrink_to_fit();
                            }
                            stack.pop();
                            done = Some(id);
                        }
                    }
                    Frame::Array { id } => {
                        let id = *id;
                        if let Value::Array(items) = &mut self.nodes.get_mut(id.0)?.value {
                            items.push(child);
                        }
                        self.skip_space();
                        if self.peek()? == b',' {
                            self.pos += 1;
                        } else {
                            self.pos += 1; // ']'
                            let node = self.nodes.get_mut(id.0)?;
                            node.span.end = self.pos;
                            if let Value::Array(items) = &mut node.value {
                                items.shrink_to_fit();
                            }
                            stack.pop();
                            done = Some(id);
                        }
                    }
                }
            }
        }
    }

    /// Reads `"key" :` and returns the key with its span.
    fn read_key(&mut self) -> Option<(String, Range<usize>)> {
        self.skip_space();
        let start = self.pos;
        let (key, _) = self.read_string()?;
        let span = start..self.pos;
        self.skip_space();
        if self.peek()? != b':' {
            return None;
        }
        self.pos += 1;
        Some((key, span))
    }

    /// Reads a string literal at `pos` (on its opening quote).
    fn read_string(&mut self) -> Option<(String, bool)> {
        let body_start = self.pos + 1;
        let mut i = body_start;
        loop {
            match self.input.get(i)? {
                b'"' => break,
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        let raw = self.input.get(body_start..i)?;
        Some(unquote(raw))
    }
}

/// Go's `unquoteBytes` on a string body the scanner accepted. Returns the
/// text and whether it is the source verbatim.
fn unquote(raw: &[u8]) -> (String, bool) {
    if !raw.contains(&b'\\') {
        if let Ok(s) = std::str::from_utf8(raw) {
            return (s.to_string(), true);
        }
    }
    let mut out = String::with_capacity(raw.len());
    let mut r = 0;
    while let Some(&c) = raw.get(r) {
        if c == b'\\' {
            let Some(&e) = raw.get(r + 1) else { break };
            match e {
                b'u' => {
                    let Some(first) = getu4(raw.get(r..)) else {
                        break;
                    };
                    r += 6;
                    let ch = if (0xd800..0xe000).contains(&first) {
                        // Go: a surrogate pairs with a following \u escape,
                        // else it becomes U+FFFD and the next escape stays.
                        match getu4(raw.get(r..))
                            .and_then(|second| decode_surrogates(first, second))
                        {
                            Some(pair) => {
                                r += 6;
                                pair
                            }
                            None => char::REPLACEMENT_CHARACTER,
                        }
                    } else {
                        char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER)
                    };
                    out.push(ch);
                    continue;
                }
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                other => out.push(char::from(other)),
            }
            r += 2;
        } else if c < 0x80 {
            out.push(char::from(c));
            r += 1;
        } else {
            let (ch, size) = decode_rune(raw.get(r..).unwrap_or_default());
            out.push(ch);
            r += size;
        }
    }
    (out, false)
}

fn getu4(s: Option<&[u8]>) -> Option<u32> {
    let s = s?;
    if s.first() != Some(&b'\\') || s.get(1) != Some(&b'u') {
        return None;
    }
    let hex = std::str::from_utf8(s.get(2..6)?).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

// Go's utf16.DecodeRune, returning None where Go returns U+FFFD.
fn decode_surrogates(r1: u32, r2: u32) -> Option<char> {
    if (0xd800..0xdc00).contains(&r1) && (0xdc00..0xe000).contains(&r2) {
        char::from_u32(((r1 - 0xd800) << 10 | (r2 - 0xdc00)) + 0x10000)
    } else {
        None
    }
}

/// Go's `utf8.DecodeRune`: an invalid sequence yields U+FFFD for one byte
/// (where Rust's lossy conversion would replace a whole maximal prefix).
pub fn decode_rune(s: &[u8]) -> (char, usize) {
    let len = match s.first() {
        None => return (char::REPLACEMENT_CHARACTER, 0),
        Some(0x00..=0x7f) => 1,
        Some(0xc2..=0xdf) => 2,
        Some(0xe0..=0xef) => 3,
        Some(0xf0..=0xf4) => 4,
        Some(_) => return (char::REPLACEMENT_CHARACTER, 1),
    };
    match s.get(..len).map(std::str::from_utf8) {
        Some(Ok(text)) => match text.chars().next() {
            Some(ch) => (ch, len),
            None => (char::REPLACEMENT_CHARACTER, 1),
        },
        _ => (char::REPLACEMENT_CHARACTER, 1),
    }
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
        assert_eq!(members[0].key_span, 2..5);
        assert_eq!(doc.kind(members[0].value), Kind::Array);
        assert_eq!(doc.span(members[0].value), 7..15);
        let last = doc.get(root, "a").unwrap();
        assert_eq!(doc.kind(last.value), Kind::Null);
    }

    #[test]
    fn strings_unquote_like_go() {
        let doc = parse(b"[\"\\u0041\\ud83d\\ude00\\ud800x\\udc00\\u00e9\xe2\x82a\"]").unwrap();
        let item = doc.node(doc.root()).value.clone();
        let Value::Array(items) = item else { panic!() };
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
