//! pull-secret-invalid-registry
//!
//! **What it checks.** Registry keys that can never serve a pull: a key the
//! kubelet cannot parse as a URL (such as `reg.io:abc`, or `${REGISTRY}` left
//! unsubstituted), a placeholder such as `<your-registry-server>`, and a key
//! whose host has no `.` or `:` and is not `localhost` (such as `REGISTRY`),
//! which no image reference can name.
//!
//! **Why.** The kubelet prefixes each key with `https://` and parses it with
//! Go's `net/url`; a key that fails is logged and skipped, silently for the
//! user. An image's first path component counts as a registry host only when
//! it contains `.` or `:` or is `localhost` (otherwise it is a Docker Hub
//! namespace), so a key without them matches nothing. Either way the
//! credentials are never used and pulls go out anonymous.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"<your-registry-server>":{"auth":"Y2k6czNjcmV0"}}}'
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
use crate::image::keyring::index_key;
use crate::lint::finding::{Finding, Level, Location};
use crate::lint::view::PullSecretView;
use crate::placeholder::placeholder;

pub struct InvalidRegistry;

const ID: &str = "pull-secret-invalid-registry";
const HELP: &str = "write the registry as host[:port][/path] as it appears in image names, \
                    e.g. reg.example.com:5000 or ghcr.io";

impl Rule for InvalidRegistry {
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
            let Some((message, note)) = problem(entry.registry(payload.document)) else {
                continue;
            };
            out.push(
                self.finding(message, Location::Payload(entry.key_span(payload.document)))
                    .with_note(note)
                    .with_help(HELP),
            );
        }
    }
}

/// What is wrong with an `auths` key, and what it means for the pull
/// (also `regcred create`'s check of `--docker-server`).
pub(crate) fn problem(key: &str) -> Option<(String, &'static str)> {
    const UNUSED: &str = "no image matches it, so the kubelet never uses these credentials";
    if placeholder(key).is_some() {
        return Some((format!("the registry {key:?} is a placeholder"), UNUSED));
    }
    if let Err(error) = index_key(key) {
        return Some((
            format!("the kubelet cannot parse the registry {key:?}: {error}"),
            "the kubelet skips a key Go's net/url rejects (it only logs it): these credentials are \
             never used",
        ));
    }
    let host = host_of(key);
    if host.is_empty() {
        return Some((format!("the registry {key:?} has no host"), UNUSED));
    }
    if !host.contains('.') && !host.contains(':') && host != "localhost" {
        return Some((
            format!(
                "the registry {key:?} has no '.' or ':', so no image reference can name it \
                 (a first component without them is a Docker Hub namespace)"
            ),
            UNUSED,
        ));
    }
    None
}

// The authority of the key as the kubelet's URL sees it (userinfo dropped).
fn host_of(key: &str) -> &str {
    let rest = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.rsplit('@').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, json, pointed};
    use super::*;
    use crate::lint::view::PayloadFormat;

    #[test]
    fn placeholders_unparsable_and_dotless_keys() {
        let payload = r#"{"auths":{"<your-registry-server>":{},"reg.io:abc":{},"${REGISTRY}":{},"REGISTRY":{},"":{}}}"#;
        let found = json(&InvalidRegistry, payload);
        assert_eq!(
            pointed(&found, payload),
            [
                "\"<your-registry-server>\"",
                "\"reg.io:abc\"",
                "\"${REGISTRY}\"",
                "\"REGISTRY\"",
                "\"\""
            ]
        );
        assert!(found[0].message.contains("placeholder"));
        assert!(found[1]
            .message
            .contains("invalid port \":abc\" after host"));
        assert!(found[3].message.contains("no '.' or ':'"));
        assert!(found[4].message.contains("no host"));
    }

    #[test]
    fn real_registry_keys_pass() {
        let payload = r#"{"auths":{"https://index.docker.io/v1/":{},"reg.io:5000/team":{},"localhost:5000":{},"localhost":{},"http://10.0.0.1/v2/":{},"[::1]:5000":{},"*.gcr.io":{}}}"#;
        assert!(json(&InvalidRegistry, payload).is_empty());
        let wrapped = r#"{"auths":{"r.io":{}}}"#;
        assert!(check(&InvalidRegistry, wrapped, PayloadFormat::DockerCfg).is_empty());
    }
}
