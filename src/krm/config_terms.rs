//! `create`'s messages in the words of the `PullSecret` config: the user of
//! a generator wrote `passwordFrom: env:REG_PASSWORD` in pullsecret.yaml,
//! and relative paths, never the absolute ones resolved against the
//! kustomization directory.

use std::path::Path;

use crate::create::{Field, Terms};

/// The request's fields as the config fields that fill them in
/// (`super::generator::request`).
pub struct ConfigTerms;

impl Terms for ConfigTerms {
    fn name(&self, field: Field) -> &'static str {
        match field {
            Field::ConfigFiles => "spec.configFiles",
            Field::Server => "spec.server",
            Field::Username => "spec.username",
            Field::Email => "spec.email",
            Field::PasswordStdin
            | Field::PasswordFile
            | Field::PasswordEnv
            | Field::PasswordValue => "spec.passwordFrom",
            Field::Registries => "spec.registries",
            Field::ResolveHelpers => "spec.resolveHelpers",
            Field::PreferLater => "spec.preferLater",
            Field::Labels => "spec.labels",
            Field::Annotations => "spec.annotations",
        }
    }

    fn how_to_give_credentials(&self) -> &'static str {
        "give spec.configFiles, or spec.username with spec.passwordFrom (and spec.server unless it is Docker Hub)"
    }
}

/// `message` with `base` (the kustomization directory) taken off the paths
/// it names.
pub fn relative_paths(message: &str, base: &Path) -> String {
    let base = base.display().to_string();
    if base.is_empty() || base == "." {
        return message.to_string();
    }
    message.replace(&format!("{}/", base.trim_end_matches('/')), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_kustomization() {
        let base = Path::new("/work/app");
        assert_eq!(
            relative_paths("cannot read /work/app/docker/config.json: denied", base),
            "cannot read docker/config.json: denied"
        );
        assert_eq!(relative_paths("/work/apple/x", base), "/work/apple/x");
        assert_eq!(relative_paths("/work/app/x", Path::new("")), "/work/app/x");
    }
}
