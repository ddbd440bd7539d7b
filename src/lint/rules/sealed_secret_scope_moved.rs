//! sealed-secret-scope-moved
//!
//! **What it checks.** A SealedSecret holding a pull secret (its template's
//! type or its `encryptedData` keys say so), sealed with the strict or
//! namespace-wide scope (no `sealedsecrets.bitnami.com/cluster-wide`
//! annotation) for the namespace in its `metadata.namespace`, that a
//! kustomization's `namespace:` deploys in another namespace. Reported once,
//! on the SealedSecret's namespace, with both namespaces. A cluster-wide one
//! and one deployed in the namespace it was sealed for are fine; one written
//! without a namespace is left alone (which namespace it was sealed for is
//! not known), and so is a kustomization namespace that is a template
//! (`${NAMESPACE}`, filled in after the build, as Flux does). A strict one
//! renamed by `namePrefix`/`nameSuffix` is not detected. The finding is on
//! the SealedSecret, so a run that names only the kustomization (pre-commit
//! on a commit that changes only its `namespace:`) does not show it; linting
//! the repository does. Silent on test-expectation files (docs/rules.md,
//! "Test-expectation files").
//!
//! **Why.** The sealed-secrets controller decrypts with the label of the
//! SealedSecret as deployed: `namespace/name` for strict, `namespace` for
//! namespace-wide (docs/kubernetes.md §6). A kustomization that moves it to
//! another namespace leaves a SealedSecret the controller cannot unseal: the
//! Secret is never created, and the pods that name it pull without
//! credentials (`ErrImagePull` from a private registry).
//!
//! **Bad**
//!
//! ```yaml
//! # kustomization.yaml
//! namespace: prod
//! resources: [sealed.yaml]
//! # sealed.yaml
//! kind: SealedSecret
//! metadata: {name: regcred, namespace: apps}
//! spec:
//!   template: {type: kubernetes.io/dockerconfigjson}
//!   encryptedData: {.dockerconfigjson: AgB...}
//! ```
//!
//! **Good**
//!
//! ```yaml
//! # sealed for the namespace it is deployed in
//! kind: SealedSecret
//! metadata: {name: regcred, namespace: prod}
//! spec:
//!   template: {type: kubernetes.io/dockerconfigjson}
//!   encryptedData: {.dockerconfigjson: AgB...}
//! ```

use std::path::Path;

use super::Rule;
use crate::lint::index::{file_key, WorkspaceIndex};
use crate::lint::pull_secret_summary::seal_scope;
use crate::lint::{Finding, Level, Location, Reported};
use crate::manifest::gitops_secret::{GitOpsKind, GitOpsSecretView};
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::Node;
use crate::seal::Scope;

/// The rule's id: its findings wait for the index ([`moved`]).
pub const ID: &str = "sealed-secret-scope-moved";

pub struct SealedSecretScopeMoved;

impl Rule for SealedSecretScopeMoved {
    fn id(&self) -> &'static str {
        ID
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    /// A candidate, on the written namespace: whether a kustomization
    /// moves it is known once every input is read ([`moved`]).
    fn check_gitops_secret(&self, secret: &GitOpsSecretView<'_>, out: &mut Vec<Finding>) {
        if secret.kind != GitOpsKind::SealedSecret || !holds_pull_secret(secret) {
            return;
        }
        let scope = seal_scope(secret);
        if scope == Scope::ClusterWide {
            return;
        }
        let Some(namespace) = secret.object.node.path(&["metadata", "namespace"]) else {
            return;
        };
        let Some(sealed_for) = namespace.said() else {
            return;
        };
        let name = secret.name.and_then(Node::text).unwrap_or_default();
        out.push(self.finding(
            format!(
                "SealedSecret {name:?} is sealed for namespace {sealed_for:?} ({} scope)",
                scope.as_str()
            ),
            Location::File(namespace.span.clone()),
        ));
    }
}

/// Whether the Secret it becomes is a pull secret, by type or by key.
fn holds_pull_secret(secret: &GitOpsSecretView<'_>) -> bool {
    let ty = secret.type_name();
    ty == DOCKERCONFIGJSON_TYPE
        || ty == DOCKERCFG_TYPE
        || secret.key(DOCKERCONFIGJSON_KEY).is_some()
        || secret.key(DOCKERCFG_KEY).is_some()
}

/// The namespaces a kustomization deploys the SealedSecret of the file whose
/// key is `key` in, other than `sealed_for`: none for a test expectation, and
/// a template (`${NAMESPACE}`, filled in after the build, as Flux does) is no
/// known namespace. `regcred inspect` asks the same question.
pub fn moved_namespaces(index: &WorkspaceIndex, key: &Path, sealed_for: &str) -> Vec<String> {
    if index.is_test_file(key) {
        return Vec::new();
    }
    index
        .namespaces_at(key, Some(sealed_for))
        .into_iter()
        .filter(|n| n != sealed_for && !crate::placeholder::is_template(n))
        .collect()
}

/// The candidates ([`SealedSecretScopeMoved::check_gitops_secret`], placed)
/// whose SealedSecret a kustomization deploys in another namespace than
/// the one it was sealed for, completed with that namespace.
pub fn moved(index: &WorkspaceIndex, candidates: Vec<Reported>) -> Vec<Reported> {
    let mut out = Vec::new();
    for mut reported in candidates {
        let key = file_key(Path::new(&reported.path));
        let sealed_for = reported.object.as_ref().and_then(|o| o.namespace.clone());
        let Some(sealed_for) = sealed_for else {
            continue;
        };
        let moved = moved_namespaces(index, &key, &sealed_for);
        let Some(first) = moved.first() else {
            continue;
        };
        let shown: Vec<String> = moved.iter().map(|n| format!("{n:?}")).collect();
        reported.message = format!(
            "{}, but a kustomization deploys it in namespace {}: the controller cannot unseal it there",
            reported.message,
            shown.join(", ")
        );
        reported.note = Some(
            "the Secret is never created, so the pods that name it pull without its credentials"
                .into(),
        );
        let name = reported.object.as_ref().and_then(|o| o.name.as_deref());
        let name = name.unwrap_or("NAME");
        // One sealing serves one namespace: deployed in several, a copy per
        // namespace or the cluster-wide scope are the ways out.
        reported.help = Some(match moved.len() {
            1 => format!(
                "seal it again for the namespace it is deployed in (`regcred create {name} -n {first} ... --seal-cert CERT`), or with `--seal-scope cluster-wide`"
            ),
            _ => format!(
                "one sealing opens in one namespace: seal a copy for each namespace it is deployed in, in its overlay (`regcred create {name} -n NAMESPACE ... --seal-cert CERT`), or seal it once with `--seal-scope cluster-wide`"
            ),
        });
        out.push(reported);
    }
    out
}
