#![no_main]
//! Body: regcred::fuzzing::image_ref (replayed over the corpus by tests/it/fuzz_seeds.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| regcred::fuzzing::image_ref(data));
