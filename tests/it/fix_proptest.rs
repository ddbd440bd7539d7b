//! `--fix` on generated Secrets and pods in many layouts (indentation 2 or
//! 4, LF or CRLF, block or flow, quoting, comments, type missing or wrong,
//! near-miss keys, sequence styles): the fixed text parses, keeps every
//! other scalar where it was, no longer has the fixed findings, keeps its
//! line breaks, and a second fix changes nothing.

use proptest::prelude::*;
use regcred::fix::choose::Chooser;
use regcred::fix::file_fix::fix_file;
use regcred::lint::input::InputKind;
use regcred::lint::{Linter, Reported};

const PAYLOAD: &str = "eyJhdXRocyI6eyJyZWcuZXhhbXBsZSI6eyJhdXRoIjoiZFRwdyJ9fX0=";

fn lint(linter: &Linter, bytes: &[u8]) -> Vec<Reported> {
    linter
        .lint_source("x.yaml", None, bytes, InputKind::Manifest)
        .findings
}

#[derive(Debug, Clone)]
struct Layout {
    indent: usize,
    crlf: bool,
    flow_data: bool,
    quote: usize,
    type_line: usize,
    key: usize,
    comment: bool,
    final_break: bool,
    pod_first: bool,
    seq_indent: bool,
    flow_pod: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop_oneof![Just(2usize), Just(4usize)],
        any::<bool>(),
        any::<bool>(),
        0usize..3,
        0usize..4,
        0usize..4,
        any::<bool>(),
        any::<bool>(),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(
                indent,
                crlf,
                flow_data,
                quote,
                type_line,
                key,
                comment,
                final_break,
                (pod_first, seq_indent, flow_pod),
            )| Layout {
                indent,
                crlf,
                flow_data,
                quote,
                type_line,
                key,
                comment,
                final_break,
                pod_first,
                seq_indent,
                flow_pod,
            },
        )
}

fn quoted(s: &str, quote: usize) -> String {
    match quote {
        0 => s.to_string(),
        1 => format!("'{s}'"),
        _ => format!("\"{s}\""),
    }
}

fn render(l: &Layout) -> String {
    let i = " ".repeat(l.indent);
    let comment = if l.comment { "  # note" } else { "" };
    // type_line: 0 none, 1 Opaque, 2 pull type (key is the problem), 3 empty
    let (type_text, key) = match (l.type_line, l.key) {
        (2, 0) => (Some("kubernetes.io/dockerconfigjson"), "dockerconfigjson"),
        (2, 1) => (Some("kubernetes.io/dockerconfigjson"), "config.json"),
        (2, _) => (Some("kubernetes.io/dockerconfigjson"), ".DockerConfigJSON"),
        (1, _) => (Some("Opaque"), ".dockerconfigjson"),
        (3, _) => (Some(""), ".dockerconfigjson"),
        _ => (None, ".dockerconfigjson"),
    };
    let mut secret = format!("apiVersion: v1\nkind: Secret\nmetadata:\n{i}name: pull{comment}\n");
    if let Some(t) = type_text {
        if t.is_empty() {
            secret.push_str("type:\n");
        } else {
            secret.push_str(&format!("type: {}{comment}\n", quoted(t, l.quote)));
        }
    }
    if l.flow_data {
        secret.push_str(&format!(
            "data: {{{}: {PAYLOAD}}}{comment}\n",
            quoted(key, l.quote)
        ));
    } else {
        secret.push_str(&format!(
            "data:\n{i}{}: {PAYLOAD}{comment}\n",
            quoted(key, l.quote)
        ));
    }
    let dash = if l.seq_indent {
        i.clone()
    } else {
        String::new()
    };
    let pod = if l.flow_pod {
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: reg.example/a}]}\n".to_string()
    } else {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n{i}name: p\nspec:\n{i}containers:\n{i}{dash}- name: a{comment}\n{i}{dash}  image: reg.example/a\n"
        )
    };
    let mut text = if l.pod_first {
        format!("{pod}---\n{secret}")
    } else {
        format!("{secret}---\n{pod}")
    };
    if !l.final_break {
        text.pop();
    }
    if l.crlf {
        text = text.replace('\n', "\r\n");
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fixes_hold_in_every_layout(l in layout()) {
        let linter = Linter::default();
        let text = render(&l);
        let findings = lint(&linter, text.as_bytes());
        let fixable: Vec<&Reported> = findings
            .iter()
            .filter(|f| f.rule == "pull-secret-wrong-type" || f.rule == "pull-secret-missing-key")
            .collect();
        prop_assert!(!fixable.is_empty(), "{text}\n{findings:?}");
        let chooser = Chooser::default();
        let fix = fix_file(&linter, "x.yaml", None, text.as_bytes(), InputKind::Manifest, &fixable, &chooser)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert!(fix.changes(), "{text}");
        let fixed = String::from_utf8(fix.fixed.clone()).unwrap();
        let after = lint(&linter, fixed.as_bytes());
        prop_assert!(
            !after.iter().any(|f| f.rule == "pull-secret-wrong-type" || f.rule == "pull-secret-missing-key"),
            "{fixed}\n{after:?}"
        );
        if l.crlf {
            prop_assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count(), "{}", fixed);
        }
        prop_assert!(fixed.contains(PAYLOAD));
        let again: Vec<&Reported> = after
            .iter()
            .filter(|f| f.rule == "pull-secret-wrong-type" || f.rule == "pull-secret-missing-key")
            .collect();
        let second = fix_file(&linter, "x.yaml", None, fixed.as_bytes(), InputKind::Manifest, &again, &chooser)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!second.changes());
        prop_assert_eq!(second.fixed, fix.fixed);
    }
}

