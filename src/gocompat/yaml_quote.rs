//! go-yaml v2 scalar styles and writers, as kubectl's `-o yaml` prints strings.
//!
//! kubectl marshals an object to JSON, reads it back with go-yaml v2 and
//! marshals it again (`sigs.k8s.io/yaml`). Every value is therefore a string
//! that go-yaml writes plain when the plain form would read back as the same
//! string (not a bool, int, float, null, timestamp or base-60 float in YAML
//! 1.1) and the emitter allows it, single-quoted when only indicators are in
//! the way, double-quoted otherwise, and as a `|` literal block when it holds a
//! line feed. Long plain and quoted values are folded at column 80 on spaces.

use super::yaml_resolve::{is_base60_float, resolves_to_non_string};

/// The style go-yaml picks for a string scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// go-yaml's default preferred line width.
const BEST_WIDTH: usize = 80;
/// go-yaml's default indentation step.
const BEST_INDENT: usize = 2;
/// go-yaml writes a key longer than this (in bytes) in the `? key` form.
pub const MAX_SIMPLE_KEY_LEN: usize = 128;

/// What `yaml_emitter_analyze_scalar` learns about a value.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank_or_break(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\0' || is_break(c)
}

/// libyaml's `is_printable`: note that tab, CR and everything outside the
/// Basic Multilingual Plane (emoji) are not printable.
fn is_printable(c: char) -> bool {
    match c {
        '\n' => true,
        '\u{20}'..='\u{7e}' => true,
        '\u{a0}'..='\u{d7ff}' => true,
        '\u{e000}'..='\u{fffd}' => c != '\u{feff}',
        _ => false,
    }
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let chars: Vec<char> = value.chars().collect();
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| n == ' ' || n == '\t');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        // kubectl's emitter runs with unicode output on, so only
        // non-printable characters are special.
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank_or_break(c);
    }

    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    let _ = flow_indicators; // only matters inside flow collections, which kubectl never emits
    a
}

