//! The `SealedSecret` kubeseal builds from a Secret (sealed-secrets'
//! `NewSealedSecret`): its own metadata holds the name, the namespace and
//! the scope annotation; `spec.template` holds the Secret's type and
//! metadata, the scope annotation included; `spec.encryptedData` holds each
//! data key's sealed value in base64.

use rsa::rand_core::{CryptoRng, RngCore};

use super::NAMESPACE_WIDE_ANNOTATION;
use super::{hybrid, Scope, SealError, SealingKey, CLUSTER_WIDE_ANNOTATION};
use crate::generate::{Meta, Secret};

pub const API_VERSION: &str = "bitnami.com/v1alpha1";
pub const KIND: &str = "SealedSecret";

/// A sealed Secret, ready to render. Holds no plaintext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedSecret {
    pub name: String,
    pub namespace: Option<String>,
    /// The SealedSecret's own annotations: the scope's, if any.
    pub annotations: Vec<(String, String)>,
    /// `spec.template.metadata`: the Secret's labels and annotations (with
    /// the scope's annotation).
    pub template_labels: Vec<(String, String)>,
    pub template_annotations: Vec<(String, String)>,
    pub secret_type: String,
    /// `spec.encryptedData`: data key and base64 of the sealed value.
    pub encrypted_data: Vec<(String, String)>,
}

impl SealedSecret {
    /// The SealedSecret's own metadata: no labels, as kubeseal writes it.
    pub fn meta(&self) -> Meta<'_> {
        Meta {
            name: &self.name,
            namespace: self.namespace.as_deref(),
            labels: &[],
            annotations: &self.annotations,
        }
    }

    /// `spec.template.metadata`: the Secret the controller creates.
    pub fn template_meta(&self) -> Meta<'_> {
        Meta {
            name: &self.name,
            namespace: self.namespace.as_deref(),
            labels: &self.template_labels,
            annotations: &self.template_annotations,
        }
    }

    /// Seals `secret` for `key` in `scope`, as `kubeseal --cert --scope`.
    pub fn seal<R: RngCore + CryptoRng>(
        rng: &mut R,
        secret: &Secret,
        key: &SealingKey,
        scope: Scope,
    ) -> Result<SealedSecret, SealError> {
        for (k, _) in &secret.annotations {
            if k == NAMESPACE_WIDE_ANNOTATION || k == CLUSTER_WIDE_ANNOTATION {
                return Err(SealError::ScopeAnnotation { key: k.clone() });
            }
        }
        let namespace = match (&secret.namespace, scope) {
            (Some(ns), _) => ns.as_str(),
            (None, Scope::ClusterWide) => "",
            (None, _) => {
                return Err(SealError::NoNamespace {
                    scope: scope.as_str(),
                })
            }
        };
        let label = scope.label(namespace, &secret.name);
        let sealed = hybrid::encrypt(rng, &key.key, &secret.payload, &label)?;
        let mut annotations = Vec::new();
        let mut template_annotations = secret.annotations.clone();
        if let Some(annotation) = scope.annotation() {
            annotations.push((annotation.to_string(), "true".to_string()));
            template_annotations.push((annotation.to_string(), "true".to_string()));
        }
        Ok(SealedSecret {
            name: secret.name.clone(),
            namespace: secret.namespace.clone(),
            annotations,
            template_labels: secret.labels.clone(),
            template_annotations,
            secret_type: secret.kind.secret_type().to_string(),
            encrypted_data: vec![(
                secret.kind.data_key().to_string(),
                crate::gocompat::base64::encode(&sealed),
            )],
        })
    }
}
