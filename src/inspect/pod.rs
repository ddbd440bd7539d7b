//! `--pod FILE|DIR`: every workload in the file (or under the folder), the
//! pull secrets the kubelet gets for it (its own, or its ServiceAccount's,
//! as the lint rules decide with [`WorkloadContext::pull_secrets_of`]),
//! where each is defined among the inputs, and every container image
//! looked up in their keys.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::image::{self, ImageReport};
use crate::lint::deferred::PendingPod;
use crate::lint::index::{Resolution, SecretDef};
use crate::lint::kustomize::lexically_normal;
use crate::lint::pull_secret_summary::{PayloadState, Problem, PullSecretSummary};
use crate::lint::setting::Registries;
use crate::lint::walk::Inspected;
use crate::lint::workload::{PodPullSecrets, WorkloadContext};

/// One workload of a `--pod` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PodReport {
    pub path: String,
    pub kind: String,
    pub name: Option<String>,
    /// The namespaces it ends up in (kustomizations included); empty: not said.
    pub namespaces: Vec<String>,
    /// Where its pull secrets come from.
    pub pull_secrets_from: PullSecretsFrom,
    /// The ServiceAccount it runs as (`default` when it names none).
    pub service_account: String,
    /// The pull secrets the kubelet gets, in the pod's order.
    pub pull_secrets: Vec<SecretUse>,
    pub containers: Vec<ContainerReport>,
    /// The lint findings on this workload.
    pub problems: Vec<Problem>,
}

/// Where a pod's pull secrets come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PullSecretsFrom {
    /// Its own `imagePullSecrets`.
    Pod,
    /// Its ServiceAccount's, copied in at admission (the pod names none).
    ServiceAccount,
    /// None: the ServiceAccount is among the inputs and has none.
    Nowhere,
    /// None of its own; its ServiceAccount is not among the inputs.
    UnknownServiceAccount,
}

/// One pull secret a pod names, and where it is defined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretUse {
    pub name: String,
    /// `found`, `other_namespaces`, `unrelated` (a namespace is unsaid,
    /// another folder) or `not_found`, as `image-pull-secret-not-found` decides.
    pub resolution: &'static str,
    /// Positions into the inspection's `secrets` of the definitions used.
    pub secrets: Vec<usize>,
    /// Definitions that are no summarized pull secret (`path:line kind`).
    pub elsewhere: Vec<String>,
    /// Its keys are known: it is defined among the inputs as a Secret (or a
    /// generator's Docker config) whose payload could be read. Otherwise
    /// (a SealedSecret, an ExternalSecret, a template, a Secret not among
    /// the inputs) the kubelet may find keys that `inspect` cannot see.
    pub keys_known: bool,
}

/// One container and its image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerReport {
    /// `container "web"`, `init container "setup"`.
    pub container: String,
    pub line: usize,
    pub image: ImageReport,
}

/// Reports on the pods of the files (or folders) whose index keys are
/// `files`.
pub fn reports(
    read: &Inspected,
    secrets: &[PullSecretSummary],
    files: &[PathBuf],
) -> Vec<PodReport> {
    let registries = Registries::default();
    let context = WorkloadContext {
        index: &read.index,
        registries: &registries,
    };
    let mut pods: Vec<PendingPod> = read
        .pods
        .iter()
        .filter(|p| files.iter().any(|f| super::covers(f, &p.view.file)))
        .cloned()
        .collect();
    pods.sort_by(|a, b| {
        (&a.path, &a.view.spec_span.start).cmp(&(&b.path, &b.view.spec_span.start))
    });
    pods.dedup_by(|a, b| a.view.file == b.view.file && a.view.spec_span == b.view.spec_span);
    pods.iter_mut().for_each(|p| {
        p.view.namespaces = read
            .index
            .namespaces_at(&p.view.file, p.view.object.namespace.as_deref());
    });
    pods.iter()
        .map(|pod| report(pod, read, secrets, &context))
        .collect()
}

