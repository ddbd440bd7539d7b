//! The pre-scan (`manifest::prescan`) skips documents and files that cannot
//! matter; it must never change a finding. Differential test: the default
//! linter against `Linter::with_full_parse()` (every file parsed, every
//! document built) on the fixtures, on the benchmark corpus generator's
//! output and on generated streams full of the constructs that could fool
//! a byte scan (flow style, quoted and escaped keys, JSON, anchors and
//! aliases, tags, `---` in block scalars, `...` markers, CRLF, BOM).
//!
//! Context files (`--context`) are only indexed, by a linter that parses
//! only the documents that may define something: the index parts must be
//! those of a full parse, without exception.
//!
//! The one allowed difference in findings, by design: `yaml-syntax-error` is reported
//! only in files where some document can matter. So a file where the full
//! parse reports a syntax error may give nothing with the pre-scan.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use regcred::lint::config::Config;
use regcred::lint::input::{classify, InputKind};
use regcred::lint::walk::lint_paths;
use regcred::lint::{Linter, Reported, Selection};

fn linters() -> (Linter, Linter) {
    let fast = Linter::new(Config::default(), Selection::default()).expect("default linter");
    let full = fast.clone().with_full_parse();
    (fast, full)
}

fn by_file(findings: Vec<Reported>) -> BTreeMap<String, Vec<Reported>> {
    let mut out: BTreeMap<String, Vec<Reported>> = BTreeMap::new();
    for f in findings {
        out.entry(f.path.clone()).or_default().push(f);
    }
    out
}

/// Same findings file by file, but for skipped files with syntax errors.
fn assert_parity(fast: Vec<Reported>, full: Vec<Reported>, what: &str) -> usize {
    let fast = by_file(fast);
    let full = by_file(full);
    let mut compared = 0;
    for path in fast.keys().chain(full.keys()) {
        let f = fast.get(path).map(Vec::as_slice).unwrap_or(&[]);
        let r = full.get(path).map(Vec::as_slice).unwrap_or(&[]);
        let syntax_error_skipped = f.is_empty() && r.iter().any(|x| x.rule == "yaml-syntax-error");
        if !syntax_error_skipped {
            assert_eq!(
                f, r,
                "{what}: {path}: pre-scan findings differ from a full parse"
            );
            compared += r.len();
        }
    }
    compared
}

/// Every file under `root` the walk would read, with its kind.
fn inputs(root: &Path, out: &mut Vec<(PathBuf, InputKind)>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            inputs(&path, out);
        } else if let Some(kind) = classify(&path, false) {
            out.push((path, kind));
        }
    }
}

/// The index-only linter gives every file under `root` the same index
/// parts and generator payloads as a full parse; returns the definitions
/// compared.
fn assert_index_parity(root: &Path) -> usize {
    let (fast, full) = linters();
    let index_only = fast.for_index_only();
    let mut files = Vec::new();
    inputs(root, &mut files);
    let mut definitions = 0;
    for (path, kind) in files {
        let bytes = std::fs::read(&path).expect("read input");
        let shown = path.display().to_string();
        let a = index_only.collect_source(&shown, path.parent(), &bytes, kind);
        let b = full.collect_source(&shown, path.parent(), &bytes, kind);
        assert_eq!(a.index, b.index, "{shown}: index parts differ");
        assert_eq!(a.generated, b.generated, "{shown}: payloads differ");
        assert!(a.pods.is_empty(), "{shown}: pods collected");
        definitions +=
            b.index.secrets.len() + b.index.service_accounts.len() + b.index.kustomizations.len();
    }
    definitions
}

fn lint_tree(linter: &Linter, root: &Path) -> Vec<Reported> {
    let (outcome, errors) = lint_paths(linter, &[root.to_path_buf()], 1);
    assert!(errors.is_empty(), "{errors:?}");
    outcome.findings
}

#[test]
fn fixtures_give_the_same_findings() {
    let (fast, full) = linters();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let n = assert_parity(lint_tree(&fast, &root), lint_tree(&full, &root), "fixtures");
    assert!(n > 50, "the fixtures gave only {n} findings");
}

#[test]
fn fixtures_give_the_same_index_when_only_indexed() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let n = assert_index_parity(&root);
    assert!(n > 50, "the fixtures gave only {n} definitions");
}

