//! pull-secret-missing-key
//!
//! **What it checks.** A Secret of type `kubernetes.io/dockerconfigjson` must
//! hold the key `.dockerconfigjson`; type `kubernetes.io/dockercfg` must hold
//! `.dockercfg` (under `data` or `stringData`). When a near miss is present
//! (`dockerconfigjson` without the dot, `.dockercfg` under the other type,
//! `config.json`), the finding points at it. A kustomize `secretGenerator`
//! with a pull-secret type is checked the same way, and so are a
//! SealedSecret (`spec.template.type` against its `encryptedData` keys,
//! which are not encrypted) and an ExternalSecret (`spec.target.template.type`
//! against the keys it writes, when they are named in the manifest rather
//! than fetched with `dataFrom`).
//!
//! **Why.** The API server rejects the Secret (`data[.dockerconfigjson]:
//! Required value`); pods that name it pull without credentials.
//!
//! **Bad**
//!
//! ```yaml
//! type: kubernetes.io/dockerconfigjson
//! data:
//!   dockerconfigjson: eyJhdXRocyI6e319
//! ```
//!
//! **Good**
//!
//! ```yaml
//! type: kubernetes.io/dockerconfigjson
//! data:
//!   .dockerconfigjson: eyJhdXRocyI6e319
//! ```

use super::Rule;
use crate::lint::kustomize::GeneratorView;
use crate::lint::{Finding, Level, Location};
use crate::manifest::gitops_secret::{GitOpsKind, GitOpsSecretView};
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::SecretView;

pub struct PullSecretMissingKey;

/// Whether `key` was probably meant as a Docker config key.
fn is_near_miss(key: &str) -> bool {
    let k = key.trim().trim_start_matches('.').to_ascii_lowercase();
    matches!(
        k.as_str(),
        "dockerconfigjson"
            | "dockercfg"
            | "config.json"
            | "dockerconfig"
            | "dockerconfig.json"
            | "docker-config.json"
            | "docker/config.json"
    ) || k.ends_with("dockerconfigjson")
}

impl Rule for PullSecretMissingKey {
    fn id(&self) -> &'static str {
        "pull-secret-missing-key"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        let Some(type_node) = secret.secret_type else {
            return;
        };
        let required = match secret.type_name() {
            DOCKERCONFIGJSON_TYPE => DOCKERCONFIGJSON_KEY,
            DOCKERCFG_TYPE => DOCKERCFG_KEY,
            _ => return,
        };
        if secret.effective(required).is_some() {
            return;
        }
        let near = secret.values().find(|v| is_near_miss(v.key_text()));
        let finding = match near {
            Some(v) => self.finding(
                format!(
                    "type {} needs the key \"{required}\", and this Secret has \"{}\" instead",
                    secret.type_name(),
                    v.key_text()
                ),
                Location::File(v.key.span.clone()),
            )
            .with_help(format!("rename the key to \"{required}\"")),
            None => self.finding(
                format!(
                    "type {} needs the key \"{required}\" under data or stringData, and it is missing",
                    secret.type_name()
                ),
                Location::File(type_node.span.clone()),
            )
            .with_help(format!(
                "add \"{required}\" (`regcred create` writes the whole Secret)"
            )),
        };
        out.push(finding.with_note(format!(
            "the API server rejects the Secret: data[{required}]: Required value"
        )));
    }

    fn check_gitops_secret(&self, secret: &GitOpsSecretView<'_>, out: &mut Vec<Finding>) {
        let required = match secret.type_name() {
            DOCKERCONFIGJSON_TYPE => DOCKERCONFIGJSON_KEY,
            DOCKERCFG_TYPE => DOCKERCFG_KEY,
            _ => return,
        };
        let Some(keys) = &secret.keys else { return };
        if secret.key(required).is_some() {
            return;
        }
        let kind = secret.kind.describe();
        let ty = secret.type_name();
        let finding = match keys.iter().find(|k| is_near_miss(k.text().unwrap_or(""))) {
            Some(k) => self
                .finding(
                    format!(
                        "type {ty} needs the key \"{required}\", and this {kind} has \"{}\" instead",
                        k.text().unwrap_or("")
                    ),
                    Location::File(k.span.clone()),
                )
                .with_help(format!("rename the key to \"{required}\"")),
            None => self
                .finding(
                    format!(
                        "type {ty} needs the key \"{required}\", and this {kind} does not write it"
                    ),
                    Location::File(secret.anchor.clone()),
                )
                .with_help(match secret.kind {
                    GitOpsKind::SealedSecret => format!(
                        "seal the whole pull Secret (`regcred create ... --seal-cert CERT` writes \"{required}\")"
                    ),
                    GitOpsKind::ExternalSecret => format!(
                        "name the key \"{required}\" (spec.data[].secretKey, or spec.target.template.data)"
                    ),
                }),
        };
        out.push(finding.with_note(format!(
            "the API server rejects the Secret the {} controller creates: data[{required}]: Required value",
            match secret.kind {
                GitOpsKind::SealedSecret => "sealed-secrets",
                GitOpsKind::ExternalSecret => "external-secrets",
            }
        )));
    }

    fn check_secret_generator(&self, generator: &GeneratorView<'_>, out: &mut Vec<Finding>) {
        let Some(type_node) = generator.secret_type else {
            return;
        };
        let required = match generator.type_name() {
            DOCKERCONFIGJSON_TYPE => DOCKERCONFIGJSON_KEY,
            DOCKERCFG_TYPE => DOCKERCFG_KEY,
            _ => return,
        };
        // Keys from `envs` files are not known here: do not guess.
        if generator.has_env_files || generator.entries.iter().any(|e| e.key == required) {
            return;
        }
        let finding = match generator.entries.iter().find(|e| is_near_miss(&e.key)) {
            Some(e) => self
                .finding(
                    format!(
                        "type {} needs the key \"{required}\", and this secretGenerator stores \"{}\" instead",
                        generator.type_name(),
                        e.key
                    ),
                    Location::File(e.item.span.clone()),
                )
                .with_help(format!("name the key: `{required}=PATH`")),
            None => self
                .finding(
                    format!(
                        "type {} needs the key \"{required}\", and this secretGenerator does not store it",
                        generator.type_name()
                    ),
                    Location::File(type_node.span.clone()),
                )
                .with_help(format!("add `files: [{required}=PATH/TO/config.json]`")),
        };
        out.push(finding.with_note(format!(
            "the API server rejects the generated Secret: data[{required}]: Required value"
        )));
    }
}
