//! Cuts the few source lines a finding shows, with every secret value
//! masked character for character (so columns still line up) and long lines
//! cut around the finding.

use std::ops::Range;

use super::outcome::Excerpt;
use super::position::LineIndex;

/// Lines shown at most for one finding.
const MAX_LINES: usize = 4;
/// Characters kept of a long line.
const WINDOW: usize = 1000;
/// Characters kept before the finding on a long line.
const LEAD: usize = 200;
const MASK: char = '•';

/// The bytes an excerpt masks: sorted, disjoint ranges, merged once per
/// file and then searched (a file with 100k secret values must not cost
/// 100k comparisons per shown character, nor a sort per finding).
pub struct Masks(Vec<Range<usize>>);

impl Masks {
    pub fn new(masks: Vec<Range<usize>>) -> Self {
        super::work::count(masks.len());
        let mut sorted: Vec<Range<usize>> = masks.into_iter().filter(|m| !m.is_empty()).collect();
        sorted.sort_by_key(|m| m.start);
        let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
        for m in sorted {
            match out.last_mut() {
                Some(last) if m.start <= last.end => last.end = last.end.max(m.end),
                _ => out.push(m),
            }
        }
        Masks(out)
    }

    fn covers(&self, offset: usize) -> bool {
        let i = self.0.partition_point(|m| m.start <= offset);
        i > 0 && self.0.get(i - 1).is_some_and(|m| m.contains(&offset))
    }
}

/// Builds the excerpt of `range`, masking every byte inside `masks`.
pub fn excerpt(bytes: &[u8], lines: &LineIndex, range: Range<usize>, masks: &Masks) -> Excerpt {
    let first = lines.line_of(range.start);
    let last_byte = range.end.max(range.start + 1) - 1;
    let last = lines.line_of(last_byte).clamp(first, first + MAX_LINES - 1);
    let masked = |o: usize| masks.covers(o);
    let mut text = String::new();
    let mut ann_start = None;
    let mut ann_end = None;
    let mut cut = false;
    for line in first..=last {
        if line > first {
            text.push('\n');
        }
        let line_range = lines.line_range(bytes, line);
        // Only the bytes that can be shown are decoded (a character is at
        // most 4 bytes): a 60 MB line must not become 60M decoded chars.
        let focus_byte = if line == first {
            range.start
        } else {
            line_range.start
        };
        let start = snap_forward(
            bytes,
            focus_byte.saturating_sub(4 * LEAD).max(line_range.start),
        );
        let end = line_range.end.min(start + 4 * (WINDOW + LEAD));
        let (cut_before, cut_after) = (start > line_range.start, end < line_range.end);
        let chars = decode_line(bytes, start..end);
        let focus = chars
            .iter()
            .position(|&(o, _)| o >= range.start)
            .unwrap_or(0);
        let from = if (cut_before || chars.len() > WINDOW) && line == first {
            focus.saturating_sub(LEAD)
        } else {
            0
        };
        let to = (from + WINDOW).min(chars.len());
        if from > 0 || cut_before {
            cut = true;
            text.push('…');
        }
        for &(offset, c) in chars.get(from..to).unwrap_or(&[]) {
            if ann_start.is_none() && offset >= range.start {
                ann_start = Some(text.len());
            }
            let shown = if masked(offset) && !c.is_whitespace() {
                MASK
            } else {
                c
            };
            text.push(shown);
            if offset < range.end {
                ann_end = Some(text.len());
            }
        }
        if to < chars.len() || cut_after {
            text.push('…');
        }
    }
    let start = ann_start.unwrap_or(text.len());
    let end = ann_end.unwrap_or(start).max(start);
    Excerpt {
        first_line: first + 1,
        text,
        range: start..end,
        cut,
    }
}

/// `at`, or the next character start after it (at most 3 bytes on).
fn snap_forward(bytes: &[u8], at: usize) -> usize {
    let mut i = at;
    while i < at + 3 && bytes.get(i).is_some_and(|b| (0x80..0xC0).contains(b)) {
        i += 1;
    }
    i
}

/// The characters of a line with their byte offsets; an invalid UTF-8 byte
/// becomes U+FFFD.
fn decode_line(bytes: &[u8], range: Range<usize>) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut at = range.start;
    while at < range.end {
        let rest = bytes.get(at..range.end).unwrap_or(&[]);
        let chunk = match std::str::from_utf8(rest) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or(""),
        };
        for (i, c) in chunk.char_indices() {
            out.push((at + i, if c == '\t' { ' ' } else { c }));
        }
        at += chunk.len();
        if at < range.end {
            out.push((at, '\u{fffd}'));
            at += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_columns_and_underline() {
        let text = b"data:\n  k: c2VjcmV0\n";
        let idx = LineIndex::new(text);
        let value = 11..19;
        let e = excerpt(text, &idx, value.clone(), &Masks::new(vec![value]));
        assert_eq!(e.first_line, 2);
        assert_eq!(e.text, "  k: ••••••••");
        assert_eq!(&e.text[e.range.clone()], "••••••••");
        assert!(!e.text.contains("c2Vj"));
    }

    #[test]
    fn long_lines_are_cut_around_the_finding() {
        let mut text = "k: ".to_string();
        text.push_str(&"A".repeat(10_000));
        text.push('!');
        text.push_str(&"A".repeat(10_000));
        let bytes = text.as_bytes();
        let idx = LineIndex::new(bytes);
        let bang = text.find('!').unwrap();
        let e = excerpt(bytes, &idx, bang..bang + 1, &Masks::new(Vec::new()));
        assert!(e.text.len() < 2000 && e.cut);
        assert_eq!(&e.text[e.range.clone()], "!");
    }
}
