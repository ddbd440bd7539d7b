//! secret-name-invalid
//!
//! **What it checks.** A Secret's `metadata.name` (and the name of the
//! Secret a SealedSecret or an ExternalSecret becomes) must be a DNS-1123
//! subdomain: at most 253 characters of lower-case letters, digits, `-` and
//! `.`, each dot-separated part starting and ending with a letter or digit.
//! Copied placeholders such as `<your-secret>`, capitals and underscores are
//! the usual mistakes. A name still to be rendered (`{{ ... }}`, `${VAR}`,
//! `$VAR` for `envsubst`) is left alone.
//!
//! **Why.** The API server rejects the Secret (`a lowercase RFC 1123
//! subdomain must consist of lower case alphanumeric characters, '-' or
//! '.'`), and pods naming it in `imagePullSecrets` pull anonymously.
//!
//! **Bad**
//!
//! ```yaml
//! metadata:
//!   name: <your-secret-name>
//! ```
//!
//! **Good**
//!
//! ```yaml
//! metadata:
//!   name: registry-credentials
//! ```

use super::Rule;
use crate::lint::{Finding, Level, Location};
use crate::manifest::gitops_secret::GitOpsSecretView;
use crate::manifest::{Node, SecretView};
use crate::placeholder::{is_template, placeholder};

pub struct SecretNameInvalid;

/// Why `name` is not a DNS-1123 subdomain, if it is not.
pub fn subdomain_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if let Some(text) = placeholder(name) {
        if text == name || name.contains(['<', '>']) {
            return Some("it is a placeholder left from an example".into());
        }
    }
    if name.len() > 253 {
        return Some(format!("it is {} characters long, over 253", name.len()));
    }
    if let Some(c) = name.chars().find(|c| c.is_ascii_uppercase()) {
        return Some(format!("it contains the capital {c:?}"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')))
    {
        return Some(format!("it contains {c:?}"));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Some("it has an empty part between dots".into());
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("the part {label:?} starts or ends with '-'"));
        }
    }
    None
}

/// The spelling of `name` a Secret can have, when `name` cannot be one only
/// for its capitals or its `_` ("Registry_Creds": "registry-creds"); `None`
/// for anything else (a placeholder, a character with no stand-in).
pub fn valid_spelling(name: &str) -> Option<String> {
    let respelled: String = name
        .chars()
        .map(|c| match c {
            '_' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    (respelled != name && subdomain_problem(&respelled).is_none()).then_some(respelled)
}

impl Rule for SecretNameInvalid {
    fn id(&self) -> &'static str {
        "secret-name-invalid"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        if let Some(node) = secret.name {
            self.check_name(node, "Secret name", out);
        }
    }

    fn check_gitops_secret(&self, secret: &GitOpsSecretView<'_>, out: &mut Vec<Finding>) {
        if let Some(node) = secret.name {
            let what = format!(
                "the name of the Secret {} becomes",
                secret.kind.with_article()
            );
            self.check_name(node, &what, out);
        }
    }
}

impl SecretNameInvalid {
    fn check_name(&self, node: &Node, what: &str, out: &mut Vec<Finding>) {
        let Some(name) = node.text() else { return };
        if is_template(name) {
            return;
        }
        let Some(problem) = subdomain_problem(name) else {
            return;
        };
        out.push(
            self.finding(
                format!("{what} {name:?} is not a valid name: {problem}"),
                Location::File(node.span.clone()),
            )
            .with_note("the API server rejects names that are not DNS-1123 subdomains (lower-case letters, digits, '-' and '.')")
            .with_help("use a name like `registry-credentials`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{subdomain_problem, valid_spelling};

    #[test]
    fn names_respelled_as_a_secret_can_have_them() {
        assert_eq!(valid_spelling("fooSecret").as_deref(), Some("foosecret"));
        assert_eq!(valid_spelling("REG_CRED").as_deref(), Some("reg-cred"));
        assert_eq!(valid_spelling("regcred"), None);
        assert_eq!(valid_spelling("<your-secret>"), None);
        assert_eq!(valid_spelling("_regcred"), None);
        assert_eq!(valid_spelling("reg cred"), None);
    }

    #[test]
    fn dns_1123_subdomains() {
        for ok in ["a", "reg-cred", "a.b-c.d", "0abc", "x".repeat(253).as_str()] {
            assert_eq!(subdomain_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "<your-secret>",
            "Reg",
            "a_b",
            "a..b",
            "-a",
            "a-",
            "a.-b",
            "é",
        ] {
            assert!(subdomain_problem(bad).is_some(), "{bad}");
        }
        assert!(subdomain_problem(&"x".repeat(254)).is_some());
    }
}
