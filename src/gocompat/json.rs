//! Go `encoding/json` string escaping, on raw bytes.
//!
//! kubectl builds the `.dockerconfigjson` payload with `json.Marshal`, so its
//! bytes depend on Go's escaping rules: `"` and `\` escaped, `\n` `\r` `\t`
//! `\b` `\f` in short form (Go 1.22 and later), every other byte below 0x20 as
//! `\u00XX`, the HTML-sensitive `<` `>` `&` as `\u003c` `\u003e` `\u0026`,
//! U+2028 and U+2029 escaped (JavaScript line terminators), DEL and all other
//! valid non-ASCII raw, and each byte of an invalid UTF-8 sequence as
//! `\ufffd`. Inputs are bytes, not `str`, because a password read from a file
//! or stdin need not be UTF-8, and Go strings are bytes too.

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `s` as a Go `json.Marshal` string literal, quotes included.
pub fn write_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            write_char(out, c);
        }
        // Go's utf8.DecodeRune consumes one byte of an invalid sequence at a
        // time; every byte after the first of a maximal invalid subpart is a
        // continuation byte that cannot start a valid sequence, so Go writes
        // one U+FFFD per byte.
        for _ in chunk.invalid() {
            out.extend_from_slice(b"\\ufffd");
        }
    }
    out.push(b'"');
}

fn write_char(out: &mut Vec<u8>, c: char) {
    match c {
        '"' => out.extend_from_slice(b"\\\""),
        '\\' => out.extend_from_slice(b"\\\\"),
        '\n' => out.extend_from_slice(b"\\n"),
        '\r' => out.extend_from_slice(b"\\r"),
        '\t' => out.extend_from_slice(b"\\t"),
        '\u{8}' => out.extend_from_slice(b"\\b"),
        '\u{c}' => out.extend_from_slice(b"\\f"),
        '<' | '>' | '&' | '\u{0}'..='\u{1f}' => {
            let b = c as u8;
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        }
        '\u{2028}' => out.extend_from_slice(b"\\u2028"),
        '\u{2029}' => out.extend_from_slice(b"\\u2029"),
        _ => {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
}

/// A Go string literal of `s` as a new buffer.
pub fn string(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    write_string(&mut out, s);
    out
}

/// Builds a compact JSON object (Go `json.Marshal` style: no spaces) from
/// members written in the given order. Values are pre-encoded JSON.
#[derive(Default)]
pub struct CompactObject {
    buf: Vec<u8>,
    members: usize,
}

impl CompactObject {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `"key":<raw JSON value>`.
    pub fn raw(&mut self, key: &[u8], value: &[u8]) -> &mut Self {
        self.buf.push(if self.members == 0 { b'{' } else { b',' });
        write_string(&mut self.buf, key);
        self.buf.push(b':');
        self.buf.extend_from_slice(value);
        self.members += 1;
        self
    }

    /// Adds `"key":"value"` with Go escaping.
    pub fn string(&mut self, key: &[u8], value: &[u8]) -> &mut Self {
        self.buf.push(if self.members == 0 { b'{' } else { b',' });
        write_string(&mut self.buf, key);
        self.buf.push(b':');
        write_string(&mut self.buf, value);
        self.members += 1;
        self
    }

    pub fn finish(mut self) -> Vec<u8> {
        if self.members == 0 {
            self.buf.push(b'{');
        }
        self.buf.push(b'}');
        self.buf
    }
}

/// Go's `json.MarshalIndent(v, "", UNIT)` layout, written member by member
/// in the caller's order (struct order; maps sorted by [`Indented::string_map`]).
pub struct Indented {
    out: Vec<u8>,
    unit: usize,
    /// One entry per open object: whether it has no member yet.
    empty: Vec<bool>,
}

impl Indented {
    /// `unit` spaces per level; the top-level object is opened.
    pub fn new(unit: usize, capacity: usize) -> Self {
        let mut writer = Indented {
            out: Vec::with_capacity(capacity),
            unit,
            empty: Vec::new(),
        };
        writer.open();
        writer
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        let width = self.empty.len() * self.unit;
        self.out.extend(std::iter::repeat_n(b' ', width));
    }

    /// Starts an object value (after [`Indented::key`]).
    pub fn open(&mut self) {
        self.out.push(b'{');
        self.empty.push(true);
    }

    /// Ends the innermost object: `{}` when it has no member.
    pub fn close(&mut self) {
        let had_members = self.empty.pop() == Some(false);
        if had_members {
            self.newline();
        }
        self.out.push(b'}');
    }

    /// Writes `"key": ` on its own line in the innermost object.
    pub fn key(&mut self, key: &str) {
        if let Some(empty) = self.empty.last_mut() {
            if !*empty {
                self.out.push(b',');
            }
            *empty = false;
        }
        self.newline();
        write_string(&mut self.out, key.as_bytes());
        self.out.extend_from_slice(b": ");
    }

    /// A string value with Go's escaping.
    pub fn string(&mut self, value: &[u8]) {
        write_string(&mut self.out, value);
    }

    /// A literal value (`null`, a number).
    pub fn raw(&mut self, value: &[u8]) {
        self.out.extend_from_slice(value);
    }

    /// A `map[string]string` value: keys sorted bytewise, as Go sorts them.
    pub fn string_map(&mut self, entries: &[(String, String)]) {
        let mut sorted: Vec<&(String, String)> = entries.iter().collect();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        self.open();
        for (k, v) in sorted {
            self.key(k);
            self.string(v.as_bytes());
        }
        self.close();
    }

    /// Closes every open object and ends with a newline.
    pub fn finish(mut self) -> Vec<u8> {
        while !self.empty.is_empty() {
            self.close();
        }
        self.out.push(b'\n');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &[u8]) -> String {
        String::from_utf8(string(s)).unwrap()
    }

    #[test]
    fn escapes_like_go() {
        assert_eq!(lit(b"a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(lit(b"\n\r\t\x08\x0c"), r#""\n\r\t\b\f""#);
        assert_eq!(lit(b"\x00\x01\x1f\x7f"), "\"\\u0000\\u0001\\u001f\x7f\"");
        assert_eq!(lit(b"<a>&"), r#""\u003ca\u003e\u0026""#);
        assert_eq!(lit("\u{2028}\u{2029}".as_bytes()), r#""\u2028\u2029""#);
        assert_eq!(lit("é😀".as_bytes()), "\"é😀\"");
    }

    #[test]
    fn invalid_utf8_is_one_replacement_per_byte() {
        assert_eq!(lit(b"a\xffb"), r#""a\ufffdb""#);
        // A truncated 3-byte sequence: Go consumes it byte by byte.
        assert_eq!(lit(b"\xe2\x80a"), r#""\ufffd\ufffda""#);
        // An encoded surrogate is invalid in Go too.
        assert_eq!(lit(b"\xed\xa0\x80"), r#""\ufffd\ufffd\ufffd""#);
    }

    #[test]
    fn compact_object() {
        let mut o = CompactObject::new();
        o.string(b"a", b"1").raw(b"b", b"{}");
        assert_eq!(o.finish(), br#"{"a":"1","b":{}}"#);
        assert_eq!(CompactObject::new().finish(), b"{}");
    }
}
