//! The block-YAML fast path (src/manifest/block_yaml.rs) must give exactly
//! the documents saphyr gives, or decline. Differential tests: every YAML
//! and JSON file of the repository's fixtures and tests, and generated
//! block YAML full of what the fast path must see through or decline
//! (odd indentation, tabs, trailing spaces, `: ` and `#` inside values,
//! keys typed by YAML 1.1, quoting and escapes, CRLF, a BOM, non-ASCII,
//! `...` markers, literal blocks, one-line flow collections). `cargo bench --bench parse_diff -- DIR`
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

/// What the review of the fast path tried by hand (markers, literal
/// headers, escapes, YAML 1.1 types, indentless sequences, characters
/// the exact parser handles): accepted ones must agree.
#[test]
fn reviewed_edges() {
    let cases = [
        "k:\n- |\n  x\n",
        "k:\n- |-\n  x\n- y\n",
        "k:\n- a: |\n    x\n  b: 1\n",
        "- |\n x\n- |-\n  y\n\n",
        "---\n...\n",
        "...\n",
        "...\na: 1\n",
        "---\n# c\n",
        "---",
        "a: 1\n---",
        "--- # c\n--- # d\n...\n",
        "# only\n# comments\n",
        "",
        "\n\n",
        "   \n",
        "a:   # c\nb:\n",
        "a:\n\n\n",
        "a:\n# c\n- x\n",
        "a::\n",
        "a:: b\n",
        "-: x\n",
        "---x: 1\n",
        "...: 1\n",
        "-k: v\n",
        "a: ---\nb: ...\n",
        "- ---\n- ...\n",
        "a: b[c]{d},e\n",
        "a: 'it''s'\nb: ''''\nc: ''\n",
        "a: \"\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\\"\\/\\\\\\N\\_\\L\\P\"\n",
        "a: \"\\'\"\n",
        "a: \"x\\\n  y\"\n",
        "a: |2\n   x\n",
        "a: |+\n  x\n\n",
        "a: |\n  x\n\n\nb: 1\n",
        "a: |-\n  x\n\n\n",
        "a: |\n  x\n # c\n  y\n",
        "a: |\n  x\n# c\nb: 1\n",
        "a: |\n  ---\n  ...\n",
        "a: |\n x\n  y\n",
        "a: | # c\n  x\n",
        "a: |#c\n  x\n",
        "a: |\n  x\n  \n  y\n",
        "- a: |\n  x\n",
        "- a: |\n   x\n",
        "a:\n  b: |\n  x\n",
        "a: ~\nb: null\nc: Null\nd: NULL\ne: yes\nf: no\ng: on\nh: off\n",
        "a: 0o17\nb: 0x1F\nc: 1_000\nd: .inf\ne: -.Inf\nf: +1\ng: 1e3\nh: 012\ni: =\n<<: x\n",
        "key:\n- a\n",
        "- - a\n",
        "- a: 1\n  b: 2\n",
        "-   a: 1\n    b: 2\n- c\n",
        "- a: 1\n  - b\n",
        "a: []\nb: {}\nc: [ ]\nd: []x\ne: [] # c\n",
        "a: %YAML\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: b\n...\n...\nc: d\n",
        "a: 1\n... # c\n---\nb: 2\n",
        "a: 1\n...x\n",
        "a: 1\n--- b\n",
        "\"a\": 1\n'b': 2\n\"c\":3\n",
        "a: \"x\" \nb: 'y'   # c\n",
        "a: &x\n",
        "a: x&y*z!w\n",
        "a: \"&x *y !z\"\n",
        "é: ü\n\"€\": '中'\nk: \"é\\t\"\n",
        "a: b\u{3000}\nc: d\u{a0}\n",
        "a: |\n  x\u{3000}\n",
        "a: |\n  x\n  \u{3000}\n",
        "a:\u{85}b\n",
        "a: b\u{2028}c\n",
        "a: \u{feff}b\n",
        "a: b\0c\n",
        "a: b\x7f\n",
        "a:\n  - b\n  -\n",
        "a:\n  - # c\n    b\n",
        "a: b # c\n  d: e\n",
        "a:\n    b: 1\n  c: 2\n",
        "a:\n    - x\n  b: 1\n",
        "a:\n- x\n b: 1\n",
        "a: b\n  # c\n",
        "a: 'b\n  c'\n",
        "a: \"b\"c\n",
        "a: 'b'#c\n",
        "? a\n",
        "a: ? b\n",
        "a: : b\n",
        "a: -b\nc: - d\n",
        "a: -\n",
        "- -1\n- -.5\n- --\n",
        "a #b: c\n",
        "x#y: 1\n",
        "a : b\n",
        "a  : b\n",
        "\"a\" : b\n",
        "a: b:\n",
        "a: b :\n",
        "a: b: c\n",
        "a:b\n",
        "- a:b\n",
        "- \"a: b\"\n- 'c: d': e\n",
        "- \"a\":\n- \"b\":x\n",
    ];
    let mut took = 0;
    for text in cases {
        took += usize::from(agrees(text, "reviewed"));
    }
    assert!(took >= 40, "the fast path took {took} cases");
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
    "[a, b]",
    "{a: 1}",
    "[ ]",
    "[\"sh\", \"-c\"]  # c",
    "{k: [1, 'x'], l: {}, \"m\": yes}",
    "[a b, 'c''d', \"e\\tf\", 0x1F, ~, -1, http://x]",
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
    "[a, b,]",
    "[a: b]",
    "{a}",
    "{a:b}",
    "[a #c]",
    "[a, [b]",
    "[a]x",
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
const GOOD_SCALARS: usize = 41;

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
            let folded = c.one_in(2);
            out.push_str(match (folded, *strip) {
                (false, false) => " |",
                (false, true) => " |-",
                (true, false) => " >",
                (true, true) => " >-",
            });
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

/// Pieces of lines close to the subset the fast path reads: keys, values,
/// markers, comments, block headers, escapes, and what borders them.
const PIECES: &[&str] = &[
    "a",
    "b",
    "key",
    "k k",
    "a:",
    "b: ",
    ": ",
    ":",
    "::",
    "- ",
    "-",
    "--",
    "---",
    "...",
    "-- ",
    "#",
    " #",
    " # c",
    "#c",
    "'",
    "''",
    "\"",
    "\\",
    "\\\"",
    "\\x41",
    "\\u00e9",
    "\\N",
    "\\_",
    "\\L",
    "\\P",
    "\\0",
    "\\ ",
    "\\/",
    "\\t",
    "\\e",
    "\\q",
    "|",
    "|-",
    "|+",
    "|2",
    "|-2",
    ">",
    "[]",
    "{}",
    "[ ]",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a",
    "*a",
    "!!str",
    "!",
    "%YAML 1.2",
    "%",
    "?",
    "? ",
    "@",
    "`",
    "~",
    "null",
    "Null",
    "NULL",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "0o17",
    "0x1F",
    "1_000",
    ".inf",
    "-.Inf",
    "+1",
    "1e3",
    "012",
    "=",
    "<<",
    "true",
    "é",
    "中",
    "\u{a0}",
    "\u{3000}",
    "  ",
    " ",
    "x",
    "1",
    "'it''s'",
    "\"q\"",
    "http://x:80/",
];

/// Characters a mutation inserts or puts in place of one.
const MUTANTS: &[&str] = &[
    " ", " ", ":", "#", "-", "'", "\"", "\\", "|", "\n", ".", "é", "\t", "\r", "\u{85}",
    "\u{2028}", "\u{feff}", "\0", "\x01", "?", "&", "*", "!", "[", "]", "{", "}", ",", ">", "a",
    "%",
];

fn fuzz_line(c: &mut Choices, out: &mut String) {
    out.push_str(&" ".repeat([0, 0, 0, 1, 2, 2, 2, 3, 4, 4, 6][c.next(11) as usize]));
    match c.next(10) {
        // `key: value`, `- value`, `- key: value`, nested or not.
        0..=3 => {
            if c.one_in(3) {
                out.push_str(["- ", "-  ", "- - "][c.next(3) as usize]);
            }
            let key = ["a", "b", "\"k\"", "'k'", "k k", "é", "-k", "a:"][c.next(8) as usize];
            out.push_str(key);
            out.push(':');
            if !c.one_in(4) {
                out.push(' ');
                for _ in 0..c.next(3) {
                    out.push_str(PIECES[c.next(PIECES.len() as u64) as usize]);
                }
            }
        }
        4 | 5 => {
            out.push_str("- ");
            for _ in 0..1 + c.next(3) {
                out.push_str(PIECES[c.next(PIECES.len() as u64) as usize]);
            }
        }
        _ => {
            for _ in 0..1 + c.next(4) {
                out.push_str(PIECES[c.next(PIECES.len() as u64) as usize]);
            }
        }
    }
    if c.one_in(8) {
        out.push_str(" # c");
    }
}

/// Characters of generated scalars: mostly letters, then what matters.
const SCALAR_CHARS: &[u8] = b"aaaaab1 :#-.'\"\\|>&*!?%@`[]{},~0xeNLP_/ ";

/// A scalar of [`SCALAR_CHARS`], plain, quoted or a piece.
fn fuzz_scalar(c: &mut Choices, out: &mut String) {
    let quote = ["", "", "", "'", "\""][c.next(5) as usize];
    if quote.is_empty() && c.one_in(3) {
        out.push_str(PIECES[c.next(PIECES.len() as u64) as usize]);
        return;
    }
    out.push_str(quote);
    if !c.one_in(8) {
        out.push(['a', 'b', 'k', '1', 'y', 'é'][c.next(6) as usize]);
    }
    for _ in 0..c.next(7) {
        let b = if c.one_in(3) {
            SCALAR_CHARS[c.next(SCALAR_CHARS.len() as u64) as usize]
        } else {
            b"ab1 "[c.next(4) as usize]
        };
        if c.one_in(20) {
            out.push('é');
        }
        out.push(b as char);
    }
    out.push_str(quote);
}

/// A flow collection on one line: sequences and mappings of
/// [`fuzz_scalar`]s and nested collections, spaced or not, with now and
/// then what the fast path declines (empty entries, a trailing comma,
/// `k: v` pairs in a sequence, a key with no value, a line break).
fn fuzz_flow(c: &mut Choices, out: &mut String, depth: usize) {
    let map = c.one_in(3);
    out.push(if map { '{' } else { '[' });
    let space = |c: &mut Choices, out: &mut String| {
        out.push_str(["", "", "", " ", "  "][c.next(5) as usize]);
    };
    space(c, out);
    let n = c.next(4);
    for i in 0..n {
        if i > 0 {
            space(c, out);
            out.push(',');
            space(c, out);
        }
        if map || c.one_in(30) {
            fuzz_scalar(c, out);
            out.push_str([": ", ": ", ": ", ":", " : "][c.next(5) as usize]);
        }
        if depth < 3 && c.one_in(4) {
            fuzz_flow(c, out, depth + 1);
        } else if !c.one_in(40) {
            fuzz_scalar(c, out);
        }
        if c.one_in(60) {
            out.push('\n');
        }
    }
    if n > 0 && c.one_in(30) {
        out.push(',');
    }
    space(c, out);
    out.push(if map { '}' } else { ']' });
}

/// Lines at indentations taken from the lines before (deeper, the same
/// or an enclosing one): mappings, sequences, literal blocks, markers.
fn fuzz_structured(c: &mut Choices, text: &mut String) {
    let mut indents = vec![0usize];
    for _ in 0..1 + c.next(10) {
        let depth = c.next(indents.len() as u64) as usize;
        indents.truncate(depth + 1);
        let mut indent = indents[depth];
        let pad = |out: &mut String, n: usize| out.push_str(&" ".repeat(n));
        match c.next(14) {
            0 => {
                text.push_str(["---", "...", "--- # c", "---\n...", "#c", ""][c.next(6) as usize]);
                text.push('\n');
                indents.truncate(1);
                continue;
            }
            1 => {
                pad(text, c.next(5) as usize);
                text.push_str(if c.one_in(2) { "# c\n" } else { "\n" });
                continue;
            }
            _ => {}
        }
        pad(text, indent);
        let mut dashes = 0;
        while c.one_in(3) && dashes < 1 + usize::from(c.one_in(8)) {
            text.push_str(if c.one_in(4) { "-   " } else { "- " });
            indent += 2;
            dashes += 1;
        }
        let is_key = dashes == 0 || c.one_in(2);
        if is_key {
            fuzz_scalar(c, text);
            text.push(':');
        }
        match c.next(8) {
            0 if is_key => {
                // Nested content on the lines after.
                let step = [0, 1, 2, 2, 2, 4][c.next(6) as usize];
                indents.push(indent + step);
            }
            1 => {
                text.push_str(
                    [
                        " |", " |-", " >", " >-", " |+", " |2", " >+", " | # c", " >-  # c",
                    ][c.next(9) as usize],
                );
                let step = 1 + c.next(3) as usize;
                for _ in 0..1 + c.next(4) {
                    text.push('\n');
                    if !c.one_in(5) {
                        pad(text, indent + step + [0, 0, 0, 1][c.next(4) as usize]);
                        fuzz_scalar(c, text);
                    } else if c.one_in(2) {
                        pad(text, c.next(6) as usize);
                    }
                }
            }
            2 => {
                text.push(' ');
                fuzz_flow(c, text, 0);
            }
            _ => {
                text.push(' ');
                fuzz_scalar(c, text);
            }
        }
        match c.next(10) {
            0 => text.push_str(" # c"),
            1 => text.push_str("  "),
            _ => {}
        }
        text.push('\n');
    }
}

/// A near-subset stream: structured lines or lines of [`PIECES`], then a
/// few byte mutations.
fn fuzz_stream(c: &mut Choices) -> String {
    let mut text = String::new();
    if c.one_in(4) {
        for _ in 0..1 + c.next(8) {
            fuzz_line(c, &mut text);
            if !c.one_in(30) {
                text.push('\n');
            }
        }
    } else {
        fuzz_structured(c, &mut text);
        if c.one_in(10) {
            text.pop();
        }
    }
    let mutations = if c.one_in(4) { c.next(3) } else { 0 };
    mutate(&mut text, mutations, c);
    text
}

/// `n` insertions, replacements or deletions of one character, of lines or
/// of a line's leading space.
fn mutate(text: &mut String, n: u64, c: &mut Choices) {
    for _ in 0..n {
        if c.one_in(4) {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let at = c.next(lines.len().max(1) as u64) as usize;
            let mut out = String::new();
            for (i, line) in lines.iter().enumerate() {
                if i != at {
                    out.push_str(line);
                    continue;
                }
                match c.next(4) {
                    0 => {}
                    1 => {
                        out.push_str(line);
                        out.push_str(line);
                    }
                    2 => {
                        out.push(' ');
                        out.push_str(line);
                    }
                    _ => out.push_str(line.strip_prefix(' ').unwrap_or(line)),
                }
            }
            *text = out;
            continue;
        }
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let at = bounds[c.next(bounds.len() as u64) as usize];
        let piece = MUTANTS[c.next(MUTANTS.len() as u64) as usize];
        match c.next(3) {
            0 => text.insert_str(at, piece),
            1 => {
                if let Some(ch) = text[at..].chars().next() {
                    text.replace_range(at..at + ch.len_utf8(), piece);
                }
            }
            _ => {
                if let Some(ch) = text[at..].chars().next() {
                    text.replace_range(at..at + ch.len_utf8(), "");
                }
            }
        }
    }
}

/// Mutated near-subset text: wherever the fast path accepts, it agrees.
/// `BLOCK_YAML_FUZZ=N` runs N cases (from seed `BLOCK_YAML_SEED`).
#[test]
fn mutated_near_subset_text_reads_the_same() {
    let (cases, mut c) = fuzz_budget(20_000);
    let mut took = 0u64;
    for _ in 0..cases {
        let text = fuzz_stream(&mut c);
        took += u64::from(agrees(&text, "mutated"));
    }
    assert!(
        took * 20 > cases,
        "the fast path took only {took} of {cases}"
    );
}

/// Cases to run (`BLOCK_YAML_FUZZ`, else `default`) and the choices, from
/// `BLOCK_YAML_SEED`.
fn fuzz_budget(default: u64) -> (u64, Choices) {
    let env = |name: &str| std::env::var(name).ok().and_then(|n| n.parse().ok());
    let seed: u64 = env("BLOCK_YAML_SEED").unwrap_or(0x9e37_79b9_7f4a_7c15);
    (env("BLOCK_YAML_FUZZ").unwrap_or(default), Choices(seed | 1))
}

/// The fixtures the fast path reads, each mutated a few times (characters,
/// lines, indentation): wherever it still accepts, it agrees.
#[test]
fn mutated_fixtures_read_the_same() {
    let (cases, mut c) = fuzz_budget(3_000);
    let mut files = Vec::new();
    yaml_files(&common::manifest_dir().join("fixtures"), &mut files);
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| t.len() < 20_000 && parse_fast(t, &|_| true).is_some())
        .collect();
    assert!(texts.len() > 20, "{} fixtures", texts.len());
    let mut took = 0u64;
    for _ in 0..cases {
        let mut text = texts[c.next(texts.len() as u64) as usize].clone();
        let n = 1 + c.next(3);
        mutate(&mut text, n, &mut c);
        took += u64::from(agrees(&text, "mutated fixture"));
    }
    assert!(
        took * 10 > cases,
        "the fast path took only {took} of {cases}"
    );
}

