//! image-pull-secret-no-match
//!
//! **What it checks.** A pod whose pull secrets (its own `imagePullSecrets`,
//! or its ServiceAccount's when it has none) all exist among the inputs and
//! parse, but none has an `auths` key that the kubelet matches to an image's
//! registry. The finding lists each key the kubelet tried and why it missed
//! (port, number of host labels, a host label's glob, path prefix), and
//! suggests a key that would match.
//!
//! An error when the registry is known to be private, and for any registry,
//! public ones included, that a key names in a way the kubelet does not
//! match: Docker Hub as `hub.docker.com`, `registry-1.docker.io` or
//! `registry.hub.docker.com` (the kubelet would use
//! `https://index.docker.io/v1/` or `docker.io`), the same host with another
//! port or case, or a path that is not a prefix within the image's first
//! path segment (a key for `quay.io/team` is for that team only, and says
//! nothing of `quay.io/other/app`). A warning for a registry on no list. When no key matches any image of the pod at all, a warning on the
//! pod's first pull secret: it serves nothing there.
//!
//! Silent on test-expectation files, which need nothing (docs/rules.md,
//! "Test-expectation files").
//!
//! **Why.** The kubelet matches keys to the image by its own rules
//! (docs/kubernetes.md §2): a key `reg.io` does not cover `reg.io:5000/app`, a key
//! `*.reg.io` does not cover `reg.io`, a key `reg.io/team` does not cover
//! `reg.io/other/app`. When no key matches, the pull goes out anonymous and
//! a private image fails with `ErrImagePull` (401 or 403), though the pod
//! "has" a pull secret. `docker login` without a server stores Docker Hub
//! credentials under `https://index.docker.io/v1/`; the addresses shown on
//! Docker Hub's web pages are not matched.
//!
//! **Bad**
//!
//! ```yaml
//! # .dockerconfigjson: {"auths": {"reg.example.com": {...}}}
//! containers:
//! - image: reg.example.com:5000/team/app:1.0
//! imagePullSecrets: [{name: regcred}]
//! ```
//!
//! **Good**
//!
//! ```yaml
//! # .dockerconfigjson: {"auths": {"reg.example.com:5000": {...}}}
//! containers:
//! - image: reg.example.com:5000/team/app:1.0
//! imagePullSecrets: [{name: regcred}]
//! ```

use super::image_pull_secret_not_found::is_template;
use super::Rule;
use crate::image::keyring::{Keyring, NearKeys};
use crate::image::{parse_image, ParsedImage, RegistryClass};
use crate::lint::index::Resolution;
use crate::lint::workload::{PodPullSecrets, PodView, WorkloadContext};
use crate::lint::{Finding, Level, Location};

pub struct ImagePullSecretNoMatch;

/// At most this many key verdicts are spelled out in one message.
const SHOWN_KEYS: usize = 6;

