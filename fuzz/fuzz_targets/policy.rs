#![no_main]
// The checks live in `tests/src/fuzzing.rs`, shared with the corpus replay test.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kaniko_studio_tests::fuzzing::policy(data));
