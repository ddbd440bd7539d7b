//! Reading one Docker `config.json` as Docker and the kubelet read it.
//!
//! Both are Go `encoding/json` readers, so the file goes through the same
//! Go-exact reader ([`json_value`]) and the kubelet's own entry reading
//! ([`kubelet::read`]: case-insensitive field names, duplicates, `null`,
//! `auth` decoding) that `regcred lint` uses. What is Docker's alone is
//! read here: `credsStore`, `credHelpers`, and entries that hold no
//! password (a credential store's `{}`, an identity token).

use std::ops::Range;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::bounded_read::{self, Follow, Limit};

use super::kubelet::{self, go_field_matches, Field, FieldPath, Problem, Shape};
use super::Credential;
use crate::gocompat::json_value::{self, Document, Kind, NodeId, SyntaxError, SyntaxErrorKind};

/// One `auths` entry, by what it can give the kubelet.
#[derive(Debug)]
pub enum EntryState {
    /// `auth`, or `username` and `password`: credentials the kubelet can use.
    Usable(Credential),
    /// Nothing usable: the secret lives in a credential helper (`{}` written
    /// by `docker login` with a store), or only an identity token.
    Empty,
}

#[derive(Debug)]
pub struct AuthEntry {
    pub server: String,
    pub state: EntryState,
}

/// A parsed config file; `bytes` are the file's exact content.
pub struct ConfigFile {
    pub path: PathBuf,
    pub bytes: Zeroizing<Vec<u8>>,
    pub auths: Vec<AuthEntry>,
    pub creds_store: Option<String>,
    pub cred_helpers: Vec<(String, String)>,
}

impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigFile")
            .field("path", &self.path)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("auths", &self.auths)
            .field("creds_store", &self.creds_store)
            .field("cred_helpers", &self.cred_helpers)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: crate::bounded_read::ReadError,
    },
    #[error("{path} is a directory, not a Docker config file")]
    Directory { path: String },
    #[error("{path} is empty: expected a Docker config.json with an \"auths\" object")]
    Empty { path: String },
    #[error("{path} starts with a byte order mark, which Go's JSON reader (API server, kubelet) rejects; save it without BOM")]
    ByteOrderMark { path: String },
    #[error("{path}:{line}:{column}: not valid JSON: {reason}")]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{path}: {field} must be {expected}")]
    Shape {
        path: String,
        field: String,
        expected: &'static str,
    },
    /// The caller adds what to do, in its terms (`crate::create::configs`).
    #[error("{path}: the auth of {server:?} cannot be decoded by the kubelet ({detail})")]
    AuthUndecodable {
        path: String,
        server: String,
        detail: String,
    },
    #[error("{path}: the auth of {server:?} decodes to {len} bytes without ':' so the kubelet rejects the Secret; auth must be base64 of \"username:password\"")]
    AuthNoColon {
        path: String,
        server: String,
        len: usize,
    },
}

impl ConfigFile {
    /// Reads and checks `path`.
    pub fn read(path: &Path) -> Result<ConfigFile, ConfigError> {
        let shown = path.display().to_string();
        if path.is_dir() {
            return Err(ConfigError::Directory { path: shown });
        }
        let bytes = bounded_read::read_secret_file(path, Limit::DOCKER_CONFIG, Follow::Yes)
            .map_err(|source| ConfigError::Read {
                path: shown.clone(),
                source,
            })?;
        Self::parse(path, bytes)
    }

    /// Parses config bytes that came from `path`.
    pub fn parse(path: &Path, bytes: Zeroizing<Vec<u8>>) -> Result<ConfigFile, ConfigError> {
        let shown = path.display().to_string();
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ConfigError::Empty { path: shown });
        }
        if bytes.starts_with(crate::gocompat::UTF8_BOM) {
            return Err(ConfigError::ByteOrderMark { path: shown });
        }
        let doc = json_value::parse(&bytes).map_err(|e| syntax_error(&shown, &bytes, &e))?;
        let reading = kubelet::read(&doc, Shape::DockerConfigJson);
        let helpers = read_helpers(&doc);
        if let Some(error) = go_error(&shown, &doc, &reading, &helpers.errors) {
            return Err(error);
        }
        let auths = reading
            .effective()
            .map(|entry| AuthEntry {
                server: entry.registry(&doc).to_string(),
                state: entry_state(&doc, entry),
            })
            .collect();
        Ok(ConfigFile {
            path: path.to_path_buf(),
            bytes,
            auths,
            creds_store: helpers.creds_store,
            cred_helpers: helpers.cred_helpers,
        })
    }
}

