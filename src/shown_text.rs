//! Text from the inputs quoted in a message (a name, a registry key, an
//! image) is bounded: a name of 30 MB is shown as its start and its end,
//! with the number of characters left out between them (docs/limits.md).
//! Applied to every finding's words once the run is done
//! (`lint::Outcome::finish`), to every `error:` line, and to `inspect`'s
//! lines and JSON strings.

use std::borrow::Cow;

/// The most characters of one message, note, help or error line shown.
pub const MAX_SHOWN_CHARS: usize = 1024;
/// Of a longer text: the characters shown from its start, and from its end.
const HEAD_CHARS: usize = 640;
const TAIL_CHARS: usize = 256;

/// `text`, or its start and end with `…[N characters left out]…` between
/// them when it is longer than [`MAX_SHOWN_CHARS`].
pub fn bounded(text: &str) -> Cow<'_, str> {
    // Bytes bound characters: most texts need no counting.
    if text.len() <= MAX_SHOWN_CHARS {
        return Cow::Borrowed(text);
    }
    let total = text.chars().count();
    if total <= MAX_SHOWN_CHARS {
        return Cow::Borrowed(text);
    }
    let head_end = text
        .char_indices()
        .nth(HEAD_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let tail_start = text
        .char_indices()
        .nth_back(TAIL_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let left_out = total - HEAD_CHARS - TAIL_CHARS;
    Cow::Owned(format!(
        "{}…[{left_out} characters left out]…{}",
        &text[..head_end],
        &text[tail_start..]
    ))
}

/// [`bounded`] in place.
pub fn bound(text: &mut String) {
    if let Cow::Owned(shorter) = bounded(text) {
        *text = shorter;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_kept_and_long_ones_cut_in_the_middle() {
        assert!(matches!(bounded("Secret name \"x\""), Cow::Borrowed(_)));
        // Multi-byte characters count as one each.
        let wide = "é".repeat(MAX_SHOWN_CHARS);
        assert!(matches!(bounded(&wide), Cow::Borrowed(_)));
        let name = format!("start{}end", "a".repeat(30 << 20));
        let text = format!("Secret name {name:?} is invalid");
        let shown = bounded(&text);
        assert!(shown.starts_with("Secret name \"startaaa"), "{shown}");
        assert!(shown.ends_with("aaaend\" is invalid"), "{shown}");
        let left_out = text.chars().count() - HEAD_CHARS - TAIL_CHARS;
        assert!(shown.contains(&format!("…[{left_out} characters left out]…")));
        assert!(shown.chars().count() < MAX_SHOWN_CHARS + 40);
        let mut owned = "é".repeat(2 * MAX_SHOWN_CHARS);
        bound(&mut owned);
        assert_eq!(
            owned.chars().filter(|&c| c == 'é').count(),
            HEAD_CHARS + TAIL_CHARS
        );
    }
}
