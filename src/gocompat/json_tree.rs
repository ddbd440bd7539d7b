//! The tree [`super::json_value::parse`] builds: every key and value with
//! its byte span, stored compactly (docs/limits.md, "Memory").
//!
//! A Docker config may hold a million `auths` entries of 40 bytes each, so
//! a node is 20 bytes and owns no allocation: all unquoted text lives in one
//! buffer, an object's members and an array's items each in one run of a
//! shared list, and offsets are 32-bit (a payload over 4 GiB is refused by
//! the parser before a tree is built).

use std::fmt;
use std::ops::Range;

use zeroize::Zeroize;

/// The index of a node in its [`Document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(u32);

/// The index of an object member in its [`Document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemberId(u32);

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

/// One value, borrowed from its document. Numbers keep only their span
/// (their text is in the input).
#[derive(Clone, Copy, PartialEq)]
pub enum Value<'d> {
    Null,
    Bool(bool),
    Number,
    /// Unquoted as Go does it: escapes resolved, invalid UTF-8 and lone
    /// surrogates replaced by U+FFFD.
    String(&'d str),
    Array(&'d [NodeId]),
    Object(&'d [Member]),
}

// String values may be passwords: Debug shows their length only.
impl fmt::Debug for Value<'_> {
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

/// A range of 32-bit offsets (into the input, the text buffer or a list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span32 {
    start: u32,
    end: u32,
}

impl Span32 {
    fn usize(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// An object member, in document order (duplicates kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The unquoted key, in the document's text buffer.
    key: Span32,
    /// The key's span in the input, quotes included.
    key_span: Span32,
    pub value: NodeId,
}

impl Member {
    /// The key's span in the input, quotes included.
    pub fn key_span(&self) -> Range<usize> {
        self.key_span.usize()
    }
}

/// One node: its kind, its span in the input, and what it holds (a text
/// range for a string, a run of members or items for a container).
#[derive(Debug, Clone, Copy)]
struct Slot {
    span: Span32,
    holds: Span32,
    kind: Kind,
    /// For a string: whether its source had no escapes and was valid
    /// UTF-8, so that byte `i` of the text is at `span.start + 1 + i`.
    verbatim: bool,
    /// For a boolean: its value.
    truth: bool,
}

/// A parsed JSON text.
#[derive(Clone)]
pub struct Document {
    slots: Vec<Slot>,
    members: Vec<Member>,
    items: Vec<NodeId>,
    /// Every unquoted key and string value, one after the other.
    text: String,
    root: NodeId,
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("nodes", &self.slots.len())
            .field("members", &self.members.len())
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .finish()
    }
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.root == other.root
            && self.text == other.text
            && self.members == other.members
            && self.items == other.items
            && self.slots.len() == other.slots.len()
            && self.slots.iter().zip(&other.slots).all(|(a, b)| {
                (a.span, a.holds, a.kind, a.verbatim, a.truth)
                    == (b.span, b.holds, b.kind, b.verbatim, b.truth)
            })
    }
}

// String values may be passwords or `auth` values: wipe them on drop, as
// the readers that came before this one did with `Zeroizing`.
impl Drop for Document {
    fn drop(&mut self) {
        self.text.zeroize();
    }
}

// A node nobody can name: what an id from another document reads as.
const NO_SLOT: Slot = Slot {
    span: Span32 { start: 0, end: 0 },
    holds: Span32 { start: 0, end: 0 },
    kind: Kind::Null,
    verbatim: false,
    truth: false,
};

impl Document {
    pub fn root(&self) -> NodeId {
        self.root
    }

    fn slot(&self, id: NodeId) -> &Slot {
        self.slots.get(id.0 as usize).unwrap_or(&NO_SLOT)
    }

