//! Reading one Docker `config.json` as Docker and the kubelet read it.
//!
//! Go's `encoding/json` matches field names case-insensitively (`Auths`,
//! `USERNAME` work) with the last occurrence winning, and replaces each
//! invalid UTF-8 byte inside strings with U+FFFD: this reader does the same.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::Credential;
use crate::gocompat::base64;

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
        source: std::io::Error,
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
    #[error("{path}: the auth of {server:?} cannot be decoded by the kubelet ({detail}); log in again or use --docker-username/--docker-password-stdin")]
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

/// Go's lossy string conversion: one U+FFFD per invalid byte.
fn go_lossy_utf8(bytes: &[u8]) -> Zeroizing<String> {
    let mut s = Zeroizing::new(String::with_capacity(bytes.len()));
    for chunk in bytes.utf8_chunks() {
        s.push_str(chunk.valid());
        for _ in chunk.invalid() {
            s.push('\u{fffd}');
        }
    }
    s
}

/// The values of `obj` whose keys equal `name` ignoring ASCII case; Go's
/// decoder assigns each in turn, so the last one wins.
fn field<'a>(obj: &'a mut Map<String, Value>, name: &str) -> Option<&'a mut Value> {
    obj.iter_mut()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .last()
        .map(|(_, v)| v)
}

impl ConfigFile {
    /// Reads and checks `path`.
    pub fn read(path: &Path) -> Result<ConfigFile, ConfigError> {
        let shown = path.display().to_string();
        if path.is_dir() {
            return Err(ConfigError::Directory { path: shown });
        }
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        Self::parse(path, Zeroizing::new(bytes))
    }

    /// Parses config bytes that came from `path`.
    pub fn parse(path: &Path, bytes: Zeroizing<Vec<u8>>) -> Result<ConfigFile, ConfigError> {
        let shown = path.display().to_string();
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ConfigError::Empty { path: shown });
        }
        if bytes.starts_with(b"\xef\xbb\xbf") {
            return Err(ConfigError::ByteOrderMark { path: shown });
        }
        let text = go_lossy_utf8(&bytes);
        let mut value: Value = serde_json::from_str(&text).map_err(|e| {
            let full = e.to_string();
            let reason = match full.rfind(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            ConfigError::Syntax {
                path: shown.clone(),
                line: e.line(),
                column: e.column(),
                reason,
            }
        })?;
        let shape = |field: &str, expected| ConfigError::Shape {
            path: shown.clone(),
            field: field.to_string(),
            expected,
        };
        let mut file = ConfigFile {
            path: path.to_path_buf(),
            bytes,
            auths: Vec::new(),
            creds_store: None,
            cred_helpers: Vec::new(),
        };
        let root = match &mut value {
            // Go decodes `null` into an empty config.
            Value::Null => return Ok(file),
            Value::Object(map) => map,
            _ => return Err(shape("the top level", "a JSON object")),
        };
        match field(root, "credsStore") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => file.creds_store = Some(s.clone()).filter(|s| !s.is_empty()),
            Some(_) => return Err(shape("credsStore", "a string")),
        }
        match field(root, "credHelpers") {
            None | Some(Value::Null) => {}
            Some(Value::Object(helpers)) => {
                for (host, helper) in helpers.iter() {
                    match helper {
                        Value::String(h) => file.cred_helpers.push((host.clone(), h.clone())),
                        _ => return Err(shape(&format!("credHelpers.{host:?}"), "a string")),
                    }
                }
            }
            Some(_) => return Err(shape("credHelpers", "an object")),
        }
        match field(root, "auths") {
            None | Some(Value::Null) => {}
            Some(Value::Object(auths)) => {
                for (server, entry) in auths.iter_mut() {
                    let state = entry_state(&shown, server, entry)?;
                    file.auths.push(AuthEntry {
                        server: server.clone(),
                        state,
                    });
                }
            }
            Some(_) => return Err(shape("auths", "an object")),
        }
        Ok(file)
    }
}

/// Moves a string field out of an entry into a zeroizing buffer.
fn take_string(
    path: &str,
    server: &str,
    entry: &mut Map<String, Value>,
    name: &str,
) -> Result<Zeroizing<String>, ConfigError> {
    match field(entry, name) {
        None | Some(Value::Null) => Ok(Zeroizing::new(String::new())),
        Some(Value::String(s)) => Ok(Zeroizing::new(std::mem::take(s))),
        Some(_) => Err(ConfigError::Shape {
            path: path.to_string(),
            field: format!("auths.{server:?}.{name}"),
            expected: "a string",
        }),
    }
}

fn entry_state(path: &str, server: &str, entry: &mut Value) -> Result<EntryState, ConfigError> {
    let map = match entry {
        Value::Object(map) => map,
        Value::Null => return Ok(EntryState::Empty),
        _ => {
            return Err(ConfigError::Shape {
                path: path.to_string(),
                field: format!("auths.{server:?}"),
                expected: "an object",
            })
        }
    };
    let auth = take_string(path, server, map, "auth")?;
    let username = take_string(path, server, map, "username")?;
    let password = take_string(path, server, map, "password")?;
    let email = take_string(path, server, map, "email")?;
    if !auth.is_empty() {
        // The kubelet: a non-empty auth wins over username/password.
        let decoded = Zeroizing::new(base64::decode_auth_field(&auth).map_err(|e| {
            ConfigError::AuthUndecodable {
                path: path.to_string(),
                server: server.to_string(),
                detail: e.to_string(),
            }
        })?);
        let Some(colon) = decoded.iter().position(|&b| b == b':') else {
            return Err(ConfigError::AuthNoColon {
                path: path.to_string(),
                server: server.to_string(),
                len: decoded.len(),
            });
        };
        let user = decoded[..colon].to_vec();
        let pass = decoded[colon + 1..].to_vec();
        return Ok(EntryState::Usable(Credential::new(
            user,
            pass,
            email.as_bytes().to_vec(),
        )));
    }
    if !username.is_empty() && !password.is_empty() {
        return Ok(EntryState::Usable(Credential::new(
            username.as_bytes().to_vec(),
            password.as_bytes().to_vec(),
            email.as_bytes().to_vec(),
        )));
    }
    Ok(EntryState::Empty)
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
}
