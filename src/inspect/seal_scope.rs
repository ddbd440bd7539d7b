//! Whether the controller can unseal a SealedSecret where it is deployed.
//! It unseals with the label of the SealedSecret's own metadata as
//! deployed; a strict or namespace-wide one was sealed for the namespace it
//! was written with (and a strict one for its name), so a kustomization
//! that moves it to another namespace (or renames a strict one) leaves a
//! SealedSecret the controller cannot open, and the pull Secret is never
//! created (docs/kubernetes.md §6).

use std::path::Path;

use crate::lint::index::{file_key, WorkspaceIndex};
use crate::lint::pull_secret_summary::PullSecretSummary;
use crate::lint::rules::sealed_secret_scope_moved::deployed_elsewhere;
use crate::seal::Scope;

/// Fills in `unseal_problem` of the SealedSecrets a kustomization moves out
/// of the namespace (or away from the name) their scope binds them to.
pub fn check(secrets: &mut [PullSecretSummary], index: &WorkspaceIndex) {
    for s in secrets.iter_mut() {
        let scope = [Scope::Strict, Scope::NamespaceWide]
            .into_iter()
            .find(|scope| s.seal_scope == Some(scope.as_str()));
        let Some(scope) = scope else {
            continue;
        };
        // Without a namespace written, the one it was sealed for is unknown:
        // only a strict seal's rename is told.
        let sealed_for = s.namespace.as_deref();
        let key = file_key(Path::new(&s.path));
        let elsewhere = deployed_elsewhere(index, &key, s.name.as_deref(), sealed_for, scope);
        if elsewhere.is_empty() {
            continue;
        }
        let name = s.name.as_deref().unwrap_or_default();
        let sealed_as = match (elsewhere.names.is_empty(), sealed_for) {
            (true, _) => format!(
                "only in the namespace it was sealed for ({:?})",
                sealed_for.unwrap_or_default()
            ),
            (false, Some(sealed_for)) => format!(
                "only in the namespace and under the name it was sealed for ({sealed_for:?}, {name:?})"
            ),
            (false, None) => format!("only under the name it was sealed for ({name:?})"),
        };
        let again = match elsewhere.names.is_empty() {
            true => "seal it again with -n set to the namespace it is deployed in, or with --seal-scope cluster-wide",
            false => "seal it with --seal-scope namespace-wide (for the namespace it is deployed in) or cluster-wide, or keep it out of the kustomization that renames it",
        };
        s.unseal_problem = Some(format!(
            "a kustomization deploys it {}, but a {} SealedSecret unseals {sealed_as}: the controller cannot open it as deployed and the Secret is never created; {again}",
            elsewhere.describe(),
            scope.as_str(),
        ));
    }
}
