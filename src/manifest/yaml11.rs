//! How go-yaml v2, the YAML library behind `kubectl apply` and the API
//! server's YAML path, types a plain scalar. YAML 1.2 says `yes` is a string;
//! Kubernetes reads it as `true`, so a Secret value `yes` is not a string.

use super::node::ScalarType;
use crate::gocompat::yaml_quote::resolve::is_yaml_style_float;

/// go-yaml v2's `resolve` for an untagged plain scalar.
pub fn resolve_plain(value: &str) -> ScalarType {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "n" | "N" | "no" | "No" | "NO" | "true" | "True"
        | "TRUE" | "false" | "False" | "FALSE" | "on" | "On" | "ON" | "off" | "Off" | "OFF" => {
            return ScalarType::Bool
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return ScalarType::Float,
        _ => {}
    }
    // go-yaml only tries numbers for scalars starting like one.
    match value.as_bytes().first() {
        Some(b'+' | b'-' | b'.' | b'0'..=b'9') => {}
        _ => return ScalarType::Str,
    }
    let plain: String = value.chars().filter(|&c| c != '_').collect();
    if is_go_int(&plain) {
        return ScalarType::Int;
    }
    if is_yaml_style_float(value) {
        return ScalarType::Float;
    }
    ScalarType::Str
}

/// The type an explicit tag (`!!str`, `!!int`, ...) forces.
pub fn resolve_tag(suffix: &str) -> Option<ScalarType> {
    Some(match suffix {
        "str" | "binary" | "timestamp" => ScalarType::Str,
        "bool" => ScalarType::Bool,
        "int" => ScalarType::Int,
        "float" => ScalarType::Float,
        "null" => ScalarType::Null,
        _ => return None,
    })
}

/// `strconv.ParseInt(s, 0, 64)` or `ParseUint` succeeding, plus go-yaml's
/// own `0b` handling: sign, then decimal, `0x` hex, `0o`/leading-0 octal or
/// `0b` binary digits, within 64 bits.
fn is_go_int(s: &str) -> bool {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x").or(rest.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0b").or(rest.strip_prefix("0B")) {
        (2, d)
    } else if let Some(d) = rest.strip_prefix("0o").or(rest.strip_prefix("0O")) {
        (8, d)
    } else if rest.len() > 1 && rest.starts_with('0') {
        (8, &rest[1..])
    } else {
        (10, rest)
    };
    if digits.is_empty() {
        return false;
    }
    match u64::from_str_radix(digits, radix) {
        Ok(v) => !negative || v <= 1 << 63,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_booleans_and_nulls() {
        for v in ["yes", "No", "ON", "off", "y", "true", "FALSE"] {
            assert_eq!(resolve_plain(v), ScalarType::Bool, "{v}");
        }
        for v in ["", "~", "null", "NULL"] {
            assert_eq!(resolve_plain(v), ScalarType::Null, "{v}");
        }
        for v in ["yess", "nope", "True1", "admin123", "YQ==", "nULL"] {
            assert_eq!(resolve_plain(v), ScalarType::Str, "{v}");
        }
    }

    #[test]
    fn go_integers_and_floats() {
        for v in [
            "0755",
            "0x1f",
            "1_000",
            "-12",
            "+3",
            "0b101",
            "0o17",
            "9223372036854775807",
        ] {
            assert_eq!(resolve_plain(v), ScalarType::Int, "{v}");
        }
        for v in [
            "1.5",
            ".5",
            "1e3",
            "-2.",
            "12345678901234567890123",
            ".inf",
            "089",
        ] {
            assert_eq!(resolve_plain(v), ScalarType::Float, "{v}");
        }
        for v in ["1.2.3", "0x", "1e", "12ab", "-", "2024-01-01"] {
            assert_eq!(resolve_plain(v), ScalarType::Str, "{v}");
        }
    }
}
