//! The rule registry: every rule, in id order. One rule per file; the file's
//! `//!` doc comment is the rule's explanation (`regcred explain RULE`,
//! `docs/rules.md`), extracted by `build.rs`.

use super::finding::{Finding, Level};
use super::kustomize::GeneratorView;
use super::view::{FileView, PullSecretView};
use super::workload::{PodView, WorkloadContext};
use crate::manifest::gitops_secret::{GitOpsKind, GitOpsSecretView};
use crate::manifest::SecretView;

pub mod behind_shape;
pub mod catalogue;
pub mod payload_entries;

pub mod image_pull_secret_empty_name;
pub mod image_pull_secret_no_match;
pub mod image_pull_secret_not_found;
pub mod image_pull_secret_not_pull_secret;
pub mod image_reference_invalid;
pub mod missing_image_pull_secrets;
pub mod pull_secret_auth_mismatch;
pub mod pull_secret_auth_no_colon;
pub mod pull_secret_auth_not_base64;
pub mod pull_secret_creds_store;
pub mod pull_secret_empty_credentials;
pub mod pull_secret_invalid_json;
pub mod pull_secret_invalid_registry;
pub mod pull_secret_legacy_type;
pub mod pull_secret_missing_key;
pub mod pull_secret_no_auths;
pub mod pull_secret_wrong_type;
pub mod sealed_secret_scope_moved;
pub mod secret_data_double_encoded;
pub mod secret_data_key_invalid;
pub mod secret_data_not_base64;
pub mod secret_data_not_string;
pub mod secret_data_plaintext;
pub mod secret_name_invalid;
pub mod secret_too_large;
pub mod yaml_syntax_error;

