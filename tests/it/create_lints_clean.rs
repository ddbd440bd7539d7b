//! What `regcred create` writes always lints clean: random credentials,
//! registries, names and namespaces, both payload formats, YAML and JSON,
//! both kubectl dialects. Only the legacy-format info may appear, and only
//! for `.dockercfg`.

use proptest::prelude::*;
use regcred::dockercfg::payload::{self, PayloadKind};
use regcred::dockercfg::Credential;
use regcred::generate::{json, yaml, Dialect, Secret};
use regcred::lint::input::InputKind;
use regcred::lint::Linter;

fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex(&format!("[ -~]{{1,{max}}}")).unwrap(),
        proptest::string::string_regex(&format!("\\PC{{1,{max}}}")).unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn created_secrets_lint_clean(
        user in text(30).prop_map(|u| u.replace(':', "")).prop_filter("user", |u| !u.is_empty()),
        pass in text(80),
        email in proptest::option::of("[a-z]{1,8}@[a-z]{1,8}\\.com"),
        server in "(https://)?[a-z]{1,8}(\\.[a-z]{2,6}){1,2}(:[0-9]{2,4})?(/[a-z]{1,6})?",
        name in "[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?",
        namespace in proptest::option::of("[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?"),
        legacy_format in any::<bool>(),
        legacy_dialect in any::<bool>(),
        as_json in any::<bool>(),
    ) {
        let kind = if legacy_format { PayloadKind::DockerCfg } else { PayloadKind::DockerConfigJson };
        let cred = Credential::new(user.into_bytes(), pass.into_bytes(), email.unwrap_or_default().into_bytes());
        let secret = Secret {
            name,
            namespace,
            labels: vec![],
            annotations: vec![],
            kind,
            payload: payload::build(kind, &[(server.into_bytes(), cred)]),
        };
        let dialect = if legacy_dialect { Dialect::Legacy } else { Dialect::Current };
        let (bytes, path) = if as_json {
            (json::render(&secret, dialect), "secret.json")
        } else {
            (yaml::render(&secret, dialect).into_bytes(), "secret.yaml")
        };
        let result = Linter::default().lint_source(path, None, &bytes, InputKind::Manifest);
        prop_assert_eq!(result.objects, 1);
        let rules: Vec<&str> = result.findings.iter().map(|f| f.rule).collect();
        let expected: Vec<&str> = if legacy_format { vec!["pull-secret-legacy-type"] } else { vec![] };
        prop_assert_eq!(rules, expected);
    }
}
