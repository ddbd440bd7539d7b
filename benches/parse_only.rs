//! The parse-only floor of the benchmark (benches/run.py): read every
//! `.yaml`, `.yml` and `.json` file under the given paths and parse it with
//! saphyr, the YAML parser regcred uses, into the spanned tree (`MarkedYaml`)
//! regcred needs, on one thread. No rules, no index, no output per file: this
//! is what "just parsing everything" costs, the bar regcred lint must beat by
//! prefiltering.
//!
//! Run: `cargo bench --bench parse_only -- [--list-errors] PATH...`
//! Prints one line of counts (and, with `--list-errors`, each file that fails
//! to parse with saphyr's message on stderr); exits 2 only when a path cannot
//! be walked, 0 without paths.

#[path = "common/manifest_files.rs"]
mod manifest_files;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use saphyr::{LoadableYamlNode, MarkedYaml};

#[derive(Default)]
struct Counts {
    list_errors: bool,
    files: u64,
    bytes: u64,
    documents: u64,
    parse_errors: u64,
    not_utf8: u64,
    unreadable: u64,
}

fn parse_file(path: &Path, counts: &mut Counts) {
    counts.files += 1;
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(_) => {
            counts.unreadable += 1;
            return;
        }
    };
    counts.bytes += bytes.len() as u64;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        counts.not_utf8 += 1;
        return;
    };
    match MarkedYaml::load_from_str(text) {
        Ok(docs) => counts.documents += docs.len() as u64,
        // Helm templates and deliberately broken files land here; the
        // floor still paid for scanning them up to the error.
        Err(err) => {
            counts.parse_errors += 1;
            if counts.list_errors {
                eprintln!("{}: {err}", path.display());
            }
        }
    }
}

fn main() -> ExitCode {
    let mut counts = Counts::default();
    let mut roots: Vec<PathBuf> = Vec::new();
    for arg in std::env::args_os().skip(1) {
        if arg == "--list-errors" {
            counts.list_errors = true;
        } else if arg != "--bench" {
            // `cargo bench` appends `--bench`; it is not a path.
            roots.push(PathBuf::from(arg));
        }
    }
    if roots.is_empty() {
        // `cargo bench` and `cargo test --all-targets` run every bench target
        // without paths: nothing to measure is not a failure.
        eprintln!("usage: parse_only [--list-errors] PATH... (nothing to parse)");
        return ExitCode::SUCCESS;
    }
    for root in &roots {
        if let Err(err) = manifest_files::for_each(root, |path| parse_file(path, &mut counts)) {
            eprintln!("error: cannot walk {}: {err}", root.display());
            return ExitCode::from(2);
        }
    }
    println!(
        "files={} bytes={} documents={} parse_errors={} not_utf8={} unreadable={}",
        counts.files,
        counts.bytes,
        counts.documents,
        counts.parse_errors,
        counts.not_utf8,
        counts.unreadable
    );
    ExitCode::SUCCESS
}
