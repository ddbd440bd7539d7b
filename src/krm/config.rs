//! The `PullSecret` generator config (`apiVersion: regcred.dev/v1`), read by
//! both the legacy exec plugin and the KRM function, and turned into the
//! `create` request that produces the same Secret (`super::generator`).
//!
//! ```yaml
//! apiVersion: regcred.dev/v1
//! kind: PullSecret
//! metadata:
//!   name: regcred            # the Secret's name
//!   namespace: apps          # optional
//! spec:
//!   configFiles: [docker/config.json]      # or server + username + passwordFrom
//!   registries: [registry.example.com]     # optional filter
//!   type: dockerconfigjson                 # or dockercfg
//!   hashSuffix: true                       # default (false when sealing)
//!   seal:                                  # optional: a SealedSecret instead
//!     certificate: sealed-secrets.pem      # `kubeseal --fetch-cert` output
//!     scope: strict                        # or namespace-wide, cluster-wide
//! ```

use std::path::PathBuf;

use super::node::Node;
/// `spec.seal`: print the SealedSecret `kubeseal --cert` would write (the
/// certificate relative to the kustomization directory).
pub use crate::create::Seal;
use crate::dockercfg::payload::PayloadKind;
use crate::seal::Scope;

pub const API_VERSION: &str = "regcred.dev/v1";
pub const KIND: &str = "PullSecret";
/// The annotation that asks kustomize to append its content hash to the
/// name and rewrite every reference to it.
pub const NEEDS_HASH: &str = "kustomize.config.k8s.io/needs-hash";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
}

fn invalid(msg: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(msg.into())
}

/// Where the password comes from: never the config itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordFrom {
    Env(String),
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    ConfigFiles(Vec<PathBuf>),
    Credentials {
        server: Option<String>,
        username: String,
        password: PasswordFrom,
        email: Option<String>,
    },
}

/// A checked `PullSecret` config. Paths are as written (relative to the
/// kustomization directory, the request's root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullSecret {
    pub name: String,
    pub namespace: Option<String>,
    pub source: Source,
    pub registries: Vec<String>,
    pub resolve_helpers: bool,
    pub prefer_later: bool,
    pub for_paths: Vec<PathBuf>,
    pub secret_type: PayloadKind,
    pub hash_suffix: bool,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub seal: Option<Seal>,
}

const SPEC_FIELDS: &[&str] = &[
    "configFiles",
    "server",
    "username",
    "passwordFrom",
    "email",
    "registries",
    "resolveHelpers",
    "preferLater",
    "for",
    "type",
    "hashSuffix",
    "labels",
    "annotations",
    "seal",
];

const SEAL_FIELDS: &[&str] = &["certificate", "scope"];

fn string(node: &Node, field: &str) -> Result<String, ConfigError> {
    match node {
        Node::Scalar(s) if !node.is_null() => Ok(s.text.clone()),
        _ => Err(invalid(format!("spec.{field} must be a string"))),
    }
}

fn strings(node: &Node, field: &str) -> Result<Vec<String>, ConfigError> {
    let items = node
        .items()
        .ok_or_else(|| invalid(format!("spec.{field} must be a list of strings")))?;
    items
        .iter()
        .map(|i| string(i, field))
        .collect::<Result<Vec<_>, _>>()
}

fn boolean(node: &Node, field: &str) -> Result<bool, ConfigError> {
    match node {
        Node::Scalar(s) if s.plain && s.text == "true" => Ok(true),
        Node::Scalar(s) if s.plain && s.text == "false" => Ok(false),
        _ => Err(invalid(format!("spec.{field} must be true or false"))),
    }
}

fn string_map(node: &Node, field: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let entries = node
        .entries()
        .ok_or_else(|| invalid(format!("{field} must be a map of strings")))?;
    entries
        .iter()
        .map(|(k, v)| Ok((k.clone(), string(v, &format!("{field}.{k}"))?)))
        .collect()
}

fn password_from(text: &str) -> Result<PasswordFrom, ConfigError> {
    if let Some(var) = text.strip_prefix("env:") {
        if var.is_empty() || var.contains('=') || var.contains('\0') {
            return Err(invalid(format!(
                "spec.passwordFrom: {var:?} is not an environment variable name"
            )));
        }
        return Ok(PasswordFrom::Env(var.to_string()));
    }
    if let Some(path) = text.strip_prefix("file:") {
        if path.is_empty() {
            return Err(invalid("spec.passwordFrom: file: needs a path"));
        }
        return Ok(PasswordFrom::File(PathBuf::from(path)));
    }
    // Say neither the value nor its length: it may be the password itself.
    Err(invalid(
        "spec.passwordFrom must be env:VARIABLE or file:PATH (the password itself never goes in the config)",
    ))
}

