//! pull-secret-creds-store
//!
//! **What it checks.** Registry entries without credentials (`{}`) next to
//! `credsStore` or `credHelpers`: a Docker config copied from a machine
//! whose credentials live in a credential helper (Docker Desktop, `pass`,
//! `osxkeychain`, `ecr-login`...).
//!
//! **Why.** `docker login` with a credential store writes only the registry
//! name into `config.json` and gives the secret to the helper. The kubelet
//! cannot run that helper: it reads `auths` alone, finds no username,
//! password or `auth`, and pulls from that registry go out anonymous.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{}},"credsStore":"desktop"}'
//! ```
//!
//! **Good**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"auth":"Y2k6czNjcmV0"}}}'
//! ```

use super::payload_entries::AcceptedPayload;
use super::Rule;
use crate::lint::finding::{Finding, Level, Location};
use crate::lint::view::PullSecretView;

pub struct CredsStore;

const ID: &str = "pull-secret-creds-store";

impl Rule for CredsStore {
    fn id(&self) -> &'static str {
        ID
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_pull_secret(&self, view: &PullSecretView<'_>, out: &mut Vec<Finding>) {
        let Some(payload) = AcceptedPayload::of(view) else {
            return;
        };
        if payload.reading.credential_helpers.is_empty() {
            return;
        }
        for entry in payload.effective() {
            if payload.has_no_credentials(entry) {
                out.push(
                    self.finding(
                        format!(
                            "the entry for {:?} has no credentials: they live in the credential \
                             helper named by credsStore/credHelpers",
                            entry.registry(payload.document)
                        ),
                        Location::Payload(entry.key_span(payload.document)),
                    )
                    .with_note(
                        "the kubelet cannot run a credential helper: pulls from this registry go \
                         out anonymous",
                    )
                    .with_help(
                        "put the credentials themselves in the Secret: `regcred create NAME \
                         --from-config ~/.docker/config.json --resolve-helpers` asks the helper",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{json, pointed};
    use super::*;

    #[test]
    fn empty_entries_next_to_a_helper() {
        let payload =
            r#"{"auths":{"a.io":{},"b.io":{"auth":"dTpw"},"c.io":null},"credsStore":"desktop"}"#;
        let found = json(&CredsStore, payload);
        assert_eq!(pointed(&found, payload), ["\"a.io\"", "\"c.io\""]);
        let payload = r#"{"auths":{"a.io":{"username":""}},"CredHelpers":{"a.io":"ecr-login"}}"#;
        assert_eq!(json(&CredsStore, payload).len(), 1);
    }

    #[test]
    fn silent_without_a_helper_or_with_credentials() {
        assert!(json(&CredsStore, r#"{"auths":{"a.io":{}}}"#).is_empty());
        assert!(json(
            &CredsStore,
            r#"{"auths":{"a.io":{"username":"u","password":"p"}},"credsStore":"pass"}"#
        )
        .is_empty());
    }
}
