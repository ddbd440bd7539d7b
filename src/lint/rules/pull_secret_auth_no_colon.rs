//! pull-secret-auth-no-colon
//!
//! **What it checks.** An `auths` entry whose `auth` decodes to text
//! without `:`.
//!
//! **Why.** The kubelet splits the decoded `auth` at the first `:` into user
//! and password. Without one it rejects the whole pull secret, so every image
//! pull of every pod that names this Secret fails, even for other registries
//! in it. It usually means only the password or a token was encoded.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"auth":"czNjcmV0"}}}'
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
use super::{Rule, KUBELET_GIVES_UP};
use crate::dockercfg::kubelet::Problem;
use crate::lint::finding::{Finding, Level, Location};
use crate::lint::view::PullSecretView;

pub struct AuthNoColon;

const ID: &str = "pull-secret-auth-no-colon";

impl Rule for AuthNoColon {
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
        for (problem, entry) in payload.entry_problems() {
            let Problem::AuthNoColon {
                decoded_len,
                decoded_is_text,
                span,
                ..
            } = problem
            else {
                continue;
            };
            let what = if *decoded_is_text {
                "text"
            } else {
                "binary data"
            };
            out.push(
                self.finding(
                    format!(
                        "the auth of {:?} decodes to {decoded_len} bytes of {what} without ':'",
                        entry.registry(payload.document)
                    ),
                    Location::Payload(span.clone()),
                )
                .with_note(KUBELET_GIVES_UP)
                .with_help(
                    "auth must be base64 of \"username:password\", not of the password or a token \
                     alone; `regcred create` writes it for you",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{json, pointed};
    use super::*;

    #[test]
    fn describes_without_showing() {
        // "czNjcmV0" is "s3cret".
        let payload = r#"{"auths":{"r":{"auth":"czNjcmV0"}}}"#;
        let found = json(&AuthNoColon, payload);
        assert_eq!(pointed(&found, payload), ["\"czNjcmV0\""]);
        assert_eq!(
            found[0].message,
            "the auth of \"r\" decodes to 6 bytes of text without ':'"
        );
        // "AAEC" is three bytes below 0x20.
        let found = json(&AuthNoColon, r#"{"auths":{"r":{"auth":"AAEC"}}}"#);
        assert!(found[0].message.contains("3 bytes of binary data"));
    }

    #[test]
    fn silent_with_a_colon_or_without_auth() {
        assert!(json(&AuthNoColon, r#"{"auths":{"r":{"auth":"Og=="}}}"#).is_empty());
        assert!(json(
            &AuthNoColon,
            r#"{"auths":{"r":{"auth":"","username":"u"}}}"#
        )
        .is_empty());
    }
}
