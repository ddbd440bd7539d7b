//! What `inspect` says about one pull secret: who it is, where its payload
//! sits, and per registry key what the kubelet reads from it. Lengths and
//! agreement only: no password, `auth` or token byte is kept here. Made by
//! the lint walk (`Linter::collecting_pull_secrets`), read by `inspect/`.

use serde::Serialize;

use crate::dockercfg::kubelet::{go_field_matches, AuthAgreement, Field, RegistryEntry};
use crate::gocompat::json_value::Document;
use crate::image::keyring::{self, Miss};
use crate::lint::index_parts::kubelet_keys;
use crate::lint::view::{PayloadFormat, PayloadOrigin, PullSecretView};
use crate::manifest::gitops_secret::{GitOpsKind, GitOpsSecretView};
use crate::manifest::secret::{
    Content, DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::{Node, ObjectId, SecretView};
use crate::seal::Scope;

/// One pull secret (a Secret, or a Docker config file) as `inspect` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullSecretSummary {
    /// The file as reports name it (`<stdin>` for stdin).
    pub path: String,
    /// 1-based line where the object (or the file) starts.
    pub line: usize,
    /// The Secret; `None` for a Docker config file.
    #[serde(skip)]
    pub object: Option<ObjectId>,
    /// `Secret`, `SealedSecret` or `ExternalSecret`; `None` for a Docker
    /// config file.
    pub kind: Option<&'static str>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The Secret's type as the API server defaults it; `None` for a file.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// The data key the payload is under (`.dockerconfigjson`), or the
    /// shape of a Docker config file.
    pub key: Option<&'static str>,
    /// `data`, `stringData`, `file`, or where a GitOps Secret's value
    /// lives (`encryptedData`, `external store`).
    pub source: Option<&'static str>,
    pub payload: PayloadState,
    /// The API server stores the payload and the kubelet reads it without
    /// error (else it gives up on the whole Secret: `problems` say why).
    pub kubelet_accepts: bool,
    pub registries: Vec<RegistrySummary>,
    /// The lint findings on this Secret, filled in after the walk.
    pub problems: Vec<Problem>,
    /// A SealedSecret's scope (`strict`, `namespace-wide`, `cluster-wide`,
    /// from its own annotations); `None` for anything else.
    pub seal_scope: Option<&'static str>,
    /// Why the controller cannot unseal it where it is deployed (a
    /// kustomization moves a strict or namespace-wide SealedSecret to
    /// another namespace), filled in by `inspect`.
    pub unseal_problem: Option<String>,
}

/// What became of the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PayloadState {
    /// Read: `registries` lists what the kubelet finds.
    Read { bytes: usize },
    /// Neither `.dockerconfigjson` nor `.dockercfg` is present.
    Missing,
    /// The value cannot be read from the file (not base64, not a string, a
    /// template or an encrypted value); `why` says which.
    Unreadable { why: String },
    /// The payload is not JSON.
    NotJson { why: String },
}

/// One `auths` key: as written, as the kubelet indexes it, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrySummary {
    /// The key as written.
    pub key: String,
    /// `host + path` under which the kubelet indexes the key; `None` when
    /// it skips the key (`skipped` says why).
    pub index_key: Option<String>,
    pub skipped: Option<String>,
    /// False when a later duplicate key (or `"auths": null`) replaced it.
    pub effective: bool,
    /// The username the kubelet sends (from `auth` when set, else the
    /// field); `None` when the entry cannot be decoded.
    pub user: Option<String>,
    /// The `username` field, when it has text.
    pub username_field: Option<String>,
    /// Lengths in bytes; `None` when absent or empty. Never the value.
    pub password_length: Option<usize>,
    pub auth_length: Option<usize>,
    pub identitytoken_length: Option<usize>,
    pub registrytoken_length: Option<usize>,
    /// Length of the password the kubelet sends.
    pub sent_password_length: Option<usize>,
    pub auth: AuthState,
    pub email: Option<String>,
}

