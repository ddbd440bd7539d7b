//! sealed-secret-scope-moved
//!
//! **What it checks.** A SealedSecret holding a pull secret (its template's
//! type or its `encryptedData` keys say so), sealed with the strict or
//! namespace-wide scope (no `sealedsecrets.bitnami.com/cluster-wide`
//! annotation) for the namespace in its `metadata.namespace`, that a
//! kustomization's `namespace:` deploys in another namespace, or a strict
//! one (with or without a namespace written) that a kustomization's
//! `namePrefix`/`nameSuffix` renames (an
//! overlay's affixes wrap its bases'; every kustomization may be built on
//! its own). Reported once, on the SealedSecret's namespace (its name
//! when none is written), with where it is deployed. A cluster-wide one
//! and one deployed in the namespace (and, strict, under the name) it was
//! sealed for are fine, and so is a kustomization namespace that is a
//! template (`${NAMESPACE}`, filled in after the build, as Flux does). One
//! written without a namespace is checked only for a rename, strict: which
//! namespace it was sealed for is not known, but a strict seal binds its
//! name whatever the namespace. The finding
//! is on the SealedSecret, where the fix is, as a pod's
//! `image-pull-secret-not-found` is on the pod: a run that names only the
//! kustomization (pre-commit on a commit that changes only its
//! `namespace:` or `namePrefix:`) does not show it, the run that names the
//! SealedSecret or lints the repository (CI) does. Silent on
//! test-expectation files (docs/rules.md, "Test-expectation files").
//!
//! **Why.** The sealed-secrets controller decrypts with the label of the
//! SealedSecret as deployed: `namespace/name` for strict, `namespace` for
//! namespace-wide (docs/kubernetes.md §6). A kustomization that moves it to
//! another namespace, or renames a strict one (kustomize renames its
//! `metadata.name`, docs/kubernetes.md §4), leaves a SealedSecret the
//! controller cannot unseal ("no key could decrypt secret"): the Secret is
//! never created, and the pods that name it pull without credentials
//! (`ErrImagePull` from a private registry). Renamed, even a seal that
//! opens leaves the pods naming the old name: kustomize does not rename
//! references to a SealedSecret (docs/kustomize.md).
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
//! ```yaml
//! # kustomization.yaml
//! namePrefix: blue-
//! resources: [sealed.yaml]   # the strict seal above, deployed as blue-regcred
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
        let name = secret.name.and_then(Node::text).unwrap_or_default();
        let namespace = secret.object.node.path(&["metadata", "namespace"]);
        let (message, span) = match namespace.and_then(|n| Some((n.said()?, n))) {
            Some((sealed_for, namespace)) => (
                format!(
                    "SealedSecret {name:?} is sealed for namespace {sealed_for:?} ({} scope)",
                    scope.as_str()
                ),
                namespace.span.clone(),
            ),
            // Without a namespace written, the one it was sealed for is not
            // known, but a strict seal binds its name whatever the
            // namespace: a rename breaks it all the same.
            None => match (scope, secret.name) {
                (Scope::Strict, Some(named)) if !name.is_empty() => (
                    format!("SealedSecret {name:?} is sealed for its name (strict scope)"),
                    named.span.clone(),
                ),
                _ => return,
            },
        };
        // The scope rides in the note until [`moved`] completes it.
        out.push(
            self.finding(message, Location::File(span))
                .with_note(scope.as_str()),
        );
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

/// Where kustomizations deploy a SealedSecret other than where it was
/// sealed for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Elsewhere {
    /// Namespaces other than the one it was sealed for.
    pub namespaces: Vec<String>,
    /// Names other than its own, from `namePrefix`/`nameSuffix`: only for a
    /// strict seal, the one whose label holds the name.
    pub names: Vec<String>,
}

impl Elsewhere {
    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty() && self.names.is_empty()
    }

    /// "in namespace "prod" and renamed "prod-regcred"": what the
    /// kustomizations do to it, for messages.
    pub fn describe(&self) -> String {
        let quoted = |items: &[String]| -> String {
            let shown: Vec<String> = items.iter().map(|n| format!("{n:?}")).collect();
            shown.join(", ")
        };
        let moved = (!self.namespaces.is_empty())
            .then(|| format!("in namespace {}", quoted(&self.namespaces)));
        let renamed = (!self.names.is_empty())
            .then(|| format!("renamed {} (namePrefix/nameSuffix)", quoted(&self.names)));
        match (moved, renamed) {
            (Some(m), Some(r)) => format!("{m} and {r}"),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => String::new(),
        }
    }
}

