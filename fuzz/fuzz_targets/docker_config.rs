#![no_main]
//! Body: regcred::fuzzing::docker_config (replayed over the corpus by tests/it/fuzz_seeds.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| regcred::fuzzing::docker_config(data));