/// `auth` against the `username` / `password` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthState {
    Absent,
    Undecodable,
    Agrees,
    UsernameDiffers,
    PasswordDiffers,
    BothDiffer,
}

impl From<AuthAgreement> for AuthState {
    fn from(a: AuthAgreement) -> Self {
        match a {
            AuthAgreement::NoAuth => AuthState::Absent,
            AuthAgreement::Undecodable => AuthState::Undecodable,
            AuthAgreement::Agrees => AuthState::Agrees,
            AuthAgreement::Differs {
                username: true,
                password: true,
            } => AuthState::BothDiffer,
            AuthAgreement::Differs { username: true, .. } => AuthState::UsernameDiffers,
            AuthAgreement::Differs { .. } => AuthState::PasswordDiffers,
        }
    }
}

impl PullSecretSummary {
    /// What is known of a pull secret at `path`:`line` before reading it: no
    /// object, no payload, no registries, no problems.
    fn unread(path: &str, line: usize) -> Self {
        PullSecretSummary {
            path: path.to_string(),
            line,
            object: None,
            kind: None,
            name: None,
            namespace: None,
            type_name: None,
            key: None,
            source: None,
            payload: PayloadState::Missing,
            kubelet_accepts: false,
            registries: Vec::new(),
            problems: Vec::new(),
            seal_scope: None,
            unseal_problem: None,
        }
    }

    /// Whether the kubelet uses its keys: a pull-secret type (or a Docker
    /// config file) whose payload it reads without error.
    pub fn kubelet_uses(&self) -> bool {
        let pull_type = match self.type_name.as_deref() {
            None => true,
            Some(t) => t == DOCKERCONFIGJSON_TYPE || t == DOCKERCFG_TYPE,
        };
        pull_type && self.kubelet_accepts
    }
}

/// A lint finding on the pull secret, by rule id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub rule: &'static str,
    pub level: &'static str,
    pub line: usize,
    pub message: String,
}

/// The Secret types and data keys that make a Secret a pull secret.
fn pull_secret_key(secret: &SecretView<'_>) -> Option<(&'static str, PayloadFormat)> {
    let by_type = match secret.type_name() {
        DOCKERCONFIGJSON_TYPE => Some((DOCKERCONFIGJSON_KEY, PayloadFormat::DockerConfigJson)),
        DOCKERCFG_TYPE => Some((DOCKERCFG_KEY, PayloadFormat::DockerCfg)),
        _ => None,
    };
    // A Secret of another type holding a pull-secret key is shown too (lint
    // says why the kubelet will not use it).
    by_type.or_else(|| {
        [
            (DOCKERCONFIGJSON_KEY, PayloadFormat::DockerConfigJson),
            (DOCKERCFG_KEY, PayloadFormat::DockerCfg),
        ]
        .into_iter()
        .find(|(key, _)| secret.effective(key).is_some())
    })
}

/// The summary of a Secret that is, or looks like, a pull secret.
pub fn of_secret(secret: &SecretView<'_>, path: &str, line: usize) -> Option<PullSecretSummary> {
    let (key, format) = pull_secret_key(secret)?;
    let id = &secret.object.id;
    let mut summary = PullSecretSummary {
        object: Some(id.clone()),
        kind: Some("Secret"),
        name: id.name.clone(),
        namespace: id.namespace.clone(),
        type_name: Some(secret.type_name().to_string()),
        key: Some(key),
        ..PullSecretSummary::unread(path, line)
    };
    let Some(value) = secret.effective(key) else {
        return Some(summary);
    };
    summary.source = Some(value.field.name());
    let origin = match value.field {
        crate::manifest::secret::Field::Data => PayloadOrigin::SecretData,
        crate::manifest::secret::Field::StringData => PayloadOrigin::SecretStringData,
    };
    match &value.content {
        Content::Bytes(bytes) => {
            let view = PullSecretView::new(bytes.expose(), format, origin);
            read_payload(&view, &mut summary);
        }
        Content::NotBase64(e) => {
            summary.payload = PayloadState::Unreadable {
                why: format!("the data value is not base64 ({e})"),
            }
        }
        Content::NotString => {
            summary.payload = PayloadState::Unreadable {
                why: "the value is not a string".into(),
            }
        }
        Content::Unknown => {
            summary.payload = PayloadState::Unreadable {
                why:
                    "the value is a template, an alias or encrypted: its content is not in the file"
                        .into(),
            }
        }
    }
    Some(summary)
}

