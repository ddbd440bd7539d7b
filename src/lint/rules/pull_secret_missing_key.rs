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

use super::{unfixable_in_gitops, Rule};
use crate::lint::finding::Fix;
use crate::lint::kustomize::{GeneratorEntry, GeneratorView};
use crate::lint::{Finding, Level, Location};
use crate::manifest::edit::yaml::replace_scalar;
use crate::manifest::edit::Edit;
use crate::manifest::gitops_secret::{GitOpsKind, GitOpsSecretView};
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::SecretView;
use crate::manifest::Style;

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

/// Which Docker config format a key's name says it holds: the old
/// `.dockercfg` or `config.json`'s `.dockerconfigjson`.
fn names_dockercfg(key: &str) -> bool {
    key.to_ascii_lowercase().contains("cfg")
}

/// Why renaming `key` to `required` would not fix the Secret, if it would not.
fn other_format(key: &str, required: &str) -> Option<Fix> {
    // `.dockercfg` holds a different JSON shape than `.dockerconfigjson`:
    // renaming across formats would make the payload wrong.
    (names_dockercfg(key) != names_dockercfg(required)).then(|| {
        Fix::Unavailable(format!(
            "\"{key}\" names the other Docker config format than {required}: renaming would not fix its content"
        ))
    })
}

/// The fix of a near-miss key: renamed, its value bytes untouched.
fn rename(key: &crate::manifest::Node, key_text: &str, required: &str) -> Fix {
    if let Some(fix) = other_format(key_text, required) {
        return fix;
    }
    match replace_scalar(key, required) {
        Ok(edit) => Fix::Edits {
            edits: vec![edit],
            summary: format!("rename \"{key_text}\" to \"{required}\""),
        },
        Err(e) => Fix::Unavailable(e.to_string()),
    }
}

/// The fix of a secretGenerator item's near-miss key: `config.json`
/// becomes `.dockerconfigjson=config.json`, `dockerconfigjson=x` becomes
/// `.dockerconfigjson=x`. Only the key's bytes change, so the path or
/// value stays as written.
fn rename_item(source: &str, entry: &GeneratorEntry<'_>, required: &str) -> Fix {
    if let Some(fix) = other_format(&entry.key, required) {
        return fix;
    }
    let Some(item) = entry.item.as_scalar() else {
        return Fix::Unavailable("the item is not a string".to_string());
    };
    // The item's text starts right after an opening quote, if any; escapes
    // would make bytes and characters differ, so only simple items.
    let content = entry.item.span.start + usize::from(item.style != Style::Plain);
    let written = source.get(content..).unwrap_or("");
    let simple = matches!(
        item.style,
        Style::Plain | Style::SingleQuoted | Style::DoubleQuoted
    ) && written.starts_with(&*item.value);
    if !simple {
        return Fix::Unavailable(
            "the item is written with escapes: rename the key by hand".to_string(),
        );
    }
    let edit = match item.value.split_once('=') {
        Some((key, _)) => Edit::replace(content..content + key.len(), required),
        None => Edit::insert(content, format!("{required}=")),
    };
    Fix::Edits {
        edits: vec![edit],
        summary: format!(
            "store \"{}\" as \"{required}\" in the secretGenerator",
            entry.key
        ),
    }
}

impl Rule for PullSecretMissingKey {
    fn id(&self) -> &'static str {
        "pull-secret-missing-key"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn fixable(&self) -> bool {
        true
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
            .with_help(format!("rename the key to \"{required}\""))
            .with_fix(rename(v.key, v.key_text(), required)),
            None => self.finding(
                format!(
                    "type {} needs the key \"{required}\" under data or stringData, and it is missing",
                    secret.type_name()
                ),
                Location::File(type_node.span.clone()),
            )
            .with_help(format!(
                "add \"{required}\" (`regcred create` writes the whole Secret)"
            ))
            .with_fix(Fix::Unavailable(
                "there is no near-miss key to rename: add the key (`regcred create` writes the whole Secret)"
                    .to_string(),
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
        out.push(finding.with_fix(unfixable_in_gitops(secret.kind)).with_note(format!(
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
                .with_help(format!("name the key: `{required}=PATH`"))
                .with_fix(rename_item(generator.source, e, required)),
            None => self
                .finding(
                    format!(
                        "type {} needs the key \"{required}\", and this secretGenerator does not store it",
                        generator.type_name()
                    ),
                    Location::File(type_node.span.clone()),
                )
                .with_help(format!("add `files: [{required}=PATH/TO/config.json]`"))
                .with_fix(Fix::Unavailable(
                    "there is no near-miss key to rename: add `files: [.dockerconfigjson=PATH]`"
                        .to_string(),
                )),
        };
        out.push(finding.with_note(format!(
            "the API server rejects the generated Secret: data[{required}]: Required value"
        )));
    }
}
