//! Problems behind a wrong shape, found in the same run (docs/rules.md,
//! pull-secret-no-auths): a `.dockercfg` wrapped in `auths` (the task
//! page's own mistake) or a `.dockerconfigjson` with its registries at the
//! top level hides its entries from the kubelet, so their own problems (an
//! `auth` without ':', a dotless registry key) would show only after the
//! user fixed the shape. The entry rules also read the payload as the
//! kubelet will once the shape is fixed, and say so in their note.

use super::Rule;
use crate::lint::finding::Finding;
use crate::lint::view::PullSecretView;

/// The rules about one entry of a payload: what they find behind a wrong
/// shape is there for the kubelet once the shape is fixed. (The shape, the
/// JSON and the Secret type are judged on the payload as it is.)
const ENTRY_RULES: &[&str] = &[
    "pull-secret-auth-mismatch",
    "pull-secret-auth-no-colon",
    "pull-secret-auth-not-base64",
    "pull-secret-creds-store",
    "pull-secret-empty-credentials",
    "pull-secret-invalid-registry",
];

const ONCE_FIXED: &str =
    "behind the wrong shape (pull-secret-no-auths): the kubelet reads this entry once the shape is fixed";

/// Runs the payload rules over `view`, and the entry rules over the payload
/// as the kubelet will read it once its shape is fixed.
pub fn check_payload(rules: &[&dyn Rule], view: &PullSecretView<'_>, out: &mut Vec<Finding>) {
    let first = out.len();
    for rule in rules {
        rule.check_pull_secret(view, out);
    }
    let Some(reshaped) = view.reshaped() else {
        return;
    };
    let mut behind = Vec::new();
    for rule in rules.iter().filter(|r| ENTRY_RULES.contains(&r.id())) {
        rule.check_pull_secret(&reshaped, &mut behind);
    }
    for mut finding in behind {
        let known = out[first..]
            .iter()
            .any(|f| f.rule == finding.rule && f.location == finding.location);
        if known {
            continue;
        }
        finding.note = Some(match finding.note.take() {
            Some(note) => format!("{ONCE_FIXED}; then {note}"),
            None => ONCE_FIXED.to_string(),
        });
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::super::RULES;
    use super::*;
    use crate::lint::view::{PayloadFormat, PayloadOrigin};

    fn found(payload: &str, format: PayloadFormat) -> Vec<(&'static str, bool)> {
        let view = PullSecretView::new(payload.as_bytes(), format, PayloadOrigin::SecretData);
        let mut out = Vec::new();
        check_payload(RULES, &view, &mut out);
        out.iter()
            .map(|f| {
                (
                    f.rule,
                    f.note.as_deref().is_some_and(|n| n.starts_with(ONCE_FIXED)),
                )
            })
            .collect()
    }

    #[test]
    fn the_entries_behind_a_wrong_shape_are_checked_in_the_same_run() {
        // The task page's .dockercfg wrapped in auths: a dotless registry
        // and an auth without ':' (base64 of "nocolon").
        let wrapped = r#"{"auths":{"myregistry":{"auth":"bm9jb2xvbg=="}}}"#;
        let mut rules = found(wrapped, PayloadFormat::DockerCfg);
        rules.sort();
        assert_eq!(
            rules,
            [
                ("pull-secret-auth-no-colon", true),
                ("pull-secret-invalid-registry", true),
                ("pull-secret-no-auths", false),
            ]
        );
        // The reverse: registries at the top level of a .dockerconfigjson.
        let top_level = r#"{"myregistry":{"auth":"bm9jb2xvbg=="}}"#;
        let mut rules = found(top_level, PayloadFormat::DockerConfigJson);
        rules.sort();
        assert_eq!(
            rules,
            [
                ("pull-secret-auth-no-colon", true),
                ("pull-secret-invalid-registry", true),
                ("pull-secret-no-auths", false),
            ]
        );
        // The right shape: nothing twice, nothing "behind".
        let right = r#"{"auths":{"myregistry":{"auth":"bm9jb2xvbg=="}}}"#;
        let rules = found(right, PayloadFormat::DockerConfigJson);
        assert_eq!(rules.len(), 2, "{rules:?}");
        assert!(rules.iter().all(|(_, behind)| !behind));
    }
}
