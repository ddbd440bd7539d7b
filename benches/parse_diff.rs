//! The block-YAML fast path against saphyr, over whole folders: for every
//! `.yaml`, `.yml` and `.json` file under the given paths, the fast path
//! (`parse_fast`) must either decline or give exactly the documents the
//! exact parser (`parse_saphyr`) gives, with every tree built and with
//! only the documents naming `Secret` built (the filter regcred's
//! pre-scan applies). Dev-only: the test suite runs the same comparison on
//! fixtures and generated YAML (tests/it/block_yaml.rs).
//!
//! Run: `cargo bench --bench parse_diff -- PATH...`
//! Prints the counts; lists each file that differs and exits 1 if any.

#[path = "common/manifest_files.rs"]
mod manifest_files;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use regcred::manifest::yaml::{parse_fast, parse_saphyr};

#[derive(Default)]
struct Counts {
    files: u64,
    bytes: u64,
    fast: u64,
    fast_bytes: u64,
    declined: u64,
    exact_errors: u64,
    differ: Vec<PathBuf>,
}

fn compare(path: &Path, counts: &mut Counts) {
    let Ok(bytes) = fs::read(path) else { return };
    let Ok(text) = String::from_utf8(bytes) else {
        return;
    };
    counts.files += 1;
    counts.bytes += text.len() as u64;
    let all: &dyn Fn(&str) -> bool = &|_| true;
    let secrets: &dyn Fn(&str) -> bool = &|d| d.contains("Secret");
    let mut took = false;
    for filter in [all, secrets] {
        let exact = parse_saphyr(&text, filter);
        if exact.is_err() {
            counts.exact_errors += 1;
        }
        match parse_fast(&text, filter) {
            None => {}
            Some(docs) if exact.as_ref().ok() == Some(&docs) => took = true,
            Some(_) => {
                counts.differ.push(path.to_path_buf());
                return;
            }
        }
    }
    if took {
        counts.fast += 1;
        counts.fast_bytes += text.len() as u64;
    } else {
        counts.declined += 1;
    }
}

fn main() -> ExitCode {
    let mut counts = Counts::default();
    for arg in std::env::args().skip(1).filter(|a| a != "--bench") {
        if let Err(e) = manifest_files::for_each(Path::new(&arg), |path| compare(path, &mut counts))
        {
            eprintln!("{arg}: {e}");
            return ExitCode::from(2);
        }
    }
    for path in &counts.differ {
        println!("DIFFERS: {}", path.display());
    }
    println!(
        "{} files ({} bytes): fast path {} ({} bytes), declined {}, differ {}; exact parser errors (per filter) {}",
        counts.files,
        counts.bytes,
        counts.fast,
        counts.fast_bytes,
        counts.declined,
        counts.differ.len(),
        counts.exact_errors
    );
    if counts.differ.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