    /// The value `id` names. Ids come only from this document.
    pub fn value(&self, id: NodeId) -> Value<'_> {
        let slot = self.slot(id);
        let range = slot.holds.usize();
        match slot.kind {
            Kind::Null => Value::Null,
            Kind::Bool => Value::Bool(slot.truth),
            Kind::Number => Value::Number,
            Kind::String => Value::String(self.text.get(range).unwrap_or_default()),
            Kind::Array => Value::Array(self.items.get(range).unwrap_or_default()),
            Kind::Object => Value::Object(self.members.get(range).unwrap_or_default()),
        }
    }

    pub fn kind(&self, id: NodeId) -> Kind {
        self.slot(id).kind
    }

    pub fn span(&self, id: NodeId) -> Range<usize> {
        self.slot(id).span.usize()
    }

    /// The members of an object, in document order; empty for other kinds.
    pub fn members(&self, id: NodeId) -> &[Member] {
        match self.value(id) {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    /// The ids of [`Document::members`], in the same order.
    pub fn member_ids(&self, id: NodeId) -> impl Iterator<Item = MemberId> {
        let slot = self.slot(id);
        let run = match slot.kind {
            Kind::Object => slot.holds.start..slot.holds.end,
            _ => 0..0,
        };
        run.map(MemberId)
    }

    /// The member `id` names. Ids come only from this document.
    pub fn member(&self, id: MemberId) -> &Member {
        const NO_MEMBER: Member = Member {
            key: Span32 { start: 0, end: 0 },
            key_span: Span32 { start: 0, end: 0 },
            value: NodeId(u32::MAX),
        };
        self.members.get(id.0 as usize).unwrap_or(&NO_MEMBER)
    }

    /// A member's unquoted key.
    pub fn key(&self, member: &Member) -> &str {
        self.text.get(member.key.usize()).unwrap_or_default()
    }

    /// The last member named exactly `key` (Go: the last duplicate wins).
    pub fn get(&self, id: NodeId, key: &str) -> Option<&Member> {
        self.members(id).iter().rev().find(|m| self.key(m) == key)
    }

    pub fn as_str(&self, id: NodeId) -> Option<&str> {
        match self.value(id) {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Where byte `i` of a string's unquoted text sits in the input, when
    /// the source spells it verbatim (no escapes, valid UTF-8).
    pub fn source_offset_in_string(&self, id: NodeId, i: usize) -> Option<usize> {
        let slot = self.slot(id);
        let len = slot.holds.usize().len();
        (slot.kind == Kind::String && slot.verbatim && i <= len)
            .then(|| slot.span.start as usize + 1 + i)
    }

    /// Every node id, in document order of their start.
    pub fn ids(&self) -> impl Iterator<Item = NodeId> {
        (0..self.slots.len()).filter_map(|i| u32::try_from(i).ok().map(NodeId))
    }
}

// ---------------------------------------------------------------------------
// The builder: runs only on input the scanner accepted, without recursion.

/// The input length the builder can index with 32-bit offsets.
pub const MAX_INPUT: usize = u32::MAX as usize;

fn off(i: usize) -> u32 {
    // The parser refuses inputs over MAX_INPUT before building.
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn span(r: Range<usize>) -> Span32 {
    Span32 {
        start: off(r.start),
        end: off(r.end),
    }
}

enum Frame {
    /// An open object: its node, where its members start in `pending`,
    /// and the key read for the value being read.
    Object {
        id: NodeId,
        first: usize,
        key: Option<(Span32, Span32)>,
    },
    Array {
        id: NodeId,
        first: usize,
    },
}

struct Builder<'a> {
    input: &'a [u8],
    pos: usize,
    doc: Document,
    /// Members and items of the open containers, moved into the document
    /// as one run when their container closes.
    pending_members: Vec<Member>,
    pending_items: Vec<NodeId>,
}

/// Builds the tree of `input`, which the scanner accepted and which is at
/// most [`MAX_INPUT`] bytes; None where it is not well-formed.
pub fn build(input: &[u8]) -> Option<Document> {
    if input.len() > MAX_INPUT {
        return None;
    }
    Builder {
        input,
        pos: 0,
        doc: Document {
            slots: Vec::new(),
            members: Vec::new(),
            items: Vec::new(),
            text: String::new(),
            root: NodeId(0),
        },
        pending_members: Vec::new(),
        pending_items: Vec::new(),
    }
    .build()
}

impl Builder<'_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self
            .peek()
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        {
            self.pos += 1;
        }
    }

    fn push_node(&mut self, kind: Kind, start: usize) -> NodeId {
        let id = NodeId(off(self.doc.slots.len()));
        self.doc.slots.push(Slot {
            span: span(start..self.pos),
            holds: Span32::default(),
            kind,
            verbatim: false,
            truth: false,
        });
        id
    }

    fn slot_mut(&mut self, id: NodeId) -> Option<&mut Slot> {
        self.doc.slots.get_mut(id.0 as usize)
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
                    let id = self.push_node(Kind::Object, start);
                    self.skip_space();
                    if self.peek()? == b'}' {
                        self.pos += 1;
                        self.slot_mut(id)?.span = span(start..self.pos);
                        Some(id)
                    } else {
                        let key = self.read_key()?;
                        let first = self.pending_members.len();
                        stack.push(Frame::Object {
                            id,
                            first,
                            key: Some(key),
                        });
                        None
                    }
                }
                b'[' => {
                    self.pos += 1;
                    let id = self.push_node(Kind::Array, start);
                    self.skip_space();
                    if self.peek()? == b']' {
                        self.pos += 1;
                        self.slot_mut(id)?.span = span(start..self.pos);
                        Some(id)
                    } else {
                        let first = self.pending_items.len();
                        stack.push(Frame::Array { id, first });
                        None
                    }
                }
                b'"' => {
                    let (text, verbatim) = self.read_string()?;
                    let id = self.push_node(Kind::String, start);
                    let slot = self.slot_mut(id)?;
                    slot.holds = text;
                    slot.verbatim = verbatim;
                    Some(id)
                }
                b't' => {
                    self.pos += 4;
                    let id = self.push_node(Kind::Bool, start);
                    self.slot_mut(id)?.truth = true;
                    Some(id)
                }
                b'f' => {
                    self.pos += 5;
                    Some(self.push_node(Kind::Bool, start))
                }
                b'n' => {
                    self.pos += 4;
                    Some(self.push_node(Kind::Null, start))
                }
                _ => {
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_digit() || b"+-.eE".contains(&c))
                    {
                        self.pos += 1;
                    }
                    Some(self.push_node(Kind::Number, start))
                }
            };
            // Attach finished values to their parents, closing containers
            // whose last element this was.
            while let Some(child) = done.take() {
                let Some(frame) = stack.last_mut() else {
                    self.doc.root = child;
                    return Some(self.doc);
                };
                match frame {
                    Frame::Object { id, first, key } => {
                        let (id, first) = (*id, *first);
                        let (key, key_span) = key.take()?;
                        self.pending_members.push(Member {
                            key,
                            key_span,
                            value: child,
                        });
                        self.skip_space();
                        if self.peek()? == b',' {
                            self.pos += 1;
                            let next = self.read_key()?;
                            if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                                *key = Some(next);
                            }
                        } else {
                            self.pos += 1; // '}'
                            let run_start = off(self.doc.members.len());
                            self.doc.members.extend(self.pending_members.drain(first..));
                            let run = Span32 {
                                start: run_start,
                                end: off(self.doc.members.len()),
                            };
                            let end = self.pos;
                            let slot = self.slot_mut(id)?;
                            slot.span.end = off(end);
                            slot.holds = run;
                            stack.pop();
                            done = Some(id);
                        }
                    }
                    Frame::Array { id, first } => {
                        let (id, first) = (*id, *first);
                        self.pending_items.push(child);
                        self.skip_space();
                        if self.peek()? == b',' {
                            self.pos += 1;
                        } else {
                            self.pos += 1; // ']'
                            let run_start = off(self.doc.items.len());
                            self.doc.items.extend(self.pending_items.drain(first..));
                            let run = Span32 {
                                start: run_start,
                                end: off(self.doc.items.len()),
                            };
                            let end = self.pos;
                            let slot = self.slot_mut(id)?;
                            slot.span.end = off(end);
                            slot.holds = run;
                            stack.pop();
                            done = Some(id);
                        }
                    }
                }
            }
        }
    }

    /// Reads `"key" :` and returns the key's text range and its span.
    fn read_key(&mut self) -> Option<(Span32, Span32)> {
        self.skip_space();
        let start = self.pos;
        let (key, _) = self.read_string()?;
        let key_span = span(start..self.pos);
        self.skip_space();
        if self.peek()? != b':' {
            return None;
        }
        self.pos += 1;
        Some((key, key_span))
    }

    /// Reads a string literal at `pos` (on its opening quote) into the
    /// text buffer: its range there, and whether it is the source verbatim.
    fn read_string(&mut self) -> Option<(Span32, bool)> {
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
        let start = self.doc.text.len();
        let verbatim = unquote_into(raw, &mut self.doc.text);
        Some((span(start..self.doc.text.len()), verbatim))
    }
}

