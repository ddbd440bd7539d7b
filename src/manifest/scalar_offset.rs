//! Maps a byte offset inside a scalar's value back to the file, so a finding
//! can point at the exact bad byte of a base64 value.

use super::node::{Node, NodeKind, Style};

/// The file offset of byte `n` of `node`'s value, when the scalar's text in
/// the file lines up with its value (plain, quoted without escapes, block
/// scalars; line folding is followed). `None` when it cannot be told.
pub fn value_offset(source: &str, node: &Node, n: usize) -> Option<usize> {
    let NodeKind::Scalar(scalar) = &node.kind else {
        return None;
    };
    let span = node.span.clone();
    let content = match scalar.style {
        Style::Plain => span,
        Style::SingleQuoted | Style::DoubleQuoted => {
            span.start.checked_add(1)?..span.end.checked_sub(1)?
        }
        // saphyr's span of a block scalar starts at its content.
        Style::Literal | Style::Folded => span,
    };
    let src = source.as_bytes().get(content.clone())?;
    let val = scalar.value.as_bytes();
    let target = *val.get(n)?;
    let (mut i, mut j) = (0, 0);
    loop {
        let s = *src.get(j)?;
        if i == n {
            // Skip indentation and line breaks folded away before the byte.
            if s == target || (is_blank(target) && is_blank(s)) {
                return Some(content.start + j);
            }
            if is_blank(s) {
                j += 1;
                continue;
            }
            return None;
        }
        let v = *val.get(i)?;
        if v == s {
            i += 1;
            j += 1;
        } else if is_blank(s) {
            j += 1;
        } else if is_blank(v) {
            i += 1;
        } else {
            // An escape or a quote pair: the text no longer lines up.
            return None;
        }
    }
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml::parse_stream;

    fn offset_of(text: &str, key: &str, n: usize) -> Option<usize> {
        let docs = parse_stream(text).unwrap();
        let node = docs[0].root.as_ref().unwrap().get(key).unwrap().clone();
        value_offset(text, &node, n)
    }

    #[test]
    fn plain_and_quoted() {
        let text = "a: abc def\nb: \"xyz\"\nc: 'q''r'\n";
        assert_eq!(offset_of(text, "a", 4), Some(7));
        assert_eq!(offset_of(text, "b", 1), Some(text.find('y').unwrap()));
        assert_eq!(offset_of(text, "c", 0), Some(text.find('q').unwrap()));
    }

    #[test]
    fn literal_blocks_skip_indentation() {
        let text = "a: |\n  abcd\n  ef!h\n";
        // value "abcd\nef!h\n": byte 7 is '!'
        assert_eq!(offset_of(text, "a", 7), Some(text.find('!').unwrap()));
    }

    #[test]
    fn folded_plain_points_at_the_line_break() {
        let text = "a: abcd\n  efgh\n";
        // value "abcd efgh": byte 4 is the folded space
        assert_eq!(offset_of(text, "a", 4), Some(7));
        assert_eq!(offset_of(text, "a", 5), Some(text.find('e').unwrap()));
    }
}
