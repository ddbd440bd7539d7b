//! pull-secret-no-auths
//!
//! **What it checks.** A pull secret the API server accepts but in which the
//! kubelet finds no registry: a `.dockerconfigjson` without `auths`, with
//! `auths` empty or null, or holding `.dockercfg`-shaped content (registries
//! at the top level); or the reverse, a `.dockercfg` whose registries are
//! wrapped in `auths`.
//!
//! **Why.** The API server only checks that the value is a JSON object, so
//! `{}` or `{"credsStore":"desktop"}` are stored without complaint. The
//! kubelet reads `.dockerconfigjson` as `{"auths": {REGISTRY: ENTRY}}` and
//! `.dockercfg` as a bare `{REGISTRY: ENTRY}`: with the wrong shape it finds
//! no credentials (or takes `auths` for a registry name), and every pull
//! that relies on this Secret goes out anonymous.
//!
//! The entries behind a wrong shape are checked in the same run, as the
//! kubelet will read them once the shape is fixed: their own problems (an
//! `auth` without `:`, a registry key no image can name, ...) are reported
//! by their rules with a note saying so, rather than after the fix.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"reg.example.com":{"auth":"Y2k6czNjcmV0"}}'
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
use crate::dockercfg::kubelet::{go_field_matches, KubeletReading};
use crate::gocompat::json_value::{Document, Kind};
use crate::lint::finding::{Finding, Level, Location};
use crate::lint::view::{looks_like_dockercfg, PayloadFormat, PullSecretView};

pub struct NoAuths;

const ID: &str = "pull-secret-no-auths";
const NOTE: &str = "the kubelet finds no registry credentials in this Secret: \
                    pulls that rely on it go out anonymous";

impl Rule for NoAuths {
    fn id(&self) -> &'static str {
        ID
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_pull_secret(&self, view: &PullSecretView<'_>, out: &mut Vec<Finding>) {
        // Payloads the API server or the kubelet reject are another rule's.
        let Some(AcceptedPayload {
            document: doc,
            reading,
            ..
        }) = AcceptedPayload::of(view)
        else {
            return;
        };
        if !reading.accepted() {
            return;
        }
        match view.format {
            PayloadFormat::DockerConfigJson => {
                if reading.effective().next().is_none() {
                    out.push(no_registry_in_config_json(view, doc, reading));
                }
            }
            PayloadFormat::DockerCfg => {
                if let Some(wrapped) = reading.effective().find(|e| {
                    go_field_matches("auths", e.registry(doc))
                        && doc.kind(e.value(doc)) == Kind::Object
                }) {
                    out.push(
                        finding(
                            format!(
                                "{} wraps its registries in \"auths\", the .dockerconfigjson shape",
                                view.name()
                            ),
                            wrapped.key_span(doc),
                        )
                        .with_note(
                            "the kubelet reads .dockercfg as a bare {REGISTRY: ENTRY} map and \
                             takes \"auths\" for a registry name",
                        )
                        .with_help(
                            "use type kubernetes.io/dockerconfigjson with key .dockerconfigjson, \
                             or drop the \"auths\" wrapper",
                        ),
                    );
                } else if reading.effective().next().is_none() {
                    out.push(
                        finding(
                            format!("{} names no registry", view.name()),
                            doc.span(doc.root()),
                        )
                        .with_note(NOTE)
                        .with_help(helper_hint(reading).unwrap_or(
                            "add an entry {\"REGISTRY\":{\"auth\":\"…\"}}; `regcred create` writes one",
                        )),
                    );
                }
            }
        }
    }
}

