//! pull-secret-empty-credentials
//!
//! **What it checks.** A registry entry that gives the kubelet no usable
//! credentials: no `auth` and not both a `username` and a `password` (`{}`,
//! a username alone, or only an `identitytoken` / `registrytoken`), or an
//! `auth` that decodes to an empty user and password.
//!
//! **Why.** The kubelet reads only `auth`, `username` and `password`; it
//! ignores `identitytoken` and `registrytoken`. An entry without them makes
//! it send empty credentials, so pulls from that registry go out anonymous
//! and fail when the registry is private.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"identitytoken":"eyJhbGciOi..."}}}'
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

pub struct EmptyCredentials;

const ID: &str = "pull-secret-empty-credentials";

impl Rule for EmptyCredentials {
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
        for entry in payload.registries() {
            let Some(credentials) = entry.credentials(payload.document) else {
                continue;
            };
            let problem = if payload.has_no_credentials(entry) {
                // Next to credsStore this is pull-secret-creds-store's case.
                if !payload.reading.credential_helpers.is_empty() {
                    continue;
                }
                if entry.ignored_tokens(payload.document).is_empty() {
                    "has no credentials".to_string()
                } else {
                    "has only an identity or registry token, which the kubelet ignores".to_string()
                }
            } else if credentials.from_auth {
                if !credentials.username.is_empty() || !credentials.password.is_empty() {
                    continue;
                }
                "has an auth that decodes to an empty username and password".to_string()
            } else if credentials.username.is_empty() {
                "has a password but no username (and no auth)".to_string()
            } else if credentials.password.is_empty() {
                "has a username but no password (and no auth)".to_string()
            } else {
                continue;
            };
            out.push(
                self.finding(
                    format!(
                        "the entry for {:?} {problem}",
                        entry.registry(payload.document)
                    ),
                    Location::Payload(entry.key_span(payload.document)),
                )
                .with_note(
                    "the kubelet sends empty credentials for this registry: pulls from it go out \
                     anonymous and fail if it is private",
                )
                .with_help(
                    "give the entry an auth (base64 of \"username:password\"); `regcred create` \
                     writes it for you",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, json, pointed};
    use super::*;
    use crate::lint::view::PayloadFormat;

    #[test]
    fn each_kind_of_empty_entry() {
        let payload = r#"{"auths":{"a":{},"b":{"identitytoken":"t"},"c":{"username":"u"},"d":{"password":"p"},"e":{"auth":"Og=="},"f":null}}"#;
        let found = json(&EmptyCredentials, payload);
        assert_eq!(
            pointed(&found, payload),
            ["\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"e\"", "\"f\""]
        );
        assert!(found[1]
            .message
            .contains("token, which the kubelet ignores"));
        assert!(found[2].message.contains("username but no password"));
        assert!(found[4].message.contains("empty username and password"));
    }

    #[test]
    fn silent_on_usable_entries_and_other_rules_cases() {
        for payload in [
            r#"{"auths":{"a":{"auth":"dTpw"}}}"#,
            r#"{"auths":{"a":{"username":"u","password":"p"}}}"#,
            r#"{"auths":{"a":{}},"credsStore":"desktop"}"#,
            r#"{"auths":{"a":{"auth":"d d"}}}"#,
            r#"{"auths":{"a":{},"a":{"auth":"dTpw"}}}"#,
        ] {
            assert!(json(&EmptyCredentials, payload).is_empty(), "{payload}");
        }
        let wrapped = r#"{"auths":{"r":{"auth":"dTpw"}}}"#;
        assert!(check(&EmptyCredentials, wrapped, PayloadFormat::DockerCfg).is_empty());
    }
}
