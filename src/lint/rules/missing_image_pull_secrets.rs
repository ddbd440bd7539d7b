//! missing-image-pull-secrets
//!
//! **What it checks.** An image from a private registry in a pod that has no
//! `imagePullSecrets`, and whose ServiceAccount (`default` when the pod names
//! none) has none either when it is among the inputs. A registry is known to
//! be private when the configuration lists it under `registries.private`,
//! when a pull secret or Docker config among the inputs holds credentials
//! for it (a key the kubelet matches to the registry; on a registry of the
//! public list, to the image's own path; Docker Hub excepted: a Docker Hub
//! login is mostly there against rate limits), or when it is private by
//! construction (`*.dkr.ecr.*.amazonaws.com`, `*.azurecr.io`, ...). Images
//! from well-known public registries (Docker Hub, `registry.k8s.io`,
//! `ghcr.io`, `quay.io`, ...), from well-known public repositories on
//! Artifact Registry (`*-docker.pkg.dev/google-samples`, Google's Deep
//! Learning, TPU, Vertex AI and Kubernetes staging images) and from
//! `registries.public` are never reported. Any other registry is unknown: reported as info (shown, never
//! failing a build) unless `registries.unknown` in `.regcred.yaml` says
//! `warning`, `error` or `off`.
//!
//! Silent on test-expectation files, which need nothing (docs/rules.md,
//! "Test-expectation files").
//!
//! **Why.** Without credentials the kubelet pulls anonymously and a private
//! registry answers 401 or 403: the pod waits in `ErrImagePull` /
//! `ImagePullBackOff`. The ServiceAccount admission plugin copies the
//! ServiceAccount's `imagePullSecrets` into a pod only when the pod has none
//! of its own. On EKS, AKS and GKE the nodes may hold credentials for their
//! own cloud's registry (a credential provider), in which case the finding
//! can be suppressed or the registry listed as public.
//!
//! **Bad**
//!
//! ```yaml
//! spec:
//!   containers:
//!   - image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
//! ```
//!
//! **Good**
//!
//! ```yaml
//! spec:
//!   imagePullSecrets:
//!   - name: ecr-pull
//!   containers:
//!   - image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
//! ```

use super::Rule;
use crate::image::{parse_image, ParsedImage, RegistryClass};
use crate::lint::finding::Fix;
use crate::lint::setting::Setting;
use crate::lint::workload::{PodPullSecrets, PodView, WorkloadContext};
use crate::lint::{Finding, Level, Location};

pub struct MissingImagePullSecrets;

/// An info finding (a registry not known to be private) is a guess: its
/// pod is given `imagePullSecrets` only along with an error or warning of
/// the same pod.
fn only_with_others_at_info(fix: Fix, level: Level) -> Fix {
    match fix {
        Fix::NamePullSecret(mut fix) if level == Level::Info => {
            fix.only_with_others = Some(
                "the registry is not known to be private (info): list it under registries.private \
                 in .regcred.yaml for --fix to add imagePullSecrets"
                    .to_string(),
            );
            Fix::NamePullSecret(fix)
        }
        fix => fix,
    }
}

impl Rule for MissingImagePullSecrets {
    fn id(&self) -> &'static str {
        "missing-image-pull-secrets"
    }

    fn cross_object(&self) -> bool {
        true
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn fixable(&self) -> bool {
        true
    }

    fn check_pod(&self, pod: &PodView, context: &WorkloadContext<'_>, out: &mut Vec<Finding>) {
        let account_note = match context.pull_secrets_of(pod) {
            PodPullSecrets::Own(names) if !names.is_empty() => return,
            PodPullSecrets::FromServiceAccount(_) => return,
            PodPullSecrets::Own(_) => {
                "its imagePullSecrets items have no name, and they keep its ServiceAccount's from \
                 being copied in: the kubelet pulls anonymously"
                    .to_string()
            }
            PodPullSecrets::None { service_account } => format!(
                "its ServiceAccount {service_account:?} has no imagePullSecrets either, so the \
                 kubelet pulls anonymously"
            ),
            PodPullSecrets::UnknownServiceAccount { service_account } => format!(
                "its ServiceAccount {service_account:?} is not among the inputs: unless it has \
                 imagePullSecrets, the kubelet pulls anonymously"
            ),
        };
        for image in &pod.images {
            let ParsedImage::Reference(reference) = parse_image(&image.image) else {
                continue;
            };
            let verdict = context.registry_of(&reference);
            let host = reference.domain.as_str();
            let (level, message) = match verdict.class {
                RegistryClass::Public => continue,
                RegistryClass::Private => (
                    Level::Error,
                    format!(
                        "{} pulls from private registry {host:?} without imagePullSecrets",
                        image.describe_container()
                    ),
                ),
                RegistryClass::Unknown => match context.unknown_setting() {
                    Setting::Off => continue,
                    Setting::Level(level) => (
                        level,
                        format!(
                            "{} pulls from registry {host:?} without imagePullSecrets; is it private?",
                            image.describe_container()
                        ),
                    ),
                },
            };
            let mut note = format!(
                "{}; {account_note} and a private image fails with ErrImagePull",
                verdict.why
            );
            if let Some(cloud) = verdict.cloud_note {
                note.push_str(&format!(" ({cloud})"));
            }
            let help = match verdict.class {
                RegistryClass::Unknown => format!(
                    "if {host} is private, add imagePullSecrets to the pod spec; else list it under \
                     registries.public in .regcred.yaml"
                ),
                _ => "add `imagePullSecrets: [{name: SECRET}]` to the pod spec (`regcred lint --fix` does it)"
                    .to_string(),
            };
            let mut finding = self
                .finding(message, Location::File(image.span.clone()))
                .with_note(note)
                .with_help(help);
            finding.level = level;
            if let Some(fix) = &pod.add_pull_secret {
                finding = finding.with_fix(only_with_others_at_info((**fix).clone(), level));
            }
            out.push(finding);
        }
    }
}
