//! `kubeseal -o json`: apimachinery's pretty JSON serializer, which is
//! Go's `json.MarshalIndent` with two spaces over the typed SealedSecret,
//! so fields come in struct order (kind, apiVersion, metadata, spec;
//! spec: template, encryptedData; metadata: name, namespace,
//! creationTimestamp, labels, annotations) and map keys sorted bytewise.

use super::sealed_secret::{API_VERSION, KIND};
use super::SealedSecret;
use crate::generate::json::metadata;
use crate::generate::Dialect;
use crate::gocompat::json::Indented;

pub fn render(sealed: &SealedSecret, dialect: Dialect) -> Vec<u8> {
    let size: usize = sealed.encrypted_data.iter().map(|(_, v)| v.len()).sum();
    let mut j = Indented::new(2, size + 1024);
    j.key("kind");
    j.string(KIND.as_bytes());
    j.key("apiVersion");
    j.string(API_VERSION.as_bytes());
    metadata(&mut j, &sealed.meta(), dialect);
    j.key("spec");
    j.open();
    j.key("template");
    j.open();
    metadata(&mut j, &sealed.template_meta(), dialect);
    j.key("type");
    j.string(sealed.secret_type.as_bytes());
    j.close();
    j.key("encryptedData");
    j.string_map(&sealed.encrypted_data);
    j.finish()
}
