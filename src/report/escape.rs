//! Control characters from the inputs (file names, keys, excerpts) are
//! shown escaped in human output, never sent to the terminal raw: a file
//! named `a\nerror: forged` or holding `\x1b[2J` or U+009B (the C1 CSI)
//! cannot forge report lines or drive the terminal.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

/// How one control character is shown: `\n`, `\r`, `\t`, `\u{9b}`.
fn escape_char(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// `text` with every control character (C0, DEL, C1) escaped.
pub fn controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// An excerpt's lines with their control characters escaped, except the
/// line breaks and tabs that lay it out (a CR only before LF), and `range`
/// moved to the same text in the result. `None` when nothing changes.
pub fn excerpt(text: &str, range: &Range<usize>) -> Option<(String, Range<usize>)> {
    let keep =
        |c: char, next: Option<char>| c == '\n' || c == '\t' || (c == '\r' && next == Some('\n'));
    let mut chars = text.char_indices().peekable();
    let mut out = String::with_capacity(text.len() + 8);
    let (mut start, mut end) = (None, None);
    let mut changed = false;
    while let Some((at, c)) = chars.next() {
        if at >= range.start && start.is_none() {
            start = Some(out.len());
        }
        if at >= range.end && end.is_none() {
            end = Some(out.len());
        }
        let next = chars.peek().map(|&(_, n)| n);
        if c.is_control() && !keep(c, next) {
            escape_char(c, &mut out);
            changed = true;
        } else {
            out.push(c);
        }
    }
    if !changed {
        return None;
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    Some((out, start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(controls("a.yaml"), "a.yaml");
        assert_eq!(
            controls("a\nerror: x\r\u{9b}2J\u{1b}"),
            "a\\nerror: x\\r\\u{9b}2J\\u{1b}"
        );
    }

    #[test]
    fn excerpt_ranges_follow_the_escapes() {
        let text = "k: \u{1b}[2J\r\n  v: abc\n";
        let at = text.find("abc").unwrap();
        let (out, range) = excerpt(text, &(at..at + 3)).unwrap();
        assert_eq!(out, "k: \\u{1b}[2J\r\n  v: abc\n");
        assert_eq!(&out[range], "abc");
        assert_eq!(excerpt("a: b\r\n\tc\n", &(0..1)), None);
    }
}
