//! Whether the controller can unseal a SealedSecret where it is deployed.
//! It unseals with the label of the SealedSecret's own metadata as
//! deployed; a strict or namespace-wide one was sealed for the namespace it
//! was written with, so a kustomization that moves it to another namespace
//! leaves a SealedSecret the controller cannot open, and the pull Secret is
//! never created (docs/kubernetes.md §6).

use std::path::Path;

use crate::lint::index::{file_key, WorkspaceIndex};
use crate::lint::pull_secret_summary::PullSecretSummary;
use crate::lint::rules::sealed_secret_scope_moved::moved_namespaces;
use crate::seal::Scope;

/// Fills in `unseal_problem` of the SealedSecrets a kustomization moves out
/// of the namespace their scope binds them to.
pub fn check(secrets: &mut [PullSecretSummary], index: &WorkspaceIndex) {
    for s in secrets.iter_mut() {
        let binds_namespace = [Scope::Strict, Scope::NamespaceWide]
            .iter()
            .any(|scope| s.seal_scope == Some(scope.as_str()));
        // Without a namespace written, the one it was sealed for is unknown.
        let (true, Some(sealed_for)) = (binds_namespace, s.namespace.as_deref()) else {
            continue;
        };
        let moved: Vec<String> = moved_namespaces(index, &file_key(Path::new(&s.path)), sealed_for)
            .iter()
            .map(|n| format!("{n:?}"))
            .collect();
        if moved.is_empty() {
            continue;
        }
        s.unseal_problem = Some(format!(
            "a kustomization deploys it in namespace {}, but a {} SealedSecret unseals only in the namespace it was sealed for ({sealed_for:?}): the controller cannot open it there and the Secret is never created; seal it again with -n set to the namespace it is deployed in, or with --seal-scope cluster-wide",
            moved.join(", "),
            s.seal_scope.unwrap_or("strict"),
        ));
    }
}
