//! The block-YAML fast path (src/manifest/block_yaml.rs) must give exactly
//! the documents saphyr gives, or decline. Differential tests: every YAML
//! and JSON file of the repository's fixtures and tests, and generated
//! block YAML full of what the fast path must see through or decline
//! (odd indentation, tabs, trailing spaces, `: ` and `#` inside values,
//! keys typed by YAML 1.1, quoting and escapes, CRLF, a BOM, non-ASCII,
//! `...` markers, literal blocks). `cargo bench --bench parse_diff -- DIR`
//! runs the same comparison over any folder.

use crate::common;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use regcred::manifest::yaml::{parse_fast, parse_saphyr};

type Filter<'a> = &'a dyn Fn(&str) -> bool;

/// Every tree built, and only the documents naming `Secret` (as the
/// pre-scan's filter skips most documents).
const FILTERS: [Filter<'static>; 2] = [&|_| true, &|d| d.contains("Secret")];

/// Whether the fast path read `text`; panics if it read it differently.
fn agrees(text: &str, what: &str) -> bool {
    let mut took = false;
    for filter in FILTERS {
        if let Some(fast) = parse_fast(text, filter) {
            let exact = parse_saphyr(text, filter);
            assert_eq!(
                exact.as_ref().ok(),
                Some(&fast),
                "{what}: the fast path differs from saphyr on {text:?}"
            );
            took = true;
        }
    }
    took
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn fixtures_and_test_inputs_read_the_same() {
    let root = common::manifest_dir();
    let mut files = Vec::new();
    yaml_files(&root.join("fixtures"), &mut files);
    yaml_files(&root.join("tests"), &mut files);
    let mut took = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        took += usize::from(agrees(&text, &path.display().to_string()));
    }
    assert!(files.len() > 100, "{} files", files.len());
    // Most fixtures are plain block YAML: the fast path must take them.
    assert!(took * 3 > files.len(), "{took} of {} files", files.len());
}

#[test]
fn hand_picked_edges() {
    let cases = [
        "a: 1\nb: two  # c\n",
        "a:\n- x\n- y: 1\n  z: 2\nb: 3\n",
        "a:\n  - x\n  -   y: 1\n      z: 'q''r'\n",
        "---\na: \"x\\ty\\\\\"\n--- # c\nb: []\nc: {}\n...\n",
        "a: |\n  x\n\n  # not a comment\n   more\n\nb: |-\n  y  \nc: 1\n",
        "# c\n\non: yes\ny: n\n0x1F: 0755\n~: null\n",
        "a: b:c\nd: e#f\ng: h # i: j\nk: http://x:80/y\n",
        "é: \"ü €\"\nnøn: ascii\n",
        "- a\n- b\n---\n- c\n",
        "a: 1\n...\nb: 2\n",
        "kind: Secret\ndata:\n  x: eA==\n---\nkind: ConfigMap\ndata:\n  y: z\n",
        // Declined or refused: each must not be read differently.
        "a: b: c\n",
        "a:\n  b\n",
        "a: x\n  y\n",
        "a: 'x\n  y'\n",
        "a:\n",
        "a:\nb: 1\n",
        "---\n",
        "a: 1\n---\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a:\tb\n",
        "a: 1\r\nb: 2\r\n",
        "\u{feff}a: 1\n",
        "a: |\n  x",
        "a: |\n  x\n  ",
        "a: |\n\n  x\n",
        "a: >\n  x\n  y\n",
        "  a: 1\n",
        "a: 1\n b: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "- a\n  - b\n",
        "a: [1, 2]\n",
        "a: \"\\x41\"\n",
        "? a\n: b\n",
        "a: 1\nb\n",
        "- a\nb: 1\n",
        "a: x # c\n  y\n",
    ];
    let mut took = 0;
    for text in cases {
        took += usize::from(agrees(text, "hand-picked"));
    }
    assert!(took >= 11, "the fast path took {took} cases");
}

const KEYS: &[&str] = &[
    "a",
    "name",
    "image",
    "on",
    "y",
    "No",
    "0x1F",
    "0755",
    "1e3",
    "~",
    "null",
    "<<",
    "key with spaces",
    "k:v",
    "x#y",
    "-dash",
    "é",
    "\"quoted\"",
    "'single'",
    "\"a: b\"",
    "\"esc\\\"aped\"",
    "kind",
    "data",
    // Declined or refused.
    "?q",
    "&a k",
    "k ",
];

/// Values the fast path reads, then (from [`GOOD_SCALARS`] on) values it
/// must decline or that saphyr refuses.
const SCALARS: &[&str] = &[
    "v",
    "two words",
    "Secret",
    "true",
    "yes",
    "off",
    "0755",
    "0x1F",
    "-12",
    "1.5",
    "1e400",
    ".inf",
    "~",
    "null",
    "2024-01-01",
    "http://x:80/y",
    "nginx:1.25",
    "a#b",
    "a # comment",
    "x:y",
    "--flag=1",
    "café",
    "中文 値",
    "\"\"",
    "''",
    "\"double\"",
    "'it''s'",
    "\"tab\\tnew\\nquote\\\"slash\\/bs\\\\\"",
    "\"x\"  # c",
    "[]",
    "{}",
    "v  ",
    "v\u{a0}",
    "...",
    "---",
    "a: b",
    "a:",
    "-",
    "- x",
    "\"\\u00e9\"",
    "\"\\x41\"",
    "\"\\q\"",
    "\"unterminated",
    "'x' y",
    "\"x\"# c",
    "[a, b]",
    "{a: 1}",
    "[ ]",
    "&anchor v",
    "*alias",
    "!!str 5",
    "|",
    "|-",
    ">",
    "|+",
    "|2",
    "@at",
    "`tick`",
    "%pct",
    "?q",
    ":c",
];
const GOOD_SCALARS: usize = 35;

const GOOD_KEYS: usize = 23;

fn key() -> impl Strategy<Value = usize> {
    prop_oneof![40 => 0..GOOD_KEYS, 1 => GOOD_KEYS..KEYS.len()]
}

#[derive(Debug, Clone)]
enum Tree {
    Scalar(usize),
    Block(Vec<usize>, bool),
    Map(Vec<(usize, Tree)>),
    Seq(Vec<Tree>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        40 => (0..GOOD_SCALARS).prop_map(Tree::Scalar),
        1 => (GOOD_SCALARS..SCALARS.len()).prop_map(Tree::Scalar),
        1 => (prop::collection::vec(0..BLOCK_LINES.len(), 1..5), any::<bool>())
            .prop_map(|(lines, strip)| Tree::Block(lines, strip)),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            3 => prop::collection::vec((key(), inner.clone()), 1..6).prop_map(Tree::Map),
            2 => prop::collection::vec(inner, 1..5).prop_map(Tree::Seq),
        ]
    })
}

