//! The Secret `regcred create` prints: what kubectl's `create secret
//! docker-registry` builds, plus labels and annotations.

use zeroize::Zeroizing;

use crate::dockercfg::payload::PayloadKind;

pub struct Secret {
    pub name: String,
    pub namespace: Option<String>,
    /// Sorted later by the renderers; keys are distinct.
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub kind: PayloadKind,
    pub payload: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("name", &self.name)
            .field("namespace", &self.namespace)
            .field("labels", &self.labels)
            .field("annotations", &self.annotations)
            .field("kind", &self.kind)
            .field("payload", &format_args!("<{} bytes>", self.payload.len()))
            .finish()
    }
}

/// The part of an object's `metadata` regcred writes.
#[derive(Debug, Clone, Copy)]
pub struct Meta<'a> {
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub labels: &'a [(String, String)],
    pub annotations: &'a [(String, String)],
}

impl Secret {
    pub fn meta(&self) -> Meta<'_> {
        Meta {
            name: &self.name,
            namespace: self.namespace.as_deref(),
            labels: &self.labels,
            annotations: &self.annotations,
        }
    }

    /// The `data` value: the payload in standard base64, one line.
    pub fn encoded_payload(&self) -> Zeroizing<String> {
        Zeroizing::new(crate::gocompat::base64::encode(&self.payload))
    }

    /// kubectl's `--append-hash`: the name gets `-` and the content hash.
    pub fn append_hash(&mut self) {
        let hash = super::hash::kubectl_secret_hash(
            &self.name,
            self.kind.secret_type(),
            self.kind.data_key(),
            &self.encoded_payload(),
        );
        self.name = format!("{}-{hash}", self.name);
    }
}
