//! pull-secret-auth-not-base64
//!
//! **What it checks.** An `auth` field that the kubelet cannot decode as
//! base64.
//!
//! **Why.** The kubelet decodes `auth` with Go's padded standard base64 when
//! the value (trimmed of spaces) ends in `=`, and with unpadded standard
//! base64 otherwise. Spaces, tabs, the URL-safe alphabet (`-`, `_`), a `=`
//! in an unpadded value or a truncated value make the decode fail, and then
//! the kubelet rejects the whole Secret: every image pull of every pod that
//! uses it fails, even for the other registries in it.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"auth":"Y2k6 czNjcmV0"}}}'
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

pub struct AuthNotBase64;

const ID: &str = "pull-secret-auth-not-base64";

impl Rule for AuthNotBase64 {
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
            let Problem::AuthNotBase64 {
                error,
                padded,
                span,
                ..
            } = problem
            else {
                continue;
            };
            let auth = payload.text(&entry.auth);
            let reason = describe(auth.as_bytes(), error.offset, *padded);
            out.push(
                self.finding(
                    format!(
                        "the auth of {:?} is not base64 as the kubelet decodes it: {reason}",
                        entry.registry(payload.document)
                    ),
                    Location::Payload(span.clone()),
                )
                .with_note(KUBELET_GIVES_UP)
                .with_help(
                    "auth must be standard base64 of \"username:password\" on one line; \
                     `regcred create` writes it for you",
                ),
            );
        }
    }
}

// Why Go stopped at byte `at` of the auth text, without showing the text.
fn describe(auth: &[u8], at: usize, padded: bool) -> String {
    let decoder = if padded {
        "it ends in '=', so the kubelet decodes it with padding"
    } else {
        "it does not end in '=', so the kubelet decodes it without padding"
    };
    let Some(&byte) = auth.get(at) else {
        return format!(
            "it is cut short: its last characters do not make a whole base64 group ({decoder})"
        );
    };
    match byte {
        b' ' => format!("byte {at} is a space"),
        b'\t' => format!("byte {at} is a tab"),
        b'-' | b'_' => format!(
            "byte {at} is from the URL-safe base64 alphabet ('-' or '_'), which the kubelet does not accept"
        ),
        b'=' if !padded => format!("byte {at} is padding '=' ({decoder})"),
        b'=' => format!("byte {at} is padding '=' where none belongs"),
        b if b >= 0x80 => format!("byte {at} is not ASCII"),
        b if (b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
            && auth.get(..at).is_some_and(|before| before.contains(&b'=')) =>
        {
            format!("byte {at} follows the padding that should end the value")
        }
        b if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' => {
            format!("it is cut short: the characters from byte {at} on do not make a whole base64 group ({decoder})")
        }
        _ => format!("byte {at} is not a base64 character"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{json, pointed};
    use super::*;

    #[test]
    fn points_at_the_bad_byte() {
        let payload = r#"{"auths":{"r":{"auth":"dTpw dTpw"}}}"#;
        let found = json(&AuthNotBase64, payload);
        assert_eq!(pointed(&found, payload), [" "]);
        assert!(
            found[0].message.contains("byte 4 is a space"),
            "{}",
            found[0].message
        );
        assert!(!found[0].message.contains("dTpw"));
    }

    #[test]
    fn reasons() {
        let cases = [
            (r#"{"auths":{"r":{"auth":"dT-w"}}}"#, "URL-safe"),
            (r#"{"auths":{"r":{"auth":"dQ==x"}}}"#, "without padding"),
            (r#"{"auths":{"r":{"auth":"d"}}}"#, "cut short"),
            (r#"{"auths":{"r":{"auth":"d==="}}}"#, "padding '=' where"),
            (
                r#"{"auths":{"r":{"auth":"dQ==dQ=="}}}"#,
                "follows the padding",
            ),
            (r#"{"auths":{"r":{"auth":"dTpwd"}}}"#, "cut short"),
        ];
        for (payload, words) in cases {
            let found = json(&AuthNotBase64, payload);
            assert_eq!(found.len(), 1, "{payload}");
            assert!(
                found[0].message.contains(words),
                "{payload}: {}",
                found[0].message
            );
        }
    }

    #[test]
    fn every_bad_auth_is_reported_and_good_ones_pass() {
        let payload = r#"{"auths":{"a":{"auth":"d d"},"b":{"auth":"dTpw"},"c":{"auth":"d_"}}}"#;
        assert_eq!(json(&AuthNotBase64, payload).len(), 2);
        // Newlines are skipped; unpadded is fine when there is no '='.
        assert!(json(&AuthNotBase64, r#"{"auths":{"r":{"auth":"dT\npw"}}}"#).is_empty());
        assert!(json(&AuthNotBase64, r#"{"auths":{"r":{"auth":"dQ"}}}"#).is_empty());
        assert!(json(&AuthNotBase64, r#"{"auths":{"r":{"auth":""}}}"#).is_empty());
    }
}
