//! A fast reader for the block YAML that manifests are made of, giving
//! exactly the [`Document`]s the exact parser (saphyr, in [`super::yaml`])
//! gives, or nothing.
//!
//! saphyr builds and grows a `String` for every scalar and goes through a
//! general scanner, a token queue and a parser state machine: most of the
//! linter's time on a repository of workloads. This reader takes the
//! subset almost every manifest is written in, one line at a time:
//!
//! - block mappings and sequences (`- ` items, indented or not under
//!   their key), their keys plain or quoted on one line;
//! - plain scalars on one line (a comment after them), single- and
//!   double-quoted scalars on one line (escapes but `\x`, `\u`, `\U`),
//!   literal and folded block scalars (`|`, `|-`, `>`, `>-`), and empty
//!   values (`key:` with nothing under it);
//! - flow collections closed on the line they open on (`[a, "b"]`,
//!   `{k: v}`, nested, empty) of plain and quoted scalars;
//! - comments, blank lines, `---` and `...` lines, empty documents.
//!
//! Anything else (tabs, carriage returns, a byte order mark, control
//! characters, flow collections over several lines or with empty entries,
//! a trailing comma, `[k: v]` pairs or keys without values, anchors,
//! aliases, tags, directives, multi-line plain or quoted scalars, block
//! scalars with `+`, an indentation digit, a blank first line or a last
//! line of spaces with no line break, empty sequence items, an indented
//! root, odd indentation) and it declines: [`parse`] returns `None` and
//! the exact parser reads the whole stream. It never reports an error: a
//! stream it accepts is one saphyr accepts, and the differential tests
//! (tests/it/block_yaml.rs) compare both on every fixture and on generated
//! YAML. Spans follow saphyr's as the exact path corrects them (see
//! docs/architecture.md, "Parsing").

use std::borrow::Cow;
use std::cell::Cell;

use super::node::{Entry, Node, NodeKind, Scalar, ScalarType, Style};
use super::prescan;
use super::yaml::{document_text, Document, DocumentFilter};
use super::yaml11;

/// Deeper nesting is left to the exact parser (which bounds it itself).
const MAX_DEPTH: usize = 64;
/// saphyr refuses implicit keys longer than 1024 characters: longer keys
/// are left to it.
const MAX_KEY_BYTES: usize = 1000;

/// The documents of `text`, as `parse_exact` would read them with
/// `filter`, when every line is in the subset this module reads; `None`
/// otherwise.
pub(super) fn parse<'t>(text: &'t str, filter: DocumentFilter<'_>) -> Option<Vec<Document<'t>>> {
    if !supported_characters(text) {
        return None;
    }
    Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        build: true,
        entries: Vec::new(),
        items: Vec::new(),
        last_significant: Cell::new(None),
    }
    .stream(filter)
}

/// No tab, carriage return, other control character, byte order mark or
/// Unicode line break: their handling is the exact parser's.
fn supported_characters(text: &str) -> bool {
    // Printable ASCII and `\n`, checked without a branch per byte (so that
    // it vectorizes): the whole text of almost every manifest.
    let printable = |b: u8| b.wrapping_sub(0x20) < 0x5f || b == b'\n';
    let all_printable = |chunk: &[u8]| chunk.iter().fold(true, |ok, &b| ok & printable(b));
    if text.as_bytes().chunks(64).all(all_printable) {
        return true;
    }
    if text.is_ascii() {
        return false;
    }
    text.chars().all(|c| {
        !matches!(
            c as u32,
            0..=0x09 | 0x0b..=0x1f | 0x7f..=0x9f | 0x2028 | 0x2029 | 0xfeff | 0xfffe | 0xffff
        )
    })
}

/// One line: where it starts, its first non-space byte, its end (the
/// `\n` or the end of the text).
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content: usize,
    end: usize,
}

