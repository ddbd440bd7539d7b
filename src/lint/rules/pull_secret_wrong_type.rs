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

use super::Rule;
use crate::lint::kustomize::GeneratorView;
use crate::lint::{Finding, Level, Location};
use crate::manifest::gitops_secret::GitOpsSecretView;
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::SecretView;

pub struct PullSecretWrongType;

impl Rule for PullSecretWrongType {
    fn id(&self) -> &'static str {
        "pull-secret-wrong-type"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        let ty = secret.type_name();
        if ty == DOCKERCONFIGJSON_TYPE || ty == DOCKERCFG_TYPE || ty.contains("{{") {
            return;
        }
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
                .with_help(format!("set `type: {wanted}`")),
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
                .with_help(format!("set `{}: {wanted}`", secret.kind.type_field())),
            );
        }
    }

    fn check_secret_generator(&self, generator: &GeneratorView<'_>, out: &mut Vec<Finding>) {
        let ty = generator.type_name();
        if ty == DOCKERCONFIGJSON_TYPE || ty == DOCKERCFG_TYPE {
            return;
        }
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
                .with_help(format!("add `type: {wanted}` to the generator")),
            );
        }
    }
}
