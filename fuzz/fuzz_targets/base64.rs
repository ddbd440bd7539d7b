#![no_main]
//! Body: regcred::fuzzing::base64_decode (replayed over the corpus by tests/it/fuzz_seeds.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| regcred::fuzzing::base64_decode(data));