/// Where a syntax error sits, as 1-based line and byte column.
fn syntax_error(path: &str, bytes: &[u8], error: &SyntaxError) -> ConfigError {
    let before = bytes.get(..error.at).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Go's wording, without the offending byte (it may be part of a secret).
    let reason = match error.kind {
        SyntaxErrorKind::UnexpectedEnd | SyntaxErrorKind::TooLarge => error.context().to_string(),
        SyntaxErrorKind::InvalidCharacter {
            context: "after top-level value",
            ..
        } => "trailing characters after the top-level value".to_string(),
        // What the user wrote, not Go's scanner state.
        SyntaxErrorKind::InvalidCharacter {
            context: json_value::MAX_DEPTH_CONTEXT,
            ..
        } => format!(
            "{} (the API server and the kubelet reject it too)",
            json_value::context_words(json_value::MAX_DEPTH_CONTEXT)
        ),
        SyntaxErrorKind::InvalidCharacter { context, .. } => {
            format!("unexpected character {context}")
        }
    };
    ConfigError::Syntax {
        path: path.to_string(),
        line: before.iter().filter(|&&b| b == b'\n').count() + 1,
        column: before.len() - line_start + 1,
        reason,
    }
}

/// Docker's `credsStore` and `credHelpers`, which the kubelet does not read.
struct Helpers {
    creds_store: Option<String>,
    cred_helpers: Vec<(String, String)>,
    /// Type errors, each with where it starts, in document order.
    errors: Vec<(usize, String, &'static str)>,
}

fn read_helpers(doc: &Document) -> Helpers {
    let mut helpers = Helpers {
        creds_store: None,
        cred_helpers: Vec::new(),
        errors: Vec::new(),
    };
    let root = doc.root();
    for member in doc.members(root) {
        let at = doc.span(member.value).start;
        if go_field_matches("credsStore", doc.key(member)) {
            match doc.kind(member.value) {
                // Go leaves a field alone on null.
                Kind::Null => {}
                Kind::String => {
                    helpers.creds_store = doc
                        .as_str(member.value)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string);
                }
                _ => helpers
                    .errors
                    .push((at, "credsStore".to_string(), "a string")),
            }
        } else if go_field_matches("credHelpers", doc.key(member)) {
            match doc.kind(member.value) {
                // Go sets the map to nil.
                Kind::Null => helpers.cred_helpers.clear(),
                Kind::Object => read_cred_helpers(doc, member.value, &mut helpers),
                _ => helpers
                    .errors
                    .push((at, "credHelpers".to_string(), "an object")),
            }
        }
    }
    helpers
}

// Later duplicates are kept after earlier ones; lookups take the last.
fn read_cred_helpers(doc: &Document, map: NodeId, helpers: &mut Helpers) {
    for helper in doc.members(map) {
        match doc.as_str(helper.value) {
            Some(name) => helpers
                .cred_helpers
                .push((doc.key(helper).to_string(), name.to_string())),
            None => helpers.errors.push((
                doc.span(helper.value).start,
                format!("credHelpers.{:?}", doc.key(helper)),
                "a string",
            )),
        }
    }
}

/// The error Go's `json.Unmarshal` of the file returns: an entry that fails
/// to decode stops it at once, else the first type error in the document.
fn go_error(
    path: &str,
    doc: &Document,
    reading: &kubelet::KubeletReading,
    helper_errors: &[(usize, String, &'static str)],
) -> Option<ConfigError> {
    let kubelet_error = reading.go_error();
    let helper_error = helper_errors.first();
    let use_helper = match (kubelet_error, helper_error) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(p), Some((at, ..))) => !p.stops_go() && *at < problem_span(p).start,
    };
    if use_helper {
        let (_, field, expected) = helper_error?;
        return Some(ConfigError::Shape {
            path: path.to_string(),
            field: field.clone(),
            expected,
        });
    }
    let server = |entry: usize| {
        reading
            .registries
            .get(entry)
            .map(|e| e.registry(doc).to_string())
            .unwrap_or_default()
    };
    Some(match kubelet_error? {
        Problem::WrongType {
            path: FieldPath::Root,
            ..
        } => ConfigError::Shape {
            path: path.to_string(),
            field: "the top level".to_string(),
            expected: "a JSON object",
        },
        Problem::WrongType {
            path: at, expected, ..
        } => ConfigError::Shape {
            path: path.to_string(),
            field: field_name(at),
            expected,
        },
        Problem::AuthNotBase64 { entry, error, .. } => ConfigError::AuthUndecodable {
            path: path.to_string(),
            server: server(*entry),
            detail: error.to_string(),
        },
        Problem::AuthNoColon {
            entry, decoded_len, ..
        } => ConfigError::AuthNoColon {
            path: path.to_string(),
            server: server(*entry),
            len: *decoded_len,
        },
    })
}

fn problem_span(problem: &Problem) -> &Range<usize> {
    match problem {
        Problem::WrongType { span, .. }
        | Problem::AuthNotBase64 { span, .. }
        | Problem::AuthNoColon { span, .. } => span,
    }
}

/// A field's path as a user finds it in the file.
fn field_name(path: &FieldPath) -> String {
    match path {
        FieldPath::Root => "the top level".to_string(),
        FieldPath::Auths => "auths".to_string(),
        FieldPath::HttpHeaders => "HttpHeaders".to_string(),
        FieldPath::HttpHeader { name } => format!("HttpHeaders.{name:?}"),
        FieldPath::Entry { registry } => format!("auths.{registry:?}"),
        FieldPath::EntryField { registry, field } => format!("auths.{registry:?}.{field}"),
    }
}