fn seal(node: &Node) -> Result<Seal, ConfigError> {
    let entries = node
        .entries()
        .ok_or_else(|| invalid("spec.seal must be a mapping with certificate (and scope)"))?;
    for (k, _) in entries {
        if !SEAL_FIELDS.contains(&k.as_str()) {
            return Err(invalid(format!(
                "unknown field spec.seal.{k}; known fields: {}",
                SEAL_FIELDS.join(", ")
            )));
        }
    }
    let get = |f: &str| node.get(f).filter(|n| !n.is_null());
    let certificate = get("certificate")
        .map(|n| string(n, "seal.certificate"))
        .transpose()?
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            invalid("spec.seal.certificate is required: the PEM `kubeseal --fetch-cert` prints, relative to the kustomization")
        })?;
    let scope = match get("scope").map(|n| string(n, "seal.scope")).transpose()? {
        None => Scope::Strict,
        Some(text) => [Scope::Strict, Scope::NamespaceWide, Scope::ClusterWide]
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                invalid(format!(
                    "spec.seal.scope {text:?} is not strict, namespace-wide or cluster-wide"
                ))
            })?,
    };
    Ok(Seal {
        certificate: PathBuf::from(certificate),
        scope,
    })
}

impl PullSecret {
    /// Checks a config document. Errors name the field and what to write.
    pub fn from_node(doc: &Node) -> Result<PullSecret, ConfigError> {
        let api = doc.get("apiVersion").and_then(Node::as_str).unwrap_or("");
        let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
        if api != API_VERSION || kind != KIND {
            return Err(invalid(format!(
                "expected apiVersion {API_VERSION} and kind {KIND}, found {api:?} and {kind:?}"
            )));
        }
        let name = doc
            .at(&["metadata", "name"])
            .and_then(Node::as_str)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| invalid("metadata.name (the Secret's name) is required"))?
            .to_string();
        let namespace = match doc.at(&["metadata", "namespace"]) {
            None => None,
            Some(n) if n.is_null() => None,
            Some(n) => Some(
                n.as_str()
                    .ok_or_else(|| invalid("metadata.namespace must be a string"))?
                    .to_string(),
            ),
        };
        let empty = Node::Mapping(Vec::new());
        let spec = match doc.get("spec") {
            None => &empty,
            Some(s) if s.is_null() => &empty,
            Some(s) => s,
        };
        let entries = spec
            .entries()
            .ok_or_else(|| invalid("spec must be a mapping"))?;
        for (k, _) in entries {
            if k == "password" {
                return Err(invalid(
                    "spec.password is not allowed: a password in a config file ends up in git; use passwordFrom: env:VARIABLE or passwordFrom: file:PATH",
                ));
            }
            if !SPEC_FIELDS.contains(&k.as_str()) {
                return Err(invalid(format!(
                    "unknown field spec.{k}; known fields: {}",
                    SPEC_FIELDS.join(", ")
                )));
            }
        }
        let get = |f: &str| spec.get(f).filter(|n| !n.is_null());

        let config_files = get("configFiles")
            .map(|n| strings(n, "configFiles"))
            .transpose()?;
        let server = get("server").map(|n| string(n, "server")).transpose()?;
        let username = get("username").map(|n| string(n, "username")).transpose()?;
        let password = get("passwordFrom")
            .map(|n| string(n, "passwordFrom").and_then(|t| password_from(&t)))
            .transpose()?;
        let email = get("email").map(|n| string(n, "email")).transpose()?;

        let source = match config_files {
            Some(files) => {
                if server.is_some() || username.is_some() || password.is_some() || email.is_some() {
                    return Err(invalid(
                        "spec.configFiles cannot be combined with server, username, passwordFrom or email",
                    ));
                }
                if files.is_empty() {
                    return Err(invalid("spec.configFiles is empty"));
                }
                Source::ConfigFiles(files.into_iter().map(PathBuf::from).collect())
            }
            None => {
                let (Some(username), Some(password)) = (username, password) else {
                    return Err(invalid(
                        "no credentials: give spec.configFiles, or spec.username with spec.passwordFrom (and spec.server unless it is Docker Hub)",
                    ));
                };
                Source::Credentials {
                    server,
                    username,
                    password,
                    email,
                }
            }
        };