/// Single-line flow collections (src/manifest/block_yaml.rs reads those
/// of plain and quoted scalars): the common shapes are taken, the rest
/// declined, and whatever is taken agrees with saphyr.
#[test]
fn flow_collections_on_one_line() {
    let taken = [
        "command: [\"sh\", \"-c\"]\n",
        "args: [--x, y]  # c\n",
        "a: [a, 'b c', \"d\\te\", 1, yes, ~, 0x1F, -1, -c, .5]\n",
        "labels: {app: x, tier: \"web\", 'k': v}\n",
        "a: [ a , b ]\nb: { k: v , l: w }\n",
        "a: [[a, b], {c: d}, [], {}]\n",
        "a: {k: [1, 2], l: {m: n}}\n",
        "- [a, b]\n- {k: v}\n",
        "a:\n- [x]\n- b: [y]\n  c: {z: 1}\n",
        "a: [a-, a -b, a- ]\n",
        "a: [http://x/y, a:b, é, 中文 値, a'b, a\"b, a-b, a.b]\n",
        "a: [a b  c, 'x''y']\n",
        "a: [\"\"]\nb: ['']\nc: {\"\": x}\n",
        "kind: Secret\ndata: {a: eA==}\n---\nkind: ConfigMap\ndata: {b: [c]}\n",
        "a: [x]\n---\nb: {y: z}\n",
        "a: {on: yes, 1: 2, null: ~}\n",
        "a: {a : b}\n",
    ];
    let declined = [
        "a: [a,\n  b]\n",
        "a: [\n  a\n]\n",
        "a: [a, b,]\n",
        "a: [a,, b]\n",
        "a: [,a]\n",
        "a: [a: b]\n",
        "a: [\"a\": b]\n",
        "a: {a}\n",
        "a: {a: }\n",
        "a: {a:b}\n",
        "a: {\"a\":b}\n",
        "a: {? a: b}\n",
        "a: [&x a, *x]\n",
        "a: [!!str 1]\n",
        "a: [a #c]\n",
        "a: [a]#c\n",
        "a: [a] b\n",
        "a: [a]]\n",
        "a: [a}\n",
        "a: {a: b]\n",
        "a: [-]\n",
        "a: [- a]\n",
        "a: [a -, b]\n",
        "a: [a -]\n",
        "a: {k: a -}\n",
        "a: [a:, b]\n",
        "a: [a:]\n",
        "a: [\"a\"b]\n",
        "a: [\"\\x41\"]\n",
        "[a]: b\n",
        "{a: b}\n",
        "[a, b]\n",
        "- [a]: b\n",
        "a: [|]\n",
        "a: [>]\n",
        "a: [%x]\n",
        "a: [@x]\n",
        "a: [`x`]\n",
        "a: [?]\n",
        "a: [a, ?b]\n",
        "a: [a\tb]\n",
    ];
    for text in taken {
        assert!(agrees(text, "flow, taken"), "declined {text:?}");
    }
    for text in declined {
        agrees(text, "flow, declined");
        assert!(
            parse_fast(text, &|_| true).is_none(),
            "the fast path took {text:?}"
        );
    }
}

