//! go-yaml v2 quoting, checked against the real kubectl on strings that
//! regcred itself would never accept as names: kubectl does not validate
//! names, so any string can be printed as `metadata.name` and compared with
//! regcred's YAML renderer. Annotations and labels go through the CLI and
//! `kubectl annotate/label --local`.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::*;
use regcred::dockercfg::payload::PayloadKind;
use regcred::generate::{yaml, Dialect, Secret};
use zeroize::Zeroizing;

const TRICKY: &[&str] = &[
    "123", "-1", "+1", "0x1F", "0o17", "0b101", "0755", "09", "1_000", "_1", "1__0", "1e3", "1E3",
    "1.5", ".5", ".5e3", ".", "..", "...", "---", "--- x", "-", "- x", "-x", "+", "+.inf", "-.Inf",
    ".nan", ".NaN", ".nAn", "nan", "inf", "y", "Y", "yes", "Yes", "YES", "yEs", "n", "no", "on",
    "On", "off", "OFF", "true", "True", "tRue", "false", "null", "Null", "NULL", "~", "<<", "=",
    "2024-01-01", "2024-1-1", "2024-02-30", "2023-02-29", "2024-02-29", "2024-13-01", "1999-12-31",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43Z", "2001-12-14 21:59:43.10",
    "2001-12-14  21:59:43", "2001-12-14T25:00:00Z", "2001-12-14T21:59:43+05", "12345-01-01",
    "1:20", "190:20:30.15", "1:70", "-1:20", "1:2:3", "12:30", "99999999999999999999",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "0xffffffffffffffffff", "1e400", "1e-400",
    "a: b", "a:b", "a :b", ":a", ": a", "a:", "?a", "? a", "a?", "#x", "a #x", "a#x", "x #", "&a",
    "*a", "!a", "|a", ">a", "'a", "\"a", "%a", "@a", "`a", ",a", "a,b", "[a", "a]", "{a}", "a{",
    " a", "a ", " ", "  ", "a  b", "a\tb", "\ta", "é", "日本語", "😀", "a😀", "\u{85}", "a\u{a0}b",
    "\u{feff}x", "a\u{2028}b", "a\u{2029}", "a\u{7f}b", "a\u{1}b", "a\u{1b}b", "a\rb", "it's",
    "it''s", "\\", "a\\b", "a\"b", "C:\\path", "http://x.y/z?q=1#f", "a\nb", "a\n", "a\n\n",
    "\na", " a\nb", "a \nb", "a\n b", "a\r\nb", "\n",
    "a long value with many words that goes on and on past the eightieth column of the line for sure",
    "averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword then more",
    "a long value with many words that goes on and on past the eightieth: column of the line #yes",
    "a long value with many words that goes on and on past the eightieth column\tof the line for sure",
    "a long value with many words that goes on and  on past the eightieth column  of the line  for sure really",
    "'quoted long value with many words that goes on and on past the eightieth column of the line ok'",
];

