//! The command line is the top layer (docs/architecture.md): no library
//! module outside `src/cli/` names `cli`, so `create`, `krm/`, `lint/` and
//! the rest can be used without the flags.

use std::path::{Path, PathBuf};

/// The library's `.rs` files below `src/`, except the command line and the
/// binaries (`src/cli/`, `src/main.rs`, `src/bin/`), which stand above it.
fn library_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let above = [src.join("cli"), src.join("bin"), src.join("main.rs")];
    for path in crate::common::sorted_entries(dir) {
        if above.contains(&path) {
            continue;
        }
        if path.is_dir() {
            library_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code without line comments, whitespace removed around `::`, braces
/// and commas, so `crate :: {\n    cli,` reads `crate::{cli,`.
fn normalized(code: &str) -> String {
    let mut joined = String::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        joined.push_str(line);
        joined.push(' ');
    }
    let words: Vec<&str> = joined.split_whitespace().collect();
    let mut text = words.join(" ");
    for token in ["::", "{", "}", ","] {
        text = text
            .replace(&format!(" {token}"), token)
            .replace(&format!("{token} "), token);
    }
    text
}

/// Where `text` names the `cli` module through `crate`, `super` or the
/// crate's own name: `crate::cli`, `super::super::cli`, `crate::{x, cli}`.
fn names_cli(text: &str) -> Option<String> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    for root in ["crate::", "super::", "regcred::"] {
        for (at, _) in text.match_indices(root) {
            let rest = &text[at + root.len()..];
            let items = match rest.strip_prefix('{') {
                Some(group) => top_level_items(group),
                None => vec![rest],
            };
            for item in items {
                if let Some(after) = item.strip_prefix("cli") {
                    if !after.starts_with(is_ident) {
                        return Some(format!(
                            "{root}{}",
                            item.chars().take(60).collect::<String>()
                        ));
                    }
                }
            }
        }
    }
    None
}

/// The items of a `{...}` group (`group` starts after its `{`), split at
/// its own commas, not those of groups inside it.
fn top_level_items(group: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0usize, 0);
    let mut end = group.len();
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                end = i;
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..end]);
    items
}

#[test]
fn nothing_below_the_command_line_imports_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    assert!(
        src.join("cli/mod.rs").is_file(),
        "src/cli/ moved: update this test"
    );
    let mut files = Vec::new();
    library_files(&src, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("lint/engine.rs"))
            && files.iter().any(|f| f.ends_with("create/mod.rs")),
        "the walk missed the library: {files:?}"
    );
    let offenders: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let code = std::fs::read_to_string(file).unwrap();
            let found = names_cli(&normalized(&code))?;
            Some(format!("{}: {found}", file.display()))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "library modules that use the command line (move what they need below src/cli/):\n{}",
        offenders.join("\n")
    );
}

/// The check sees the spellings an import of `cli` can take, and not a
/// module whose name merely starts with `cli`.
#[test]
fn the_check_sees_every_spelling() {
    for code in [
        "use crate::cli::create::render;",
        "use crate :: cli;",
        "use super::super::cli::Cli;",
        "use crate::{\n    lint::Linter,\n    cli::{self, Cli},\n};",
        "use crate::{lint::{Linter, Outcome}, cli};",
        "let x = regcred::cli::run();",
        "crate::cli::create::render(&args)",
    ] {
        assert!(names_cli(&normalized(code)).is_some(), "missed: {code}");
    }
    for code in [
        "use crate::client::Client;",
        "use crate::lint::cli_args;",
        "// use crate::cli::Cli;",
        "use crate::{clipboard, lint};",
    ] {
        assert!(
            names_cli(&normalized(code)).is_none(),
            "false alarm: {code}"
        );
    }
}