impl Rule for ImagePullSecretNoMatch {
    fn id(&self) -> &'static str {
        "image-pull-secret-no-match"
    }

    fn cross_object(&self) -> bool {
        true
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_pod(&self, pod: &PodView, context: &WorkloadContext<'_>, out: &mut Vec<Finding>) {
        let (names, via): (Vec<&str>, String) = match context.pull_secrets_of(pod) {
            PodPullSecrets::Own(names) => (names, "the pod's pull secrets".to_string()),
            PodPullSecrets::FromServiceAccount(sa) => (
                sa.pull_secrets.iter().map(String::as_str).collect(),
                format!("the pull secrets of ServiceAccount {:?}", sa.name),
            ),
            _ => return,
        };
        if names.is_empty() || names.iter().any(|n| is_template(n)) {
            return;
        }
        // Every Secret must be known, with the keys the kubelet reads.
        let mut keys: Vec<String> = Vec::new();
        for name in &names {
            let Resolution::Found(defs) =
                context
                    .index
                    .resolve_secret(name, &pod.namespaces, &pod.file)
            else {
                return;
            };
            for def in defs {
                if def.is_pull_secret_type() != Some(true) {
                    return;
                }
                match &def.keys {
                    Some(k) => keys.extend(k.iter().cloned()),
                    None => return,
                }
            }
        }
        // Each key parsed once for every image of the pod.
        let keyring = Keyring::new(&keys);
        let near_keys = NearKeys::new(&keys);
        let listed = names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut any_match = false;
        let mut reported = false;
        for image in &pod.images {
            let ParsedImage::Reference(reference) = parse_image(&image.image) else {
                continue;
            };
            let repository = reference.name();
            if keyring.first_tried(&repository).is_some() {
                any_match = true;
                continue;
            }
            let found = keyring.lookup_first(&repository, SHOWN_KEYS);
            // The first key meant for this registry (the kubelet does not match it).
            let near: Option<&str> = near_keys
                .first_naming(&repository)
                .and_then(|position| keys.get(position))
                .map(String::as_str);
            let level = match (context.registry_of(&reference).class, near.is_none()) {
                (_, false) | (RegistryClass::Private, true) => Level::Error,
                (RegistryClass::Unknown, true) => Level::Warning,
                (RegistryClass::Public, true) => continue,
            };
            let mut why: Vec<String> = found
                .verdicts
                .iter()
                .take(SHOWN_KEYS)
                .filter_map(|v| {
                    v.outcome
                        .as_ref()
                        .err()
                        .map(|m| format!("{:?}: {m}", v.key))
                })
                .collect();
            if keys.len() > SHOWN_KEYS {
                why.push(format!("and {} more", keys.len() - SHOWN_KEYS));
            }
            let message = match near {
                Some(key) => format!(
                    "{via} ({listed}) name the registry of {repository:?} as {key:?}, a key the \
                     kubelet does not match to it; it would use {:?}",
                    found.suggested_key
                ),
                None => format!(
                    "none of {via} ({listed}) has credentials the kubelet matches to {repository:?}"
                ),
            };
            let mut finding = self.finding(message, Location::File(image.span.clone()));
            finding.level = level;
            let keys_tried = if why.is_empty() {
                "they hold no registry at all".to_string()
            } else {
                format!("keys tried: {}", why.join("; "))
            };
            reported = true;
            out.push(
                finding
                    .with_note(format!(
                        "{keys_tried}; the pull goes out anonymous and a private image fails"
                    ))
                    .with_help(match near {
                        Some(key) => format!(
                            "rename the key {key:?} to {:?} (`regcred create NAME --docker-server {}` \
                             writes it)",
                            found.suggested_key, found.suggested_key
                        ),
                        None => format!(
                            "add credentials under the key {:?} (`regcred create NAME --docker-server {}`)",
                            found.suggested_key, found.suggested_key
                        ),
                    }),
            );
        }
        if any_match || reported || pod.images.is_empty() {
            return;
        }
        // No image of the pod is served by any key: the pull secrets are
        // dead weight here, or meant for images this pod does not have.
        let span = pod
            .pull_secrets
            .first()
            .map_or(pod.spec_key_span.clone(), |item| item.span.clone());
        let shown: Vec<&str> = keys.iter().take(SHOWN_KEYS).map(String::as_str).collect();
        let mut finding = self.finding(
            format!(
                "no key of {via} ({listed}) matches any image of this pod: they serve nothing here"
            ),
            Location::File(span),
        );
        finding.level = Level::Warning;
        out.push(
            finding
                .with_note(format!(
                    "keys: {}; every image of the pod is pulled anonymously",
                    if shown.is_empty() {
                        "none".to_string()
                    } else {
                        format!("{shown:?}")
                    }
                ))
                .with_help(
                    "drop the imagePullSecrets this pod does not need, or add credentials for its \
                     images' registries",
                ),
        );
    }
}
