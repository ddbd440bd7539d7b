//! What ruff, kube-linter and kubeconform users expect of a linter's
//! command line: --output-format, --quiet, --statistics, --exit-zero and
//! --fail-on never, "did you mean", rule ids in the completions, every
//! config error at once, examples and exit codes in --help and man pages.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

fn regcred(dir: &Path, args: &[&str]) -> Output {
    Command::new(common::regcred())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn output_format_is_format() {
    let a = regcred(
        &common::manifest_dir(),
        &["lint", "--output-format", "json", "fixtures/demo"],
    );
    let b = regcred(
        &common::manifest_dir(),
        &["lint", "--format", "json", "fixtures/demo"],
    );
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(a.stdout, b.stdout);
    assert!(common::stdout(&a).starts_with('{'));
}

#[test]
fn quiet_prints_the_findings_and_nothing_else() {
    let loud = regcred(&common::manifest_dir(), &["lint", "fixtures/demo"]);
    let quiet = regcred(&common::manifest_dir(), &["lint", "-q", "fixtures/demo"]);
    assert_eq!(quiet.status.code(), Some(1));
    assert!(common::stdout(&loud).contains("7 errors, 0 warnings"));
    assert!(
        !common::stdout(&quiet).contains("7 errors"),
        "{}",
        common::stdout(&quiet)
    );
    assert!(common::stdout(&quiet).contains("error[pull-secret-auth-no-colon]"));
    assert!(common::stdout(&loud).starts_with(&common::stdout(&quiet)));
    // A clean run prints nothing at all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    )
    .unwrap();
    let clean = regcred(dir.path(), &["lint", "--quiet", "."]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(common::stdout(&clean), "");
    assert_eq!(common::stderr(&clean), "");
}

#[test]
fn statistics_counts_findings_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let secret = |name: &str| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ndata:\n  a: not base64!\n"
        )
    };
    std::fs::write(dir.path().join("a.yaml"), secret("a")).unwrap();
    std::fs::write(dir.path().join("b.yaml"), secret("B_bad")).unwrap();
    let out = regcred(dir.path(), &["lint", "--statistics", "."]);
    assert_eq!(out.status.code(), Some(1));
    let text = common::stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "    2  error    secret-data-not-base64",
            "    1  error    secret-name-invalid",
            "3 errors, 0 warnings, 0 infos in 2 files (2 objects)",
        ],
        "{text}"
    );
    let quiet = regcred(dir.path(), &["lint", "--statistics", "-q", "."]);
    assert_eq!(common::stdout(&quiet).lines().count(), 2);
    // Only for people: the other formats list every finding.
    let json = regcred(
        dir.path(),
        &["lint", "--statistics", "--format", "json", "."],
    );
    assert_eq!(json.status.code(), Some(2));
    assert!(
        common::stderr(&json).contains("--statistics"),
        "{}",
        common::stderr(&json)
    );
}