/// The summary of a SealedSecret or ExternalSecret that becomes a pull
/// secret (by its template's type or a pull-secret key): who it is and its
/// problems; its registry keys cannot be read offline.
pub fn of_gitops_secret(
    view: &GitOpsSecretView<'_>,
    path: &str,
    line: usize,
) -> Option<PullSecretSummary> {
    let type_name = view.type_name();
    let by_type = match type_name {
        DOCKERCONFIGJSON_TYPE => Some(DOCKERCONFIGJSON_KEY),
        DOCKERCFG_TYPE => Some(DOCKERCFG_KEY),
        _ => None,
    };
    let key = by_type.or_else(|| {
        [DOCKERCONFIGJSON_KEY, DOCKERCFG_KEY]
            .into_iter()
            .find(|k| view.key(k).is_some())
    })?;
    let id = &view.object.id;
    let (source, why) = match view.kind {
        GitOpsKind::SealedSecret => (
            "encryptedData",
            "sealed: only the cluster's controller can decrypt it, so its registry keys cannot be read here",
        ),
        GitOpsKind::ExternalSecret => (
            "external store",
            "fetched from an external store when synced, so its registry keys cannot be read here",
        ),
    };
    // Keys known and the pull-secret key not among them: missing.
    let missing = view.keys.is_some() && view.key(key).is_none();
    Some(PullSecretSummary {
        object: Some(id.clone()),
        kind: Some(view.kind.describe()),
        name: id.name.clone(),
        namespace: id.namespace.clone(),
        type_name: Some(type_name.to_string()),
        key: Some(key),
        source: Some(source),
        payload: match missing {
            true => PayloadState::Missing,
            false => PayloadState::Unreadable { why: why.into() },
        },
        seal_scope: match view.kind {
            GitOpsKind::SealedSecret => Some(seal_scope(view).as_str()),
            GitOpsKind::ExternalSecret => None,
        },
        ..PullSecretSummary::unread(path, line)
    })
}

/// A SealedSecret's scope, from its own metadata's annotations.
pub fn seal_scope(view: &GitOpsSecretView<'_>) -> Scope {
    let annotations = view.object.node.path(&["metadata", "annotations"]);
    Scope::of_annotations(|key| annotations.and_then(|a| a.get(key)).and_then(Node::text))
}

/// The summary of a Docker config file (`config.json`, `.dockercfg`).
pub fn of_docker_config(view: &PullSecretView<'_>, path: &str) -> PullSecretSummary {
    let mut summary = PullSecretSummary {
        key: Some(view.format.key()),
        source: Some("file"),
        ..PullSecretSummary::unread(path, 1)
    };
    read_payload(view, &mut summary);
    summary
}

fn read_payload(view: &PullSecretView<'_>, summary: &mut PullSecretSummary) {
    let parsed = match view.parsed() {
        Ok(parsed) => parsed,
        Err(e) => {
            summary.payload = PayloadState::NotJson { why: e.to_string() };
            return;
        }
    };
    summary.payload = PayloadState::Read {
        bytes: view.payload.len(),
    };
    // The same reading as the index's (and so image-pull-secret-no-match's):
    // a payload the API server rejects never reaches the kubelet.
    summary.kubelet_accepts = matches!(kubelet_keys(view), Some((true, _)));
    summary.registries = parsed
        .kubelet
        .registries
        .iter()
        .map(|entry| registry(entry, &parsed.document))
        .collect();
}

