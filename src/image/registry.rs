//! Which registries are public, which private: the defaults regcred ships and
//! the classification of a registry host given the configured lists.
//!
//! Patterns are host globs in the kubelet's own syntax (one `filepath.Match`
//! glob per `.`-label, same number of labels), so a pattern reads like an
//! `auths` key: `*.azurecr.io` covers `myreg.azurecr.io`, not `azurecr.io`.
//! A pattern without a port covers every port; with one, only that port.
//! Hosts are compared in lower case: this is a judgement about who runs the
//! registry, not the kubelet's case-sensitive matching.

use crate::gocompat::filepath_match;
use crate::gocompat::url::split_host_port;

/// Well-known registries that serve images without credentials.
///
/// Left out on purpose, so they stay unknown (info at most):
/// - `registry.gitlab.com`: hosts public and private projects alike;
/// - `*-docker.pkg.dev` (Artifact Registry): mostly private, but public
///   repositories are common in tutorials (`us-docker.pkg.dev/google-samples/...`);
/// - `nvcr.io`: part of NGC needs an API key;
/// - `*.ocir.io`, `*.icr.io`, `*.aliyuncs.com`: public and private namespaces
///   share one host.
///
/// Docker Hub and `gcr.io` also hold private repositories, but their
/// overwhelmingly common use in manifests is public images; a project that
/// pulls private ones from there lists them as private in its config.
pub const DEFAULT_PUBLIC_REGISTRIES: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.k8s.io",
    "k8s.gcr.io",
    "gcr.io",
    "us.gcr.io",
    "eu.gcr.io",
    "asia.gcr.io",
    "mirror.gcr.io",
    "ghcr.io",
    "quay.io",
    "mcr.microsoft.com",
    "public.ecr.aws",
    "docker.elastic.co",
    "registry.istio.io",
    "cr.l5d.io",
    "registry.opensource.zalan.do",
    "releases-docker.jfrog.io",
    "registry.access.redhat.com",
];

/// Well-known public repositories on hosts that are otherwise unknown
/// (`HOST-GLOB/FIRST-PATH-COMPONENT`): Google's projects of public images
/// on Artifact Registry, which its tutorials pull anonymously (the GKE
/// samples, microservices-demo, Deep Learning and TPU containers, Vertex AI
/// prebuilt containers, Kubernetes staging images). The rest of
/// `*-docker.pkg.dev` stays unknown.
pub const DEFAULT_PUBLIC_REPOSITORIES: &[&str] = &[
    "*-docker.pkg.dev/google-samples",
    "*-docker.pkg.dev/deeplearning-platform-release",
    "*-docker.pkg.dev/cloud-tpu-images",
    "*-docker.pkg.dev/vertex-ai",
    "*-docker.pkg.dev/k8s-staging-images",
];

/// The entry of [`DEFAULT_PUBLIC_REPOSITORIES`] covering an image's
/// registry `host` and repository `path`.
fn public_repository(host: &str, path: &str) -> Option<&'static str> {
    let first = path.split('/').next()?;
    DEFAULT_PUBLIC_REPOSITORIES.iter().copied().find(|entry| {
        entry
            .split_once('/')
            .is_some_and(|(glob, project)| project == first && host_pattern_matches(glob, host))
    })
}

/// Classifies the registry of an image (`host[:port]` and its repository
/// path): [`classify_registry`], then, for a registry on no list, whether
/// the repository is one of [`DEFAULT_PUBLIC_REPOSITORIES`].
pub fn classify_image(
    host: &str,
    path: &str,
    lists: &RegistryLists,
) -> (RegistryClass, ClassReason) {
    match classify_registry(host, lists) {
        (RegistryClass::Unknown, ClassReason::Unlisted) => match public_repository(host, path) {
            Some(entry) => (
                RegistryClass::Public,
                ClassReason::DefaultPublic(entry.to_string()),
            ),
            None => (RegistryClass::Unknown, ClassReason::Unlisted),
        },
        other => other,
    }
}

/// Registries that cannot serve anonymous pulls by construction: a cloud
/// account's private registry.
///
/// Note for messages: on EKS, AKS and GKE the kubelet often gets credentials
/// for its own cloud's registry from a credential provider, without any
/// `imagePullSecrets`.
pub const PRIVATE_BY_CONSTRUCTION: &[&str] = &[
    "*.dkr.ecr.*.amazonaws.com",
    "*.dkr.ecr.*.amazonaws.com.cn",
    "*.dkr.ecr-fips.*.amazonaws.com",
    "*.azurecr.io",
    "*.azurecr.cn",
    "*.azurecr.us",
    "*.jfrog.io",
    "registry.digitalocean.com",
];

/// Who can pull from a registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryClass {
    Public,
    Private,
    Unknown,
}

/// Why a registry got its class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClassReason {
    /// A configured private pattern (or one inferred from pull secrets).
    ConfiguredPrivate(String),
    ConfiguredPublic(String),
    DefaultPublic(String),
    PrivateByConstruction(String),
    /// On no list.
    Unlisted,
}

/// The lists supplied by the configuration (and the engine's inference).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryLists {
    pub private: Vec<String>,
    pub public: Vec<String>,
}

