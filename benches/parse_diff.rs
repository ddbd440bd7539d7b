//! The block-YAML fast path against saphyr, over whole folders: for every
//! `.yaml`, `.yml` and `.json` file under the given paths, the fast path
//! (`parse_fast`) must either decline or give exactly the documents the
//! exact parser (`parse_saphyr`) gives, with every tree built and with
//! only the documents naming `Secret` built (the filter regcred's
//! pre-scan applies). Dev-only: the test suite runs the same comparison on
//! fixtures and generated YAML (tests/it/block_yaml.rs).
//!
//! Run: `cargo bench --bench parse_diff -- [--reasons] PATH...`
//! Prints the counts; lists each file that differs and exits 1 if any.
//! `--reasons` also prints, for each declined file the exact parser
//! reads, the first line the fast path stops at (`DECLINED path:line:
//! text`): the longest prefix of whole lines it takes, found by halving,
//! ends before it. For deciding which construct to read next.

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
    reasons: bool,
}

/// The first line of `text` the fast path stops at: the line after the
/// longest prefix of whole lines it takes (taking is not monotonic in
/// the prefix, so this is where it stops, not always why).
fn declined_line(text: &str) -> (usize, &str) {
    let all: &dyn Fn(&str) -> bool = &|_| true;
    let ends: Vec<usize> = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain(std::iter::once(text.len()))
        .collect();
    let (mut good, mut bad) = (0usize, ends.len());
    while bad - good > 1 {
        let mid = (good + bad) / 2;
        if parse_fast(&text[..ends[mid - 1]], all).is_some() {
            good = mid;
        } else {
            bad = mid;
        }
    }
    let start = if bad == 1 { 0 } else { ends[bad - 2] };
    let line = text[start..ends[bad - 1]].trim_end_matches('\n');
    (bad, line)
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
        if counts.reasons && parse_saphyr(&text, all).is_ok() {
            let (n, line) = declined_line(&text);
            println!("DECLINED {}:{n}: {line}", path.display());
        }
    }
}

fn main() -> ExitCode {
    let mut counts = Counts::default();
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    counts.reasons = args.iter().any(|a| a == "--reasons");
    for arg in args.iter().filter(|a| *a != "--reasons") {
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