/// The style go-yaml v2 uses for string `value` in block context, as a
/// mapping key (`simple_key`) or as a value.
pub fn style(value: &str, simple_key: bool) -> Style {
    // encoder.stringv: literal for line feeds, plain when it reads back as
    // the same string, double-quoted otherwise.
    let mut style = if value.contains('\n') {
        Style::Literal
    } else if !resolves_to_non_string(value) && !is_base60_float(value) {
        Style::Plain
    } else {
        Style::DoubleQuoted
    };
    // emitter.select_scalar_style.
    let a = analyze(value);
    if simple_key && a.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !a.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

/// The string go-yaml gets when it reads Go's JSON encoding of `s` back.
///
/// kubectl's YAML is JSON parsed by go-yaml and printed again. Go's JSON
/// escapes every line break except NEL (U+0085), which it leaves raw; inside
/// a double-quoted scalar go-yaml folds raw breaks: spaces before a break are
/// dropped, spaces after it skipped, one break becomes a space and each
/// further break a line feed.
pub fn read_back(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\u{85}') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut whitespace = String::new();
    loop {
        // Non-blank characters go straight through.
        while let Some(&c) = chars.peek() {
            if c == ' ' || c == '\u{85}' {
                break;
            }
            out.push(c);
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        // A run of blanks and breaks.
        let mut breaks = 0usize;
        whitespace.clear();
        while let Some(&c) = chars.peek() {
            match c {
                ' ' if breaks == 0 => whitespace.push(' '),
                ' ' => {}
                '\u{85}' => breaks += 1,
                _ => break,
            }
            chars.next();
        }
        match breaks {
            0 => out.push_str(&whitespace),
            1 => out.push(' '),
            n => out.extend(std::iter::repeat_n('\n', n - 1)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// go-yaml v2's `keyList.Less` for string keys: letters sort after
/// non-letters, and runs of digits compare by numeric value (`a9` < `a10`).
pub fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let less = |x: &[char], y: &[char]| -> bool {
        for i in 0..x.len().min(y.len()) {
            if x[i] == y[i] {
                continue;
            }
            let xl = x[i].is_alphabetic();
            let yl = y[i].is_alphabetic();
            if xl && yl {
                return x[i] < y[i];
            }
            if xl || yl {
                return yl;
            }
            let mut xn: i64 = 0;
            let mut yn: i64 = 0;
            if x[i] == '0' || y[i] == '0' {
                let mut j = i;
                while j > 0 && x[j - 1].is_ascii_digit() {
                    j -= 1;
                    if x[j] != '0' {
                        xn = 1;
                        yn = 1;
                        break;
                    }
                }
            }
            let mut xi = i;
            while xi < x.len() && x[xi].is_ascii_digit() {
                xn = xn
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(x[xi] as u8 - b'0'));
                xi += 1;
            }
            let mut yi = i;
            while yi < y.len() && y[yi].is_ascii_digit() {
                yn = yn
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(y[yi] as u8 - b'0'));
                yi += 1;
            }
            if xn != yn {
                return xn < yn;
            }
            if xi != yi {
                return xi < yi;
            }
            return x[i] < y[i];
        }
        x.len() < y.len()
    };
    if less(&ar, &br) {
        Ordering::Less
    } else if less(&br, &ar) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// A tiny block-mapping emitter with go-yaml's column bookkeeping, enough
/// for kubectl's output: nested mappings whose leaves are strings.
#[derive(Default)]
pub struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: usize,
    /// The last key was written in the `? key` form: its value starts a
    /// `: ` line.
    complex_key: bool,
}

impl Emitter {
    pub fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            whitespace: true,
            indention: true,
            indent: 0,
            complex_key: false,
        }
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        if !self.indention
            || self.column > self.indent
            || (self.column == self.indent && !self.whitespace)
        {
            self.put_break();
        }
        while self.column < self.indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention &= is_indention;
    }

    /// Writes `key:` at `depth` (0 for top-level keys); the caller follows
    /// with [`Emitter::value`] or nested keys at `depth + 1`.
    pub fn key(&mut self, depth: usize, key: &str) {
        self.indent = depth * BEST_INDENT;
        self.write_indent();
        let key = read_back(key);
        if key.len() > MAX_SIMPLE_KEY_LEN || key.contains(is_break) {
            // check_simple_key fails: `? key`, the key styled as a value.
            self.write_indicator("?", true, false, true);
            self.indent = (depth + 1) * BEST_INDENT;
            let style = style(&key, false);
            self.scalar(&key, style, true);
            self.indent = depth * BEST_INDENT;
            self.complex_key = true;
            return;
        }
        let style = style(&key, true);
        self.scalar(&key, style, false);
        self.write_indicator(":", false, false, false);
    }

    /// After a `? key`, the `:` line that introduces its value.
    fn complex_value_indicator(&mut self, depth: usize) {
        if self.complex_key {
            self.complex_key = false;
            self.indent = depth * BEST_INDENT;
            self.write_indent();
            self.write_indicator(":", true, false, true);
        }
    }

    /// Writes a string value after a key at `depth`.
    pub fn value(&mut self, depth: usize, value: &str) {
        self.complex_value_indicator(depth);
        // emit_scalar increases the indent by one step for the scalar.
        self.indent = (depth + 1) * BEST_INDENT;
        let value = read_back(value);
        let style = style(&value, false);
        self.scalar(&value, style, true);
        self.indent = depth * BEST_INDENT;
    }

    /// Writes a JSON `null` value (kubectl 1.33's `creationTimestamp`).
    pub fn null_value(&mut self, depth: usize) {
        self.indent = (depth + 1) * BEST_INDENT;
        self.plain("null", false);
        self.indent = depth * BEST_INDENT;
    }

    /// Ends the document as go-yaml does: a final line break unless one
    /// was just written.
    pub fn end(&mut self) {
        if self.column != 0 || !self.out.ends_with('\n') {
            self.put_break();
        }
    }

    fn scalar(&mut self, value: &str, style: Style, allow_breaks: bool) {
        match style {
            Style::Plain => self.plain(value, allow_breaks),
            Style::SingleQuoted => self.single_quoted(value, allow_breaks),
            Style::DoubleQuoted => self.double_quoted(value, allow_breaks),
            Style::Literal => self.literal(value),
        }
    }

    fn plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let len = chars.len();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < len
                    && !next_is_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn double_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let len = chars.len();
        let mut spaces = false;
        // libyaml's is_bom(value, i) looks at the start of the value, not at
        // i: after a leading BOM every character is escaped.
        let bom = value.starts_with('\u{feff}');
        for (i, &c) in chars.iter().enumerate() {
            if bom || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = u32::from(c);
                        let (letter, width) = if v <= 0xff {
                            ('x', 2)
                        } else if v <= 0xffff {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for k in (0..width).rev() {
                            let digit = (v >> (k * 4)) & 0xf;
                            let ch = char::from_digit(digit, 16)
                                .unwrap_or('0')
                                .to_ascii_uppercase();
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < len {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator when the text starts
        // with a space or break, a chomping indicator from its ending.
        let first = value.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            let hint = BEST_INDENT.to_string();
            self.write_indicator(&hint, false, false, false);
        }
        let mut rev = value.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (None, _) => Some("-"),
            (Some(l), _) if !is_break(l) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(p)) if is_break(p) => Some("+"),
            _ => None,
        };
        if let Some(hint) = chomp {
            self.write_indicator(hint, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_line(v: &str) -> String {
        let mut e = Emitter::new();
        e.key(0, "k");
        e.value(0, v);
        e.end();
        e.finish()
    }

    #[test]
    fn styles_of_names() {
        for s in [
            "123",
            "1e3",
            "0x1f",
            "y",
            "yes",
            "on",
            "true",
            "null",
            "~",
            "2024-01-01",
            "",
        ] {
            assert_eq!(style(s, false), Style::DoubleQuoted, "{s}");
        }
        for s in ["a: b", "#x", "- a", "'q", "@x", "%x", "a #b", "---x"] {
            assert_eq!(style(s, false), Style::SingleQuoted, "{s}");
        }
        for s in [
            "nan",
            "a.b",
            "has space",
            "a#b",
            "a:b",
            "x-1",
            "2024-02-30",
            "<<",
        ] {
            assert_eq!(style(s, false), Style::Plain, "{s}");
        }
        assert_eq!(style("a\nb", false), Style::Literal);
        assert_eq!(style("a\nb", true), Style::DoubleQuoted);
        assert_eq!(style("tab\there", false), Style::DoubleQuoted);
    }

    #[test]
    fn nel_folds_on_read_back() {
        assert_eq!(read_back("a\u{85}b"), "a b");
        assert_eq!(read_back("a \u{85}  b"), "a b");
        assert_eq!(read_back("a\u{85}\u{85}b"), "a\nb");
        assert_eq!(read_back("\u{85}"), " ");
        assert_eq!(read_back("plain"), "plain");
    }

    #[test]
    fn keys_sort_like_go_yaml() {
        let mut keys = vec!["b", "a10", "a9", "A", "1", "_x", "a09"];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, ["_x", "1", "A", "a9", "a09", "a10", "b"]);
    }

    #[test]
    fn writes_values() {
        assert_eq!(value_line("x"), "k: x\n");
        assert_eq!(value_line(""), "k: \"\"\n");
        assert_eq!(value_line("it's: x"), "k: 'it''s: x'\n");
        assert_eq!(value_line("a\tb😀"), "k: \"a\\tb\\U0001F600\"\n");
        assert_eq!(value_line("a\nb"), "k: |-\n  a\n  b\n");
        assert_eq!(value_line("a\n"), "k: |\n  a\n");
        assert_eq!(value_line(" a\n\n"), "k: |2+\n   a\n\n");
    }
}
