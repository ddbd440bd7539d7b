//! Choosing the credentials that go into a Secret: merging several config
//! files, keeping only `--registry` matches, and asking credential helpers.

use zeroize::Zeroizing;

use super::config::{ConfigFile, EntryState};
use super::helper::{self, HelperError};
use super::registry::{hostname, match_key};
use super::Credential;

/// What the caller asked for.
#[derive(Debug, Default)]
pub struct Request<'a> {
    pub registries: &'a [String],
    pub resolve_helpers: bool,
    /// A registry in two files with different credentials takes the later
    /// file's instead of being an error.
    pub later_wins: bool,
    /// Never hand back the file's bytes verbatim (the caller needs entries).
    pub force_rewrite: bool,
}

/// The selected credentials. `Debug` shows no secret.
pub enum Selection {
    /// One file, nothing filtered or resolved: its bytes go in verbatim, as
    /// `kubectl create secret docker-registry --from-file` would store them.
    Verbatim {
        bytes: Zeroizing<Vec<u8>>,
        servers: Vec<String>,
    },
    /// Rewritten in kubectl's style.
    Entries(Vec<(Vec<u8>, Credential)>),
}

impl std::fmt::Debug for Selection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selection::Verbatim { bytes, servers } => f
                .debug_struct("Verbatim")
                .field("bytes", &format_args!("<{} bytes>", bytes.len()))
                .field("servers", servers)
                .finish(),
            Selection::Entries(e) => f.debug_tuple("Entries").field(e).finish(),
        }
    }
}

impl Selection {
    /// The registries the Secret will carry.
    pub fn servers(&self) -> Vec<String> {
        match self {
            Selection::Verbatim { servers, .. } => servers.clone(),
            Selection::Entries(e) => e
                .iter()
                .map(|(s, _)| String::from_utf8_lossy(s).into_owned())
                .collect(),
        }
    }
}

/// What the selection found wrong. The caller adds what to do in its own
/// terms (`crate::create::configs`) to `Nothing`, `NeedsHelper` and `Conflict`.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error("{files}: no credentials at all (no \"auths\" entries)")]
    Nothing { files: String },
    #[error("{files}: no usable credentials for {registries}: the entries are empty because the secret lives in a credential helper (credsStore/credHelpers) or is an identity token")]
    NeedsHelper { files: String, registries: String },
    #[error("{registry:?} is in both {first} and {second} with different credentials")]
    Conflict {
        registry: String,
        first: String,
        second: String,
    },
    #[error("no credentials for registry {registry:?} in {files} (it has: {available}); check the name or run `docker login {registry}`")]
    RegistryNotFound {
        registry: String,
        files: String,
        available: String,
    },
    #[error("no credentials for {registry:?} in {files} and no credential helper configured for it (credsStore/credHelpers)")]
    NoHelper { registry: String, files: String },
    #[error(transparent)]
    Helper(#[from] HelperError),
}

