//! Byte-offset edits: what `--fix` changes, as replacements of byte ranges
//! of the original text. Everything outside the ranges is kept byte for byte.

use std::ops::Range;

/// Replace `range` of the original bytes with `text` (an empty range is an
/// insertion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: at..at,
            text: text.into(),
        }
    }

    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("two fixes touch the same bytes ({first:?} and {second:?})")]
    Overlap {
        first: Range<usize>,
        second: Range<usize>,
    },
    #[error("a fix points outside the text (bytes {0:?})")]
    OutOfBounds(Range<usize>),
    #[error("a fix would cut a UTF-8 character (bytes {0:?})")]
    NotCharBoundary(Range<usize>),
}

/// Sorts `edits` by position and checks they do not overlap. Two insertions
/// at the same offset overlap too: their order would be a guess.
pub fn sorted(mut edits: Vec<Edit>, text: &str) -> Result<Vec<Edit>, EditError> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    for e in &edits {
        if e.range.start > e.range.end || e.range.end > text.len() {
            return Err(EditError::OutOfBounds(e.range.clone()));
        }
        if !text.is_char_boundary(e.range.start) || !text.is_char_boundary(e.range.end) {
            return Err(EditError::NotCharBoundary(e.range.clone()));
        }
    }
    for pair in edits.windows(2) {
        if let [a, b] = pair {
            let same_point = a.range.is_empty() && b.range.is_empty() && a.range == b.range;
            if b.range.start < a.range.end || same_point {
                return Err(EditError::Overlap {
                    first: a.range.clone(),
                    second: b.range.clone(),
                });
            }
        }
    }
    Ok(edits)
}

/// The text with every edit applied.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let edits = sorted(edits.to_vec(), text)?;
    let grow: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + grow);
    let mut at = 0;
    for e in &edits {
        out.push_str(text.get(at..e.range.start).unwrap_or(""));
        out.push_str(&e.text);
        at = e.range.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_any_order_and_keeps_the_rest() {
        let text = "a: 1\nb: 2\n";
        let edits = vec![Edit::insert(10, "c: 3\n"), Edit::replace(3..4, "one")];
        assert_eq!(apply(text, &edits).unwrap(), "a: one\nb: 2\nc: 3\n");
    }

    #[test]
    fn refuses_overlaps_and_bad_ranges() {
        let text = "abcdef";
        let overlap = vec![Edit::replace(1..4, "x"), Edit::replace(3..5, "y")];
        assert!(matches!(
            apply(text, &overlap),
            Err(EditError::Overlap { .. })
        ));
        let same_point = vec![Edit::insert(2, "x"), Edit::insert(2, "y")];
        assert!(matches!(
            apply(text, &same_point),
            Err(EditError::Overlap { .. })
        ));
        assert!(matches!(
            apply(text, &[Edit::insert(7, "x")]),
            Err(EditError::OutOfBounds(_))
        ));
        assert!(matches!(
            apply("é", &[Edit::insert(1, "x")]),
            Err(EditError::NotCharBoundary(_))
        ));
        // Touching ranges are fine.
        let touching = vec![Edit::replace(0..2, "X"), Edit::replace(2..3, "Y")];
        assert_eq!(apply(text, &touching).unwrap(), "XYdef");
    }
}
