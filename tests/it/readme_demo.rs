//! The README shows `regcred lint fixtures/demo`, `regcred inspect` on it
//! and `regcred lint` with a mistyped configuration with their real output:
//! this keeps them the same (regenerate a block by running its command).

use crate::common;

use std::process::{Command, Output};

/// The block the README shows after `$ regcred ARGS`, and what running it
/// from the repository's root prints.
fn shown_and_run(args: &[&str]) -> (String, Output) {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let start = format!("$ regcred {}\n", args.join(" "));
    let from = readme.find(&start).expect("README has the block") + start.len();
    let shown = readme[from..from + readme[from..].find("```").unwrap()].to_string();
    let output = Command::new(common::regcred())
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (shown, output)
}

#[test]
fn readme_shows_the_real_demo_output() {
    let (shown, output) = shown_and_run(&["lint", "fixtures/demo"]);
    assert_eq!(output.status.code(), Some(1));
    let mut actual = String::from_utf8(output.stdout).unwrap();
    actual.push_str(&String::from_utf8(output.stderr).unwrap());
    assert_eq!(shown, actual, "README's demo block is stale");
}

/// The README's `regcred inspect` block on the demo is its real output.
#[test]
fn readme_shows_the_real_inspect_output() {
    let (shown, output) = shown_and_run(&[
        "inspect",
        "fixtures/demo",
        "--pod",
        "fixtures/demo/base/deployment.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let actual = String::from_utf8(output.stdout).unwrap();
    assert_eq!(shown, actual, "README's inspect block is stale");
}

/// The README's configuration section shows what a configuration with
/// typos gets: each mistake on its line, with the key or rule meant.
#[test]
fn readme_shows_the_real_config_typos_output() {
    let args = [
        "lint",
        "--config",
        "fixtures/config/typos.yaml",
        "fixtures/demo",
    ];
    let (shown, output) = shown_and_run(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let actual = String::from_utf8(output.stderr).unwrap();
    assert_eq!(shown, actual, "README's configuration block is stale");
    assert_eq!(actual.matches("did you mean").count(), 3, "{actual}");
}

/// Every README block that starts with one `$ regcred ...` command shows
/// what that command prints, run from the repository's root (standard
/// output, then standard error).
#[test]
fn every_regcred_block_in_the_readme_is_real_output() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let mut checked = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = &block[..block.find("```").unwrap()];
        let Some(rest) = block.strip_prefix("$ regcred ") else {
            continue;
        };
        // A command continued with `\` ends at the first line without one.
        let mut command = String::new();
        let mut lines = rest.split_inclusive('\n');
        for line in lines.by_ref() {
            match line.trim_end().strip_suffix('\\') {
                Some(part) => command.push_str(part),
                None => {
                    command.push_str(line.trim_end());
                    break;
                }
            }
        }
        let shown: String = lines.collect();
        if shown.lines().any(|l| l.starts_with("$ ")) {
            continue;
        }
        let args: Vec<&str> = command.split_whitespace().collect();
        let output = Command::new(common::regcred())
            .args(&args)
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let mut actual = String::from_utf8(output.stdout).unwrap();
        actual.push_str(&String::from_utf8(output.stderr).unwrap());
        assert_eq!(
            shown, actual,
            "README's block of `regcred {command}` is stale"
        );
        checked += 1;
    }
    assert!(checked >= 5, "{checked} blocks checked");
}