/// The pod half of the generated files, through the generic insertion.
#[test]
fn pull_secrets_go_in_every_generated_layout() {
    use regcred::manifest::edit::apply;
    use regcred::manifest::workload::{add_pull_secret, pod_spec};
    use regcred::manifest::{objects, parse_stream};

    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&layout(), |l| {
            let text = render(&l);
            let docs = parse_stream(&text).unwrap();
            let mut edits = Vec::new();
            for object in objects(&docs) {
                let root = docs[object.id.document].root.as_ref().unwrap();
                if let Some(spec) = pod_spec(&object, &text).map(|v| v.spec) {
                    edits.push(add_pull_secret(&text, spec, root, "regcred").unwrap());
                }
            }
            prop_assert_eq!(edits.len(), 1);
            let fixed = apply(&text, &edits).unwrap();
            let new_docs =
                parse_stream(&fixed).map_err(|e| TestCaseError::fail(format!("{e:?}\n{fixed}")))?;
            let edits = regcred::manifest::edit::sorted(edits, &text).unwrap();
            prop_assert_eq!(
                regcred::fix::preserved::first_lost(&docs, &new_docs, &edits),
                None,
                "{}",
                fixed
            );
            let specs: Vec<_> = objects(&new_docs)
                .iter()
                .flat_map(|o| pod_spec(o, &fixed).map(|v| v.spec))
                .map(|s| s.path(&["imagePullSecrets"]).map(|l| l.items().len()))
                .collect();
            prop_assert_eq!(specs, vec![Some(1)], "{}", fixed);
            if l.crlf {
                prop_assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count());
            }
            Ok(())
        })
        .unwrap();
}

/// Fixture files with random bytes spliced in (YAML punctuation, line
/// breaks, tabs, multi-byte characters): fixing never panics; whatever it
/// writes parses, and fixing that again changes nothing.
#[test]
fn mangled_fixtures_never_break_the_fixer() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fix");
    let mut files = Vec::new();
    for sub in [
        "wrong-type",
        "missing-key",
        "pods",
        "kustomize",
        "unfixable",
    ] {
        for entry in std::fs::read_dir(format!("{dir}/{sub}")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".yaml") || name.ends_with(".json") {
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    let pieces = prop_oneof![
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("#".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("|+\n".to_string()),
        Just("é".to_string()),
        Just("type: Opaque\n".to_string()),
        Just("  imagePullSecrets: []\n".to_string()),
    ];
    let strategy = (
        0..files.len(),
        proptest::collection::vec((any::<proptest::sample::Index>(), pieces), 1..4),
    );
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(400));
    let changed = std::cell::Cell::new(0);
    let linter = Linter::default();
    let chooser = Chooser {
        explicit: Some("regcred".into()),
        ..Chooser::default()
    };
    runner
        .run(&strategy, |(which, splices)| {
            let (name, original) = &files[which];
            let mut bytes = original.clone();
            for (at, piece) in splices {
                let at = at.index(bytes.len() + 1);
                bytes.splice(at..at, piece.bytes());
            }
            let kind = if name == "kustomization.yaml" {
                InputKind::Kustomization
            } else {
                InputKind::Manifest
            };
            let findings = linter.lint_source(name, None, &bytes, kind).findings;
            let refs: Vec<&Reported> = findings.iter().collect();
            // Refusing (a mangled file that no longer parses) is fine.
            let Ok(fix) = fix_file(&linter, name, None, &bytes, kind, &refs, &chooser) else {
                return Ok(());
            };
            if !fix.changes() {
                return Ok(());
            }
            changed.set(changed.get() + 1);
            let text = String::from_utf8(fix.fixed.clone()).unwrap();
            let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
            prop_assert!(regcred::manifest::parse_stream(body).is_ok(), "{}", text);
            // Fixing again converges (a Secret given its type can make a
            // pod in the file fixable in the next round, as `--fix` does
            // in rounds): by the third round nothing changes.
            let mut bytes = fix.fixed.clone();
            for round in 2..=3 {
                let again = linter.lint_source(name, None, &bytes, kind).findings;
                let refs: Vec<&Reported> = again.iter().collect();
                let Ok(next) = fix_file(&linter, name, None, &bytes, kind, &refs, &chooser) else {
                    break;
                };
                if !next.changes() {
                    break;
                }
                prop_assert!(round < 3, "still changing in round {}:\n{}", round, text);
                bytes = next.fixed;
            }
            Ok(())
        })
        .unwrap();
    // Most mangled files must still be fixable, or this tests nothing.
    assert!(changed.get() > 50, "only {} fixed", changed.get());
}
