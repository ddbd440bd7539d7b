//! Go `encoding/json`'s case-insensitive match of an object key to a struct
//! field, as far as it decides which keys reach an ASCII-named field.
//!
//! Since Go 1.21, `json.Unmarshal` compares `foldName(key)` with
//! `foldName(field)`, where `foldName` upper-cases ASCII and maps every other
//! rune to `unicode.ToUpper(unicode.ToLower(r))` (encoding/json/fold.go). Four
//! non-ASCII runes fold to ASCII that way: U+017F `ſ` (to `S`), U+212A Kelvin
//! `K` (to `K`), U+0131 `ı` and U+0130 `İ` (both to `I`). Go 1.20 and earlier
//! (`equalFoldRight`) accepted only the first two, so a match here is a
//! match in every Go version and a superset of older ones.

/// `key` folded as Go 1.21+ folds it, exact wherever the result is compared
/// with ASCII: ASCII upper-cased, the four runes above to their ASCII fold,
/// any other rune kept (it folds to a non-ASCII rune in Go too).
pub fn fold_name(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            'a'..='z' => c.to_ascii_uppercase(),
            '\u{17f}' => 'S',
            '\u{212a}' => 'K',
            '\u{130}' | '\u{131}' => 'I',
            _ => c,
        })
        .collect()
}

/// Whether Go decodes `key` into the field named `field` (ASCII).
pub fn field_matches(field: &str, key: &str) -> bool {
    fold_name(key) == field.to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_like_go() {
        assert_eq!(fold_name("pa\u{17f}\u{17f}word"), "PASSWORD");
        assert!(field_matches("password", "PassWord"));
        assert!(field_matches("registrytoken", "registrytO\u{212a}en"));
        assert!(field_matches("identitytoken", "\u{131}dentitytoken"));
        assert!(field_matches("identitytoken", "\u{130}DENTITYTOKEN"));
        assert!(!field_matches("auth", "\u{e1}uth"));
        assert!(!field_matches("auth", "auths"));
        assert_eq!(fold_name("ßé"), "ßé");
    }
}
