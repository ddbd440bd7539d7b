//! Round trips over random credentials: the rendered Secret decodes back to
//! the payload, the payload's strings to what went in (invalid UTF-8
//! replaced as Go does), and `auth` decodes the way the kubelet decodes it
//! (docs/kubernetes.md §2) to exactly the bytes of `username:password`.

use proptest::prelude::*;
use regcred::dockercfg::payload::{self, PayloadKind};
use regcred::dockercfg::Credential;
use regcred::generate::{json, yaml, Dialect, Secret};
use regcred::gocompat::base64::{decode, decode_auth_field, Padding};
use zeroize::Zeroizing;

/// Go's string conversion of bytes: one U+FFFD per invalid byte.
fn go_lossy(bytes: &[u8]) -> String {
    let mut s = String::new();
    for chunk in bytes.utf8_chunks() {
        s.push_str(chunk.valid());
        for _ in chunk.invalid() {
            s.push('\u{fffd}');
        }
    }
    s
}

fn bytes_strategy(min: usize, max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), min..max),
        "\\PC{1,40}".prop_map(|s: String| s.into_bytes()),
        proptest::collection::vec(
            prop_oneof![
                Just(b'"'),
                Just(b'\\'),
                Just(b'<'),
                Just(0x7f),
                Just(0xff),
                Just(b'\n'),
                any::<u8>()
            ],
            min..max
        ),
    ]
    .prop_filter("non-empty", move |v| v.len() >= min.max(1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn payload_round_trips(
        user in bytes_strategy(1, 40).prop_map(|v| v.into_iter().filter(|&b| b != b':').collect::<Vec<u8>>()).prop_filter("user", |v| !v.is_empty()),
        pass in bytes_strategy(1, 200),
        email in proptest::option::of(bytes_strategy(1, 30)),
        server in "[a-z0-9.:/-]{1,30}",
        legacy in any::<bool>(),
        as_json in any::<bool>(),
    ) {
        let kind = if legacy { PayloadKind::DockerCfg } else { PayloadKind::DockerConfigJson };
        let cred = Credential::new(user.clone(), pass.clone(), email.clone().unwrap_or_default());
        let bytes = payload::build(kind, &[(server.clone().into_bytes(), cred)]);
        let secret = Secret {
            name: "pull".into(),
            namespace: None,
            labels: vec![],
            annotations: vec![],
            kind,
            payload: bytes,
        };

        // Rendered Secret -> data value -> payload bytes.
        let data_value = if as_json {
            let doc: serde_json::Value = serde_json::from_slice(&json::render(&secret, Dialect::Current)).unwrap();
            doc["data"][kind.data_key()].as_str().unwrap().to_string()
        } else {
            let text = yaml::render(&secret, Dialect::Legacy);
            let prefix = format!("  {}: ", kind.data_key());
            let line = text.lines().find(|l| l.starts_with(&prefix)).unwrap();
            line[prefix.len()..].to_string()
        };
        let decoded = decode(data_value.as_bytes(), Padding::Required).unwrap();
        prop_assert_eq!(&decoded, &*secret.payload);

        // Payload -> entry, as Go (and the kubelet) read it.
        let doc: serde_json::Value = serde_json::from_slice(&decoded).unwrap();
        let entry = if legacy { &doc[&server] } else { &doc["auths"][&server] };
        prop_assert_eq!(entry["username"].as_str().unwrap(), go_lossy(&user));
        prop_assert_eq!(entry["password"].as_str().unwrap(), go_lossy(&pass));
        match &email {
            Some(e) => prop_assert_eq!(entry["email"].as_str().unwrap(), go_lossy(e)),
            None => prop_assert!(entry.get("email").is_none()),
        }

        // The kubelet: auth wins, split at the first ':'.
        let auth = decode_auth_field(entry["auth"].as_str().unwrap()).unwrap();
        let colon = auth.iter().position(|&b| b == b':').unwrap();
        prop_assert_eq!(&auth[..colon], &user[..]);
        prop_assert_eq!(&auth[colon + 1..], &pass[..]);
        let _ = Zeroizing::new(auth);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Hostile strings never make the YAML writer panic, and its output is
    /// one document ending in a line feed.
    #[test]
    fn yaml_writer_never_panics(s in "\\PC*|[ -~\\n\\t\u{85}\u{2028}\u{feff}]{0,200}", k in "[a-z0-9]{1,5}") {
        let mut e = regcred::gocompat::yaml_quote::Emitter::new();
        e.key(0, "m");
        e.key(1, &k);
        e.value(1, &s);
        e.key(1, &s);
        e.value(1, &s);
        e.end();
        prop_assert!(e.finish().ends_with('\n'));
        let _ = regcred::gocompat::yaml_resolve::resolves_to_non_string(&s);
    }

    /// Any bytes as a config file: an error or a config, never a panic.
    #[test]
    fn config_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300), json in "\\{\"auths\":\\{\"[a-z.]{1,9}\":\\{\"auth\":\"[A-Za-z0-9+/=:!]{0,12}\"\\}\\}\\}") {
        for input in [bytes, json.into_bytes()] {
            let _ = regcred::dockercfg::ConfigFile::parse(std::path::Path::new("c.json"), Zeroizing::new(input));
        }
    }
}
