//! What the pull-secret payload rules read in common: a payload the API
//! server accepts, the entries the kubelet keeps from it, and the kubelet's
//! problems tied to one entry. Each rule keeps its own judgement in its file.

use crate::dockercfg::kubelet::{go_field_matches, Field, KubeletReading, Problem, RegistryEntry};
use crate::gocompat::json_value::Document;
use crate::lint::view::{PayloadFormat, PullSecretView};

/// A payload that is JSON and that the API server accepts (payloads it
/// rejects are pull-secret-invalid-json's), with the kubelet's reading.
pub struct AcceptedPayload<'v> {
    pub document: &'v Document,
    pub reading: &'v KubeletReading,
    format: PayloadFormat,
}

impl<'v> AcceptedPayload<'v> {
    pub fn of(view: &'v PullSecretView<'_>) -> Option<Self> {
        view.accepted_by_api_server().map(|parsed| AcceptedPayload {
            document: &parsed.document,
            reading: &parsed.kubelet,
            format: view.format,
        })
    }

    /// The entries in the kubelet's final map.
    pub fn effective(&self) -> impl Iterator<Item = &'v RegistryEntry> {
        self.reading.effective()
    }

    /// The effective entries that stand for registries: in a `.dockercfg`,
    /// an `auths` key is the `.dockerconfigjson` wrapper put in the wrong
    /// place, which is pull-secret-no-auths' case, not a registry's.
    pub fn registries(&self) -> impl Iterator<Item = &'v RegistryEntry> {
        let wrapper_possible = self.format == PayloadFormat::DockerCfg;
        let document = self.document;
        self.effective()
            .filter(move |e| !(wrapper_possible && go_field_matches("auths", e.registry(document))))
    }

    /// The kubelet's problems with one entry (`auth` not base64, no `:`),
    /// each with its entry, in document order.
    pub fn entry_problems(&self) -> impl Iterator<Item = (&'v Problem, &'v RegistryEntry)> {
        let registries = &self.reading.registries;
        self.reading.problems.iter().filter_map(move |problem| {
            let entry = match problem {
                Problem::AuthNotBase64 { entry, .. } | Problem::AuthNoColon { entry, .. } => entry,
                Problem::WrongType { .. } => return None,
            };
            registries.get(*entry).map(|entry| (problem, entry))
        })
    }

    /// A field's text as the kubelet holds it: "" when absent.
    pub fn text(&self, field: &Option<Field>) -> &'v str {
        Field::text_of(field, self.document)
    }

    /// No `auth`, `username` or `password` with any text: the entry a
    /// `docker login` with a credential store writes.
    pub fn has_no_credentials(&self, entry: &RegistryEntry) -> bool {
        [entry.auth, entry.username, entry.password]
            .into_iter()
            .all(|field| self.text(&field).is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::view::PayloadOrigin;

    fn registries(payload: &str, format: PayloadFormat) -> Vec<String> {
        let view = PullSecretView::new(payload.as_bytes(), format, PayloadOrigin::SecretData);
        AcceptedPayload::of(&view)
            .map(|p| {
                p.registries()
                    .map(|e| e.registry(p.document).to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn registries_skip_the_misplaced_wrapper_and_replaced_entries() {
        let cfg = r#"{"AUTHS":{"a.io":{}},"b.io":{},"b.io":{"auth":"dTpw"}}"#;
        assert_eq!(registries(cfg, PayloadFormat::DockerCfg), ["b.io"]);
        let json = r#"{"auths":{"auths":{},"c.io":{}}}"#;
        assert_eq!(
            registries(json, PayloadFormat::DockerConfigJson),
            ["auths", "c.io"]
        );
        assert!(registries("[]", PayloadFormat::DockerConfigJson).is_empty());
    }

    #[test]
    fn entry_problems_name_their_entry() {
        let payload = r#"{"auths":{"a.io":{"auth":"YQ"},"b.io":{"auth":"!"},"c.io":{"email":1}}}"#;
        let view = PullSecretView::new(
            payload.as_bytes(),
            PayloadFormat::DockerConfigJson,
            PayloadOrigin::SecretData,
        );
        let Some(accepted) = AcceptedPayload::of(&view) else {
            panic!("the API server accepts this payload");
        };
        let named: Vec<&str> = accepted
            .entry_problems()
            .map(|(_, entry)| entry.registry(accepted.document))
            .collect();
        assert_eq!(named, ["a.io", "b.io"]);
    }
}
