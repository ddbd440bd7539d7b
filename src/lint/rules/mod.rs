//! The rule registry: every rule, in id order. One rule per file; the file's
//! `//!` doc comment is the rule's explanation (`regcred explain RULE`,
//! `docs/rules.md`), extracted by `build.rs`.

use super::finding::{Finding, Level};
use super::view::{FileView, PullSecretView};
use crate::manifest::SecretView;

pub mod catalogue;
mod pull_secret_legacy_type;
mod pull_secret_missing_key;
mod pull_secret_wrong_type;
mod secret_data_double_encoded;
mod secret_data_key_invalid;
mod secret_data_not_base64;
mod secret_data_not_string;
mod secret_data_plaintext;
mod secret_name_invalid;
mod secret_too_large;
mod yaml_syntax_error;

/// A lint rule. Each hook has a no-op default; a rule implements the views it
/// reads. Rules never read files, print, or know about output formats.
pub trait Rule: Send + Sync {
    /// The stable kebab-case id (RULES.md): what users select, ignore and suppress.
    fn id(&self) -> &'static str;
    fn default_level(&self) -> Level;
    /// Called once for each pull-secret payload: a Secret's `.dockerconfigjson`
    /// or `.dockercfg` value (decoded) and each Docker config file in the tree.
    fn check_pull_secret(&self, _view: &PullSecretView<'_>, _out: &mut Vec<Finding>) {}
    /// Called once for each `kind: Secret` (core v1) object. Findings use
    /// `Location::File` ranges.
    fn check_secret(&self, _secret: &SecretView<'_>, _out: &mut Vec<Finding>) {}
    /// Called once for each manifest file that passed the prefilter, parsed
    /// or not. Findings use `Location::File` ranges.
    fn check_file(&self, _file: &FileView<'_>, _out: &mut Vec<Finding>) {}

    /// A finding of this rule at its default level.
    fn finding(&self, message: String, location: super::Location) -> Finding {
        Finding::new(self.id(), self.default_level(), message, location)
    }
}

/// Every rule, in id order.
pub static RULES: &[&dyn Rule] = &[
    &pull_secret_legacy_type::PullSecretLegacyType,
    &pull_secret_missing_key::PullSecretMissingKey,
    &pull_secret_wrong_type::PullSecretWrongType,
    &secret_data_double_encoded::SecretDataDoubleEncoded,
    &secret_data_key_invalid::SecretDataKeyInvalid,
    &secret_data_not_base64::SecretDataNotBase64,
    &secret_data_not_string::SecretDataNotString,
    &secret_data_plaintext::SecretDataPlaintext,
    &secret_name_invalid::SecretNameInvalid,
    &secret_too_large::SecretTooLarge,
    &yaml_syntax_error::YamlSyntaxError,
];

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.id() == id)
}

/// The explanation text of a rule (its file's `//!` doc), if it has one.
pub fn explanation(id: &str) -> Option<&'static str> {
    docs::RULE_DOCS
        .iter()
        .find(|(rule, _)| *rule == id)
        .map(|(_, text)| *text)
}

mod docs {
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

/// Describes a byte for a message without quoting secret text: bytes outside
/// the base64 alphabet are punctuation, spaces or non-ASCII, never letters.
pub(crate) fn describe_byte(b: u8) -> String {
    match b {
        b' ' => "a space".into(),
        b'\t' => "a tab".into(),
        b'=' => "'=' (padding before the end)".into(),
        b'-' | b'_' => format!(
            "'{}' (URL-safe base64, not the standard alphabet)",
            b as char
        ),
        0x21..=0x7e => format!("'{}'", b as char),
        0x80..=0xff => format!("a non-ASCII byte 0x{b:02x}"),
        _ => format!("a control byte 0x{b:02x}"),
    }
}
