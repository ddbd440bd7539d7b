//! pull-secret-legacy-type
//!
//! **What it checks.** A Secret (or a kustomize `secretGenerator`, or the
//! template of a SealedSecret or an ExternalSecret) of type
//! `kubernetes.io/dockercfg`.
//!
//! **Why.** It still works: the kubelet reads `.dockercfg`, the bare
//! `{REGISTRY: ENTRY}` format of Docker before 1.7. The current form is
//! `kubernetes.io/dockerconfigjson` with `{"auths": {REGISTRY: ENTRY}}`,
//! which is what `docker login` and `kubectl create secret docker-registry`
//! write, and what other tools expect.
//!
//! **Bad**
//!
//! ```yaml
//! type: kubernetes.io/dockercfg
//! data:
//!   .dockercfg: eyJyZWcuaW8iOnsiYXV0aCI6IiJ9fQ==
//! ```
//!
//! **Good**
//!
//! ```yaml
//! type: kubernetes.io/dockerconfigjson
//! data:
//!   .dockerconfigjson: eyJhdXRocyI6eyJyZWcuaW8iOnsiYXV0aCI6IiJ9fX0=
//! ```

use super::Rule;
use crate::lint::kustomize::GeneratorView;
use crate::lint::{Finding, Level, Location};
use crate::manifest::gitops_secret::{GitOpsKind, GitOpsSecretView};
use crate::manifest::secret::DOCKERCFG_TYPE;
use crate::manifest::SecretView;

pub struct PullSecretLegacyType;

impl Rule for PullSecretLegacyType {
    fn id(&self) -> &'static str {
        "pull-secret-legacy-type"
    }

    fn default_level(&self) -> Level {
        Level::Info
    }

    fn check_secret(&self, secret: &SecretView<'_>, out: &mut Vec<Finding>) {
        let Some(node) = secret.secret_type else {
            return;
        };
        if secret.type_name() != DOCKERCFG_TYPE {
            return;
        }
        out.push(
            self.finding(
                "type kubernetes.io/dockercfg is the legacy pull-secret format".to_string(),
                Location::File(node.span.clone()),
            )
            .with_help("use kubernetes.io/dockerconfigjson with .dockerconfigjson = {\"auths\": {...}} (`regcred create` writes it)"),
        );
    }

    fn check_gitops_secret(&self, secret: &GitOpsSecretView<'_>, out: &mut Vec<Finding>) {
        let Some(node) = secret.secret_type else {
            return;
        };
        if secret.type_name() != DOCKERCFG_TYPE {
            return;
        }
        out.push(
            self.finding(
                format!(
                    "{} of type kubernetes.io/dockercfg becomes a pull secret in the legacy format",
                    secret.kind.with_article()
                ),
                Location::File(node.span.clone()),
            )
            .with_help(match secret.kind {
                GitOpsKind::SealedSecret => "seal kubernetes.io/dockerconfigjson with .dockerconfigjson = {\"auths\": {...}} instead (`regcred create ... --seal-cert` writes it)",
                GitOpsKind::ExternalSecret => "template kubernetes.io/dockerconfigjson with .dockerconfigjson = {\"auths\": {...}} instead",
            }),
        );
    }

    fn check_secret_generator(&self, generator: &GeneratorView<'_>, out: &mut Vec<Finding>) {
        let Some(node) = generator.secret_type else {
            return;
        };
        if generator.type_name() == DOCKERCFG_TYPE {
            out.push(
                self.finding(
                    "type kubernetes.io/dockercfg is the legacy pull-secret format".to_string(),
                    Location::File(node.span.clone()),
                )
                .with_help("generate kubernetes.io/dockerconfigjson with .dockerconfigjson = {\"auths\": {...}}"),
            );
        }
    }
}
