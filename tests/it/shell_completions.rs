//! Rule ids completed by real zsh and fish, asked as they ask when Tab is
//! pressed, from `regcred completions zsh|fish` (bash: conveniences.rs).

use crate::common;

use std::fs;
use std::process::Command;

/// What the user has typed before pressing Tab, and what the shell offers.
const CASES: [(&str, &[&str]); 4] = [
    (
        "regcred lint --select pull-secret-auth-n",
        &["pull-secret-auth-no-colon", "pull-secret-auth-not-base64"],
    ),
    ("regcred lint --ignore yaml-", &["yaml-syntax-error"]),
    (
        "regcred explain secret-data-n",
        &["secret-data-not-base64", "secret-data-not-string"],
    ),
    (
        "regcred lint --format human --ignore secret-data-not-s",
        &["secret-data-not-string"],
    ),
];

fn script(shell: &str) -> String {
    let out = Command::new(common::regcred())
        .args(["completions", shell])
        .output()
        .expect("regcred completions");
    assert!(out.status.success(), "{}", common::stderr(&out));
    common::stdout(&out)
}

fn sorted(lines: &str) -> Vec<String> {
    let mut v: Vec<String> = lines
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.is_empty())
        .collect();
    v.sort();
    v
}

/// zsh runs the completion system in a pseudo-terminal (zsh/zpty), with
/// `compadd` wrapped to print what it is given; the `<h''it>` quoting keeps
/// the echoed input from looking like a hit.
const ZSH_CAPTURE: &str = r#"
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT="
zpty -w z "fpath=($1 \$fpath)"
zpty -w z "autoload -U compinit; compinit -u -D"
zpty -w z "compadd () { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return \$?; fi; typeset -a __hits; builtin compadd -A __hits \"\$@\"; (( \$#__hits )) && print -rl -- '<h''it>'\${^__hits}; }"
zpty -w z "finish () { print -- '<do''ne>'; exit }"
zpty -w z "comppostfuncs=( finish )"
zpty -n -w z "$2"$'\t'
while zpty -r z line; do
  [[ $line == *'<done>'* ]] && break
  [[ $line == *'<hit>'* ]] && print -r -- ${${line##*<hit>}%%$'\r'}
done
zpty -d z
"#;

#[test]
#[ignore = "needs zsh"]
fn zsh_completes_rule_ids() {
    let Some(zsh) = common::require("zsh", "completing rule ids in zsh") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let fpath = dir.path().join("functions");
    fs::create_dir(&fpath).expect("mkdir");
    fs::write(fpath.join("_regcred"), script("zsh")).expect("write _regcred");
    fs::write(dir.path().join("capture.zsh"), ZSH_CAPTURE).expect("write capture");
    for (typed, offered) in CASES {
        let out = Command::new(&zsh)
            .arg("-f")
            .arg(dir.path().join("capture.zsh"))
            .arg(&fpath)
            .arg(typed)
            .env("HOME", dir.path())
            .output()
            .expect("zsh");
        assert!(out.status.success(), "{typed}: {}", common::text(&out));
        assert_eq!(sorted(&common::stdout(&out)), offered, "{typed}");
    }
}

#[test]
#[ignore = "needs fish"]
fn fish_completes_rule_ids() {
    let Some(fish) = common::require("fish", "completing rule ids in fish") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("regcred.fish");
    fs::write(&file, script("fish")).expect("write regcred.fish");
    for (typed, offered) in CASES {
        // `complete -C` prints what Tab would offer, a description after a tab.
        let out = Command::new(&fish)
            .arg("--no-config")
            .arg("-c")
            .arg("source $argv[1]; complete -C $argv[2]")
            .arg(&file)
            .arg(typed)
            .env("HOME", dir.path())
            .output()
            .expect("fish");
        assert!(out.status.success(), "{typed}: {}", common::text(&out));
        let words: String = common::stdout(&out)
            .lines()
            .map(|l| format!("{}\n", l.split('\t').next().unwrap_or("")))
            .collect();
        assert_eq!(sorted(&words), offered, "{typed}");
    }
}