/// Mappings and sequences of flow collections ([`fuzz_flow`]), a few
/// mutated: wherever the fast path accepts, it agrees, and it takes most.
#[test]
fn flow_collections_read_the_same() {
    let (cases, mut c) = fuzz_budget(10_000);
    let mut took = 0u64;
    for _ in 0..cases {
        let mut text = String::new();
        let sequence = c.one_in(4);
        for _ in 0..1 + c.next(4) {
            if sequence {
                text.push_str("- ");
            } else {
                text.push_str(["a: ", "b:  ", "\"c\": ", "k:\n  - ", "l:\n- "][c.next(5) as usize]);
            }
            fuzz_flow(&mut c, &mut text, 0);
            text.push_str(["", "", " # c", "  "][c.next(4) as usize]);
            text.push('\n');
        }
        let n = if c.one_in(3) { 1 + c.next(2) } else { 0 };
        mutate(&mut text, n, &mut c);
        took += u64::from(agrees(&text, "flow"));
    }
    assert!(
        took * 5 > cases,
        "the fast path took only {took} of {cases}"
    );
}

/// Folded block scalars (`>`, `>-`): lines joined by a space, or by the
/// blank lines between them, but around lines indented further.
#[test]
fn folded_block_scalars() {
    let taken = [
        "message: >-\n  The image must come\n  from a registry.\n",
        "a: >\n  x\n  y\n\n  z\n\n\nb: 1\n",
        "a: >-\n  x\n\n\n  y  \n  # not a comment\n",
        "- >\n x\n- >-\n  y\n\n",
        "a:\n- b: >-\n    x\n    y\n  c: 1\n",
        "a: > # c\n  é ü\n  ---\n  ...\n",
        "a: >\n  x\n  \n  y\n",
        "a: >\n  x\n    y\n  z\n",
        "a: >\n  x\n     \n  y\n",
        "a: >-\n  x\n\n    y\n\n  z\n  w\n",
        "a: |\n  x\n     \n  y\n   \n",
        "a: >\n  x\n    y\n    z\n\n",
        "a: >\n  x",
        "a: >-\n  x\n\n  y",
        "a: |\n  x\n\n    y",
        "a: |-\n  x  ",
        "a:\n- >\n   x\n   y",
        "a: >\n  x\n    y",
        "kind: Secret\nb: >-\n  eA==\n---\nkind: ConfigMap\nc: >\n  d\n",
    ];
    let declined = [
        "a: >\n    x\n  y\n",
        "a: >+\n  x\n\n",
        "a: >2\n   x\n",
        "a: >-2\n   x\n",
        "a: >\n\n  x\n",
        "a: >x\n  y\n",
        "a: >\nb: 1\n",
        "a: >\n  x\n  ",
        "a: |\n  x\n     ",
        "- a: >\n  x\n",
    ];
    for text in taken {
        assert!(agrees(text, "folded, taken"), "declined {text:?}");
    }
    for text in declined {
        agrees(text, "folded, declined");
        assert!(
            parse_fast(text, &|_| true).is_none(),
            "the fast path took {text:?}"
        );
    }
}

