//! pull-secret-auth-mismatch
//!
//! **What it checks.** An entry whose `auth` decodes to a user or password
//! other than its `username` / `password` fields.
//!
//! **Why.** When `auth` is set, the kubelet uses it and ignores `username`
//! and `password`. An entry edited by hand (a rotated password written into
//! `password` only) keeps pulling with the old credentials from `auth`,
//! which fail once they are revoked, while the readable fields suggest
//! otherwise.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"username":"ci","password":"n3w","auth":"Y2k6b2xk"}}}'
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
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"username":"ci","password":"n3w","auth":"Y2k6bjN3"}}}'
//! ```

use super::payload_entries::AcceptedPayload;
use super::Rule;
use crate::dockercfg::kubelet::AuthAgreement;
use crate::lint::finding::{Finding, Level, Location};
use crate::lint::view::PullSecretView;

pub struct AuthMismatch;

const ID: &str = "pull-secret-auth-mismatch";

impl Rule for AuthMismatch {
    fn id(&self) -> &'static str {
        ID
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn check_pull_secret(&self, view: &PullSecretView<'_>, out: &mut Vec<Finding>) {
        let Some(payload) = AcceptedPayload::of(view) else {
            return;
        };
        for entry in payload.effective() {
            let Some(auth) = &entry.auth else {
                continue;
            };
            let AuthAgreement::Differs {
                username: user,
                password,
            } = entry.auth_agreement(payload.document)
            else {
                continue;
            };
            let what = match (user, password) {
                (true, true) => "username and password",
                (true, false) => "username",
                _ => "password",
            };
            out.push(
                self.finding(
format!(
                        "the auth of {:?} decodes to a different {what} than its {what} field{}",
                        entry.registry(payload.document),
                        if user && password { "s" } else { "" }
                    ),
                    Location::Payload(auth.value_span(payload.document)),
                )
                .with_note("the kubelet uses auth and ignores the username and password fields")
                .with_help(
                    "regenerate the entry with `regcred create` so that auth and the fields agree, \
                     or drop the stale one",
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
    fn names_what_differs_and_points_at_auth() {
        // "dTpw" is "u:p".
        let payload = r#"{"auths":{"r":{"username":"u","password":"q","auth":"dTpw"}}}"#;
        let found = json(&AuthMismatch, payload);
        assert_eq!(pointed(&found, payload), ["\"dTpw\""]);
        assert_eq!(
            found[0].message,
            "the auth of \"r\" decodes to a different password than its password field"
        );
        assert_eq!(found[0].level, Level::Warning);
        let found = json(
            &AuthMismatch,
            r#"{"auths":{"r":{"Username":"x","password":"y","auth":"dTpw"}}}"#,
        );
        assert!(found[0].message.contains("username and password fields"));
    }

    #[test]
    fn silent_when_agreeing_or_absent() {
        for payload in [
            r#"{"auths":{"r":{"username":"u","password":"p","auth":"dTpw"}}}"#,
            r#"{"auths":{"r":{"auth":"dTpw"}}}"#,
            r#"{"auths":{"r":{"username":"","auth":"dTpw"}}}"#,
            r#"{"auths":{"r":{"username":"x","password":"y"}}}"#,
        ] {
            assert!(json(&AuthMismatch, payload).is_empty(), "{payload}");
        }
    }
}
