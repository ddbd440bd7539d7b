//! Sealing a pull Secret offline into the `SealedSecret` that
//! `kubeseal --cert CERT` would write (docs/kubernetes.md §6, docs/seal.md).

pub mod certificate;
pub mod hybrid;
pub mod json;
pub mod sealed_secret;
pub mod yaml;

pub use certificate::SealingKey;
pub use sealed_secret::SealedSecret;

/// Where the controller may unseal a value: the RSA-OAEP label binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Scope {
    /// Only as a Secret of this name in this namespace (label `namespace/name`)
    #[default]
    Strict,
    /// As a Secret of any name in this namespace (label `namespace`)
    NamespaceWide,
    /// As a Secret of any name in any namespace (empty label)
    ClusterWide,
}

/// The annotations that tell the controller which label to unseal with.
pub const NAMESPACE_WIDE_ANNOTATION: &str = "sealedsecrets.bitnami.com/namespace-wide";
pub const CLUSTER_WIDE_ANNOTATION: &str = "sealedsecrets.bitnami.com/cluster-wide";

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Strict => "strict",
            Scope::NamespaceWide => "namespace-wide",
            Scope::ClusterWide => "cluster-wide",
        }
    }

    /// The annotation kubeseal sets for this scope (none for strict).
    pub fn annotation(self) -> Option<&'static str> {
        match self {
            Scope::Strict => None,
            Scope::NamespaceWide => Some(NAMESPACE_WIDE_ANNOTATION),
            Scope::ClusterWide => Some(CLUSTER_WIDE_ANNOTATION),
        }
    }

    /// The scope a SealedSecret's own annotations give it, as the
    /// controller's `labelFor` reads them: cluster-wide when that
    /// annotation is exactly `"true"`, else namespace-wide likewise, else
    /// strict (docs/kubernetes.md §6).
    pub fn of_annotations<'a>(annotation: impl Fn(&str) -> Option<&'a str>) -> Scope {
        if annotation(CLUSTER_WIDE_ANNOTATION) == Some("true") {
            Scope::ClusterWide
        } else if annotation(NAMESPACE_WIDE_ANNOTATION) == Some("true") {
            Scope::NamespaceWide
        } else {
            Scope::Strict
        }
    }

    /// sealed-secrets' `EncryptionLabel`: `namespace/name`, `namespace` or
    /// empty.
    pub fn label(self, namespace: &str, name: &str) -> String {
        match self {
            Scope::Strict => format!("{namespace}/{name}"),
            Scope::NamespaceWide => namespace.to_string(),
            Scope::ClusterWide => String::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("cannot read the sealing certificate {path}: {source}")]
    Read {
        path: String,
        source: crate::bounded_read::ReadError,
    },
    #[error("{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM `kubeseal --fetch-cert` prints")]
    NoCertificate { path: String },
    #[error("{path}: the certificate cannot be read: {reason}")]
    Parse { path: String, reason: String },
    #[error("{path}: the certificate expired on {expired}; the controller has renewed its key since: fetch the current certificate with `kubeseal --fetch-cert`")]
    Expired { path: String, expired: String },
    #[error("{path}: the certificate's key is {algorithm}, not RSA; sealed-secrets seals with RSA-OAEP only, so this is not a sealed-secrets certificate")]
    NotRsa { path: String, algorithm: String },
    #[error("the {scope} seal scope binds the value to a namespace, and the Secret has none: give -n NAMESPACE, or --seal-scope cluster-wide")]
    NoNamespace { scope: &'static str },
    #[error("the annotation {key} is set by the seal scope: use --seal-scope instead")]
    ScopeAnnotation { key: String },
    #[error("sealing failed: {0}")]
    Encrypt(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_of_annotations_reads_them_as_the_controller_does() {
        let of = |pairs: &[(&'static str, &'static str)]| {
            let pairs = pairs.to_vec();
            Scope::of_annotations(move |key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
        };
        assert_eq!(of(&[]), Scope::Strict);
        assert_eq!(
            of(&[(NAMESPACE_WIDE_ANNOTATION, "true")]),
            Scope::NamespaceWide
        );
        assert_eq!(of(&[(CLUSTER_WIDE_ANNOTATION, "true")]), Scope::ClusterWide);
        // Only the exact string "true" counts; cluster-wide wins.
        assert_eq!(of(&[(CLUSTER_WIDE_ANNOTATION, "True")]), Scope::Strict);
        assert_eq!(
            of(&[
                (NAMESPACE_WIDE_ANNOTATION, "true"),
                (CLUSTER_WIDE_ANNOTATION, "true")
            ]),
            Scope::ClusterWide
        );
        assert_eq!(Scope::NamespaceWide.label("apps", "x"), "apps");
        assert_eq!(Scope::Strict.label("apps", "x"), "apps/x");
        assert_eq!(Scope::ClusterWide.label("apps", "x"), "");
    }
}
