//! Text a person was meant to replace before use: `<your-registry-server>`,
//! `REPLACE_WITH_BASE64_CERT`, `YOUR_PASSWORD`, `${REGISTRY}`. One detector
//! for every rule and for `regcred create`, so that a Secret value, a
//! registry, an image and a name left from an example are all called what
//! they are, instead of "not base64" or "URL-safe".

/// Words that mark an upper-case identifier as a placeholder.
const MARKERS: &[&str] = &[
    "REPLACE",
    "YOUR",
    "CHANGEME",
    "CHANGE",
    "INSERT",
    "ENTER",
    "FILL",
    "PLACEHOLDER",
    "TODO",
    "FIXME",
    "REDACTED",
];

/// The placeholder in `text`, if it holds one: a `<...>` part (the part
/// itself; a lone `<` or `>` is only an invalid character), an unrendered `${...}` or `{{...}}` template (the template), or
/// an upper-case identifier made of `_`- or `-`-separated words one of which
/// is a marker such as `REPLACE` or `YOUR` (the identifier).
pub fn placeholder(text: &str) -> Option<&str> {
    for (open, _) in text.match_indices('<') {
        let Some(length) = text[open + 1..].find('>') else {
            break;
        };
        let inner = &text[open + 1..open + 1 + length];
        if !inner.is_empty() && !inner.contains(['<', '"', '&', '\'']) {
            return Some(&text[open..open + length + 2]);
        }
    }
    for (open, close) in [("${", "}"), ("{{", "}}")] {
        if let Some(start) = text.find(open) {
            let end = text[start..]
                .find(close)
                .map_or(text.len(), |i| start + i + close.len());
            return Some(&text[start..end]);
        }
    }
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .find(|word| is_marked_identifier(word))
}

fn is_marked_identifier(word: &str) -> bool {
    let upper = word
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    upper
        && word.bytes().any(|b| b.is_ascii_uppercase())
        && word.split(['_', '-']).any(|part| MARKERS.contains(&part))
}

/// Whether a name or an image is a template a renderer replaces before
/// use: Helm / Go `{{ ... }}`, and the shell's or `envsubst`'s `${VAR}`,
/// `$VAR` and `$(...)`. No Kubernetes name and no image reference holds a
/// `$`, so one before a name or a bracket is a variable left to render.
/// (Not for Secret values, where a `$` is just a character.)
pub fn is_template(text: &str) -> bool {
    text.contains("{{")
        || text.match_indices('$').any(|(at, _)| {
            text[at + 1..]
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'{' | b'('))
        })
}

#[cfg(test)]
mod tests {
    use super::{is_template, placeholder};

    #[test]
    fn templates_are_recognised() {
        for text in [
            "{{ .Values.name }}",
            "${SECRET}",
            "$SECRET",
            "$(SECRET)",
            "pull-$ENV",
            "$_x",
        ] {
            assert!(is_template(text), "{text}");
        }
        for text in ["regcred", "a$", "$1", "a$-b", "{x}"] {
            assert!(!is_template(text), "{text}");
        }
    }

    #[test]
    fn placeholders_are_found_and_real_values_are_not() {
        for (text, found) in [
            ("<your-registry-server>", "<your-registry-server>"),
            ("registry.io/<your-private-image>:1", "<your-private-image>"),
            ("REPLACE_WITH_BASE64_CERT", "REPLACE_WITH_BASE64_CERT"),
            ("YOUR_PASSWORD", "YOUR_PASSWORD"),
            ("CHANGEME", "CHANGEME"),
            ("https://${REGISTRY}/v1/", "${REGISTRY}"),
            ("{{ .Values.registry }}", "{{ .Values.registry }}"),
            ("INSERT-TOKEN-HERE", "INSERT-TOKEN-HERE"),
            ("a<b<your-image>", "<your-image>"),
        ] {
            assert_eq!(placeholder(text), Some(found), "{text}");
        }
        for text in [
            "reg.example.com",
            "eyJhdXRocyI6e319",
            "REGISTRY",
            "UkVQTEFDRQ==",
            "nginx:1.27",
            "your-registry",
            "ABC_DEF",
            "reg.io/path>with<&\"quotes\"",
            "a<b",
            "",
        ] {
            assert_eq!(placeholder(text), None, "{text}");
        }
    }
}
