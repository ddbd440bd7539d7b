//! image-pull-secret-not-pull-secret
//!
//! **What it checks.** A name in a pod's `imagePullSecrets` whose Secret
//! exists among the inputs (in the pod's namespace) but whose type is not
//! `kubernetes.io/dockerconfigjson` or `kubernetes.io/dockercfg`. A Secret
//! with no `type` is `Opaque`, with or without data: `type` cannot change
//! once the Secret exists, so a stub whose data something fills in later is
//! never a pull secret either. The one exception: a type still to be
//! rendered (`{{ ... }}`) is not judged.
//!
//! Silent on test-expectation files, which need nothing (docs/rules.md,
//! "Test-expectation files").
//!
//! **Why.** The kubelet uses a pull secret only when its type is exactly one
//! of those two, with the matching key. An `Opaque` Secret, even one holding
//! a perfect `.dockerconfigjson`, is ignored, and the pull goes out without
//! credentials.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: regcred}
//! type: Opaque
//! stringData:
//!   token: s3cret
//! ---
//! apiVersion: v1
//! kind: Pod
//! metadata: {name: web}
//! spec:
//!   imagePullSecrets: [{name: regcred}]
//!   containers: [{name: web, image: reg.example.com/web:1.0}]
//! ```
//!
//! **Good**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: regcred}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"auth":"Y2k6czNjcmV0"}}}'
//! ---
//! apiVersion: v1
//! kind: Pod
//! metadata: {name: web}
//! spec:
//!   imagePullSecrets: [{name: regcred}]
//!   containers: [{name: web, image: reg.example.com/web:1.0}]
//! ```

use super::image_pull_secret_not_found::{describe_places, is_template};
use super::Rule;
use crate::lint::index::Resolution;
use crate::lint::workload::{PodView, WorkloadContext};
use crate::lint::{Finding, Level, Location};

pub struct ImagePullSecretNotPullSecret;

impl Rule for ImagePullSecretNotPullSecret {
    fn id(&self) -> &'static str {
        "image-pull-secret-not-pull-secret"
    }

    fn cross_object(&self) -> bool {
        true
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_pod(&self, pod: &PodView, context: &WorkloadContext<'_>, out: &mut Vec<Finding>) {
        for item in &pod.pull_secrets {
            let Some(name) = item.name.as_deref().filter(|n| !is_template(n)) else {
                continue;
            };
            let Resolution::Found(defs) =
                context
                    .index
                    .resolve_secret(name, &pod.namespaces, &pod.file)
            else {
                continue;
            };
            // Only when every definition is known not to be a pull secret.
            if !defs.iter().all(|d| d.is_pull_secret_type() == Some(false)) {
                continue;
            }
            let types: Vec<&str> = defs.iter().filter_map(|d| d.type_name.as_deref()).collect();
            out.push(
                self.finding(
                    format!(
                        "pull secret {name:?} has type {}, not a pull-secret type: {}",
                        types.first().copied().unwrap_or("Opaque"),
                        describe_places(&defs)
                    ),
                    Location::File(item.span.clone()),
                )
                .with_note(
                    "the kubelet uses only kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg \
                     Secrets: this one is ignored and the pull goes out without credentials",
                )
                .with_help(
                    "give the Secret type kubernetes.io/dockerconfigjson with a .dockerconfigjson key \
                     (`regcred create` writes one)",
                ),
            );
        }
    }
}
