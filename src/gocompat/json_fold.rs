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
    key.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    match c {
        'a'..='z' => c.to_ascii_uppercase(),
        '\u{17f}' => 'S',
        '\u{212a}' => 'K',
        '\u{130}' | '\u{131}' => 'I',
        _ => c,
    }
}

/// `fold_name(key) == folded`, without building the folded key (the masks
/// ask this of every key of every linted file).
pub fn folds_to(key: &str, folded: &str) -> bool {
    if key.is_ascii() {
        return key.len() == folded.len() && ascii_folds(key.bytes(), folded.bytes());
    }
    key.chars().map(fold_char).eq(folded.chars())
}

/// An ASCII key folds byte by byte (upper-cased).
fn ascii_folds(key: impl Iterator<Item = u8>, folded: impl Iterator<Item = u8>) -> bool {
    key.zip(folded).all(|(k, f)| k.to_ascii_uppercase() == f)
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

    #[test]
    fn comparisons_agree_with_the_folded_key() {
        let keys = [
            "",
            "kind",
            "KIND",
            "kin",
            "kinds",
            "Secret",
            "ſecret",
            "pa\u{17f}\u{17f}word",
            "dbPassword",
            "password",
            "token",
            "\u{131}dentitytoken",
            "ßtoken",
            "é",
            "kınd",
        ];
        let folded = [
            "",
            "KIND",
            "SECRET",
            "PASSWORD",
            "TOKEN",
            "IDENTITYTOKEN",
            "D",
            "É",
        ];
        for key in keys {
            for f in folded {
                assert_eq!(folds_to(key, f), fold_name(key) == f, "{key:?} {f:?}");
            }
        }
    }
}