/// Literal and folded block scalars under keys and dashes at several
/// indentations, their lines blank, more indented, comments or markers,
/// a few mutated: wherever the fast path accepts, it agrees.
#[test]
fn block_scalars_read_the_same() {
    let (cases, mut c) = fuzz_budget(10_000);
    let mut took = 0u64;
    for _ in 0..cases {
        let mut text = String::new();
        let sequence = c.one_in(4);
        for _ in 0..1 + c.next(3) {
            let indent = if sequence {
                text.push_str(["- ", "-   "][c.next(2) as usize]);
                0
            } else if c.one_in(3) {
                text.push_str(["k:\n  - x: ", "k:\n- x: ", "k:\n  y: "][c.next(3) as usize]);
                2
            } else {
                text.push_str(["a: ", "b:  ", "\"c\": "][c.next(3) as usize]);
                0
            };
            text.push_str([">", ">-", "|", "|-", "> # c", ">+", ">2"][c.next(7) as usize]);
            text.push('\n');
            let step = indent + 1 + c.next(3) as usize;
            for _ in 0..1 + c.next(5) {
                match c.next(8) {
                    0 => {}
                    1 => text.push_str(&" ".repeat(c.next(6) as usize)),
                    2 => {
                        text.push_str(&" ".repeat(step + 1 + c.next(2) as usize));
                        fuzz_scalar(&mut c, &mut text);
                    }
                    _ => {
                        text.push_str(&" ".repeat(step));
                        fuzz_scalar(&mut c, &mut text);
                    }
                }
                text.push('\n');
            }
        }
        if c.one_in(5) {
            // The last line with no line break after it.
            text.pop();
        }
        let n = if c.one_in(4) { 1 + c.next(2) } else { 0 };
        mutate(&mut text, n, &mut c);
        took += u64::from(agrees(&text, "block scalar"));
    }
    assert!(
        took * 10 > cases,
        "the fast path took only {took} of {cases}"
    );
}

