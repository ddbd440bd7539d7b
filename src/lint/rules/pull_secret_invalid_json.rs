//! pull-secret-invalid-json
//!
//! **What it checks.** The `.dockerconfigjson` or `.dockercfg` of a pull
//! secret must be a JSON object as Go's `encoding/json` reads it: no byte
//! order mark, no trailing content, no number beyond float64, and every
//! field the kubelet reads of the right JSON type (`auths` an object, each
//! registry entry an object, `username`, `password`, `email` and `auth`
//! strings).
//!
//! **Why.** The API server unmarshals the value with Go before it stores the
//! Secret: a syntax error, a leading BOM, an array or a number too large for
//! float64 makes `kubectl apply` fail. A value of the wrong type inside (say
//! `"password": 1234`) passes the API server, but the kubelet's own
//! `json.Unmarshal` fails on it and the kubelet gives up on the whole
//! Secret: every image pull of every pod that uses it fails.
//!
//! **Bad**
//!
//! ```yaml
//! apiVersion: v1
//! kind: Secret
//! metadata: {name: pull}
//! type: kubernetes.io/dockerconfigjson
//! stringData:
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"username":"ci","password":1234}}}'
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
//!   .dockerconfigjson: '{"auths":{"reg.example.com":{"username":"ci","password":"1234"}}}'
//! ```

use super::{Rule, KUBELET_GIVES_UP};
use crate::dockercfg::kubelet::{FieldPath, Problem};
use crate::gocompat::json_value::{self, MapUnmarshalError, SyntaxError, SyntaxErrorKind};
use crate::gocompat::UTF8_BOM;
use crate::lint::finding::{Finding, Level, Location};
use crate::lint::view::{PayloadOrigin, PullSecretView};

pub struct InvalidJson;

const ID: &str = "pull-secret-invalid-json";

impl Rule for InvalidJson {
    fn id(&self) -> &'static str {
        ID
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_pull_secret(&self, view: &PullSecretView<'_>, out: &mut Vec<Finding>) {
        let rejected_by_api_server = match view.origin {
            PayloadOrigin::File => {
                "the API server rejects a pull secret made from this file (kubectl copies it unchecked)"
            }
            _ => "the API server rejects this Secret",
        };
        let parsed = match view.parsed() {
            Err(error) => {
                out.push(syntax_finding(view, error).with_note(rejected_by_api_server));
                return;
            }
            Ok(parsed) => parsed,
        };
        match &parsed.api_server {
            Err(MapUnmarshalError::NotAnObject { found }) => {
                let root = parsed.document.root();
                out.push(
                    error(
                        format!(
                            "{} is {}, not a JSON object",
                            view.name(),
                            found.described()
                        ),
                        parsed.document.span(root),
                    )
                    .with_note(rejected_by_api_server)
                    .with_help(format!(
                        "{} must be an object: {}",
                        view.format.key(),
                        shape_example(view)
                    )),
                );
                return;
            }
            Err(MapUnmarshalError::NumberOutOfRange { span }) => {
                out.push(
                    error(
                        format!("{} holds a number too large for Go's float64", view.name()),
                        span.clone(),
                    )
                    .with_note(rejected_by_api_server)
                    .with_help("write the value as a JSON string, or remove it"),
                );
                return;
            }
            Ok(()) => {}
        }
        for problem in &parsed.kubelet.problems {
            if let Problem::WrongType {
                path,
                found,
                expected,
                span,
                ..
            } = problem
            {
                // The top level was judged above, with the API server's words.
                if *path == FieldPath::Root {
                    continue;
                }
                out.push(
                    error(
                        format!(
                            "in {}, {path} is {} where the kubelet expects {expected}",
                            view.name(),
                            found.described()
                        ),
                        span.clone(),
                    )
                    .with_note(KUBELET_GIVES_UP)
                    .with_help(format!("make it {expected}: {}", shape_example(view))),
                );
            }
        }
    }
}

fn error(message: String, span: std::ops::Range<usize>) -> Finding {
    InvalidJson.finding(message, Location::Payload(span))
}

