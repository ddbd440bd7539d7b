//! Items a KRM function passes through come out meaning what went in: the
//! YAML writer of `krm::node` round-trips arbitrary trees (any string, in
//! keys and values; plain scalars as the parser gives them).

use proptest::prelude::*;
use regcred::krm::node::{parse, to_yaml, Node, Scalar};

fn plain() -> impl Strategy<Value = Node> {
    prop::sample::select(vec![
        "8080",
        "-1",
        "1.5e3",
        "0x1f",
        "true",
        "yes",
        "no",
        "null",
        "~",
        "word",
        "a b",
        "a.b-c",
        "http://x/y",
        "a#b",
        "2024-01-01",
    ])
    .prop_map(|t| {
        Node::Scalar(Scalar {
            text: t.to_string(),
            plain: true,
            tag: None,
        })
    })
}

fn quoted() -> impl Strategy<Value = Node> {
    any::<String>().prop_map(Node::string)
}

fn tree() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![plain(), quoted()];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Node::Sequence),
            prop::collection::vec((any::<String>(), inner), 0..5).prop_map(|entries| {
                // Keys are distinct in a mapping.
                let mut seen = std::collections::HashSet::new();
                Node::Mapping(
                    entries
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn round_trip(node in tree()) {
        let text = to_yaml(&node);
        let back = parse(&text);
        prop_assert!(back.is_ok(), "{text:?}: {back:?}");
        prop_assert_eq!(back.ok(), Some(node), "{}", text);
    }

    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = parse(&text);
    }
}
