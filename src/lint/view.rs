//! What rules read: views over parsed objects, never files.

use std::fmt;

use crate::dockercfg::kubelet::{self, KubeletReading, Shape};
use crate::gocompat::json_value::{self, Document, Kind, MapUnmarshalError, NodeId, SyntaxError};

/// Which payload shape the key implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadFormat {
    /// `.dockerconfigjson`: `{"auths": {REGISTRY: ENTRY}}`.
    DockerConfigJson,
    /// `.dockercfg`: a bare `{REGISTRY: ENTRY}`.
    DockerCfg,
}

impl PayloadFormat {
    /// The Secret data key that holds this format.
    pub fn key(self) -> &'static str {
        match self {
            PayloadFormat::DockerConfigJson => ".dockerconfigjson",
            PayloadFormat::DockerCfg => ".dockercfg",
        }
    }
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

/// A payload that is JSON as Go reads it, read by the API server and the kubelet.
#[derive(Debug, Clone)]
pub struct ParsedPayload {
    pub document: Document,
    /// The API server's check: `json.Unmarshal` into `map[string]interface{}`.
    pub api_server: Result<(), MapUnmarshalError>,
    /// What the kubelet makes of it.
    pub kubelet: KubeletReading,
}

/// The bytes the kubelet would read as a Docker config, with its shape.
/// Findings about it use `Location::Payload` ranges into `payload`.
#[derive(Clone)]
pub struct PullSecretView<'a> {
    pub payload: &'a [u8],
    pub format: PayloadFormat,
    pub origin: PayloadOrigin,
    parsed: Result<ParsedPayload, SyntaxError>,
}

impl<'a> PullSecretView<'a> {
    /// The one way to make a view, so that whatever the view precomputes for
    /// the rules (the parsed payload, the kubelet's reading) is computed once, here.
    pub fn new(payload: &'a [u8], format: PayloadFormat, origin: PayloadOrigin) -> Self {
        let shape = match format {
            PayloadFormat::DockerConfigJson => Shape::DockerConfigJson,
            PayloadFormat::DockerCfg => Shape::DockerCfg,
        };
        let parsed = json_value::parse(payload).map(|document| ParsedPayload {
            api_server: json_value::unmarshal_into_map(&document, payload),
            kubelet: kubelet::read(&document, shape),
            document,
        });
        PullSecretView {
            payload,
            format,
            origin,
            parsed,
        }
    }

    /// The payload as Go's `json.Unmarshal` reads it, or Go's syntax error.
    pub fn parsed(&self) -> Result<&ParsedPayload, &SyntaxError> {
        self.parsed.as_ref()
    }

    /// The payload when the API server accepts it.
    pub fn accepted_by_api_server(&self) -> Option<&ParsedPayload> {
        self.parsed().ok().filter(|p| p.api_server.is_ok())
    }

    /// The view the kubelet would read once the payload's shape matches its
    /// key: a `.dockercfg` whose registries are wrapped in `auths`, or a
    /// `.dockerconfigjson` holding registries at the top level (both
    /// pull-secret-no-auths). The problems behind the wrong shape are found
    /// in the same run from it (`rules::check_payload`).
    pub fn reshaped(&self) -> Option<PullSecretView<'a>> {
        let parsed = self.accepted_by_api_server()?;
        let (doc, reading) = (&parsed.document, &parsed.kubelet);
        let other = match self.format {
            PayloadFormat::DockerCfg => {
                let wrapped = reading.effective().any(|e| {
                    kubelet::go_field_matches("auths", e.registry(doc))
                        && doc.kind(e.value(doc)) == Kind::Object
                });
                wrapped.then_some(PayloadFormat::DockerConfigJson)?
            }
            PayloadFormat::DockerConfigJson => {
                let top_level = reading.auths.is_none()
                    && reading.effective().next().is_none()
                    && looks_like_dockercfg(doc, doc.root());
                top_level.then_some(PayloadFormat::DockerCfg)?
            }
        };
        Some(PullSecretView::new(self.payload, other, self.origin))
    }

    /// How messages name the payload: "the decoded .dockerconfigjson", "the Docker config".
    pub fn name(&self) -> String {
        match self.origin {
            PayloadOrigin::SecretData => format!("the decoded {}", self.format.key()),
            PayloadOrigin::SecretStringData => format!("the {}", self.format.key()),
            PayloadOrigin::File => "the Docker config".to_string(),
        }
    }
}

/// Whether top-level members of `root` look like registry entries (they
/// hold `auth`, `username` or `password`): the `.dockercfg` shape.
pub fn looks_like_dockercfg(doc: &Document, root: NodeId) -> bool {
    doc.members(root).iter().any(|m| {
        doc.members(m.value).iter().any(|field| {
            ["auth", "username", "password"]
                .iter()
                .any(|name| kubelet::go_field_matches(name, doc.key(field)))
        })
    })
}

// The payload holds credentials: Debug shows its size only.
impl fmt::Debug for PullSecretView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PullSecretView")
            .field("payload", &format_args!("<{} bytes>", self.payload.len()))
            .field("format", &self.format)
            .field("origin", &self.origin)
            .field("parsed", &self.parsed)
            .finish()
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
