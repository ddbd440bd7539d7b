//! The README shows `regcred lint fixtures/demo` with its real output: this
//! keeps the two the same (regenerate the block by running the command).

use crate::common;

use std::process::Command;

#[test]
fn readme_shows_the_real_demo_output() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let start = "$ regcred lint fixtures/demo\n";
    let from = readme.find(start).expect("README has the demo block") + start.len();
    let shown = &readme[from..from + readme[from..].find("```").unwrap()];
    let output = Command::new(common::regcred())
        .args(["lint", "fixtures/demo"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let mut actual = String::from_utf8(output.stdout).unwrap();
    actual.push_str(&String::from_utf8(output.stderr).unwrap());
    assert_eq!(shown, actual, "README's demo block is stale");
}

/// The README's `regcred inspect` block on the demo is its real output.
#[test]
fn readme_shows_the_real_inspect_output() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let args = [
        "inspect",
        "fixtures/demo",
        "--pod",
        "fixtures/demo/base/deployment.yaml",
    ];
    let start = format!("$ regcred {}\n", args.join(" "));
    let from = readme.find(&start).expect("README has the inspect block") + start.len();
    let shown = &readme[from..from + readme[from..].find("```").unwrap()];
    let output = Command::new(common::regcred())
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let actual = String::from_utf8(output.stdout).unwrap();
    assert_eq!(shown, actual, "README's inspect block is stale");
}