/// Go's `unquoteBytes` on a string body the scanner accepted, appended to
/// `out`. Returns whether the text is the source verbatim.
fn unquote_into(raw: &[u8], out: &mut String) -> bool {
    if !raw.contains(&b'\\') {
        if let Ok(s) = std::str::from_utf8(raw) {
            out.push_str(s);
            return true;
        }
    }
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
    false
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

    #[test]
    fn a_node_and_a_member_stay_small() {
        // docs/limits.md counts on these sizes for a million entries.
        assert_eq!(std::mem::size_of::<Slot>(), 20);
        assert_eq!(std::mem::size_of::<Member>(), 20);
    }

    #[test]
    fn nested_containers_keep_their_own_runs() {
        let doc = build(br#"{"a":{"b":[1,{"c":2}],"d":3},"e":[[],[4]]}"#).unwrap();
        let root = doc.root();
        let keys: Vec<&str> = doc.members(root).iter().map(|m| doc.key(m)).collect();
        assert_eq!(keys, ["a", "e"]);
        let a = doc.members(root)[0].value;
        let inner: Vec<&str> = doc.members(a).iter().map(|m| doc.key(m)).collect();
        assert_eq!(inner, ["b", "d"]);
        let Value::Array(items) = doc.value(doc.members(a)[0].value) else {
            panic!()
        };
        assert_eq!(items.len(), 2);
        assert_eq!(doc.members(items[1]).len(), 1);
        let ids: Vec<MemberId> = doc.member_ids(a).collect();
        assert_eq!(doc.key(doc.member(ids[1])), "d");
    }
}
