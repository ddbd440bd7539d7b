//! How go-yaml v2, the YAML library behind `kubectl apply` and the API
//! server's YAML path, types a plain scalar. YAML 1.2 says `yes` is a string;
//! Kubernetes reads it as `true`, so a Secret value `yes` is not a string.

use super::node::ScalarType;
use crate::gocompat::yaml_resolve::{self, Resolved};

/// go-yaml v2's `resolve` for an untagged plain scalar (gocompat's table),
/// as the API server receives it: `sigs.k8s.io/yaml` decodes into
/// `interface{}`, where go-yaml v2 keeps a timestamp-like value a string
/// ("for backward compatibility", its decoder says). So `2024-01-01` is a
/// string here, though kubectl quotes it when it prints one.
pub fn resolve_plain(value: &str) -> ScalarType {
    match yaml_resolve::resolve_plain(value) {
        Resolved::Str | Resolved::Timestamp => ScalarType::Str,
        Resolved::Bool => ScalarType::Bool,
        Resolved::Null => ScalarType::Null,
        Resolved::Int => ScalarType::Int,
        Resolved::Float => ScalarType::Float,
    }
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
        // An underscore is dropped before the float pattern too; a float
        // out of range and a sign on a too-large integer are as Go parses.
        for v in ["1_0.5", "+9223372036854775808"] {
            assert_eq!(resolve_plain(v), ScalarType::Float, "{v}");
        }
        for v in [
            "1.2.3",
            "0x",
            "1e",
            "12ab",
            "-",
            "2024-01-01",
            "1e400",
            "<<",
        ] {
            assert_eq!(resolve_plain(v), ScalarType::Str, "{v}");
        }
    }
}