#[test]
fn exit_zero_and_fail_on_never_report_without_failing() {
    for flag in [&["--exit-zero"][..], &["--fail-on", "never"]] {
        let mut args = vec!["lint"];
        args.extend_from_slice(flag);
        args.push("fixtures/demo");
        let out = regcred(&common::manifest_dir(), &args);
        assert_eq!(out.status.code(), Some(0), "{flag:?}");
        assert!(common::stdout(&out).contains("7 errors"), "{flag:?}");
        // An input not read is still an error.
        args.push("no-such-file.yaml");
        assert_eq!(
            regcred(&common::manifest_dir(), &args).status.code(),
            Some(2),
            "{flag:?}"
        );
    }
    let both = regcred(
        &common::manifest_dir(),
        &["lint", "--exit-zero", "--fail-on", "info", "fixtures/demo"],
    );
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn near_misses_get_a_suggestion() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["explain", "auth-no-colon"],
            "a similar value exists: 'pull-secret-auth-no-colon'",
        ),
        (
            &["lint", "--select", "secret-data-not-base46", "."],
            "a similar value exists: 'secret-data-not-base64'",
        ),
        (
            &["lint", "--ignore", "yaml-syntax-eror", "."],
            "a similar value exists: 'yaml-syntax-error'",
        ),
        (
            &["lint", "--format", "jsno", "."],
            "a similar value exists: 'json'",
        ),
    ];
    for (args, tip) in cases {
        let out = regcred(&common::manifest_dir(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = common::stderr(&out);
        assert!(err.contains(tip), "{args:?}: {err}");
        // The valid choices are listed.
        assert!(err.contains("[possible values:"), "{args:?}: {err}");
    }
    // Far from every id: no suggestion, the list.
    let out = regcred(&common::manifest_dir(), &["explain", "zzzzzz"]);
    assert!(
        !common::stderr(&out).contains("similar"),
        "{}",
        common::stderr(&out)
    );
    assert!(common::stderr(&out).contains("pull-secret-auth-no-colon"));
}

#[test]
fn completions_offer_the_rule_ids() {
    let bash = common::stdout(&regcred(&common::manifest_dir(), &["completions", "bash"]));
    let fish = common::stdout(&regcred(&common::manifest_dir(), &["completions", "fish"]));
    let ids = common::stdout(&regcred(&common::manifest_dir(), &["explain"]));
    let ids: Vec<&str> = ids
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(ids.len() > 20);
    for id in ids {
        assert!(bash.contains(id), "bash: {id}");
        assert!(fish.contains(id), "fish: {id}");
    }
}

/// bash, asked as it asks when Tab is pressed, completes rule ids after
/// --select, --ignore and `explain`.
#[test]
#[ignore = "needs bash"]
fn bash_completes_rule_ids() {
    let Some(bash) = common::require("bash", "completing rule ids in bash") else {
        return;
    };
    let complete = |words: &[&str]| -> Vec<String> {
        let script = format!(
            "source <({} completions bash)\nCOMP_WORDS=({})\nCOMP_CWORD={}\n\
             _regcred regcred {} {}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
            common::regcred().display(),
            words.join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = Command::new(&bash).arg("-c").arg(script).output().unwrap();
        assert!(out.status.success(), "{}", common::stderr(&out));
        common::stdout(&out).lines().map(str::to_string).collect()
    };
    assert_eq!(
        complete(&["regcred", "lint", "--select", "pull-secret-auth-n"]),
        ["pull-secret-auth-no-colon", "pull-secret-auth-not-base64"]
    );
    assert_eq!(
        complete(&["regcred", "lint", "--ignore", "yaml-"]),
        ["yaml-syntax-error"]
    );
    assert_eq!(
        complete(&["regcred", "explain", "secret-data-n"]),
        ["secret-data-not-base64", "secret-data-not-string"]
    );
}

#[test]
fn every_config_error_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".regcred.yaml"),
        "rules:\n  secret-data-plaintxt: off\n  secret-name-invalid: loud\nskip: charts/\n",
    )
    .unwrap();
    let out = regcred(dir.path(), &["lint", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].contains(".regcred.yaml:2:3: rules: unknown rule \"secret-data-plaintxt\" (did you mean \"secret-data-plaintext\"?)"), "{err}");
    assert!(lines[1].contains(".regcred.yaml:3:24: rules.secret-name-invalid: \"loud\" is not one of: error, warning, info, off"), "{err}");
    assert!(lines[2].contains(".regcred.yaml:4:7: skip:"), "{err}");
}

#[test]
fn help_shows_examples_and_exit_codes() {
    for args in [&["--help"][..], &["lint", "--help"]] {
        let text = common::stdout(&regcred(&common::manifest_dir(), args));
        assert!(text.contains("Examples:\n  regcred lint ."), "{args:?}");
        let status = &text[text.find("Exit status:").expect("exit status")..];
        for code in ["  0  ", "  1  ", "  2  "] {
            assert!(status.contains(code), "{args:?}: {status}");
        }
    }
}

#[test]
fn man_pages_have_exit_status_environment_files_and_examples() {
    let dir = tempfile::tempdir().unwrap();
    let out = regcred(
        &common::manifest_dir(),
        &["man", "--dir", dir.path().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    for page in ["regcred.1", "regcred-lint.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            assert!(
                text.contains(&format!(".SH \"{section}\"")),
                "{page}: {section}"
            );
        }
        assert!(
            text.contains("NO_COLOR") && text.contains(".regcred.yaml"),
            "{page}"
        );
        assert!(
            !text.contains(".SH EXTRA"),
            "{page}: --help's text repeated"
        );
    }
    let create = std::fs::read_to_string(dir.path().join("regcred-create.1")).unwrap();
    assert!(create.contains(".SH \"EXIT STATUS\""));
    // `regcred man` alone prints regcred(1).
    let single = common::stdout(&regcred(&common::manifest_dir(), &["man"]));
    assert!(single.contains(".SH \"EXAMPLES\""));
}
