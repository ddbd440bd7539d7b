//! Byte-offset edits: what a rule's fix changes, as replacements of byte
//! ranges of the original text. Everything outside the ranges is kept byte
//! for byte. [`yaml`] builds edits that keep a file's layout ([`layout`])
//! and write [`scalar`]s that read back as meant.

pub mod layout;
pub mod scalar;
pub mod yaml;

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

/// An edit whose text names something chosen only when it is applied (the
/// pull Secret `--fix` names in a pod spec): the name goes between
/// `before` and `after`, written as the edit's builder would write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingEdit {
    pub range: Range<usize>,
    pub before: String,
    pub after: String,
    /// The name is written double-quoted (a JSON-style mapping), else plain
    /// when YAML reads it back as the same string.
    pub json: bool,
}

/// The name a [`NamingEdit`] is built with, then cut out: plain-safe, and
/// no text around a name holds it.
const SLOT: &str = "regcred-name-slot-5f0c";

impl NamingEdit {
    /// The edit `build` makes for some name, with the name left open.
    /// `None` when the name is not written exactly once.
    pub fn open<E>(build: impl FnOnce(&str) -> Result<Edit, E>) -> Result<Option<NamingEdit>, E> {
        let edit = build(SLOT)?;
        let quoted = scalar::double_quoted(SLOT);
        let (json, written) = match edit.text.matches(&quoted).count() {
            1 => (true, quoted.as_str()),
            _ => (false, SLOT),
        };
        if edit.text.matches(SLOT).count() != 1 {
            return Ok(None);
        }
        Ok(edit
            .text
            .split_once(written)
            .map(|(before, after)| NamingEdit {
                range: edit.range.clone(),
                before: before.to_string(),
                after: after.to_string(),
                json,
            }))
    }

    /// The edit naming `name`.
    pub fn with_name(&self, name: &str) -> Edit {
        let name = match self.json {
            true => scalar::double_quoted(name),
            false => scalar::render(name, crate::manifest::Style::Plain),
        };
        Edit::replace(
            self.range.clone(),
            format!("{}{name}{}", self.before, self.after),
        )
    }
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
    fn a_naming_edit_writes_the_name_as_its_builder_would() {
        let block = |name: &str| {
            Ok::<_, ()>(Edit::insert(
                3,
                format!(
                    "- name: {}\n",
                    scalar::render(name, crate::manifest::Style::Plain)
                ),
            ))
        };
        let open = NamingEdit::open(block).unwrap().unwrap();
        assert_eq!(open.with_name("regcred"), block("regcred").unwrap());
        assert_eq!(open.with_name("yes"), block("yes").unwrap());
        assert_eq!(open.with_name("yes").text, "- name: \"yes\"\n");
        let json = |name: &str| {
            Ok::<_, ()>(Edit::replace(
                1..3,
                format!("[{{\"name\": {}}}]", scalar::double_quoted(name)),
            ))
        };
        let open = NamingEdit::open(json).unwrap().unwrap();
        assert!(open.json);
        assert_eq!(open.with_name("regcred"), json("regcred").unwrap());
        assert_eq!(
            NamingEdit::open(|_| Ok::<_, ()>(Edit::insert(0, "x"))),
            Ok(None)
        );
    }

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
