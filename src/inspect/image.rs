//! One image looked up in pull-secret keys as the kubelet does: the keys it
//! tries, in its order (the Docker Hub fallback included), and why every
//! other key misses, in the words of `image-pull-secret-no-match` (both use
//! [`crate::image::keyring`]).

use serde::Serialize;

use crate::image::keyring::Keyring;
use crate::image::{parse_image, ParsedImage};
use crate::lint::pull_secret_summary::PullSecretSummary;

/// One `auths` key and the pull secret it comes from (an index into the
/// inspection's secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySource {
    pub key: String,
    pub secret: usize,
}

/// The effective keys of the pull secrets at `positions` that the kubelet
/// uses, in order (its keyring is built from a pod's pull secrets in the
/// pod's order).
pub fn keys_of(
    secrets: &[PullSecretSummary],
    positions: impl IntoIterator<Item = usize>,
) -> Vec<KeySource> {
    let mut out = Vec::new();
    for secret in positions {
        let Some(summary) = secrets.get(secret).filter(|s| s.kubelet_uses()) else {
            continue;
        };
        for registry in summary.registries.iter().filter(|r| r.effective) {
            out.push(KeySource {
                key: registry.key.clone(),
                secret,
            });
        }
    }
    out
}

/// What the kubelet does with one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageReport {
    /// The image as given.
    pub image: String,
    /// Why it is no reference (then nothing else is filled), or a template.
    pub invalid: Option<String>,
    /// The normalized reference (`docker.io/library/nginx:1.25`).
    pub reference: Option<String>,
    /// The name the kubelet looks credentials up for (`docker.io/library/nginx`).
    pub repository: Option<String>,
    /// The kubelet found no key by matching and used the keys indexed as
    /// `index.docker.io` instead.
    pub docker_hub_fallback: bool,
    /// Every key: those the kubelet tries first, in its order, then the others.
    pub keys: Vec<KeyReport>,
    /// A key that would match, when none does.
    pub suggested_key: Option<String>,
    /// When the kubelet tries no key: keys of other pull secrets among the
    /// inputs that it would match to the image but does not get, and why.
    pub unused_matches: Vec<UnusedMatch>,
}

/// A matching key the kubelet does not get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnusedMatch {
    pub key: String,
    /// Position into the inspection's `secrets`.
    pub secret: usize,
    /// Why the kubelet does not use it ("the pod does not name this Secret").
    pub why: String,
}

/// One key's verdict for the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyReport {
    pub key: String,
    /// Position into the inspection's `secrets`.
    pub secret: usize,
    /// 1-based place in the kubelet's order of tries; `None`: not tried.
    pub tried: Option<usize>,
    /// Why the key does not match the image (also for a key used through
    /// the Docker Hub fallback).
    pub miss: Option<String>,
}

/// The normalized reference with its tag and digest.
fn full_reference(r: &crate::image::ImageRef) -> String {
    let mut out = r.name();
    if let Some(tag) = &r.tag {
        out.push(':');
        out.push_str(tag);
    }
    if let Some(digest) = &r.digest {
        out.push('@');
        out.push_str(digest);
    }
    out
}

/// Looks `image` up as the kubelet does in the keys of the pull secrets at
/// `named` (a pod's, in its order; or all), and finds the matching keys of
/// the other pull secrets read, saying why the kubelet does not get them.
pub fn explain(image: &str, secrets: &[PullSecretSummary], named: &[usize]) -> ImageReport {
    let keys = keys_of(secrets, named.iter().copied());
    let mut report = lookup(image, &keys);
    // Only when nothing is tried: then they are why the pull fails.
    if let Some(repository) = report
        .repository
        .as_ref()
        .filter(|_| report.suggested_key.is_some())
    {
        report.unused_matches = unused_matches(repository, secrets, named);
    }
    report
}

/// Why the kubelet does not use the keys of a pull secret for this lookup.
fn why_unused(summary: &PullSecretSummary, named: bool) -> Option<String> {
    let mut why = Vec::new();
    if !named {
        why.push("the pod does not name this Secret".to_string());
    }
    if let Some(t) = summary
        .type_name
        .as_deref()
        .filter(|_| !summary.kubelet_uses())
    {
        if !summary.kubelet_accepts {
            let rules: Vec<&str> = summary
                .problems
                .iter()
                .filter(|p| p.level == "error")
                .map(|p| p.rule)
                .collect();
            why.push(format!(
                "the kubelet rejects this Secret's payload ({})",
                rules.join(", ")
            ));
        } else {
            why.push(format!(
                "the kubelet ignores a Secret of type {t} (pull-secret-wrong-type)"
            ));
        }
    }
    (!why.is_empty()).then(|| why.join("; "))
}