/// Strings made of YAML-significant pieces, deterministic.
fn generated(count: usize) -> Vec<String> {
    const PIECES: &[&str] = &[
        "a",
        "b",
        "1",
        "0",
        "x",
        "-",
        ":",
        " ",
        "#",
        "'",
        "\"",
        ".",
        "e",
        "y",
        "?",
        ",",
        "[",
        "}",
        "&",
        "*",
        "!",
        "|",
        ">",
        "%",
        "@",
        "`",
        "\\",
        "\t",
        "é",
        "😀",
        "\n",
        "~",
        "_",
        "+",
        "2024-",
        "words and more words ",
        "true",
        "null",
        "0x",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = Vec::new();
    for _ in 0..count {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = 1 + (state % 9) as usize;
        let mut s = String::new();
        let mut st = state;
        for _ in 0..len {
            st = st
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push_str(PIECES[(st >> 33) as usize % PIECES.len()]);
        }
        out.push(s);
    }
    out
}

fn render_with_name(name: &str, dialect: Dialect) -> String {
    let secret = Secret {
        name: name.to_string(),
        namespace: Some(name.to_string()),
        labels: vec![],
        annotations: vec![],
        kind: PayloadKind::DockerConfigJson,
        payload: Zeroizing::new(
            br#"{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p","auth":"dTpw"}}}"#
                .to_vec(),
        ),
    };
    yaml::render(&secret, dialect)
}

#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn names_and_namespaces_are_quoted_like_kubectl() {
    let Some(kubectl) = require(KUBECTL_LEGACY, "the YAML quoting test against kubectl") else {
        return;
    };
    let mut inputs: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
    inputs.extend(generated(250));
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let compared = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(name) = inputs.get(i) else { break };
                let args = [
                    os("create"),
                    os("secret"),
                    os("docker-registry"),
                    os(name),
                    os("-n"),
                    os(name),
                    os("--docker-username=u"),
                    os("--docker-password=p"),
                    os("--dry-run=client"),
                    os("-o"),
                    os("yaml"),
                ];
                let want = run(&kubectl, &args, None, &[]);
                if !want.status.success() {
                    continue; // kubectl refused this name: nothing to compare
                }
                compared.fetch_add(1, Ordering::SeqCst);
                let got = render_with_name(name, Dialect::Legacy);
                if got.as_bytes() != want.stdout {
                    failures.lock().unwrap().push(format!(
                        "name {name:?}:\n{}",
                        first_difference(&want.stdout, got.as_bytes())
                    ));
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    let compared = compared.load(Ordering::SeqCst);
    eprintln!("compared {compared} names: {} differences", failures.len());
    if let Ok(path) = std::env::var("REGCRED_DUMP_FAILURES") {
        let _ = std::fs::write(path, failures.join("\n=====\n"));
    }
    assert!(
        compared * 10 >= inputs.len() * 9,
        "kubectl refused too many names ({compared} of {})",
        inputs.len()
    );
    if let Some(first) = failures.first() {
        panic!("{} differences; first:\n{first}", failures.len());
    }
}

#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn labels_and_annotations_are_printed_like_kubectl() {
    let Some(kubectl) = require(KUBECTL_LEGACY, "the label/annotation test against kubectl") else {
        return;
    };
    let mut values: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
    values.extend(generated(60));
    // `kubectl annotate` itself fails on DEL ("yaml: control characters are
    // not allowed"); names cover DEL instead.
    values.retain(|v| !v.contains('\u{7f}'));
    let label_keys = [
        "y",
        "123",
        "on",
        "a9",
        "a10",
        "a09",
        "0a",
        "b-1.x",
        "app.kubernetes.io/name",
        "example.com/0x1f",
    ];
    let label_values = ["y", "123", "", "1e3", "true", "v1.2", "a_b"];
    let mut failures = Vec::new();
    // Many annotations per run keep the test short; each value once.
    for (chunk_index, chunk) in values.chunks(20).enumerate() {
        let mut annotate = vec![
            os("annotate"),
            os("--local"),
            os("-f"),
            os("-"),
            os("-o"),
            os("yaml"),
        ];
        let mut label = vec![
            os("label"),
            os("--local"),
            os("-f"),
            os("-"),
            os("-o"),
            os("yaml"),
        ];
        let mut regcred_args = vec![
            os("create"),
            os("pull"),
            os("--docker-username=u"),
            os("--docker-password-env=PW"),
            os("--kubectl-dialect=legacy"),
        ];
        for (k, v) in chunk.iter().enumerate() {
            let key = format!("example.com/k{chunk_index}-{k}");
            annotate.push(os(format!("{key}={v}")));
            regcred_args.push(os(format!("--annotation={key}={v}")));
        }
        // Keys longer than 128 bytes take go-yaml's `? key` form.
        if chunk_index == 0 {
            let long_prefix = format!("{}.{}.example.com", "a".repeat(60), "b".repeat(50));
            for name_len in [1, 10, 14, 15, 16, 40] {
                let key = format!("{long_prefix}/{}", "n".repeat(name_len));
                let value = if name_len == 40 { "multi\nline" } else { "v" };
                annotate.push(os(format!("{key}={value}")));
                regcred_args.push(os(format!("--annotation={key}={value}")));
            }
        }
        for (k, v) in label_keys
            .iter()
            .zip(label_values.iter().cycle().skip(chunk_index))
        {
            label.push(os(format!("{k}={v}")));
            regcred_args.push(os(format!("--label={k}={v}")));
        }
        let base = run(
            &kubectl,
            &[
                os("create"),
                os("secret"),
                os("docker-registry"),
                os("pull"),
                os("--docker-username=u"),
                os("--docker-password=p"),
                os("--dry-run=client"),
                os("-o"),
                os("yaml"),
            ],
            None,
            &[],
        );
        let annotated = run(&kubectl, &annotate, Some(&base.stdout), &[]);
        assert!(
            annotated.status.success(),
            "{}",
            String::from_utf8_lossy(&annotated.stderr)
        );
        let want = run(&kubectl, &label, Some(&annotated.stdout), &[]);
        assert!(
            want.status.success(),
            "{}",
            String::from_utf8_lossy(&want.stderr)
        );
        let got = run(&regcred(), &regcred_args, None, &[("PW".into(), os("p"))]);
        assert!(
            got.status.success(),
            "{}",
            String::from_utf8_lossy(&got.stderr)
        );
        if got.stdout != want.stdout {
            failures.push(first_difference(&want.stdout, &got.stdout));
        }
    }
    if let Some(first) = failures.first() {
        panic!("{} differences; first:\n{first}", failures.len());
    }
}
