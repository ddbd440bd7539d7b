//! Hostile input gets a clear answer, never a crash or a hang.

use std::fs;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use proptest::prelude::*;
use regcred::lint::input::InputKind;
use regcred::lint::view::PayloadFormat;
use regcred::lint::Linter;

fn lint(bytes: &[u8]) -> regcred::lint::engine::FileResult {
    Linter::default().lint_source("x.yaml", None, bytes, InputKind::Manifest)
}

fn quickly<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{what} took {:?}",
        start.elapsed()
    );
    out
}

#[test]
fn alias_bomb_is_not_expanded() {
    let mut text = String::from("kind: Secret\napiVersion: v1\nmetadata: {name: x}\nstringData:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..40 {
        let p = i - 1;
        text.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let result = quickly("alias bomb", || lint(text.as_bytes()));
    assert_eq!(result.objects, 1);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["[", "{a: ", "- "] {
        let mut text = String::from("kind: x\nv: ");
        text.push_str(&open.repeat(100_000));
        let result = quickly("deep nesting", || lint(text.as_bytes()));
        assert!(
            result
                .findings
                .iter()
                .all(|f| f.rule == "yaml-syntax-error"),
            "{open}"
        );
    }
    // Deep block nesting, one level per line.
    let mut text = String::from("kind: x\n");
    for i in 0..5_000 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    quickly("deep block nesting", || lint(text.as_bytes()));
}

#[test]
fn binary_invalid_utf8_and_huge_lines() {
    let mut binary: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    binary.extend_from_slice(b"kind");
    let result = lint(&binary);
    assert_eq!(result.findings.len(), 1);
    assert_eq!(result.findings[0].rule, "yaml-syntax-error");
    let mut huge = b"apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata:\n  a: ".to_vec();
    huge.extend(std::iter::repeat_n(b'A', 20_000_000));
    huge.extend_from_slice(b"!AAA\n");
    let result = quickly("20 MB line", || lint(&huge));
    assert_eq!(result.findings.len(), 1);
    let excerpt = result.findings[0].excerpt.as_ref().unwrap();
    assert!(
        excerpt.text.len() < 10_000,
        "excerpt of {} bytes",
        excerpt.text.len()
    );
}

#[test]
fn docker_config_garbage_does_not_panic() {
    for bytes in [&b""[..], b"\xff\xfe", b"{", b"[]", b"null"] {
        Linter::default().lint_source(
            "c.json",
            None,
            bytes,
            InputKind::DockerConfig(PayloadFormat::DockerConfigJson),
        );
    }
}

#[cfg(unix)]
#[test]
fn fifos_and_symlink_loops_in_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !made {
        eprintln!("SKIP: mkfifo not available");
    }
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    fs::write(dir.path().join("ok.yaml"), "kind: ConfigMap\n").unwrap();
    let out = quickly("walk", || {
        Command::cargo_bin("regcred")
            .unwrap()
            .current_dir(dir.path())
            .arg("lint")
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap()
    });
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_yaml_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("kind: Secret\n"), Just("apiVersion: v1\n"), Just("data:\n"), Just("stringData:\n"),
        Just("  a: "), Just("  .dockerconfigjson: "), Just("type: kubernetes.io/dockerconfigjson\n"),
        Just("YQ==\n"), Just("\"x\\\"y\"\n"), Just("'q''r'\n"), Just("|\n    YWJj\n"), Just("[\n"), Just("]\n"),
        Just("{"), Just("}"), Just("---\n"), Just("&a "), Just("*a\n"), Just("é€\n"), Just("\t"), Just("- "),
        Just("# regcred:ignore\n"), Just("{{ x }}\n"), Just("\r\n"), Just("metadata: {name: My_X}\n"),
        "[ -~]{0,12}".prop_map(|s| Box::leak(s.into_boxed_str()) as &str),
    ], 0..40)) {
        let text: String = parts.concat();
        lint(text.as_bytes());
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut with_kind = b"kind: Secret\n".to_vec();
        with_kind.extend_from_slice(&bytes);
        lint(&with_kind);
        Linter::default().lint_source("c.json", None, &bytes, InputKind::DockerConfig(PayloadFormat::DockerConfigJson));
    }
}