/// What the second review tried on flow collections and folded scalars
/// (`#` in quotes and after, spacing around commas and colons, `-`, `:`
/// and `?` inside plain scalars, YAML 1.1 types, non-ASCII and Unicode
/// spaces, markers after a flow, folded lines of spaces, comments and
/// chomping; multi-line and escaped quoted scalars): all agree, and the
/// first list is taken.
#[test]
fn second_review_edges() {
    let taken = [
        "a: [\"#\", '#'] # c\n",
        "a: [a,b]\n",
        "a: [a , b]\n",
        "a: {a: [b]}\n",
        "a: [ ]\n",
        "a: [a] # c\n",
        "- [a]\n",
        "key: [a]\nb: c\nd: [e]\n",
        "a: [http://x]\n",
        "a: [a:b]\n",
        "a: [-a]\n",
        "a: [1, 0x1F, yes, ~, null, .inf]\n",
        "é: [é, 中]\nb: {ü: ö}\n",
        "a: [a\u{a0}, \u{3000}]\n",
        "a: [[[[[[[[a]]]]]]]]\n",
        "a: >\n  x\n    y\n  z\n",
        "a: >\n  x\n\n  y\n\n\n",
        "a: >\n  x\n  y\n\n\nb: 1\n",
        "a: > # c\n  x\n",
        "a: >\n  x\n  # y\n",
        "a: >\n  x\n# y\nb: 1\n",
        "a: >\n  x\n   \n  y\n",
        "a: >\n  x\n \n  y\n",
        "a: >\n  x\n\n    y\n\n  z\n",
        "a: >\n  é\n  ü\n",
        "a: >\n  x  \n  y\n",
        "a: 'a''b'\n",
        "a: 'a'  \n",
        "a: a  \n",
        "a: \"é\"\n",
        "\"k\": v\n'k''': v\n",
        "a: {x: \"y\", 'z': 'w'}\n",
        "a: [a]\n...\n",
        "a: [a]\n---\n- [b]\n",
        "a: [{}, []]\n",
        "a: {a: {}}\n",
        "a: [a ]\n",
        "a: [ a]\n",
        "a: [a  ,b]\n",
        "a: [a#b]\n",
        "a: ['a' ,b]\n",
        "a: {a: b , c: d}\n",
        "a: {a: 'b' }\n",
        "a: {'a': b}\n",
        "a: {a: -1}\n",
        "a: {-a: b}\n",
        "a: {a -: b}\n",
        "a: [a -- b]\n",
        "a: [a - b]\n",
        "a: [a - ]\n",
        "a: [a -x]\n",
        "a: {a:: b}\n",
        "a: {a:b: c}\n",
        "- >\n x\n- >-\n  y\n",
        "k:\n- >\n x\n",
        "k:\n- >\n  x\n   y\n  z\n",
        "k:\n  - >\n   x\n",
        "a: >-\n  x\n\n",
        "a: >-\n  x\n  \n",
        "a: >\n  x\n  y",
        "a: |\n  x\n   y\n  z\n",
    ];
    let others = [
        "a: {a: }\n",
        "a: {a}\n",
        "a: {\"a\":b}\n",
        "a: [a]x\n",
        "a: [a: b c]\n",
        "a: {a: b: c}\n",
        "a: [- a]\n",
        "a: [?a]\n",
        "a: [&x a, *x]\n",
        "a: [!!str 1]\n",
        "a: [a, b, ]\n",
        "a: >+\n  x\n",
        "a: >2\n   x\n",
        "a: >-\n   x\n  y\n",
        "a: \"a\n  b\"\n",
        "a: 'a\n  b'\n",
        "a: \"a\\\n  b\"\n",
        "a: a\n  b\n",
        "\u{feff}a: b\n",
        "a: [a #b]\n",
        "a: ['a'#b]\n",
        "a: [a\u{feff}]\n",
        "a: [:a]\n",
        "a: [a::]\n",
        "a: [::]\n",
        "a: {::: b}\n",
        "a: [a:]\n",
        "k:\n  - >\n  x\n",
        "a: >\n  x\n   ",
    ];
    for text in taken {
        assert!(agrees(text, "second review, taken"), "declined {text:?}");
    }
    for text in others {
        agrees(text, "second review");
    }
}