fn report(
    pod: &PendingPod,
    read: &Inspected,
    secrets: &[PullSecretSummary],
    context: &WorkloadContext<'_>,
) -> PodReport {
    let view = &pod.view;
    let service_account = view
        .service_account
        .clone()
        .unwrap_or_else(|| "default".into());
    let (from, names): (PullSecretsFrom, Vec<String>) = match context.pull_secrets_of(view) {
        PodPullSecrets::Own(names) => (
            PullSecretsFrom::Pod,
            names.into_iter().map(str::to_string).collect(),
        ),
        PodPullSecrets::FromServiceAccount(sa) => {
            (PullSecretsFrom::ServiceAccount, sa.pull_secrets.clone())
        }
        PodPullSecrets::None { .. } => (PullSecretsFrom::Nowhere, Vec::new()),
        PodPullSecrets::UnknownServiceAccount { .. } => {
            (PullSecretsFrom::UnknownServiceAccount, Vec::new())
        }
    };
    let uses: Vec<SecretUse> = names
        .iter()
        .map(|name| secret_use(name, view, read, secrets))
        .collect();
    let positions: Vec<usize> = uses
        .iter()
        .flat_map(|u| u.secrets.iter().copied())
        .collect();
    let containers = view
        .images
        .iter()
        .map(|i| ContainerReport {
            container: i.describe_container(),
            line: pod.anchor(&i.span).map_or(0, |a| a.start.line),
            image: image::explain(&i.image, secrets, &positions),
        })
        .collect();
    let problems = read
        .outcome
        .findings
        .iter()
        .filter(|f| f.path == pod.path && f.object.as_ref() == Some(&view.object))
        .map(super::problem)
        .collect();
    PodReport {
        path: pod.path.clone(),
        kind: view.object.kind.clone(),
        name: view.object.name.clone(),
        namespaces: view.namespaces.iter().cloned().collect(),
        pull_secrets_from: from,
        service_account,
        pull_secrets: uses,
        containers,
        problems,
    }
}

/// The summaries a definition stands for: the Secret itself, or the
/// Docker config file a secretGenerator reads.
fn summaries_of(def: &SecretDef, secrets: &[PullSecretSummary]) -> Vec<usize> {
    secrets
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let file = lexically_normal(Path::new(&s.path));
            match &def.payload_file {
                Some(payload) => s.object.is_none() && &file == payload,
                None => {
                    file == def.file
                        && s.name.as_deref() == Some(def.name.as_str())
                        && s.namespace == def.namespace
                }
            }
        })
        .map(|(i, _)| i)
        .collect()
}

fn secret_use(
    name: &str,
    view: &crate::lint::workload::PodView,
    read: &Inspected,
    secrets: &[PullSecretSummary],
) -> SecretUse {
    let resolution = read
        .index
        .resolve_secret(name, &view.namespaces, &view.file);
    let (word, defs) = match resolution {
        Resolution::Found(defs) => ("found", defs),
        Resolution::OtherNamespaces(defs) => ("other_namespaces", defs),
        Resolution::Unrelated(defs) => ("unrelated", defs),
        Resolution::NotFound => ("not_found", Vec::new()),
    };
    let mut used = Vec::new();
    let mut elsewhere = Vec::new();
    let mut keys_known = word == "found";
    for def in defs {
        let found = summaries_of(def, secrets);
        // A Secret (sealed or external too) of a type the kubelet ignores
        // gives it no key: that much is known without reading it.
        let ignored = def.is_pull_secret_type() == Some(false);
        if found.is_empty() || word != "found" {
            let mut described = format!("{} {}", def.place, def.kind.describe());
            if let Some(t) = def.type_name.as_deref().filter(|_| ignored) {
                described.push_str(&format!(
                    " of type {t:?}, which the kubelet ignores for pulls"
                ));
            }
            elsewhere.push(described);
        }
        if word == "found" && ignored && found.is_empty() {
            continue;
        }
        // A SealedSecret the controller cannot open where it is deployed
        // (seal_scope.rs) becomes no Secret: it gives no key either.
        let unsealable = |i: &usize| secrets.get(*i).is_some_and(|s| s.unseal_problem.is_some());
        if word == "found" && !found.is_empty() && found.iter().all(unsealable) {
            used.extend(found);
            continue;
        }
        if word == "found" {
            keys_known &= !found.is_empty()
                && found.iter().all(|&i| {
                    secrets
                        .get(i)
                        .is_some_and(|s| !matches!(s.payload, PayloadState::Unreadable { .. }))
                });
            used.extend(found);
        }
    }
    used.sort_unstable();
    used.dedup();
    SecretUse {
        name: name.to_string(),
        resolution: word,
        secrets: used,
        elsewhere,
        keys_known,
    }
}
