#![no_main]
//! Body: regcred::fuzzing::yaml_quote (replayed over the corpus by tests/it/fuzz_seeds.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| regcred::fuzzing::yaml_quote(data));