/// A lint rule. Each hook has a no-op default; a rule implements the views it
/// reads. Rules never read files, print, or know about output formats.
pub trait Rule: Send + Sync {
    /// The stable kebab-case id (docs/rules.md): what users select, ignore and suppress.
    fn id(&self) -> &'static str;
    fn default_level(&self) -> Level;
    /// Called once for each pull-secret payload: a Secret's `.dockerconfigjson`
    /// or `.dockercfg` value (decoded) and each Docker config file in the tree.
    fn check_pull_secret(&self, _view: &PullSecretView<'_>, _out: &mut Vec<Finding>) {}
    /// Called once for each `kind: Secret` (core v1) object. Findings use
    /// `Location::File` ranges.
    fn check_secret(&self, _secret: &SecretView<'_>, _out: &mut Vec<Finding>) {}
    /// Called once for each SealedSecret and ExternalSecret: the Secret it
    /// becomes, as far as it is known without decrypting or fetching.
    /// Findings use `Location::File` ranges.
    fn check_gitops_secret(&self, _secret: &GitOpsSecretView<'_>, _out: &mut Vec<Finding>) {}
    /// Called once for each manifest file that passed the prefilter, parsed
    /// or not. Findings use `Location::File` ranges.
    fn check_file(&self, _file: &FileView<'_>, _out: &mut Vec<Finding>) {}
    /// Called once for each `secretGenerator` item of a kustomization: the
    /// Secret kustomize will build. Findings use `Location::File` ranges.
    fn check_secret_generator(&self, _generator: &GeneratorView<'_>, _out: &mut Vec<Finding>) {}
    /// Called once for each pod spec (of every workload kind), after every
    /// input is read: `context` holds the workspace index and the configured
    /// registry lists. Findings use `Location::File` ranges, and must point
    /// at one of [`PodView::spans`] (an image, a pull-secret item, the pod
    /// spec's key).
    fn check_pod(&self, _pod: &PodView, _context: &WorkloadContext<'_>, _out: &mut Vec<Finding>) {}

    /// Whether the rule reads other objects than the one it reports on (a
    /// pod's Secrets, its ServiceAccount, the registries credentials exist
    /// for): such rules are silent on test-expectation files
    /// (docs/rules.md, "Test-expectation files").
    fn cross_object(&self) -> bool {
        false
    }

    /// Whether its findings can carry a fix (`--fix`): said by `regcred
    /// explain`, docs/rules.md and SARIF.
    fn fixable(&self) -> bool {
        false
    }

    /// A finding of this rule at its default level: the only way a rule
    /// makes one, so that the level docs/rules.md and SARIF show is the
    /// level reported.
    fn finding(&self, message: String, location: super::Location) -> Finding {
        Finding {
            rule: self.id(),
            level: self.default_level(),
            message,
            note: None,
            help: None,
            location,
            fix: None,
        }
    }
}

/// Every rule, in id order (a test checks the order).
pub static RULES: &[&dyn Rule] = &[
    &image_pull_secret_empty_name::ImagePullSecretEmptyName,
    &image_pull_secret_no_match::ImagePullSecretNoMatch,
    &image_pull_secret_not_found::ImagePullSecretNotFound,
    &image_pull_secret_not_pull_secret::ImagePullSecretNotPullSecret,
    &image_reference_invalid::ImageReferenceInvalid,
    &missing_image_pull_secrets::MissingImagePullSecrets,
    &pull_secret_auth_mismatch::AuthMismatch,
    &pull_secret_auth_no_colon::AuthNoColon,
    &pull_secret_auth_not_base64::AuthNotBase64,
    &pull_secret_creds_store::CredsStore,
    &pull_secret_empty_credentials::EmptyCredentials,
    &pull_secret_invalid_json::InvalidJson,
    &pull_secret_invalid_registry::InvalidRegistry,
    &pull_secret_legacy_type::PullSecretLegacyType,
    &pull_secret_missing_key::PullSecretMissingKey,
    &pull_secret_no_auths::NoAuths,
    &pull_secret_wrong_type::PullSecretWrongType,
    &sealed_secret_scope_moved::SealedSecretScopeMoved,
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

/// The rule id `id` was probably meant to be, for "did you mean": the one
/// rule whose id ends with `-{id}` (the id without its prefix), else the
/// nearest by edit distance when it is a typo's distance away.
pub fn closest_id(id: &str) -> Option<&'static str> {
    let mut ending = RULES
        .iter()
        .map(|r| r.id())
        .filter(|r| r.ends_with(&format!("-{id}")));
    if let (Some(only), None) = (ending.next(), ending.next()) {
        return Some(only);
    }
    super::typo::closest(id, RULES.iter().map(|r| r.id()))
}

/// ` (did you mean "ID"?)` when there is a likely id, else nothing.
pub fn did_you_mean(id: &str) -> String {
    closest_id(id).map_or(String::new(), |c| format!(" (did you mean {c:?}?)"))
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

/// Every rule, in id order (the same list as [`RULES`]).
pub fn all() -> Vec<&'static dyn Rule> {
    RULES.to_vec()
}

/// Why a fix of a Secret's type or keys is not made in a SealedSecret or
/// an ExternalSecret: the Secret is written elsewhere.
pub(crate) fn unfixable_in_gitops(kind: GitOpsKind) -> super::finding::Fix {
    super::finding::Fix::Unavailable(
        match kind {
            GitOpsKind::SealedSecret => "it is in a SealedSecret: seal the Secret again with the right type and key (`regcred create ... --seal-cert`)",
            GitOpsKind::ExternalSecret => "it is in an ExternalSecret: set the type or key in its spec.target.template or spec.data by hand",
        }
        .to_string(),
    )
}

/// The note every rule shares when the kubelet gives up on the whole Secret.
pub(crate) const KUBELET_GIVES_UP: &str =
    "the kubelet rejects this whole Secret: every image pull of every pod that uses it fails, \
     even for the other registries in it";

#[cfg(test)]
pub(crate) mod testing {
    use super::Rule;
    use crate::lint::finding::{Finding, Location};
    use crate::lint::view::{PayloadFormat, PayloadOrigin, PullSecretView};

    /// Runs one rule over a decoded `.dockerconfigjson` (or `.dockercfg`).
    pub fn check(rule: &dyn Rule, payload: &str, format: PayloadFormat) -> Vec<Finding> {
        let view = PullSecretView::new(payload.as_bytes(), format, PayloadOrigin::SecretData);
        let mut out = Vec::new();
        rule.check_pull_secret(&view, &mut out);
        for finding in &out {
            assert_eq!(finding.rule, rule.id());
        }
        out
    }

    pub fn json(rule: &dyn Rule, payload: &str) -> Vec<Finding> {
        check(rule, payload, PayloadFormat::DockerConfigJson)
    }

    /// The payload text each finding points at.
    pub fn pointed<'a>(findings: &[Finding], payload: &'a str) -> Vec<&'a str> {
        findings
            .iter()
            .map(|f| match &f.location {
                Location::Payload(r) => payload.get(r.clone()).unwrap_or("<out of range>"),
                Location::File(_) => "<file>",
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::finding::Location;
    use crate::lint::view::{PayloadFormat, PayloadOrigin, PullSecretView};
    use proptest::prelude::*;

    // base64 of "SECRETUSER:SECRETPASS", of "SECRETPASS", and a broken one.
    const SECRETS: [&str; 3] = [
        "U0VDUkVUVVNFUjpTRUNSRVRQQVNT",
        "U0VDUkVUUEFTUw==",
        "U0VDUkVU UEFTUw",
    ];

    fn value() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "null",
            "1e400",
            "7",
            "true",
            "{}",
            "[]",
            "\"\"",
            "\"SECRETPASS\"",
            "\"SECRETUSER\"",
            "\"U0VDUkVUVVNFUjpTRUNSRVRQQVNT\"",
            "\"U0VDUkVUUEFTUw==\"",
            "\"U0VDUkVU UEFTUw\"",
        ])
        .prop_map(str::to_string)
    }

    fn key(names: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::sample::select(names).prop_map(|k| format!("\"{k}\""))
    }

    fn object(members: Vec<(String, String)>) -> String {
        let inner: Vec<String> = members
            .into_iter()
            .map(|(k, v)| format!("{k}:{v}"))
            .collect();
        format!("{{{}}}", inner.join(","))
    }

    /// Pull-secret-shaped JSON, then maybe cut or prefixed with a BOM.
    fn payload() -> impl Strategy<Value = String> {
        let field = key(&["auth", "username", "password", "Auth", "identitytoken", "x"]);
        // An auth next to a username that may or may not agree with it.
        let auth_and_user = (prop::sample::select(&SECRETS[..]), value())
            .prop_map(|(auth, user)| format!("{{\"auth\":\"{auth}\",\"username\":{user}}}"));
        let entry = prop_oneof![
            3 => prop::collection::vec((field, value()), 0..4).prop_map(object),
            1 => auth_and_user,
            1 => value(),
        ];
        let registry = key(&["reg.io", "<reg>", "reg.io:abc", "REG", "", "auths"]);
        let registries = prop::collection::vec((registry, entry), 0..4)
            .prop_map(object)
            .boxed();
        let top = key(&["auths", "AUTHS", "credsStore", "HttpHeaders", "other"]);
        let top_value = prop_oneof![3 => registries.clone(), 1 => value()];
        let doc = prop_oneof![
            3 => prop::collection::vec((top, top_value), 0..4).prop_map(object),
            1 => registries,
            1 => value(),
        ];
        (doc, 0..10usize, any::<prop::sample::Index>()).prop_map(|(doc, op, at)| match op {
            0 => doc.get(..at.index(doc.len() + 1)).unwrap_or("").to_string(),
            1 => format!("\u{feff}{doc}"),
            2 => format!("{doc} x"),
            _ => doc,
        })
    }

    /// On any payload: no panic, spans inside the payload, and no
    /// credential (plain or base64) in any message, note, help or Debug.
    /// The inputs must make every payload rule fire somewhere.
    #[test]
    fn rules_are_total_and_never_leak() {
        let fired = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
        // A fixed seed keeps the coverage assertion below stable.
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            ProptestConfig::with_cases(5000),
            proptest::test_runner::TestRng::deterministic_rng(
                proptest::test_runner::RngAlgorithm::ChaCha,
            ),
        );
        let result = runner.run(&(payload(), any::<bool>()), |(payload, cfg)| {
            let format = if cfg {
                PayloadFormat::DockerCfg
            } else {
                PayloadFormat::DockerConfigJson
            };
            let view = PullSecretView::new(payload.as_bytes(), format, PayloadOrigin::SecretData);
            let mut out = Vec::new();
            for rule in super::all() {
                rule.check_pull_secret(&view, &mut out);
            }
            for finding in &out {
                *fired.borrow_mut().entry(finding.rule).or_default() += 1;
            }
            for finding in &out {
                let Location::Payload(span) = &finding.location else {
                    panic!("payload rules point into the payload");
                };
                prop_assert!(span.start <= span.end && span.end <= payload.len());
                let words = format!("{} {:?} {:?}", finding.message, finding.note, finding.help);
                prop_assert!(!words.contains("SECRET"), "{}", words);
                for secret in SECRETS {
                    prop_assert!(!words.contains(secret), "{}", words);
                }
            }
            let debug = format!("{view:?}");
            prop_assert!(!debug.contains("SECRET"));
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        // The payload rules; the Secret-level pull-secret rules never see payloads.
        let all: Vec<_> = super::all()
            .iter()
            .map(|r| r.id())
            .filter(|id| id.starts_with("pull-secret-"))
            .filter(|id| {
                !matches!(
                    *id,
                    "pull-secret-legacy-type"
                        | "pull-secret-missing-key"
                        | "pull-secret-wrong-type"
                )
            })
            .collect();
        let fired = fired.into_inner();
        eprintln!("findings per rule: {fired:?}");
        for id in all {
            assert!(
                fired.get(id).copied().unwrap_or(0) >= 5,
                "{id} fired too rarely: {fired:?}"
            );
        }
    }

    /// Each payload rule's `//!` text (its `regcred explain` page) has
    /// the house shape (as in docs/rules.md): the id, then What it checks, Why, Bad, Good.
    #[test]
    fn explanations_have_the_house_shape() {
        let sources = [
            (
                "pull-secret-auth-mismatch",
                include_str!("pull_secret_auth_mismatch.rs"),
            ),
            (
                "pull-secret-auth-no-colon",
                include_str!("pull_secret_auth_no_colon.rs"),
            ),
            (
                "pull-secret-auth-not-base64",
                include_str!("pull_secret_auth_not_base64.rs"),
            ),
            (
                "pull-secret-creds-store",
                include_str!("pull_secret_creds_store.rs"),
            ),
            (
                "pull-secret-empty-credentials",
                include_str!("pull_secret_empty_credentials.rs"),
            ),
            (
                "pull-secret-invalid-json",
                include_str!("pull_secret_invalid_json.rs"),
            ),
            (
                "pull-secret-invalid-registry",
                include_str!("pull_secret_invalid_registry.rs"),
            ),
            (
                "pull-secret-no-auths",
                include_str!("pull_secret_no_auths.rs"),
            ),
            (
                "image-pull-secret-empty-name",
                include_str!("image_pull_secret_empty_name.rs"),
            ),
            (
                "image-pull-secret-no-match",
                include_str!("image_pull_secret_no_match.rs"),
            ),
            (
                "image-pull-secret-not-found",
                include_str!("image_pull_secret_not_found.rs"),
            ),
            (
                "image-pull-secret-not-pull-secret",
                include_str!("image_pull_secret_not_pull_secret.rs"),
            ),
            (
                "image-reference-invalid",
                include_str!("image_reference_invalid.rs"),
            ),
            (
                "missing-image-pull-secrets",
                include_str!("missing_image_pull_secrets.rs"),
            ),
            (
                "sealed-secret-scope-moved",
                include_str!("sealed_secret_scope_moved.rs"),
            ),
        ];
        let ids: Vec<_> = super::all().iter().map(|r| r.id()).collect();
        for (id, source) in sources {
            assert!(ids.contains(&id), "{id} is not registered");
            let doc: Vec<&str> = source
                .lines()
                .take_while(|l| l.starts_with("//!"))
                .map(|l| l.trim_start_matches("//!").trim())
                .collect();
            assert_eq!(doc.first().copied(), Some(id));
            let text = doc.join("\n");
            let mut at = 0;
            for heading in [
                "**What it checks.**",
                "**Why.**",
                "**Bad**",
                "```yaml",
                "**Good**",
                "```yaml",
            ] {
                let found = text[at..].find(heading);
                assert!(found.is_some(), "{id}: missing {heading} in order");
                at += found.unwrap_or(0) + heading.len();
            }
        }
    }

    #[test]
    fn registry_is_in_id_order_without_duplicates() {
        let ids: Vec<_> = super::all().iter().map(|r| r.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }
}
