//! Replays every fuzz target over its committed corpus (`fuzz/corpus/<target>/`:
//! the seeds from `fuzz/seed.sh` and the `regression-*` inputs of crashes
//! found and fixed), so CI checks them with plain `cargo test`, without
//! cargo-fuzz or a nightly compiler. The bodies are the fuzz targets' own
//! (`regcred::fuzzing`).

use std::path::Path;

#[test]
fn every_target_replays_its_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (name, body) in regcred::fuzzing::TARGETS {
        let dir = corpus.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{name}: empty corpus");
        for file in &files {
            let bytes = std::fs::read(file).unwrap();
            let run = std::panic::catch_unwind(|| body(&bytes));
            assert!(run.is_ok(), "{name} fails on {}", file.display());
        }
    }
}

#[test]
fn every_fuzz_target_has_a_body_and_a_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for (name, _) in regcred::fuzzing::TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name} missing in fuzz/Cargo.toml"
        );
        assert!(root.join("corpus").join(name).is_dir(), "{name}: no corpus");
    }
}