/// Whether `pattern` covers `host` (both `host[:port]`).
pub fn host_pattern_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    let (pattern_host, pattern_port) = split_port(&pattern);
    let (host_name, host_port) = split_port(&host);
    if !pattern_port.is_empty() && pattern_port != host_port {
        return false;
    }
    let pattern_labels: Vec<&str> = pattern_host.split('.').collect();
    let host_labels: Vec<&str> = host_name.split('.').collect();
    pattern_labels.len() == host_labels.len()
        && pattern_labels
            .iter()
            .zip(&host_labels)
            .all(|(p, h)| filepath_match::matches(p.as_bytes(), h.as_bytes()) == Ok(true))
}

fn split_port(host: &str) -> (&str, &str) {
    match split_host_port(host.as_bytes()) {
        Ok((h, p)) => (
            std::str::from_utf8(h).unwrap_or(host),
            std::str::from_utf8(p).unwrap_or(""),
        ),
        Err(_) => (host, ""),
    }
}

fn first_match<'a, I>(patterns: I, host: &str) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    patterns
        .into_iter()
        .find(|p| host_pattern_matches(p, host))
        .map(str::to_string)
}

/// Classifies a registry host (`host[:port]`, as in a normalized image name).
///
/// Precedence: configured private, configured public, the default public
/// list, private by construction, unknown. Configuration always wins; a
/// registry configured as both counts as private (the cautious answer).
pub fn classify_registry(host: &str, lists: &RegistryLists) -> (RegistryClass, ClassReason) {
    if let Some(p) = first_match(lists.private.iter().map(String::as_str), host) {
        return (RegistryClass::Private, ClassReason::ConfiguredPrivate(p));
    }
    if let Some(p) = first_match(lists.public.iter().map(String::as_str), host) {
        return (RegistryClass::Public, ClassReason::ConfiguredPublic(p));
    }
    if let Some(p) = first_match(DEFAULT_PUBLIC_REGISTRIES.iter().copied(), host) {
        return (RegistryClass::Public, ClassReason::DefaultPublic(p));
    }
    if let Some(p) = first_match(PRIVATE_BY_CONSTRUCTION.iter().copied(), host) {
        return (
            RegistryClass::Private,
            ClassReason::PrivateByConstruction(p),
        );
    }
    (RegistryClass::Unknown, ClassReason::Unlisted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(host: &str) -> RegistryClass {
        classify_registry(host, &RegistryLists::default()).0
    }

    #[test]
    fn defaults() {
        for public in [
            "docker.io",
            "registry.k8s.io",
            "registry.istio.io",
            "ghcr.io",
            "quay.io",
            "gcr.io",
            "mcr.microsoft.com",
            "public.ecr.aws",
            "releases-docker.jfrog.io",
        ] {
            assert_eq!(class(public), RegistryClass::Public, "{public}");
        }
        for private in [
            "123456789012.dkr.ecr.us-east-1.amazonaws.com",
            "myreg.azurecr.io",
            "acme.jfrog.io",
            "registry.digitalocean.com",
        ] {
            assert_eq!(class(private), RegistryClass::Private, "{private}");
        }
        for unknown in [
            "registry.gitlab.com",
            "europe-west1-docker.pkg.dev",
            "nvcr.io",
            "reg.corp.test",
            "localhost:5000",
            "azurecr.io",
        ] {
            assert_eq!(class(unknown), RegistryClass::Unknown, "{unknown}");
        }
    }

    #[test]
    fn known_public_repositories_on_unknown_hosts() {
        let lists = RegistryLists::default();
        let image = |host: &str, path: &str| classify_image(host, path, &lists).0;
        assert_eq!(
            image(
                "us-docker.pkg.dev",
                "google-samples/containers/gke/hello-app"
            ),
            RegistryClass::Public
        );
        assert_eq!(
            image(
                "us-central1-docker.pkg.dev",
                "google-samples/microservices-demo/adservice"
            ),
            RegistryClass::Public
        );
        assert_eq!(
            image("us-docker.pkg.dev", "my-project/repo/app"),
            RegistryClass::Unknown
        );
        assert_eq!(
            image("us-docker.pkg.dev", "google-samples-fork/app"),
            RegistryClass::Unknown
        );
        assert_eq!(
            image("reg.corp.test", "google-samples/app"),
            RegistryClass::Unknown
        );
        // Configuration still wins.
        let private = RegistryLists {
            private: vec!["us-docker.pkg.dev".into()],
            public: Vec::new(),
        };
        assert_eq!(
            classify_image("us-docker.pkg.dev", "google-samples/app", &private).0,
            RegistryClass::Private
        );
    }

    #[test]
    fn configuration_wins() {
        let lists = RegistryLists {
            private: vec!["ghcr.io".into(), "*.corp.test".into()],
            public: vec!["myreg.azurecr.io".into(), "ghcr.io".into()],
        };
        assert_eq!(
            classify_registry("ghcr.io", &lists),
            (
                RegistryClass::Private,
                ClassReason::ConfiguredPrivate("ghcr.io".into())
            )
        );
        assert_eq!(
            classify_registry("reg.corp.test", &lists).0,
            RegistryClass::Private
        );
        assert_eq!(
            classify_registry("myreg.azurecr.io", &lists).0,
            RegistryClass::Public
        );
    }

    #[test]
    fn ports_and_case() {
        assert!(host_pattern_matches("reg.io", "reg.io:5000"));
        assert!(host_pattern_matches("reg.io:5000", "REG.io:5000"));
        assert!(!host_pattern_matches("reg.io:5000", "reg.io:5001"));
        assert!(!host_pattern_matches("reg.io:5000", "reg.io"));
    }
}
