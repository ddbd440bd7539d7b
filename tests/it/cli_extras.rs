//! `--version` with the git commit, shell completions (loaded into a real
//! bash and asked to complete), and man pages (rendered by the real `man`).

use crate::common;

use std::process::{Command, Stdio};

use common::{regcred, require};

fn regcred_out(args: &[&str]) -> String {
    let out = Command::new(regcred()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "regcred {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn version_names_the_git_commit() {
    let version = regcred_out(&["--version"]);
    let git = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let commit = git.unwrap_or_else(|| "unknown".to_string());
    assert_eq!(
        version,
        format!("regcred {} ({commit})\n", env!("CARGO_PKG_VERSION"))
    );
}

/// Loads the bash script and asks it to complete `regcred WORDS...`.
fn bash_complete(script: &str, words: &[&str]) -> Vec<String> {
    let words_list = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let program = format!(
        "source /dev/stdin\nCOMP_WORDS=(regcred {words_list})\nCOMP_CWORD={}\nCOMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\n_regcred regcred \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words.len()
    );
    let mut child = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect()
}

#[test]
#[ignore = "needs bash"]
fn bash_completes_subcommands_and_options() {
    if require("bash", "the bash completion test").is_none() {
        return;
    }
    let script = regcred_out(&["completions", "bash"]);
    let subcommands = bash_complete(&script, &["cr"]);
    assert_eq!(subcommands, ["create"]);
    let options = bash_complete(&script, &["create", "--docker-pass"]);
    for o in [
        "--docker-password-stdin",
        "--docker-password-file",
        "--docker-password-env",
    ] {
        assert!(options.iter().any(|x| x == o), "{o} in {options:?}");
    }
    let nested = bash_complete(&script, &["kustomize", "in"]);
    assert_eq!(nested, ["install-plugin"]);
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = regcred_out(&["completions", shell]);
        assert!(
            script.contains("create") && script.contains("docker-server"),
            "{shell}"
        );
    }
    let out = Command::new(regcred())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[ignore = "needs man (man-db)"]
fn man_pages_render() {
    let page = regcred_out(&["man"]);
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(page.contains(".TH regcred 1"));
    let dir = tempfile::tempdir().unwrap();
    regcred_out(&["man", "--dir", dir.path().to_str().unwrap()]);
    for name in [
        "regcred.1",
        "regcred-create.1",
        "regcred-lint.1",
        "regcred-inspect.1",
        "regcred-kustomize-install-plugin.1",
        "regcred-completions.1",
    ] {
        assert!(dir.path().join(name).is_file(), "{name}");
    }
    let Some(man) = require("man", "rendering the man page") else {
        return;
    };
    let out = Command::new(man)
        .arg("-l")
        .arg(dir.path().join("regcred-create.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "200")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("NAME") && text.contains("--docker-password-stdin"),
        "{text}"
    );
}