        let secret_type = match get("type").map(|n| string(n, "type")).transpose()? {
            None => PayloadKind::DockerConfigJson,
            Some(t) if t == "dockerconfigjson" || t == "kubernetes.io/dockerconfigjson" => {
                PayloadKind::DockerConfigJson
            }
            Some(t) if t == "dockercfg" || t == "kubernetes.io/dockercfg" => PayloadKind::DockerCfg,
            Some(t) => {
                return Err(invalid(format!(
                    "spec.type {t:?} is not dockerconfigjson or dockercfg"
                )))
            }
        };
        if get("for").is_some() && !matches!(source, Source::ConfigFiles(_)) {
            return Err(invalid(
                "spec.for picks registries from spec.configFiles; with server and username there is only one registry",
            ));
        }
        let flag = |f: &str| get(f).map(|n| boolean(n, f)).transpose();
        let seal = get("seal").map(seal).transpose()?;
        let hash_suffix = flag("hashSuffix")?;
        if seal.is_some() && hash_suffix == Some(true) {
            return Err(invalid(
                "spec.hashSuffix: true cannot be combined with spec.seal: kustomize would rename the SealedSecret after it is sealed, the controller could not unseal it under the new name, and references to it would not be rewritten",
            ));
        }
        Ok(PullSecret {
            name,
            namespace,
            source,
            registries: get("registries")
                .map(|n| strings(n, "registries"))
                .transpose()?
                .unwrap_or_default(),
            resolve_helpers: flag("resolveHelpers")?.unwrap_or(false),
            prefer_later: flag("preferLater")?.unwrap_or(false),
            for_paths: get("for")
                .map(|n| strings(n, "for"))
                .transpose()?
                .unwrap_or_default()
                .into_iter()
                .map(PathBuf::from)
                .collect(),
            secret_type,
            hash_suffix: hash_suffix.unwrap_or(seal.is_none()),
            labels: get("labels")
                .map(|n| string_map(n, "spec.labels"))
                .transpose()?
                .unwrap_or_default(),
            annotations: get("annotations")
                .map(|n| string_map(n, "spec.annotations"))
                .transpose()?
                .unwrap_or_default(),
            seal,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::krm::node::parse;

    fn config(spec: &str) -> Result<PullSecret, ConfigError> {
        let doc = format!(
            "apiVersion: regcred.dev/v1\nkind: PullSecret\nmetadata:\n  name: regcred\nspec:\n{spec}"
        );
        PullSecret::from_node(&parse(&doc).unwrap())
    }

    fn message(r: Result<PullSecret, ConfigError>) -> String {
        match r {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn seal_is_read_without_a_hash_suffix() {
        let c = config("  username: u\n  passwordFrom: env:PW\n  seal:\n    certificate: certs/ss.pem\n    scope: namespace-wide\n").unwrap();
        assert_eq!(
            c.seal,
            Some(Seal {
                certificate: PathBuf::from("certs/ss.pem"),
                scope: Scope::NamespaceWide
            })
        );
        assert!(!c.hash_suffix);
        let c = config("  username: u\n  passwordFrom: env:PW\n  seal: {certificate: c.pem}\n")
            .unwrap();
        assert_eq!(c.seal.map(|s| s.scope), Some(Scope::Strict));
        for (spec, expected) in [
            (
                "  seal: {certificate: c.pem}\n  hashSuffix: true\n",
                "cannot be combined with spec.seal",
            ),
            (
                "  seal: {scope: strict}\n",
                "spec.seal.certificate is required",
            ),
            (
                "  seal: {certificate: c.pem, scope: wide}\n",
                "spec.seal.scope \"wide\"",
            ),
            (
                "  seal: {certificate: c.pem, cert: x}\n",
                "unknown field spec.seal.cert",
            ),
            ("  seal: c.pem\n", "spec.seal must be a mapping"),
        ] {
            let m = message(config(&format!(
                "  username: u\n  passwordFrom: env:PW\n{spec}"
            )));
            assert!(m.contains(expected), "{spec}: {m}");
        }
    }

    #[test]
    fn refusals() {
        let m = message(config(
            "  server: r\n  username: u\n  password: hunter2-secret\n",
        ));
        assert!(m.contains("spec.password is not allowed"), "{m}");
        assert!(!m.contains("hunter2"), "{m}");
        let m = message(config("  username: u\n  passwordFrom: hunter2-secret\n"));
        assert!(
            m.contains("env:VARIABLE or file:PATH") && !m.contains("hunter2"),
            "{m}"
        );
        assert!(message(config("  usename: u\n")).contains("unknown field spec.usename"));
        assert!(
            message(config("  configFiles: [a]\n  username: u\n")).contains("cannot be combined")
        );
        assert!(message(config("  type: opaque\n  configFiles: [a]\n")).contains("spec.type"));
        assert!(
            message(config("  hashSuffix: \"yes\"\n  configFiles: [a]\n"))
                .contains("true or false")
        );
        assert!(message(config("  server: r\n")).contains("no credentials"));
        let c = config("  configFiles: [a]\n  for: [k8s/]\n").unwrap();
        assert_eq!(c.for_paths, [PathBuf::from("k8s/")]);
        let wrong =
            parse("apiVersion: example.com/v1\nkind: RegcredGenerator\nmetadata: {name: x}\n")
                .unwrap();
        assert!(PullSecret::from_node(&wrong)
            .unwrap_err()
            .to_string()
            .contains("expected apiVersion regcred.dev/v1"));
    }
}
