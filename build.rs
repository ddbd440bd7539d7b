//! Extracts each rule file's `//!` doc comment as the rule's explanation, so
//! the text lives in one place: `regcred explain`, docs/rules.md and SARIF
//! all read the generated table.

use std::fmt::Write as _;
use std::process::Command;
use std::{env, fs, path::Path};

fn main() {
    git_commit();
    let dir = Path::new("src/lint/rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .filter(|p| p.file_name().is_some_and(|n| n != "mod.rs"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("pub static RULE_DOCS: &[(&str, &str)] = &[\n");
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let doc: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.trim_start_matches("//!")
                    .strip_prefix(' ')
                    .unwrap_or(l.trim_start_matches("//!"))
            })
            .collect();
        let Some((id, body)) = doc.split_first() else {
            continue;
        };
        let body = body.join("\n");
        let _ = writeln!(out, "    ({:?}, {:?}),", id.trim(), body.trim());
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("rule_docs.rs");
    if let Err(e) = fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// `REGCRED_GIT_COMMIT` for `--version`: the short commit of the checkout,
/// or "unknown" when building outside git (a crate tarball, no git).
fn git_commit() {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=REGCRED_GIT_COMMIT={commit}");
    // Build again when HEAD moves: HEAD itself (a branch switch), the branch
    // ref it points to, and packed refs. Worktrees keep these in different
    // places; git says where.
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &branch]));
    }
    watched.push(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.into_iter().flatten() {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
