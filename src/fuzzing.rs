//! The bodies of the fuzz targets (`fuzz/fuzz_targets/*.rs`), kept in the
//! library so that `tests/it/fuzz_seeds.rs` replays the same code over the
//! corpus with plain `cargo test` (CI needs no cargo-fuzz, no nightly).
//!
//! Each body takes arbitrary bytes and panics only when an invariant breaks:
//! a panic inside regcred, or a property below that does not hold.

use std::path::Path;

use zeroize::Zeroizing;

use crate::dockercfg::config::ConfigFile;
use crate::dockercfg::kubelet::{self, Shape};
use crate::fix::file_fix::fix_file;
use crate::fix::plan::SecretChooser;
use crate::gocompat::base64::{self, Padding};
use crate::gocompat::json_value;
use crate::gocompat::yaml_quote::{read_back, Emitter};
use crate::image::keyring;
use crate::image::reference::{parse_image, ParsedImage};
use crate::lint::input::InputKind;
use crate::lint::mask;
use crate::lint::view::PayloadFormat;
use crate::lint::{Linter, Reported};
use crate::manifest::parse_stream;

/// A fuzz target's body.
pub type Body = fn(&[u8]);

/// The fuzz targets by name: the folder names under `fuzz/corpus/`.
pub const TARGETS: &[(&str, Body)] = &[
    ("lint_yaml", lint_yaml),
    ("docker_config", docker_config),
    ("base64", base64_decode),
    ("image_ref", image_ref),
    ("yaml_quote", yaml_quote),
    ("fix", fix),
];

/// (a) One file through the whole lint engine, read as a manifest and as a
/// kustomization; every finding placed inside the file.
pub fn lint_yaml(data: &[u8]) {
    let linter = Linter::default();
    for kind in [InputKind::Manifest, InputKind::Kustomization] {
        let result = linter.lint_source("fuzz.yaml", None, data, kind);
        // A lone CR is a line break too (lint::encoding); counted on the
        // raw bytes, an upper bound for UTF-16 as well.
        let breaks = data
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
            .count();
        let lines = breaks + 1;
        for f in &result.findings {
            assert!(f.start.line >= 1 && f.start.line <= lines, "{}", f.rule);
            assert!(f.end.line >= f.start.line, "{}", f.rule);
        }
    }
    // The masks of a file that may not parse: inside it, and from the
    // first unknown byte on, everything.
    if let Ok(text) = std::str::from_utf8(data) {
        let masks = mask::unparsed_masks(text);
        assert!(masks
            .iter()
            .all(|r| r.start <= r.end && r.end <= data.len()));
        assert!(masks.last().is_some_and(|r| r.end == data.len()));
    }
}

/// (b) The Docker config readers: Go-exact JSON, the kubelet's reading in
/// both shapes, `create`'s config file reading and the payload rules.
pub fn docker_config(data: &[u8]) {
    let parsed = json_value::parse(data);
    match &parsed {
        Ok(doc) => {
            for shape in [Shape::DockerConfigJson, Shape::DockerCfg] {
                let reading = kubelet::read(doc, shape);
                let _ = reading.go_error();
                let _ = reading.effective().count();
            }
            let _ = json_value::unmarshal_into_map(doc, data);
        }
        Err(e) => {
            let _ = e.go_message(data);
        }
    }
    let masks = mask::json_masks(data, parsed.as_ref());
    assert!(masks
        .iter()
        .all(|r| r.start <= r.end && r.end <= data.len()));
    let _ = ConfigFile::parse(Path::new("config.json"), Zeroizing::new(data.to_vec()));
    let linter = Linter::default();
    for format in [PayloadFormat::DockerConfigJson, PayloadFormat::DockerCfg] {
        linter.lint_source("config.json", None, data, InputKind::DockerConfig(format));
    }
}

/// What Go's decoders accept, stated simply: line breaks are ignored
/// everywhere; what is left is canonical standard base64 (with `=` padding,
/// or without any `=`), except that unused trailing bits may be non-zero.
fn reference_decode(src: &[u8], padding: Padding) -> Option<Vec<u8>> {
    use ::base64::alphabet::STANDARD;
    use ::base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use ::base64::Engine;
    let stripped: Vec<u8> = src
        .iter()
        .copied()
        .filter(|&b| b != b'\n' && b != b'\r')
        .collect();
    let mode = match padding {
        Padding::Required => DecodePaddingMode::RequireCanonical,
        Padding::None => DecodePaddingMode::RequireNone,
    };
    let config = GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(mode);
    GeneralPurpose::new(&STANDARD, config).decode(stripped).ok()
}

