//! What rules read: views over parsed objects, never files.

/// Which payload shape the key implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadFormat {
    /// `.dockerconfigjson`: `{"auths": {REGISTRY: ENTRY}}`.
    DockerConfigJson,
    /// `.dockercfg`: a bare `{REGISTRY: ENTRY}`.
    DockerCfg,
}

/// Where a pull-secret payload came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadOrigin {
    /// Decoded from a Secret's base64 `data` value.
    SecretData,
    /// Taken verbatim from a Secret's `stringData` value.
    SecretStringData,
    /// A Docker config file in the tree, or one a kustomize secretGenerator stores.
    File,
}

/// The bytes the kubelet would read as a Docker config, with its shape.
/// Findings about it use `Location::Payload` ranges into `payload`.
#[derive(Debug, Clone, Copy)]
pub struct PullSecretView<'a> {
    pub payload: &'a [u8],
    pub format: PayloadFormat,
    pub origin: PayloadOrigin,
}

impl<'a> PullSecretView<'a> {
    /// The one way to make a view, so that whatever the view precomputes for
    /// the rules (a parsed payload, say) is computed once, here.
    pub fn new(payload: &'a [u8], format: PayloadFormat, origin: PayloadOrigin) -> Self {
        PullSecretView {
            payload,
            format,
            origin,
        }
    }
}

/// A manifest file as the file rules see it.
#[derive(Debug, Clone, Copy)]
pub struct FileView<'a> {
    /// The file's text (after a UTF-8 BOM, if any).
    pub source: &'a str,
    /// Why it could not be read as YAML, when it could not.
    pub syntax_error: Option<&'a crate::manifest::SyntaxError>,
}