const BLOCK_LINES: &[&str] = &["line", "", "# hash", "  more", "x: y", "- z", "end  ", "ü"];

/// Rendering choices, drawn from a seed: indentation steps, indentless
/// sequences, comments, blank lines, trailing spaces.
struct Choices(u64);

impl Choices {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next(n) == 0
    }
}

fn render(tree: &Tree, indent: usize, c: &mut Choices, out: &mut String) {
    let pad = " ".repeat(indent);
    match tree {
        Tree::Map(entries) => {
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 || out.ends_with('\n') || out.is_empty() {
                    out.push_str(&pad);
                }
                out.push_str(KEYS[*key]);
                out.push(':');
                value_after(value, indent, c, out, true);
                extras(indent, c, out);
            }
        }
        Tree::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 || out.ends_with('\n') || out.is_empty() {
                    out.push_str(&pad);
                }
                out.push('-');
                value_after(item, indent, c, out, false);
                extras(indent, c, out);
            }
        }
        Tree::Scalar(_) | Tree::Block(..) => value_after(tree, indent, c, out, false),
    }
}

/// A value after `key:` or `-` at `indent`.
fn value_after(value: &Tree, indent: usize, c: &mut Choices, out: &mut String, in_map: bool) {
    match value {
        Tree::Scalar(s) => {
            out.push(' ');
            out.push_str(SCALARS[*s]);
            end_line(c, out);
        }
        Tree::Block(lines, strip) => {
            out.push_str(if *strip { " |-" } else { " |" });
            end_line(c, out);
            let step = 1 + c.next(3) as usize;
            for line in lines {
                if !BLOCK_LINES[*line].is_empty() {
                    out.push_str(&" ".repeat(indent + step));
                }
                out.push_str(BLOCK_LINES[*line]);
                out.push('\n');
            }
        }
        Tree::Map(_) | Tree::Seq(_) => {
            let inline = !in_map && matches!(value, Tree::Map(_)) && !c.one_in(4);
            if inline {
                // `- key: value`, the mapping at the dash's column + 2.
                let spaces = if c.one_in(5) { 3 } else { 1 };
                out.push_str(&" ".repeat(spaces));
                let mut inner = String::new();
                render(value, indent + 1 + spaces, c, &mut inner);
                out.push_str(&inner);
                return;
            }
            end_line(c, out);
            let indentless = in_map && matches!(value, Tree::Seq(_)) && c.one_in(2);
            let step = if indentless {
                0
            } else {
                [2, 2, 2, 4, 1, 3][c.next(6) as usize]
            };
            render(value, indent + step, c, out);
        }
    }
}

