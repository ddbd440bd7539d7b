//! The rule registry: every rule, in id order. One rule per file; the file's
//! `//!` doc comment is the rule's explanation (`regcred explain RULE`).

use super::finding::{Finding, Level};
use super::view::PullSecretView;

// --- pull-secret payload rules (branch `pullsecret`) -------------------------
pub mod pull_secret_auth_mismatch;
pub mod pull_secret_auth_no_colon;
pub mod pull_secret_auth_not_base64;
pub mod pull_secret_creds_store;
pub mod pull_secret_empty_credentials;
pub mod pull_secret_invalid_json;
pub mod pull_secret_invalid_registry;
pub mod pull_secret_no_auths;
// --- end pull-secret payload rules -------------------------------------------

/// A lint rule. Each hook has a no-op default; a rule implements the views it
/// reads. Rules never read files, print, or know about output formats.
pub trait Rule: Send + Sync {
    /// The stable kebab-case id (RULES.md): what users select, ignore and suppress.
    fn id(&self) -> &'static str;
    fn default_level(&self) -> Level;
    /// Called once for each pull-secret payload: a Secret's `.dockerconfigjson`
    /// or `.dockercfg` value (decoded) and each Docker config file in the tree.
    fn check_pull_secret(&self, _view: &PullSecretView<'_>, _out: &mut Vec<Finding>) {}
}

/// Every rule, in id order.
pub fn all() -> Vec<Box<dyn Rule>> {
    vec![
        // --- pull-secret payload rules (branch `pullsecret`) ---
        Box::new(pull_secret_auth_mismatch::AuthMismatch),
        Box::new(pull_secret_auth_no_colon::AuthNoColon),
        Box::new(pull_secret_auth_not_base64::AuthNotBase64),
        Box::new(pull_secret_creds_store::CredsStore),
        Box::new(pull_secret_empty_credentials::EmptyCredentials),
        Box::new(pull_secret_invalid_json::InvalidJson),
        Box::new(pull_secret_invalid_registry::InvalidRegistry),
        Box::new(pull_secret_no_auths::NoAuths),
        // --- end pull-secret payload rules ---
    ]
}

/// The note every rule shares when the kubelet gives up on the whole Secret.
pub(crate) const KUBELET_GIVES_UP: &str =
    "the kubelet rejects this whole Secret: every image pull of every pod that uses it fails, \
     even for the other registries in it";

#[cfg(test)]
pub(crate) mod testing {
    use super::Rule;
    use crate::lint::finding::{Finding, Location};
    use crate::lint::view::{PayloadFormat, PayloadOrigin, PullSecretView};

    /// Runs one rule over a decoded `.dockerconfigjson` (or `.dockercfg`).
    pub fn check(rule: &dyn Rule, payload: &str, format: PayloadFormat) -> Vec<Finding> {
        let view = PullSecretView::new(payload.as_bytes(), format, PayloadOrigin::SecretData);
        let mut out = Vec::new();
        rule.check_pull_secret(&view, &mut out);
        for finding in &out {
            assert_eq!(finding.rule, rule.id());
        }
        out
    }

    pub fn json(rule: &dyn Rule, payload: &str) -> Vec<Finding> {
        check(rule, payload, PayloadFormat::DockerConfigJson)
    }

    /// The payload text each finding points at.
    pub fn pointed<'a>(findings: &[Finding], payload: &'a str) -> Vec<&'a str> {
        findings
            .iter()
            .map(|f| match &f.location {
                Location::Payload(r) => payload.get(r.clone()).unwrap_or("<out of range>"),
                Location::File(_) => "<file>",
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn registry_is_in_id_order_without_duplicates() {
        let ids: Vec<_> = super::all().iter().map(|r| r.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }
}