fn no_registry_in_config_json(
    view: &PullSecretView<'_>,
    doc: &Document,
    reading: &KubeletReading,
) -> Finding {
    let root = doc.root();
    if let Some(auths) = &reading.auths {
        let what = if doc.kind(auths.value) == Kind::Null {
            "null"
        } else {
            "empty"
        };
        return finding(
            format!("{} has \"auths\" {what}", view.name()),
            doc.span(auths.value),
        )
        .with_note(NOTE)
        .with_help(helper_hint(reading).unwrap_or(
            "add the registry: {\"auths\":{\"REGISTRY\":{\"auth\":\"…\"}}}; `regcred create` writes it",
        ));
    }
    if looks_like_dockercfg(doc, root) {
        return finding(
            format!(
                "{} holds registries at the top level, the old .dockercfg shape, without \"auths\"",
                view.name()
            ),
            doc.span(root),
        )
        .with_note(
            "the kubelet reads .dockerconfigjson as {\"auths\": {REGISTRY: ENTRY}} and ignores other \
             top-level keys, so it finds no registry",
        )
        .with_help(
            "wrap the registries in {\"auths\": …}, or use type kubernetes.io/dockercfg with key .dockercfg",
        );
    }
    let what = if doc.kind(root) == Kind::Null {
        format!("{} is null", view.name())
    } else {
        format!("{} has no \"auths\"", view.name())
    };
    finding(what, doc.span(root))
        .with_note(NOTE)
        .with_help(helper_hint(reading).unwrap_or(
        "add the registry: {\"auths\":{\"REGISTRY\":{\"auth\":\"…\"}}}; `regcred create` writes it",
    ))
}

fn helper_hint(reading: &KubeletReading) -> Option<&'static str> {
    (!reading.credential_helpers.is_empty()).then_some(
        "credsStore/credHelpers name a credential helper the kubelet cannot run: `regcred create \
         NAME --from-config ~/.docker/config.json --resolve-helpers` asks the helper instead",
    )
}

fn finding(message: String, span: std::ops::Range<usize>) -> Finding {
    NoAuths.finding(message, Location::Payload(span))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, json, pointed};
    use super::*;

    #[test]
    fn missing_null_and_empty_auths() {
        for (payload, pointed_at, words) in [
            ("{}", "{}", "has no \"auths\""),
            ("null", "null", "is null"),
            (
                r#"{"credsStore":"desktop"}"#,
                r#"{"credsStore":"desktop"}"#,
                "has no",
            ),
            (r#"{"auths":null}"#, "null", "\"auths\" null"),
            (r#"{"AUTHS": {} }"#, "{}", "\"auths\" empty"),
            (
                r#"{"auths":{"r":{}},"auths":null}"#,
                "null",
                "\"auths\" null",
            ),
        ] {
            let found = json(&NoAuths, payload);
            assert_eq!(pointed(&found, payload), [pointed_at], "{payload}");
            assert!(found[0].message.contains(words), "{}", found[0].message);
        }
        let found = json(&NoAuths, r#"{"credsStore":"desktop"}"#);
        assert!(found[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("credential helper"));
    }

    #[test]
    fn dockercfg_shape_under_dockerconfigjson() {
        let found = json(&NoAuths, r#"{"reg.io":{"auth":"dTpw"}}"#);
        assert!(found[0].message.contains("old .dockercfg shape"));
    }

    #[test]
    fn auths_wrapper_under_dockercfg() {
        let payload = r#"{"auths":{"reg.io":{"auth":"dTpw"}}}"#;
        let found = check(&NoAuths, payload, PayloadFormat::DockerCfg);
        assert_eq!(pointed(&found, payload), ["\"auths\""]);
        let found = check(&NoAuths, "{}", PayloadFormat::DockerCfg);
        assert!(found[0].message.contains("names no registry"));
    }

    #[test]
    fn silent_on_registries_and_on_other_rules_cases() {
        assert!(json(&NoAuths, r#"{"auths":{"reg.io":{"auth":"dTpw"}}}"#).is_empty());
        assert!(check(&NoAuths, r#"{"reg.io":{}}"#, PayloadFormat::DockerCfg).is_empty());
        assert!(json(&NoAuths, "[]").is_empty());
        assert!(json(&NoAuths, r#"{"auths":5}"#).is_empty());
    }
}