impl Line {
    fn indent(&self) -> usize {
        self.content - self.start
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Start of the first line not yet read.
    pos: usize,
    /// Whether the current document's tree is built (the filter said so).
    build: bool,
    /// The entries of the block mappings being read, innermost last: a
    /// mapping's own are moved into a `Vec` of their exact length when it
    /// ends (one allocation per collection, none to grow it).
    entries: Vec<Entry<'a>>,
    /// The same for the items of block sequences.
    items: Vec<Node<'a>>,
    /// The last answer of [`Reader::significant`] and where it looked
    /// from: every collection a dedent ends asks for the same line.
    last_significant: Cell<Option<(usize, Option<Line>)>>,
}

impl<'a> Reader<'a> {
    fn line_at(&self, start: usize) -> Line {
        let rest = self.bytes.get(start..).unwrap_or(&[]);
        let end = memchr::memchr(b'\n', rest).map_or(self.bytes.len(), |i| start + i);
        let spaces = rest.iter().take_while(|&&b| b == b' ').count();
        Line {
            start,
            content: (start + spaces).min(end),
            end,
        }
    }

    fn after(&self, line: &Line) -> usize {
        (line.end + 1).min(self.bytes.len())
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// The next line from `from` that is not blank or a comment.
    fn significant(&self, from: usize) -> Option<Line> {
        if let Some((at, line)) = self.last_significant.get() {
            if at == from {
                return line;
            }
        }
        let mut next = from;
        let found = loop {
            if next >= self.bytes.len() {
                break None;
            }
            let line = self.line_at(next);
            if line.content < line.end && self.bytes[line.content] != b'#' {
                break Some(line);
            }
            next = self.after(&line);
        };
        self.last_significant.set(Some((from, found)));
        found
    }

    /// A `---` or `...` line (what follows the marker is checked by the
    /// caller).
    fn is_marker(&self, line: &Line, marker: &[u8]) -> bool {
        line.start == line.content
            && self.bytes.get(line.start..line.start + 3) == Some(marker)
            && matches!(self.byte(line.start + 3), None | Some(b'\n' | b' '))
    }

    fn is_any_marker(&self, line: &Line) -> bool {
        self.is_marker(line, b"---") || self.is_marker(line, b"...")
    }

    /// A line whose content is a sequence entry `- `.
    fn is_entry(&self, line: &Line) -> bool {
        self.byte(line.content) == Some(b'-')
            && (line.content + 1 == line.end || self.byte(line.content + 1) == Some(b' '))
    }

    /// Only spaces, then a comment or the end, from `from` to `end`; a
    /// comment must follow a space.
    fn rest_is_comment(&self, from: usize, end: usize) -> Option<()> {
        let i = skip_spaces(self.bytes, from, end);
        (i == end || (i > from && self.bytes[i] == b'#')).then_some(())
    }

    fn stream(&mut self, filter: DocumentFilter<'_>) -> Option<Vec<Document<'a>>> {
        let mut docs = Vec::new();
        let mut from = 0;
        while let Some(line) = self.significant(from) {
            if self.is_marker(&line, b"...") {
                self.rest_is_comment(line.start + 3, line.end)?;
                from = self.after(&line);
                continue;
            }
            let explicit = self.is_marker(&line, b"---");
            let (start, content) = if explicit {
                self.rest_is_comment(line.start + 3, line.end)?;
                (line.start, self.significant(self.after(&line)))
            } else {
                (line.content, Some(line))
            };
            let doc = document_text(self.text, start);
            self.build = filter(doc);
            let skipped_object = !self.build && prescan::names_a_kind(doc.as_bytes());
            let root = match content {
                Some(first) if !self.is_any_marker(&first) => {
                    if first.indent() != 0 {
                        return None;
                    }
                    let root = if self.is_entry(&first) {
                        self.sequence(first, 0, false)?
                    } else {
                        self.mapping(first, 0)?
                    };
                    // Only a document marker or the end may follow.
                    if let Some(next) = self.significant(self.pos) {
                        if !self.is_any_marker(&next) {
                            return None;
                        }
                    }
                    root
                }
                // An empty document: saphyr gives it an empty scalar on
                // the marker that ends it, or at the end of the stream.
                Some(marker) => {
                    self.pos = marker.start;
                    self.plain(marker.start, marker.start + 3, "")
                }
                None => {
                    self.pos = self.bytes.len();
                    self.plain(self.bytes.len(), self.bytes.len(), "")
                }
            };
            let content_end = Some(root.span.end);
            docs.push(Document {
                index: docs.len(),
                root: self.build.then_some(root),
                start,
                skipped_object,
                content_end,
            });
            from = self.pos;
            // After a document with no `...`, only `---` may start one.
            match self.significant(from) {
                Some(next) if self.is_marker(&next, b"...") => {
                    self.rest_is_comment(next.start + 3, next.end)?;
                    from = self.after(&next);
                }
                Some(next) if !self.is_marker(&next, b"---") => return None,
                _ => {}
            }
        }
        Some(docs)
    }

    /// A block mapping whose first key starts `line`'s content, at column
    /// `column`, nested `depth` deep.
    fn mapping(&mut self, first: Line, depth: usize) -> Option<Node<'a>> {
        self.mapping_at(first, first.content, depth)
    }

    fn mapping_at(&mut self, first: Line, key_at: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let column = key_at - first.start;
        let start = key_at;
        let base = self.entries.len();
        let mut line = first;
        let mut key_at = key_at;
        let end = loop {
            let (key, after) = self.key(key_at, line.end)?;
            let value = self.value(after, line, column, depth)?;
            let end = value.span.end;
            if self.build {
                self.entries.push(Entry { key, value });
            }
            match self.significant(self.pos) {
                Some(next) if next.indent() == column && !self.is_any_marker(&next) => {
                    // An entry at a mapping's column only follows an
                    // indentless sequence, which its key has taken.
                    if self.is_entry(&next) {
                        return None;
                    }
                    line = next;
                    key_at = next.content;
                }
                Some(next) if next.indent() > column => return None,
                _ => break end,
            }
        };
        Some(Node {
            span: start..end.max(start),
            kind: NodeKind::Mapping(self.entries.drain(base..).collect()),
        })
    }

    /// A block sequence whose first `- ` starts `first`'s content;
    /// `indentless` when it is at its key's column (saphyr's span of such
    /// a sequence starts at its first item, not at the dash).
    fn sequence(&mut self, first: Line, depth: usize, indentless: bool) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let column = first.indent();
        let mut start = first.content;
        let base = self.items.len();
        let mut line = first;
        let end = loop {
            let dash = line.content;
            if self.byte(dash + 1) != Some(b' ') || dash + 1 >= line.end {
                return None;
            }
            let at = skip_spaces(self.bytes, dash + 1, line.end);
            if at == line.end || self.bytes[at] == b'#' {
                return None;
            }
            if self.bytes[at] == b'-' && matches!(self.byte(at + 1), None | Some(b' ' | b'\n')) {
                return None;
            }
            if indentless && line.start == first.start {
                start = at;
            }
            let item = if self.starts_key(at, line.end) {
                self.mapping_at(line, at, depth + 1)?
            } else {
                self.inline_value(at, line, column)?
            };
            let end = item.span.end;
            if self.build {
                self.items.push(item);
            }
            match self.significant(self.pos) {
                Some(next)
                    if next.indent() == column
                        && self.is_entry(&next)
                        && !self.is_any_marker(&next) =>
                {
                    line = next;
                }
                Some(next) if next.indent() > column => return None,
                _ => break end,
            }
        };
        Some(Node {
            span: start..end.max(start),
            kind: NodeKind::Sequence(self.items.drain(base..).collect()),
        })
    }

