//! Creating a pull Secret, byte for byte as
//! `kubectl create secret docker-registry NAME --dry-run=client -o yaml|json`
//! prints it (or the SealedSecret `kubeseal --cert` prints for it), from
//! credentials or Docker config files, validated first.
//!
//! Both `regcred create` (`cli/create.rs`) and the kustomize generator
//! (`krm/`) fill in a [`Request`] and call [`render`]: one use case, two
//! ways to ask for it. Messages name the request's parts in the caller's
//! [`Terms`] (a flag or a config field). Relative paths start at the
//! request's `root`, which the caller passes in.
//!
//! - [`metadata`]: the name, namespace, labels and annotations.
//! - [`credentials`]: one registry's credentials and where the password
//!   comes from.
//! - [`configs`]: Docker config files, the registries kept from them.
//! - [`for_workloads`]: the registries the workloads under `--for` paths
//!   pull from.

pub mod configs;
pub mod credentials;
pub mod for_workloads;
pub mod metadata;
pub mod terms;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::dockercfg::payload::PayloadKind;
use crate::generate::{self, Dialect, Secret};
use crate::seal::{self, Scope, SealedSecret, SealingKey};
pub use terms::{Field, Terms};

/// What went wrong, as one line for the user, in the caller's terms.
/// Never holds a secret.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CreateError(pub String);

impl CreateError {
    fn of(e: impl std::fmt::Display) -> CreateError {
        CreateError(e.to_string())
    }
}

/// Where the password comes from.
pub enum PasswordFrom {
    /// Standard input, one trailing newline removed.
    Stdin,
    /// A file (relative to the root), one trailing newline removed.
    File(PathBuf),
    /// An environment variable.
    Env(OsString),
    /// The password itself (the command line warns about it).
    Value(Zeroizing<Vec<u8>>),
}

/// One registry's credentials, as given (checked by [`render`]).
#[derive(Default)]
pub struct Credentials {
    /// The key of the auths entry (Docker Hub's when not given).
    pub server: Option<Vec<u8>>,
    pub username: Option<Vec<u8>>,
    pub email: Option<Vec<u8>>,
    pub password: Option<PasswordFrom>,
}

/// A Docker config file to take credentials from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// Standard input (it can be read once).
    Stdin,
    /// A file, relative to the root.
    File(PathBuf),
}

/// Print a SealedSecret instead, sealed with this certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    /// The PEM `kubeseal --fetch-cert` prints, relative to the root.
    pub certificate: PathBuf,
    pub scope: Scope,
}

/// How the Secret is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

/// Everything `create` needs: credentials or config files (not both), what
/// to keep of them, the Secret's metadata and how to print it.
pub struct Request<'a> {
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub kind: PayloadKind,
    pub credentials: Credentials,
    pub configs: Vec<ConfigSource>,
    /// Keep only these registries of the config files.
    pub registries: Vec<String>,
    /// Ask credential helpers for entries kept in one.
    pub resolve_helpers: bool,
    /// A registry in two files takes the later file's credentials.
    pub prefer_later: bool,
    /// Keep only the registries the workloads under these paths pull from.
    pub for_paths: Vec<PathBuf>,
    /// Append a hash of the content to the name, as kubectl --append-hash.
    pub append_hash: bool,
    pub seal: Option<Seal>,
    pub format: Format,
    pub dialect: Dialect,
    /// Where relative paths start (empty: where the process runs).
    pub root: &'a Path,
    pub terms: &'a dyn Terms,
}

impl Request<'_> {
    /// `path` resolved against the root.
    fn resolve(&self, path: &Path) -> PathBuf {
        self.root.join(path)
    }
}

/// Checks what needs no file: the name, namespace, labels and annotations.
/// [`render`] checks them first too; a caller that has its own checks to
/// make before any file is read (the command line's output file) calls
/// this before them.
pub fn check(request: &Request<'_>) -> Result<(), CreateError> {
    metadata::check(request)
}

/// The bytes `create` prints for `request`, validated, nothing written.
/// Warnings (which never hold a secret) are pushed to `warnings` as they
/// arise, also when an error follows.
pub fn render(
    request: &Request<'_>,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<Vec<u8>>, CreateError> {
    metadata::check(request)?;
    // Before any credential is read: a bad certificate fails first.
    let sealing = match &request.seal {
        Some(seal) => Some((
            SealingKey::read(&request.resolve(&seal.certificate)).map_err(CreateError::of)?,
            seal.scope,
        )),
        None => None,
    };
    let payload = if request.configs.is_empty() {
        credentials::payload(request, warnings)?
    } else {
        configs::payload(request, warnings)?
    };
    let mut secret = Secret {
        name: request.name.clone(),
        namespace: request.namespace.clone(),
        labels: request.labels.clone(),
        annotations: request.annotations.clone(),
        kind: request.kind,
        payload,
    };
    if request.append_hash {
        secret.append_hash();
    }
    if let Some((key, scope)) = &sealing {
        let sealed = SealedSecret::seal(&mut rsa::rand_core::OsRng, &secret, key, *scope)
            .map_err(CreateError::of)?;
        return Ok(Zeroizing::new(match request.format {
            Format::Yaml => seal::yaml::render(&sealed, request.dialect).into_bytes(),
            Format::Json => seal::json::render(&sealed, request.dialect),
        }));
    }
    Ok(Zeroizing::new(match request.format {
        Format::Yaml => generate::yaml::render(&secret, request.dialect).into_bytes(),
        Format::Json => generate::json::render(&secret, request.dialect),
    }))
}