fn unused_matches(
    repository: &str,
    secrets: &[PullSecretSummary],
    named: &[usize],
) -> Vec<UnusedMatch> {
    let mut others: Vec<(KeySource, String)> = Vec::new();
    for (position, summary) in secrets.iter().enumerate() {
        let Some(why) = why_unused(summary, named.contains(&position)) else {
            continue;
        };
        for registry in summary.registries.iter().filter(|r| r.effective) {
            others.push((
                KeySource {
                    key: registry.key.clone(),
                    secret: position,
                },
                why.clone(),
            ));
        }
    }
    let names: Vec<&str> = others.iter().map(|(k, _)| k.key.as_str()).collect();
    let found = Keyring::new(&names).lookup(repository);
    found
        .tried
        .iter()
        .filter_map(|&i| others.get(i))
        .map(|(k, why)| UnusedMatch {
            key: k.key.clone(),
            secret: k.secret,
            why: why.clone(),
        })
        .collect()
}

/// Looks `image` up in `keys` as the kubelet does.
pub fn lookup(image: &str, keys: &[KeySource]) -> ImageReport {
    let mut report = ImageReport {
        image: image.to_string(),
        invalid: None,
        reference: None,
        repository: None,
        docker_hub_fallback: false,
        keys: Vec::new(),
        suggested_key: None,
        unused_matches: Vec::new(),
    };
    let reference = match parse_image(image) {
        ParsedImage::Reference(r) => r,
        ParsedImage::Template => {
            report.invalid = Some("a template still to be rendered".into());
            return report;
        }
        ParsedImage::Invalid(e) => {
            report.invalid = Some(e.to_string());
            return report;
        }
    };
    let repository = reference.name();
    let names: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
    let found = Keyring::new(&names).lookup(&repository);
    for (rank, &position) in found.tried.iter().enumerate() {
        let (Some(source), Some(verdict)) = (keys.get(position), found.verdicts.get(position))
        else {
            continue;
        };
        report.keys.push(KeyReport {
            key: source.key.clone(),
            secret: source.secret,
            tried: Some(rank + 1),
            miss: verdict.outcome.as_ref().err().map(ToString::to_string),
        });
    }
    for (position, verdict) in found.verdicts.iter().enumerate() {
        if found.tried.contains(&position) {
            continue;
        }
        let Some(source) = keys.get(position) else {
            continue;
        };
        report.keys.push(KeyReport {
            key: source.key.clone(),
            secret: source.secret,
            tried: None,
            miss: Some(
                verdict
                    .outcome
                    .as_ref()
                    .err()
                    .map_or_else(|| "not tried".to_string(), ToString::to_string),
            ),
        });
    }
    report.docker_hub_fallback = found.via_docker_hub_fallback;
    if found.tried.is_empty() {
        report.suggested_key = Some(found.suggested_key.clone());
    }
    report.reference = Some(full_reference(&reference));
    report.repository = Some(repository);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[&str]) -> Vec<KeySource> {
        list.iter()
            .map(|k| KeySource {
                key: k.to_string(),
                secret: 0,
            })
            .collect()
    }

    #[test]
    fn tried_keys_in_the_kubelets_order_then_misses_with_reasons() {
        let r = lookup(
            "quay.io/coreos/etcd:v3",
            &keys(&["other.io", "quay.io", "quay.io/coreos"]),
        );
        assert_eq!(r.reference.as_deref(), Some("quay.io/coreos/etcd:v3"));
        let order: Vec<(&str, Option<usize>)> =
            r.keys.iter().map(|k| (k.key.as_str(), k.tried)).collect();
        assert_eq!(
            order,
            [
                ("quay.io/coreos", Some(1)),
                ("quay.io", Some(2)),
                ("other.io", None)
            ]
        );
        assert_eq!(
            r.keys[2].miss.as_deref(),
            Some("host label 1 \"other\" does not match \"quay\"")
        );
        assert_eq!(r.suggested_key, None);
    }

    #[test]
    fn docker_hub_fallback_and_suggestion() {
        let r = lookup("nginx", &keys(&["https://index.docker.io/v1/"]));
        assert_eq!(r.repository.as_deref(), Some("docker.io/library/nginx"));
        assert!(r.docker_hub_fallback);
        assert_eq!(r.keys[0].tried, Some(1));
        let r = lookup("reg.io:5000/app", &keys(&["reg.io"]));
        assert_eq!(r.suggested_key.as_deref(), Some("reg.io:5000"));
        assert!(r.keys[0]
            .miss
            .as_deref()
            .is_some_and(|m| m.starts_with("port")));
        let r = lookup("Bad/Image", &[]);
        assert!(r.invalid.is_some() && r.reference.is_none());
    }
}