fn shape_example(view: &PullSecretView<'_>) -> &'static str {
    match view.format {
        crate::lint::view::PayloadFormat::DockerConfigJson => {
            r#"{"auths":{"REGISTRY":{"username":"…","password":"…","auth":"…"}}}"#
        }
        crate::lint::view::PayloadFormat::DockerCfg => {
            r#"{"REGISTRY":{"username":"…","password":"…","auth":"…"}}"#
        }
    }
}

fn syntax_finding(view: &PullSecretView<'_>, error: &SyntaxError) -> Finding {
    let len = view.payload.len();
    if view.payload.starts_with(UTF8_BOM) {
        return self::error(
            format!("{} starts with a byte order mark (BOM)", view.name()),
            0..UTF8_BOM.len(),
        )
        .with_help("save it as UTF-8 without a BOM: Go's JSON decoder does not skip one");
    }
    let (what, span) = match error.kind {
        SyntaxErrorKind::UnexpectedEnd if len == 0 || is_blank(view.payload) => {
            (format!("{} is empty", view.name()), 0..len)
        }
        SyntaxErrorKind::UnexpectedEnd => (
            format!("{} ends before its JSON is complete", view.name()),
            len.saturating_sub(1)..len,
        ),
        // Not the API server's judgement: regcred's limit (docs/limits.md).
        SyntaxErrorKind::TooLarge => (format!("{} is {}", view.name(), error.context()), 0..0),
        SyntaxErrorKind::InvalidCharacter { context, at_end } => {
            let found = if at_end {
                "the end of the input".to_string()
            } else {
                describe_byte(view.payload.get(error.at).copied())
            };
            let span = if at_end {
                len.saturating_sub(1)..len
            } else {
                error.at..error.at + 1
            };
            (
                format!(
                    "{} is not valid JSON: {found} {context}",
                    view.name(),
                    context = json_value::context_words(context)
                ),
                span,
            )
        }
    };
    self::error(what, span).with_help(format!(
        "fix the JSON (the shape is {}), or write the Secret with `regcred create`",
        shape_example(view)
    ))
}

fn is_blank(payload: &[u8]) -> bool {
    payload
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

// Names the kind of byte, never a letter or digit that may belong to a
// password typed without quotes.
fn describe_byte(byte: Option<u8>) -> String {
    match byte {
        None => "the end of the input".into(),
        Some(b) if b.is_ascii_alphabetic() => "a letter".into(),
        Some(b) if b.is_ascii_digit() => "a digit".into(),
        Some(b' ') => "a space".into(),
        Some(b'\t') => "a tab".into(),
        Some(b'\n') => "a line break".into(),
        Some(b'\r') => "a carriage return".into(),
        Some(b) if b < 0x20 || b == 0x7f => format!("control byte 0x{b:02x}"),
        Some(b) if b >= 0x80 => "a non-ASCII byte".into(),
        Some(b) => format!("'{}'", char::from(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, json, pointed};
    use super::*;
    use crate::lint::view::PayloadFormat;

    #[test]
    fn syntax_errors_point_at_the_byte_without_quoting_letters() {
        let payload = r#"{"auths":{"r":{"password":hunter2}}}"#;
        let found = json(&InvalidJson, payload);
        assert_eq!(found.len(), 1);
        assert_eq!(pointed(&found, payload), ["h"]);
        assert!(found[0]
            .message
            .contains("a letter where a value should start"));
        assert!(!found[0].message.contains("hunter"));
    }

    #[test]
    fn bom_trailing_content_and_empty() {
        let bom = "\u{feff}{}";
        let found = json(&InvalidJson, bom);
        assert_eq!(pointed(&found, bom), ["\u{feff}"]);
        assert!(found[0].message.contains("byte order mark"));

        let trailing = "{} {}";
        let found = json(&InvalidJson, trailing);
        assert!(found[0].message.contains("after the end of the JSON value"));
        assert_eq!(found[0].location, Location::Payload(3..4));

        assert!(json(&InvalidJson, "")[0].message.contains("is empty"));
        assert!(json(&InvalidJson, "{}\n\t ").is_empty());
    }

    #[test]
    fn api_server_rejections() {
        let found = json(&InvalidJson, "[]");
        assert!(found[0].message.contains("is an array, not a JSON object"));
        let payload = r#"{"x":1e400}"#;
        assert_eq!(pointed(&json(&InvalidJson, payload), payload), ["1e400"]);
        assert!(json(&InvalidJson, "null").is_empty());
    }

    #[test]
    fn kubelet_type_errors() {
        let payload =
            r#"{"auths":{"r":{"username":"u","password":1234}},"HttpHeaders":{"X":true}}"#;
        let found = json(&InvalidJson, payload);
        assert_eq!(pointed(&found, payload), ["1234", "true"]);
        assert!(found[0].message.contains(r#"password of "r" is a number"#));
        let found = check(&InvalidJson, r#"{"r":"dTpw"}"#, PayloadFormat::DockerCfg);
        assert!(found[0]
            .message
            .contains(r#"the entry for "r" is a string"#));
    }

    #[test]
    fn valid_payloads_pass() {
        assert!(json(
            &InvalidJson,
            r#"{"auths":{"r":{"auth":"dTpw"}},"credsStore":"x"}"#
        )
        .is_empty());
        assert!(json(
            &InvalidJson,
            r#"{"auths":{"r":null},"AUTHS":{"s":{"Username":null}}}"#
        )
        .is_empty());
    }
}
