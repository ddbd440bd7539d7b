//! The API server's checks on names, namespaces, label and annotation keys
//! and values: kubectl does not make them, regcred does before writing.

const SUBDOMAIN_MAX: usize = 253;
const LABEL_MAX: usize = 63;
/// The API server's limit on the total size of annotations.
const ANNOTATIONS_MAX: usize = 256 * 1024;

fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= LABEL_MAX
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// `metadata.name` of a Secret: a DNS-1123 subdomain.
pub fn check_name(s: &str) -> Result<(), String> {
    if s.len() > SUBDOMAIN_MAX || !s.split('.').all(is_dns_label) {
        return Err(format!(
            "{s:?} is not a valid Secret name: use at most {SUBDOMAIN_MAX} characters of lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// A namespace: a DNS-1123 label.
pub fn check_namespace(s: &str) -> Result<(), String> {
    if !is_dns_label(s) {
        return Err(format!(
            "{s:?} is not a valid namespace: use at most {LABEL_MAX} characters of lowercase letters, digits and '-', starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
fn is_qualified_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= LABEL_MAX
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A label or annotation key: `[prefix/]name`, prefix a DNS subdomain.
pub fn check_key(what: &str, key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let prefix_ok =
        prefix.is_none_or(|p| p.len() <= SUBDOMAIN_MAX && p.split('.').all(is_dns_label));
    if !prefix_ok || !is_qualified_part(name) {
        return Err(format!(
            "{what} key {key:?} is not valid: an optional DNS subdomain prefix and '/', then at most {LABEL_MAX} letters, digits, '-', '_' or '.', starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// A label value: empty, or a qualified-name part.
pub fn check_label_value(key: &str, value: &str) -> Result<(), String> {
    if !value.is_empty() && !is_qualified_part(value) {
        return Err(format!(
            "label {key:?} has an invalid value {value:?}: at most {LABEL_MAX} letters, digits, '-', '_' or '.', starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// The total size of annotations.
pub fn check_annotations_size(entries: &[(String, String)]) -> Result<(), String> {
    let total: usize = entries.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > ANNOTATIONS_MAX {
        return Err(format!(
            "annotations total {total} bytes, more than the API server's limit of {ANNOTATIONS_MAX}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["a", "regcred", "123", "a.b-c", "0x1f"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "A",
            "a_b",
            "-a",
            "a.",
            "a..b",
            "has space",
            &"a".repeat(254),
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_namespace("a.b").is_err());
        assert!(check_key("label", "app.kubernetes.io/name").is_ok());
        assert!(check_key("label", "a/b/c").is_err());
        assert!(check_label_value("k", "").is_ok());
        assert!(check_label_value("k", "a b").is_err());
    }
}