/// Where kustomizations deploy the SealedSecret `name` of the file whose key
/// is `key`, sealed for namespace `sealed_for` (`None`: not written) with
/// `scope`, other than as sealed: nothing for a test expectation, and a template namespace
/// (`${NAMESPACE}`, filled in after the build, as Flux does) is no known
/// namespace. `regcred inspect` asks the same question.
pub fn deployed_elsewhere(
    index: &WorkspaceIndex,
    key: &Path,
    name: Option<&str>,
    sealed_for: Option<&str>,
    scope: Scope,
) -> Elsewhere {
    if index.is_test_file(key) || scope == Scope::ClusterWide {
        return Elsewhere::default();
    }
    // Without `sealed_for` a kustomization namespace may be the very one it
    // was sealed for: only a strict seal's rename is known to break it.
    let namespaces = match sealed_for {
        Some(sealed_for) => index
            .namespaces_at(key, Some(sealed_for))
            .into_iter()
            .filter(|n| n != sealed_for && !crate::placeholder::is_template(n))
            .collect(),
        None => Vec::new(),
    };
    let names = match (scope, name) {
        (Scope::Strict, Some(name)) => index.names_at(key, name).into_iter().collect(),
        _ => Vec::new(),
    };
    Elsewhere { namespaces, names }
}

/// The candidates ([`SealedSecretScopeMoved::check_gitops_secret`], placed)
/// whose SealedSecret a kustomization deploys in another namespace than
/// the one it was sealed for, or (strict) under another name, completed
/// with where. A candidate's note holds its scope until then.
pub fn moved(index: &WorkspaceIndex, candidates: Vec<Reported>) -> Vec<Reported> {
    let mut out = Vec::new();
    for mut reported in candidates {
        let key = file_key(Path::new(&reported.path));
        let sealed_for = reported.object.as_ref().and_then(|o| o.namespace.clone());
        let scope = match reported.note.as_deref() {
            Some(s) if s == Scope::NamespaceWide.as_str() => Scope::NamespaceWide,
            _ => Scope::Strict,
        };
        let name = reported.object.as_ref().and_then(|o| o.name.clone());
        let elsewhere =
            deployed_elsewhere(index, &key, name.as_deref(), sealed_for.as_deref(), scope);
        if elsewhere.is_empty() {
            continue;
        }
        let there = match elsewhere.namespaces.is_empty() {
            true => "under that name",
            false => "there",
        };
        reported.message = format!(
            "{}, but a kustomization deploys it {}: the controller cannot unseal it {there}",
            reported.message,
            elsewhere.describe(),
        );
        reported.note = Some(
            "the Secret is never created, so the pods that name it pull without its credentials"
                .into(),
        );
        reported.help = Some(help(&elsewhere, name.as_deref().unwrap_or("NAME")));
        out.push(reported);
    }
    out
}

/// What to do: one sealing opens in one namespace (and, strict, under one
/// name).
fn help(elsewhere: &Elsewhere, name: &str) -> String {
    match (elsewhere.namespaces.as_slice(), elsewhere.names.is_empty()) {
        ([first], true) => format!(
            "seal it again for the namespace it is deployed in (`regcred create {name} -n {first} ... --seal-cert CERT`), or with `--seal-scope cluster-wide`"
        ),
        (_, true) => format!(
            "one sealing opens in one namespace: seal a copy for each namespace it is deployed in, in its overlay (`regcred create {name} -n NAMESPACE ... --seal-cert CERT`), or seal it once with `--seal-scope cluster-wide`"
        ),
        // kustomize renames references to a Secret, not to a SealedSecret
        // (docs/kubernetes.md §4): the pods keep the old name either way.
        ([], false) => "a strict seal holds its name: seal it with `--seal-scope namespace-wide` (the name is then not part of the seal), or keep it out of the kustomization that renames it; kustomize does not rename the pods' `imagePullSecrets` to a SealedSecret's new name (docs/kustomize.md)".to_string(),
        (_, false) => "a strict seal holds its namespace and name: seal it with `--seal-scope cluster-wide` (or namespace-wide, sealed for each namespace it is deployed in), or keep it out of the kustomization that moves and renames it; kustomize does not rename the pods' `imagePullSecrets` to a SealedSecret's new name (docs/kustomize.md)".to_string(),
    }
}