    /// Whether a key (`k: `, `"k": `) starts at `at`.
    fn starts_key(&self, at: usize, end: usize) -> bool {
        match self.bytes[at] {
            b'[' | b'{' => false,
            q @ (b'"' | b'\'') => {
                let Some(close) = quoted_close(self.bytes, at, end, q) else {
                    return false;
                };
                self.byte(close) == Some(b':')
            }
            _ => scan_plain(self.bytes, at, end).1.is_some(),
        }
    }

    /// The key starting at `at` and the offset after its `:`.
    fn key(&self, at: usize, end: usize) -> Option<(Node<'a>, usize)> {
        let (node, colon) = match self.bytes[at] {
            b'"' | b'\'' => {
                let (node, close) = self.quoted(at, end)?;
                (self.byte(close) == Some(b':')).then_some(())?;
                (node, close)
            }
            b => {
                if !plain_start(b, self.byte(at + 1)) {
                    return None;
                }
                let (_, colon) = scan_plain(self.bytes, at, end);
                let colon = colon?;
                if self.bytes[colon - 1] == b' ' {
                    return None;
                }
                (self.plain(at, colon, &self.text[at..colon]), colon)
            }
        };
        if colon - at > MAX_KEY_BYTES {
            return None;
        }
        let after = colon + 1;
        (after == end || self.bytes[after] == b' ').then_some((node, after))
    }