#[test]
#[ignore = "needs python3"]
fn the_benchmark_corpus_gives_the_same_findings() {
    let Some(python) = common::require("python3", "the corpus generator") else {
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let generator = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/gen_corpus.py");
    let status = Command::new(python)
        .arg(generator)
        .args(["--mb", "0.6", "--seed", "11", "--jobs", "1", "--out"])
        .arg(out.path())
        .status()
        .expect("run gen_corpus.py");
    assert!(status.success(), "gen_corpus.py failed");
    let (fast, full) = linters();
    let n = assert_parity(
        lint_tree(&fast, out.path()),
        lint_tree(&full, out.path()),
        "corpus",
    );
    assert!(n > 20, "the corpus gave only {n} findings");
    let n = assert_index_parity(out.path());
    assert!(n > 100, "the corpus gave only {n} definitions");
}

const KINDS: &[&str] = &[
    "Secret",
    "ConfigMap",
    "Service",
    "Deployment",
    "ServiceAccount",
    "SealedSecret",
    "CustomResourceDefinition",
    "Rollout",
    "List",
    "Pod",
    "CronJob",
];

/// Ways to write the top-level `kind` (`{}` is the kind).
const KIND_LINES: &[&str] = &[
    "kind: {}\n",
    "kind: \"{}\"\n",
    "kind: '{}'  # c\n",
    "\"kind\": \"{}\"\n",
    "'kind': {}\n",
    "kind : {}\n",
    "kind: !!str {}\n",
    "!!str kind: {}\n",
    "kind:\n  {}\n",
    "kind: &k {}\n",
    "? kind\n: {}\n",
    "kind:\t{}\n",
    "kind: \"\\x{hex}{rest}\"\n",
    "\"\\u006bind\": {}\n",
    "x: \"\nkind: ConfigMap\n\"\nkind: {}\n",
];

/// Pieces of a document body; several produce findings on a Secret
/// (broken pull secret) or a workload (invalid image).
const BODY: &[&str] = &[
    "apiVersion: v1\n",
    "metadata:\n  name: regcred\n",
    "metadata: {name: regcred, namespace: ns}\n",
    "type: kubernetes.io/dockerconfigjson\n",
    "data:\n  .dockerconfigjson: not*base64\n",
    "data:\n  .dockerconfigjson: eyJhdXRocyI6e319\n",
    "stringData:\n  .dockerconfigjson: |\n    {\"auths\": {\"reg.io\": {\"auth\": \"eA==\"}}}\n",
    "data: {password: 12}\n",
    "spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: <your-image>\n",
    "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: a, image: 'UPPER/Case'}]\n",
    "spec:\n  containers:\n  - image: registry.corp.example/app:1\n",
    "imagePullSecrets:\n- name: regcred\n",
    "items:\n- kind: Secret\n  type: kubernetes.io/dockerconfigjson\n  data:\n    .dockerconfigjson: '%%'\n",
    "notes: |\n  ---\n  kind: Secret\n---\n",
    "script: |\n  a\n...\n",
    "base: &b\n  type: kubernetes.io/dockercfg\n",
    "<<: *b\n",
    "# regcred:ignore secret-data-not-base64\n",
    "x: [a,\n  b]\n",
    "# kind: Secret\n",
];

fn document() -> impl Strategy<Value = String> {
    (
        0..KINDS.len(),
        0..KIND_LINES.len(),
        prop::collection::vec(0..BODY.len(), 0..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(k, line, body, kind_last, json)| {
            let kind = KINDS[k];
            if json {
                return json_document(kind, &body);
            }
            let (first, rest) = kind.split_at(1);
            let hex = format!("{:02x}", first.as_bytes()[0]);
            let kind_line = KIND_LINES[line]
                .replace("{hex}", &hex)
                .replace("{rest}", rest)
                .replace("{}", kind);
            let body: String = body.iter().map(|&i| BODY[i]).collect();
            if kind_last {
                format!("{body}{kind_line}")
            } else {
                format!("{kind_line}{body}")
            }
        })
}

fn json_document(kind: &str, body: &[usize]) -> String {
    let mut fields = vec![format!("\"kind\": \"{kind}\"")];
    for &i in body {
        fields.push(
            match i % 4 {
                0 => "\"type\": \"kubernetes.io/dockerconfigjson\"",
                1 => "\"data\": {\".dockerconfigjson\": \"not*base64\"}",
                2 => "\"metadata\": {\"name\": \"Bad_Name\"}",
                _ => {
                    "\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"image\": \"<x>\"}]}}}"
                }
            }
            .to_string(),
        );
    }
    format!("{{{}}}\n", fields.join(", "))
}

const SEPARATORS: &[&str] = &["---\n", "--- # c\n", "...\n---\n", "\n---\n", "---\n\n"];

fn stream() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec((document(), 0..SEPARATORS.len()), 1..5),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(docs, crlf, bom, leading)| {
            let mut text = String::new();
            if leading {
                text.push_str("---\n");
            }
            for (i, (doc, sep)) in docs.iter().enumerate() {
                if i > 0 {
                    text.push_str(SEPARATORS[*sep]);
                }
                text.push_str(doc);
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            let mut bytes = Vec::new();
            if bom {
                bytes.extend_from_slice(b"\xEF\xBB\xBF");
            }
            bytes.extend_from_slice(text.as_bytes());
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn generated_streams_give_the_same_findings(bytes in stream()) {
        let (fast, full) = linters();
        for (path, kind) in [("t.yaml", InputKind::Manifest), ("t.json", InputKind::Manifest)] {
            let f = fast.lint_source(path, None, &bytes, kind).findings;
            let r = full.lint_source(path, None, &bytes, kind).findings;
            assert_parity(f, r, &String::from_utf8_lossy(&bytes));
            let indexed = fast.clone().for_index_only().collect_source(path, None, &bytes, kind);
            let parsed = full.collect_source(path, None, &bytes, kind);
            prop_assert_eq!(indexed.index, parsed.index);
        }
    }
}

/// The generator does produce findings the pre-scan must keep, in
/// documents written every way the scan has to see through.
#[test]
fn generated_streams_exercise_findings() {
    let (fast, _) = linters();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = stream();
    let mut with_findings = 0;
    for _ in 0..300 {
        let bytes = strategy.new_tree(&mut runner).expect("a stream").current();
        let found = fast.lint_source("t.yaml", None, &bytes, InputKind::Manifest);
        with_findings += usize::from(found.findings.iter().any(|f| f.rule != "yaml-syntax-error"));
    }
    assert!(
        with_findings > 30,
        "only {with_findings} of 300 streams had findings"
    );
}