fn end_line(c: &mut Choices, out: &mut String) {
    match c.next(12) {
        0 => out.push_str("  # comment: with # signs"),
        1 => out.push_str("   "),
        2 => out.push_str(" #"),
        _ => {}
    }
    out.push('\n');
}

/// Blank and comment lines between entries, at any indentation.
fn extras(indent: usize, c: &mut Choices, out: &mut String) {
    match c.next(16) {
        0 => out.push('\n'),
        1 => out.push_str(&format!(
            "{}# note\n",
            " ".repeat(c.next(indent as u64 + 3) as usize)
        )),
        2 => out.push_str("   \n"),
        _ => {}
    }
}

/// Mistakes and encodings applied to a rendered stream.
fn perturb(text: String, c: &mut Choices) -> String {
    let mut text = text;
    match c.next(24) {
        0 => text = text.replace('\n', "\r\n"),
        1 => text.insert(0, '\u{feff}'),
        2 => {
            // One line indented one space more or less.
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let at = c.next(lines.len() as u64) as usize;
            let mut out = String::new();
            for (i, line) in lines.iter().enumerate() {
                if i == at {
                    if let Some(rest) = line.strip_prefix(' ') {
                        out.push_str(rest);
                        continue;
                    }
                    out.push(' ');
                }
                out.push_str(line);
            }
            text = out;
        }
        3 => {
            if let Some(at) = text.find(": ") {
                text.replace_range(at + 1..at + 2, "\t");
            }
        }
        4 => text.push_str("trailing"),
        5 => {
            text.pop();
        }
        6 => text.insert_str(0, "# café\n"),
        _ => {}
    }
    text
}

const SEPARATORS: &[&str] = &["---\n", "--- # c\n", "...\n---\n", "...\n", "---\n\n# c\n"];

fn stream() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((tree(), 0..SEPARATORS.len()), 1..4),
        any::<u64>(),
        any::<bool>(),
    )
        .prop_map(|(docs, seed, leading)| {
            let mut c = Choices(seed | 1);
            let mut text = String::new();
            if leading {
                text.push_str("---\n");
            }
            for (i, (doc, sep)) in docs.iter().enumerate() {
                if i > 0 {
                    text.push_str(SEPARATORS[*sep]);
                }
                let root = match doc {
                    Tree::Scalar(_) | Tree::Block(..) => Tree::Map(vec![(0, doc.clone())]),
                    _ => doc.clone(),
                };
                render(&root, 0, &mut c, &mut text);
            }
            perturb(text, &mut c)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000)
    ))]

    #[test]
    fn generated_block_yaml_reads_the_same(text in stream()) {
        agrees(&text, "generated");
    }
}

/// The generator exercises the fast path (not only what it declines).
#[test]
fn generated_streams_take_the_fast_path_often() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = stream();
    let mut took = 0;
    for _ in 0..500 {
        let text = strategy.new_tree(&mut runner).expect("a stream").current();
        took += usize::from(agrees(&text, "generated"));
    }
    assert!(took > 120, "the fast path took only {took} of 500 streams");
}