/// (c) Go's base64 decoders against the reference model: same verdict,
/// same bytes, error offsets inside the input, `validate` agreeing with
/// `decode`, and `decode(encode(x)) == x`.
pub fn base64_decode(data: &[u8]) {
    for padding in [Padding::Required, Padding::None] {
        let ours = base64::decode(data, padding);
        let model = reference_decode(data, padding);
        match (&ours, &model) {
            (Ok(a), Some(b)) => assert_eq!(a, b, "{padding:?}: decoded bytes differ"),
            (Err(e), None) => assert!(e.offset <= data.len(), "offset out of bounds"),
            (Ok(_), None) => panic!("{padding:?}: accepted what the model rejects"),
            (Err(e), Some(_)) => panic!(
                "{padding:?}: rejected at {} what the model accepts",
                e.offset
            ),
        }
        match (base64::validate(data, padding), &ours) {
            (Ok(n), Ok(v)) => assert_eq!(n, v.len()),
            (Err(a), Err(b)) => assert_eq!(a, *b),
            _ => panic!("validate and decode disagree"),
        }
    }
    let encoded = base64::encode(data);
    assert_eq!(
        base64::decode(encoded.as_bytes(), Padding::Required).as_deref(),
        Ok(data)
    );
    let unpadded = encoded.trim_end_matches('=');
    assert_eq!(
        base64::decode(unpadded.as_bytes(), Padding::None).as_deref(),
        Ok(data)
    );
    assert_eq!(base64::decode_auth_field(&encoded).as_deref(), Ok(data));
}

/// (d) Image references and the kubelet's keyring: the first line is an
/// image, the others are `auths` keys. A normalized name parses to itself;
/// a lookup gives one verdict per key and tries only given keys.
pub fn image_ref(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let image = lines.next().unwrap_or_default();
    let keys: Vec<&str> = lines.collect();
    for key in &keys {
        let _ = keyring::index_key(key);
        let _ = keyring::key_registry(key);
    }
    let repository = match parse_image(image) {
        ParsedImage::Reference(r) => {
            let name = r.name();
            if !r.domain.is_empty() {
                match parse_image(&name) {
                    ParsedImage::Reference(again) => assert_eq!(again.name(), name),
                    other => panic!("normalized name does not parse again: {other:?}"),
                }
            }
            name
        }
        ParsedImage::Template | ParsedImage::Invalid(_) => image.to_string(),
    };
    let lookup = keyring::lookup(&repository, &keys);
    assert_eq!(lookup.verdicts.len(), keys.len());
    assert!(lookup.tried.iter().all(|&i| i < keys.len()));
    let _ = keyring::suggested_key(&repository);
    let _ = keyring::is_docker_hub_repository(&repository);
}

/// (e) The go-yaml v2 emitter: a key and a value rendered the way kubectl
/// prints them read back (with regcred's own YAML reader) as the strings
/// go-yaml would read.
pub fn yaml_quote(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (key, value) = text.split_once('\u{0}').unwrap_or(("k", &text));
    if key.is_empty() {
        return;
    }
    let mut e = Emitter::new();
    e.key(0, "metadata");
    e.key(1, key);
    e.value(1, value);
    e.key(0, "z");
    e.value(0, "end");
    e.end();
    let rendered = e.finish();
    let docs = match parse_stream(&rendered) {
        Ok(docs) => docs,
        Err(err) => panic!(
            "rendered YAML does not parse ({}): {rendered:?}",
            err.message
        ),
    };
    let root = docs
        .first()
        .and_then(|d| d.root.as_ref())
        .unwrap_or_else(|| panic!("no document in {rendered:?}"));
    let metadata = root
        .get("metadata")
        .unwrap_or_else(|| panic!("no metadata in {rendered:?}"));
    let entries = metadata.entries();
    assert_eq!(entries.len(), 1, "{rendered:?}");
    assert_eq!(
        entries[0].key.text(),
        Some(&*read_back(key)),
        "{rendered:?}"
    );
    assert_eq!(
        entries[0].value.text(),
        Some(&*read_back(value)),
        "{rendered:?}"
    );
    assert_eq!(
        root.get("z").and_then(|n| n.text()),
        Some("end"),
        "{rendered:?}"
    );
}

/// Names one Secret for every pod, as `--fix-secret` does.
struct FixSecret;

impl SecretChooser for FixSecret {
    fn choose(&self, _namespace: Option<&str>, _images: &[&str]) -> Option<String> {
        Some("regcred".into())
    }
}

/// (f) `--fix` on one file, in memory: what it would write parses, and the
/// rounds `--fix` runs (one fix can enable another: a typed Secret makes its
/// registry private) converge, so a further round changes nothing.
pub fn fix(data: &[u8]) {
    const ROUNDS: usize = 3;
    let linter = Linter::default();
    let mut bytes = data.to_vec();
    for round in 0..=ROUNDS {
        let linted = linter.lint_source("fuzz.yaml", None, &bytes, InputKind::Manifest);
        let findings: Vec<&Reported> = linted.findings.iter().collect();
        let Ok(fixed) = fix_file(
            &linter,
            "fuzz.yaml",
            None,
            &bytes,
            InputKind::Manifest,
            &findings,
            &FixSecret,
        ) else {
            return;
        };
        if !fixed.changes() {
            return;
        }
        assert!(
            round < ROUNDS,
            "--fix still changes the file after {ROUNDS} rounds"
        );
        let text = crate::gocompat::without_bom(&fixed.fixed);
        let parses = std::str::from_utf8(text).is_ok_and(|t| parse_stream(t).is_ok());
        assert!(parses, "--fix wrote text that does not parse");
        bytes = fixed.fixed;
    }
}