    /// The value after a key's `:` at `after`, on `line` of a mapping at
    /// `column`.
    fn value(&mut self, after: usize, line: Line, column: usize, depth: usize) -> Option<Node<'a>> {
        let at = skip_spaces(self.bytes, after, line.end);
        if at < line.end && self.bytes[at] != b'#' {
            return self.inline_value(at, line, column);
        }
        self.pos = self.after(&line);
        match self.significant(self.pos) {
            Some(next) if !self.is_any_marker(&next) && next.indent() > column => {
                if self.is_entry(&next) {
                    self.sequence(next, depth + 1, false)
                } else {
                    self.mapping(next, depth + 1)
                }
            }
            Some(next)
                if !self.is_any_marker(&next)
                    && next.indent() == column
                    && self.is_entry(&next) =>
            {
                self.sequence(next, depth + 1, true)
            }
            // An empty value: saphyr puts its empty scalar on the `:`.
            _ => Some(self.plain(after - 1, after - 1, "")),
        }
    }

    /// A value that starts on its key's or dash's line at `at`; `parent`
    /// is the column of the collection holding it.
    fn inline_value(&mut self, at: usize, line: Line, parent: usize) -> Option<Node<'a>> {
        let node = match self.bytes[at] {
            b'"' | b'\'' => {
                let (node, close) = self.quoted(at, line.end)?;
                self.rest_is_comment(close, line.end)?;
                node
            }
            b'|' | b'>' => return self.block_scalar(at, line, parent),
            b'[' | b'{' => {
                let (node, close) = self.flow(at, line.end, 0)?;
                self.rest_is_comment(close, line.end)?;
                node
            }
            b => {
                if !plain_start(b, self.byte(at + 1)) {
                    return None;
                }
                let (end, colon) = scan_plain(self.bytes, at, line.end);
                if colon.is_some() {
                    return None;
                }
                self.plain(at, end, &self.text[at..end])
            }
        };
        self.pos = self.after(&line);
        Some(node)
    }

    /// A flow collection (`[a, "b"]`, `{k: v}`, nested) opened at `at`
    /// and closed on its line (which ends at `end`), `depth` flow
    /// collections deep, and the offset after its closing bracket. Its
    /// scalars are plain (on one line, no `: ` or ` #` inside) or quoted;
    /// a mapping's keys are followed by `: ` and a value. Anything else
    /// (empty entries, a trailing comma, `[k: v]` pairs, keys without a
    /// value, `?`, anchors, tags, aliases) is the exact parser's.
    fn flow(&self, at: usize, end: usize, depth: usize) -> Option<(Node<'a>, usize)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let open = self.bytes[at];
        let close = if open == b'[' { b']' } else { b'}' };
        let mut items = Vec::new();
        let mut entries = Vec::new();
        let mut i = skip_spaces(self.bytes, at + 1, end);
        if i < end && self.bytes[i] != close {
            loop {
                let next = if open == b'{' {
                    let (key, after) = self.flow_key(i, end)?;
                    let at_value = skip_spaces(self.bytes, after, end);
                    let (value, next) = self.flow_node(at_value, end, depth)?;
                    if self.build {
                        entries.push(Entry { key, value });
                    }
                    next
                } else {
                    let (item, next) = self.flow_node(i, end, depth)?;
                    if self.build {
                        items.push(item);
                    }
                    next
                };
                i = skip_spaces(self.bytes, next, end);
                match self.byte(i).filter(|_| i < end)? {
                    b',' => {
                        i = skip_spaces(self.bytes, i + 1, end);
                        // A trailing comma, or an empty entry.
                        if i >= end || matches!(self.bytes[i], b',' | b']' | b'}') {
                            return None;
                        }
                    }
                    b if b == close => break,
                    _ => return None,
                }
            }
        }
        if i >= end {
            return None;
        }
        let kind = if open == b'[' {
            NodeKind::Sequence(items)
        } else {
            NodeKind::Mapping(entries)
        };
        Some((
            Node {
                span: at..i + 1,
                kind,
            },
            i + 1,
        ))
    }

    /// A flow mapping's key at `at` and the offset after its `: `.
    fn flow_key(&self, at: usize, end: usize) -> Option<(Node<'a>, usize)> {
        let (key, colon) = match self.bytes[at] {
            b'"' | b'\'' => self.quoted(at, end)?,
            _ => {
                let (text_end, stop) = flow_plain(self.bytes, at, end)?;
                (self.plain(at, text_end, &self.text[at..text_end]), stop)
            }
        };
        let ok = colon - at <= MAX_KEY_BYTES
            && self.byte(colon) == Some(b':')
            && self.byte(colon + 1) == Some(b' ')
            && colon + 1 < end;
        ok.then_some((key, colon + 1))
    }

    /// A flow collection's entry at `at` (a scalar or a nested flow
    /// collection) and the offset after it.
    fn flow_node(&self, at: usize, end: usize, depth: usize) -> Option<(Node<'a>, usize)> {
        match *self.bytes.get(at).filter(|_| at < end)? {
            b'[' | b'{' => self.flow(at, end, depth + 1),
            b'"' | b'\'' => self.quoted(at, end),
            _ => {
                let (text_end, stop) = flow_plain(self.bytes, at, end)?;
                if self.byte(stop) == Some(b':') {
                    return None;
                }
                Some((self.plain(at, text_end, &self.text[at..text_end]), stop))
            }
        }
    }

    /// A plain scalar at `span` whose value is `value` (its text).
    fn plain(&self, start: usize, end: usize, value: &'a str) -> Node<'a> {
        let (value, ty) = if self.build {
            (value, yaml11::resolve_plain(value))
        } else {
            ("", ScalarType::Str)
        };
        scalar(start..end, Cow::Borrowed(value), Style::Plain, ty)
    }

    /// A quoted scalar closed on its line, and the offset after its
    /// closing quote.
    fn quoted(&self, at: usize, end: usize) -> Option<(Node<'a>, usize)> {
        let quote = self.bytes[at];
        let close = quoted_close(self.bytes, at, end, quote)?;
        let inner = &self.text[at + 1..close - 1];
        let (value, style) = if quote == b'\'' {
            let value = if !self.build {
                Cow::Borrowed("")
            } else if inner.contains("''") {
                Cow::Owned(inner.replace("''", "'"))
            } else {
                Cow::Borrowed(inner)
            };
            (value, Style::SingleQuoted)
        } else {
            (unescape(inner, self.build)?, Style::DoubleQuoted)
        };
        Some((scalar(at..close, value, style, ScalarType::Str), close))
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is at
    /// `at`, in a collection at column `parent`. Folded, the line break
    /// between two lines becomes a space, or the blank lines between them,
    /// unless one of the two is indented past the first line.
    fn block_scalar(&mut self, at: usize, line: Line, parent: usize) -> Option<Node<'a>> {
        let folded = self.bytes[at] == b'>';
        let mut header = at + 1;
        let strip = self.byte(header) == Some(b'-');
        if strip {
            header += 1;
        }
        self.rest_is_comment(header, line.end)?;
        let first = self.line_at(self.after(&line));
        // A first line that is blank, at the end, or not indented past
        // the collection: the exact parser's.
        if first.start >= self.bytes.len() || first.content == first.end {
            return None;
        }
        let indent = first.indent();
        if indent <= parent {
            return None;
        }
        let mut value = String::new();
        let mut blanks = 0;
        let mut started = false;
        // Whether the last line was indented past the scalar's indentation.
        let mut more_indented = false;
        let mut last_end = first.end;
        let mut next = first;
        loop {
            if next.start >= self.bytes.len() {
                break;
            }
            let spaces_only = next.content == next.end;
            if !spaces_only && next.indent() < indent {
                break;
            }
            // A line of spaces with no line break after it (the end of a
            // text without a final one): the exact parser's. A content
            // line there reads as if the break were there.
            if next.end == self.bytes.len() && spaces_only {
                return None;
            }
            if spaces_only && next.indent() <= indent {
                blanks += 1;
            } else {
                // A content line; past the indentation, spaces are content
                // (a line of spaces only too) and keep the line breaks
                // around the line in a folded scalar, as saphyr folds.
                let more = next.indent() > indent;
                if self.build {
                    if folded && started && !more_indented && !more {
                        if blanks == 0 {
                            value.push(' ');
                        }
                    } else if started {
                        value.push('\n');
                    }
                    value.extend(std::iter::repeat_n('\n', blanks));
                    value.push_str(&self.text[next.start + indent..next.end]);
                }
                more_indented = more;
                blanks = 0;
                started = true;
                last_end = next.end;
            }
            next = self.line_at(self.after(&next));
        }
        if self.build && !strip {
            value.push('\n');
        }
        self.pos = next.start;
        let start = first.content;
        let end = start + self.text[start..last_end].trim_end().len();
        let style = if folded {
            Style::Folded
        } else {
            Style::Literal
        };
        Some(scalar(
            start..end,
            Cow::Owned(value),
            style,
            ScalarType::Str,
        ))
    }
}

