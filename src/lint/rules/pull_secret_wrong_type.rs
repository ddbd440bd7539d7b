//! pull-secret-wrong-type
//!
//! **What it checks.** A `.dockerconfigjson` or `.dockercfg` key in a Secret
//! whose type is not a pull-secret type (`Opaque`, missing, or any other),
//! and the same in a kustomize `secretGenerator` (whose default type is
//! `Opaque`), a SealedSecret (its `encryptedData` keys, typed by
//! `spec.template.type`) and an ExternalSecret (its target keys, typed by
//! `spec.target.template.type`): no decryption needed.
//!
//! **Why.** The kubelet uses a pull secret only when its type is exactly
//! `kubernetes.io/dockerconfigjson` (with `.dockerconfigjson`) or
//! `kubernetes.io/dockercfg` (with `.dockercfg`). An `Opaque` Secret holding
//! a perfect Docker config is ignored: the pull goes out without
//! credentials and fails with `ImagePullBackOff`.
//!
//! **Bad**
//!
//! ```yaml
//! kind: Secret
//! type: Opaque
//! data:
//!   .dockerconfigjson: eyJhdXRocyI6e319
//! ```
//!
//! **Good**
//!
//! ```yaml
//! kind: Secret
//! type: kubernetes.io/dockerconfigjson
//! data:
//!   .dockerconfigjson: eyJhdXRocyI6e319
//! ```

use super::{unfixable_in_gitops, Rule};
use crate::lint::finding::Fix;
use crate::lint::kustomize::GeneratorView;
use crate::lint::{Finding, Level, Location};
use crate::manifest::edit::yaml::{append_entry, set_value, NewValue};
use crate::manifest::gitops_secret::GitOpsSecretView;
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::{Node, SecretView};

/// The type a pull-secret key needs.
fn type_for(key: &str) -> Option<&'static str> {
    match key {
        DOCKERCONFIGJSON_KEY => Some(DOCKERCONFIGJSON_TYPE),
        DOCKERCFG_KEY => Some(DOCKERCFG_TYPE),
        _ => None,
    }
}

/// The fix: `type:` set (or added) on `mapping` to the one type its
/// pull-secret `keys` need; none when they need both.
fn set_type<'k>(
    text: &str,
    mapping: &Node,
    keys: impl Iterator<Item = &'k str>,
    both: &str,
    summary: impl Fn(&str) -> String,
) -> Fix {
    let mut wanted: Vec<&str> = keys.filter_map(type_for).collect();
    wanted.dedup();
    let [ty] = wanted.as_slice() else {
        return Fix::Unavailable(both.to_string());
    };
    let edit = match mapping.entry("type") {
        Some(entry) => set_value(text, entry, ty),
        // A scalar entry: the document's sequence indentation is not read.
        None => append_entry(
            text,
            mapping,
            mapping,
            "type",
            &NewValue::Scalar(ty.to_string()),
        ),
    };
    match edit {
        Ok(edit) => Fix::Edits {
            edits: vec![edit],
            summary: summary(ty),
        },
        Err(e) => Fix::Unavailable(e.to_string()),
    }
}

pub struct PullSecretWrongType;

impl Rule for PullSecretWrongType {
    fn id(&self) -> &'static str {
        "pull-secret-wrong-type"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn fixable(&self) -> bool {
        true
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        let ty = secret.type_name();
        if ty == DOCKERCONFIGJSON_TYPE || ty == DOCKERCFG_TYPE || ty.contains("{{") {
            return;
        }
        let fix = set_type(
            secret.source,
            secret.object.node,
            secret.values().map(|v| v.key_text()),
            "the Secret holds both .dockerconfigjson and .dockercfg: which type is meant is a guess",
            |ty| format!("set `type: {ty}`"),
        );
        for value in secret.values() {
            let wanted = match value.key_text() {
                DOCKERCONFIGJSON_KEY => DOCKERCONFIGJSON_TYPE,
                DOCKERCFG_KEY => DOCKERCFG_TYPE,
                _ => continue,
            };
            let has = match secret.secret_type {
                Some(_) => format!("type {ty}"),
                None => "no type (so Opaque)".to_string(),
            };
            out.push(
                self.finding(
                    format!(
                        "\"{}\" in a Secret with {has}: the kubelet ignores it as a pull secret",
                        value.key_text()
                    ),
                    Location::File(value.key.span.clone()),
                )
                .with_note("pods naming this Secret in imagePullSecrets pull without credentials")
                .with_help(format!("set `type: {wanted}`"))
                .with_fix(fix.clone()),
            );
        }
    }

    fn check_gitops_secret(&self, secret: &GitOpsSecretView<'_>, out: &mut Vec<Finding>) {
        let ty = secret.type_name();
        if ty == DOCKERCONFIGJSON_TYPE || ty == DOCKERCFG_TYPE || ty.contains("{{") {
            return;
        }
        let kind = secret.kind.with_article();
        for key in secret.keys.iter().flatten() {
            let key_text = key.text().unwrap_or("");
            let wanted = match key_text {
                DOCKERCONFIGJSON_KEY => DOCKERCONFIGJSON_TYPE,
                DOCKERCFG_KEY => DOCKERCFG_TYPE,
                _ => continue,
            };
            let has = match secret.secret_type {
                Some(_) => format!("type {ty}"),
                None => "no type (so the Secret is Opaque)".to_string(),
            };
            out.push(
                self.finding(
                    format!(
                        "\"{key_text}\" in {kind} with {has}: the kubelet ignores the Secret it becomes as a pull secret"
                    ),
                    Location::File(key.span.clone()),
                )
                .with_note("pods naming this Secret in imagePullSecrets pull without credentials")
                .with_help(format!("set `{}: {wanted}`", secret.kind.type_field()))
                .with_fix(unfixable_in_gitops(secret.kind)),
            );
        }
    }

    fn check_secret_generator(&self, generator: &GeneratorView<'_>, out: &mut Vec<Finding>) {
        let ty = generator.type_name();
        if ty == DOCKERCONFIGJSON_TYPE || ty == DOCKERCFG_TYPE {
            return;
        }
        let fix = set_type(
            generator.source,
            generator.node,
            generator.entries.iter().map(|e| e.key.as_str()),
            "the generator stores both .dockerconfigjson and .dockercfg: which type is meant is a guess",
            |ty| format!("set `type: {ty}` on the secretGenerator"),
        );
        for entry in &generator.entries {
            let wanted = match entry.key.as_str() {
                DOCKERCONFIGJSON_KEY => DOCKERCONFIGJSON_TYPE,
                DOCKERCFG_KEY => DOCKERCFG_TYPE,
                _ => continue,
            };
            let has = match generator.secret_type {
                Some(_) => format!("type {ty}"),
                None => "no type (kustomize makes it Opaque)".to_string(),
            };
            out.push(
                self.finding(
                    format!(
                        "\"{}\" in a secretGenerator with {has}: the kubelet ignores the generated Secret as a pull secret",
                        entry.key
                    ),
                    Location::File(entry.item.span.clone()),
                )
                .with_note("pods naming this Secret in imagePullSecrets pull without credentials")
                .with_help(format!("add `type: {wanted}` to the generator"))
                .with_fix(fix.clone()),
            );
        }
    }
}