/// What an entry the kubelet accepted gives: its credentials (a non-empty
/// `auth` wins), or nothing when the password lives elsewhere.
fn entry_state(doc: &Document, entry: &kubelet::RegistryEntry) -> EntryState {
    let Some(credentials) = entry.credentials(doc) else {
        return EntryState::Empty;
    };
    let usable = credentials.from_auth
        || (!credentials.username.is_empty() && !credentials.password.is_empty());
    if !usable {
        return EntryState::Empty;
    }
    let email = Field::text_of(&entry.email, doc);
    EntryState::Usable(Credential::new(
        credentials.username.clone(),
        credentials.password.clone(),
        email.as_bytes().to_vec(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &[u8]) -> Result<ConfigFile, ConfigError> {
        ConfigFile::parse(Path::new("c.json"), Zeroizing::new(s.to_vec()))
    }

    #[test]
    fn reads_entries_case_insensitively() {
        let f =
            parse(br#"{"AUTHS":{"r.io":{"Auth":"dTpw"},"s.io":{}},"credsStore":"pass"}"#).unwrap();
        assert_eq!(f.auths.len(), 2);
        match &f.auths[0].state {
            EntryState::Usable(c) => assert_eq!(&*c.auth_text(), b"u:p"),
            EntryState::Empty => panic!("r.io should be usable"),
        }
        assert!(matches!(f.auths[1].state, EntryState::Empty));
        assert_eq!(f.creds_store.as_deref(), Some("pass"));
    }

    #[test]
    fn errors_say_where() {
        match parse(b"{\n  \"auths\": {,}\n}") {
            Err(ConfigError::Syntax { line, column, .. }) => assert_eq!((line, column), (2, 13)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse(b"  \n"), Err(ConfigError::Empty { .. })));
        assert!(matches!(parse(b"[]"), Err(ConfigError::Shape { .. })));
        assert!(matches!(
            parse(br#"{"auths":{"r":{"auth":"dTpw!"}}}"#),
            Err(ConfigError::AuthUndecodable { .. })
        ));
        assert!(matches!(
            parse(br#"{"auths":{"r":{"auth":"dXNlcg=="}}}"#),
            Err(ConfigError::AuthNoColon { len: 4, .. })
        ));
    }

    #[test]
    fn reads_as_go_does() {
        // Case variants of `auths` decode into one map; `null` clears it.
        let f = parse(br#"{"auths":{"a.io":{"auth":"dTpw"}},"Auths":{"b.io":{"auth":"dTpw"}}}"#)
            .unwrap();
        let servers: Vec<&str> = f.auths.iter().map(|a| a.server.as_str()).collect();
        assert_eq!(servers, ["a.io", "b.io"]);
        let f = parse(br#"{"auths":{"a.io":{"auth":"dTpw"}},"AUTHS":null}"#).unwrap();
        assert!(f.auths.is_empty());
        // A null field leaves the earlier value; a lone surrogate is U+FFFD.
        let f = parse(br#"{"auths":{"r\ud800":{"username":"u","password":"p","password":null}}}"#)
            .unwrap();
        assert_eq!(f.auths[0].server, "r\u{fffd}");
        assert!(matches!(f.auths[0].state, EntryState::Usable(_)));
        // An undecodable entry stops Go even when a later duplicate replaces it.
        assert!(matches!(
            parse(br#"{"auths":{"r":{"auth":"dTpw!"},"r":{"auth":"dTpw"}}}"#),
            Err(ConfigError::AuthUndecodable { .. })
        ));
    }

    #[test]
    fn docker_fields_and_error_order() {
        let f = parse(br#"{"credHelpers":{"a.io":"x","a.io":"y"},"CREDSSTORE":"pass"}"#).unwrap();
        assert_eq!(
            f.cred_helpers.last(),
            Some(&("a.io".to_string(), "y".to_string()))
        );
        assert_eq!(f.creds_store.as_deref(), Some("pass"));
        // Type errors: the first in the document, unless an entry stops Go.
        let shape = |s: &[u8]| match parse(s) {
            Err(ConfigError::Shape { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(shape(br#"{"credsStore":1,"auths":[]}"#), "credsStore");
        assert_eq!(shape(br#"{"auths":[],"credsStore":1}"#), "auths");
        assert_eq!(
            shape(br#"{"credsStore":1,"auths":{"r":{"auth":2}}}"#),
            "auths.\"r\".auth"
        );
        assert_eq!(shape(br#"{"credHelpers":{"h":null}}"#), "credHelpers.\"h\"");
        assert_eq!(shape(br#"{"HttpHeaders":{"X":1}}"#), "HttpHeaders.\"X\"");
        match parse(b"{} x") {
            Err(ConfigError::Syntax { reason, column, .. }) => {
                assert_eq!(column, 4);
                assert!(reason.contains("trailing characters"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}