fn scalar<'t>(
    span: std::ops::Range<usize>,
    value: Cow<'t, str>,
    style: Style,
    ty: ScalarType,
) -> Node<'t> {
    Node {
        span,
        kind: NodeKind::Scalar(Scalar { value, style, ty }),
    }
}

fn skip_spaces(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && bytes[i] == b' ' {
        i += 1;
    }
    i
}

/// Whether a plain scalar may start with `b` (then `next`) in block
/// context, within this subset: no indicator but `-` before a non-space.
fn plain_start(b: u8, next: Option<u8>) -> bool {
    match b {
        b'-' => !matches!(next, None | Some(b' ' | b'\n')),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
        _ => true,
    }
}

/// A plain scalar from `at` on a line ending at `end`: where its text ends
/// (before trailing spaces and a comment) and the first `:` followed by a
/// space or the line's end (which makes it a key), if any.
fn scan_plain(bytes: &[u8], at: usize, end: usize) -> (usize, Option<usize>) {
    let mut last = at;
    let mut i = at;
    while i < end {
        match bytes[i] {
            b'#' if i > at && bytes[i - 1] == b' ' => break,
            b':' if i + 1 == end || bytes[i + 1] == b' ' => return (last, Some(i)),
            b' ' => {}
            _ => last = i + 1,
        }
        i += 1;
    }
    (last, None)
}

