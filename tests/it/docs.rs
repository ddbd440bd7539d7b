//! docs/rules.md is generated from the rule files' `//!` texts. This test
//! fails when it is stale; `REGCRED_BLESS=1 cargo test --test it docs::` rewrites it.

use std::path::Path;

use regcred::lint::rules::{catalogue, explanation, RULES};

#[test]
fn rules_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let expected = catalogue::markdown();
    if std::env::var_os("REGCRED_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `REGCRED_BLESS=1 cargo test --test it docs::`"
    );
}

/// The README's rules table sits between two markers and is the same table.
#[test]
fn readme_rules_table_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- rules:begin -->\n", "<!-- rules:end -->");
    let from = readme.find(begin).expect("README has the rules markers") + begin.len();
    let to = from
        + readme[from..]
            .find(end)
            .expect("README closes the rules table");
    let expected = catalogue::table("docs/rules.md");
    if std::env::var_os("REGCRED_BLESS").is_some() {
        let updated = format!("{}{expected}{}", &readme[..from], &readme[to..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[from..to] == expected,
        "README's rules table is stale: run `REGCRED_BLESS=1 cargo test --test it docs::`"
    );
}

#[test]
fn every_rule_has_an_explanation_with_examples() {
    for rule in RULES {
        let text =
            explanation(rule.id()).unwrap_or_else(|| panic!("{} has no //! text", rule.id()));
        for part in ["**What it checks.**", "**Why.**", "**Bad**", "**Good**"] {
            assert!(text.contains(part), "{} lacks {part}", rule.id());
        }
        assert!(!catalogue::summary(*rule).is_empty());
    }
}

#[test]
fn ids_are_sorted_unique_kebab_case() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.id()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "RULES must be in id order, without duplicates");
    for id in ids {
        assert!(
            id.split('-').all(|p| !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{id}"
        );
    }
}