/// Length in bytes of a field with text.
fn length(field: &Option<Field>, doc: &Document) -> Option<usize> {
    Some(Field::text_of(field, doc).len()).filter(|&n| n > 0)
}

/// Length of the last string member named `name` (as Go matches names).
fn member_length(doc: &Document, entry: &RegistryEntry, name: &str) -> Option<usize> {
    doc.members(entry.value(doc))
        .iter()
        .rev()
        .find(|m| go_field_matches(name, doc.key(m)))
        .and_then(|m| doc.as_str(m.value))
        .map(str::len)
        .filter(|&n| n > 0)
}

fn text(field: &Option<Field>, doc: &Document) -> Option<String> {
    Some(Field::text_of(field, doc).to_string()).filter(|t| !t.is_empty())
}

fn registry(entry: &RegistryEntry, doc: &Document) -> RegistrySummary {
    let (index_key, skipped) = match keyring::index_key(entry.registry(doc)) {
        Ok(k) => (Some(String::from_utf8_lossy(&k).into_owned()), None),
        Err(e) => (None, Some(Miss::KeyUnparsable(e).to_string())),
    };
    let credentials = entry.credentials(doc);
    let credentials = credentials.as_ref();
    RegistrySummary {
        key: entry.registry(doc).to_string(),
        index_key,
        skipped,
        effective: entry.effective,
        user: credentials.map(|c| String::from_utf8_lossy(&c.username).into_owned()),
        username_field: text(&entry.username, doc),
        password_length: length(&entry.password, doc),
        auth_length: length(&entry.auth, doc),
        identitytoken_length: member_length(doc, entry, "identitytoken"),
        registrytoken_length: member_length(doc, entry, "registrytoken"),
        sent_password_length: credentials.map(|c| c.password.len()),
        auth: entry.auth_agreement(doc).into(),
        email: text(&entry.email, doc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(payload: &str) -> PullSecretSummary {
        let view = PullSecretView::new(
            payload.as_bytes(),
            PayloadFormat::DockerConfigJson,
            PayloadOrigin::File,
        );
        of_docker_config(&view, "config.json")
    }

    #[test]
    fn lengths_and_agreement_never_values() {
        // "dTpw" is "u:p".
        let s = summary(
            r#"{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"SECRETPASS","auth":"dTpw","email":"a@b.c","identitytoken":"TOKEN"}}}"#,
        );
        let r = &s.registries[0];
        assert_eq!(r.index_key.as_deref(), Some("index.docker.io"));
        assert_eq!(r.user.as_deref(), Some("u"));
        assert_eq!(r.password_length, Some(10));
        assert_eq!(r.sent_password_length, Some(1));
        assert_eq!(r.auth_length, Some(4));
        assert_eq!(r.identitytoken_length, Some(5));
        assert_eq!(r.auth, AuthState::PasswordDiffers);
        assert_eq!(r.email.as_deref(), Some("a@b.c"));
        let shown = format!("{s:?} {}", serde_json::to_string(&s).unwrap_or_default());
        assert!(
            !shown.contains("SECRETPASS") && !shown.contains("dTpw") && !shown.contains("TOKEN")
        );
    }

    #[test]
    fn skipped_keys_and_bad_payloads_say_why() {
        let s = summary(r#"{"auths":{"reg.io:abc":{"auth":"!"}}}"#);
        let r = &s.registries[0];
        assert_eq!(r.index_key, None);
        assert!(r
            .skipped
            .as_deref()
            .is_some_and(|w| w.contains("ignores it")));
        assert_eq!(r.auth, AuthState::Undecodable);
        assert_eq!(r.user, None);
        let s = summary("{");
        assert!(matches!(s.payload, PayloadState::NotJson { .. }));
    }
}