/// A plain scalar in a flow collection from `at`, on a line ending at
/// `end`: where its text ends (before trailing spaces) and where it stops
/// (a `,`, a bracket, or a `:` followed by a space or a bracket, which the
/// caller judges). `None` when it may not start at `at`, has a word
/// starting `-` and a bracket or comma (saphyr refuses it), or reaches a
/// comment or the line's end (it would go on on the next line).
fn flow_plain(bytes: &[u8], at: usize, end: usize) -> Option<(usize, usize)> {
    let flow_indicator = |b: Option<&u8>| matches!(b, Some(b',' | b'[' | b']' | b'{' | b'}'));
    let next = bytes.get(at + 1).filter(|_| at + 1 < end);
    if !plain_start(bytes[at], next.copied()) || (bytes[at] == b'-' && flow_indicator(next)) {
        return None;
    }
    let mut last = at;
    let mut i = at;
    while i < end {
        match bytes[i] {
            b',' | b'[' | b']' | b'{' | b'}' => return Some((last, i)),
            b':' if i + 1 == end || bytes[i + 1] == b' ' || flow_indicator(bytes.get(i + 1)) => {
                return Some((last, i));
            }
            b'#' if bytes[i - 1] == b' ' => return None,
            // saphyr refuses a word that starts so, inside the scalar too.
            b'-' if bytes[i - 1] == b' ' && flow_indicator(bytes.get(i + 1)) => return None,
            b' ' => {}
            _ => last = i + 1,
        }
        i += 1;
    }
    None
}

/// The offset after the quote closing the scalar opened at `at`, on its
/// line.
fn quoted_close(bytes: &[u8], at: usize, end: usize, quote: u8) -> Option<usize> {
    let mut i = at + 1;
    while i < end {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && i + 1 < end && bytes[i + 1] == b'\'' => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The value of a double-quoted scalar's text (quotes excluded), borrowed
/// when it has no escape; `None` for escapes left to the exact parser. With
/// `build` false only checks.
fn unescape(inner: &str, build: bool) -> Option<Cow<'_, str>> {
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(if build { inner } else { "" }));
    }
    let mut out = String::new();
    if build {
        out.reserve(inner.len());
    }
    let mut rest = inner;
    while let Some(at) = rest.find('\\') {
        let c = match rest.as_bytes().get(at + 1)? {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            _ => return None,
        };
        if build {
            out.push_str(&rest[..at]);
            out.push(c);
        }
        rest = &rest[at + 2..];
    }
    if build {
        out.push_str(rest);
    }
    Some(Cow::Owned(out))
}
