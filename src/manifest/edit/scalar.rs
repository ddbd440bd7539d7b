//! Writing a new scalar so it reads back as the same string: plain when
//! YAML (and go-yaml v2's YAML 1.1) reads it as that string, else quoted.

use crate::manifest::{yaml11, ScalarType, Style};

/// Plain is safe: letters, digits and `._/-`, not starting with an
/// indicator, and not a YAML 1.1 bool, number or null (`yes`, `0755`, `~`).
fn plain_is_safe(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'))
        && first != '-'
        && yaml11::resolve_plain(value) == ScalarType::Str
}

/// `value` in JSON's double quotes, which YAML reads the same way.
pub fn double_quoted(value: &str) -> String {
    serde_json::Value::String(value.to_string()).to_string()
}

fn single_quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `value` written in `style` where that style can hold it; block styles
/// and unsafe plain values become double-quoted.
pub fn render(value: &str, style: Style) -> String {
    match style {
        Style::Plain if plain_is_safe(value) => value.to_string(),
        Style::SingleQuoted if !value.contains(['\n', '\r']) => single_quoted(value),
        _ => double_quoted(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::parse_stream;

    fn reads_back(value: &str, style: Style) {
        let text = format!("k: {}\n", render(value, style));
        let docs = parse_stream(&text).unwrap();
        let node = docs[0].root.as_ref().unwrap().get("k").unwrap();
        assert_eq!(node.as_str(), Some(value), "{text}");
    }

    #[test]
    fn values_read_back_as_the_same_string() {
        for value in [
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            "regcred",
            "yes",
            "0755",
            "~",
            "a: b",
            "it's",
            "-x",
            "é\"\\",
            "",
        ] {
            for style in [
                Style::Plain,
                Style::SingleQuoted,
                Style::DoubleQuoted,
                Style::Literal,
            ] {
                reads_back(value, style);
            }
        }
        assert_eq!(render("regcred", Style::Plain), "regcred");
        assert_eq!(render("yes", Style::Plain), "\"yes\"");
        assert_eq!(render("x", Style::SingleQuoted), "'x'");
    }
}