/// One merged entry: where it came from and what it holds.
struct Merged {
    server: String,
    file: usize,
    credential: Option<Credential>,
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn file_list(files: &[ConfigFile]) -> String {
    files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The helper Docker would ask for `server`: `credHelpers[host]`, else
/// `credsStore`, the later file winning.
fn helper_for(files: &[ConfigFile], server: &str) -> Option<String> {
    let host = hostname(server);
    let specific = files.iter().rev().find_map(|f| {
        f.cred_helpers
            .iter()
            .rev()
            .find(|(h, _)| h == host)
            .map(|(_, name)| name.clone())
    });
    specific.or_else(|| files.iter().rev().find_map(|f| f.creds_store.clone()))
}

fn merge(files: &[ConfigFile], later_wins: bool) -> Result<Vec<Merged>, SelectError> {
    let mut merged: Vec<Merged> = Vec::new();
    for (index, file) in files.iter().enumerate() {
        for entry in &file.auths {
            let credential = match &entry.state {
                EntryState::Usable(c) => Some(c.clone()),
                EntryState::Empty => None,
            };
            match merged.iter_mut().find(|m| m.server == entry.server) {
                None => merged.push(Merged {
                    server: entry.server.clone(),
                    file: index,
                    credential,
                }),
                Some(existing) => match (&existing.credential, credential) {
                    (_, None) => {}
                    (None, Some(c)) => {
                        existing.credential = Some(c);
                        existing.file = index;
                    }
                    (Some(old), Some(new)) if *old == new => {}
                    (Some(_), Some(new)) => {
                        if !later_wins {
                            return Err(SelectError::Conflict {
                                registry: entry.server.clone(),
                                first: files[existing.file].path.display().to_string(),
                                second: file.path.display().to_string(),
                            });
                        }
                        existing.credential = Some(new);
                        existing.file = index;
                    }
                },
            }
        }
    }
    Ok(merged)
}

/// Applies `request` to `files` (at least one).
pub fn select(files: &[ConfigFile], request: &Request<'_>) -> Result<Selection, SelectError> {
    let names = file_list(files);
    let mut merged = merge(files, request.later_wins)?;

    if request.resolve_helpers && request.registries.is_empty() {
        // Docker also lists the registries of credHelpers as logged in.
        for file in files {
            for (host, _) in &file.cred_helpers {
                if !merged
                    .iter()
                    .any(|m| match_key(&m.server) == match_key(host))
                {
                    merged.push(Merged {
                        server: host.clone(),
                        file: 0,
                        credential: None,
                    });
                }
            }
        }
    }

    let filtered = !request.registries.is_empty();
    if filtered {
        let mut kept = Vec::new();
        for wanted in request.registries {
            let key = match_key(wanted);
            let before = kept.len();
            let mut rest = Vec::new();
            for m in merged.drain(..) {
                if match_key(&m.server) == key {
                    kept.push(m);
                } else {
                    rest.push(m);
                }
            }
            merged = rest;
            let already = kept.iter().any(|m: &Merged| match_key(&m.server) == key);
            if kept.len() == before && !already {
                if request.resolve_helpers && helper_for(files, wanted).is_some() {
                    kept.push(Merged {
                        server: wanted.clone(),
                        file: 0,
                        credential: None,
                    });
                } else {
                    let available = list(
                        files
                            .iter()
                            .flat_map(|f| f.auths.iter().map(|a| a.server.clone())),
                    );
                    return Err(SelectError::RegistryNotFound {
                        registry: wanted.clone(),
                        files: names,
                        available: if available.is_empty() {
                            "nothing".to_string()
                        } else {
                            available
                        },
                    });
                }
            }
        }
        merged = kept;
    }

    if merged.is_empty() {
        return Err(SelectError::Nothing { files: names });
    }

    let empty: Vec<String> = merged
        .iter()
        .filter(|m| m.credential.is_none())
        .map(|m| m.server.clone())
        .collect();
    if !empty.is_empty() && !request.resolve_helpers {
        return Err(SelectError::NeedsHelper {
            files: names,
            registries: list(empty),
        });
    }

    if files.len() == 1 && !filtered && empty.is_empty() && !request.force_rewrite {
        if let Some(file) = files.first() {
            return Ok(Selection::Verbatim {
                bytes: file.bytes.clone(),
                servers: merged.into_iter().map(|m| m.server).collect(),
            });
        }
    }

    let mut entries = Vec::with_capacity(merged.len());
    for m in merged {
        let credential = match m.credential {
            Some(c) => c,
            None => {
                let Some(name) = helper_for(files, &m.server) else {
                    return Err(SelectError::NoHelper {
                        registry: m.server,
                        files: names,
                    });
                };
                helper::get(&name, &m.server)?
            }
        };
        entries.push((m.server.into_bytes(), credential));
    }
    Ok(Selection::Entries(entries))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn file(name: &str, json: &str) -> ConfigFile {
        ConfigFile::parse(Path::new(name), Zeroizing::new(json.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn single_file_is_verbatim() {
        let f = file("a", r#"{"auths":{"r.io":{"auth":"dTpw"}}}"#);
        let s = select(std::slice::from_ref(&f), &Request::default()).unwrap();
        assert!(matches!(s, Selection::Verbatim { .. }));
    }

    #[test]
    fn filter_and_merge() {
        let a = file(
            "a",
            r#"{"auths":{"r.io":{"auth":"dTpw"},"https://index.docker.io/v1/":{"auth":"dTpx"}}}"#,
        );
        let b = file("b", r#"{"auths":{"r.io":{"auth":"dTpy"}}}"#);
        let files = [a, b];
        assert!(matches!(
            select(&files, &Request::default()),
            Err(SelectError::Conflict { .. })
        ));
        let regs = vec!["docker.io".to_string()];
        let r = Request {
            registries: &regs,
            ..Request::default()
        };
        let s = select(&files[..1], &r).unwrap();
        assert_eq!(s.servers(), vec!["https://index.docker.io/v1/".to_string()]);
        let r = Request {
            later_wins: true,
            ..Request::default()
        };
        match select(&files, &r).unwrap() {
            Selection::Entries(e) => {
                let r = e.iter().find(|(s, _)| s == b"r.io").unwrap();
                assert_eq!(&*r.1.password, b"r");
            }
            Selection::Verbatim { .. } => panic!("merge must rewrite"),
        }
    }

    #[test]
    fn empty_entries_need_helpers() {
        let f = file("a", r#"{"auths":{"r.io":{}},"credsStore":"x"}"#);
        assert!(matches!(
            select(std::slice::from_ref(&f), &Request::default()),
            Err(SelectError::NeedsHelper { .. })
        ));
        let regs = vec!["q.io".to_string()];
        let r = Request {
            registries: &regs,
            ..Request::default()
        };
        assert!(matches!(
            select(std::slice::from_ref(&f), &r),
            Err(SelectError::RegistryNotFound { .. })
        ));
    }
}
