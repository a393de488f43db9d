//! Scenario text → validation; a valid one round-trips through its canonical form and runs.
//! The promises checked are in `ttx::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ttx::fuzzing::scenario(data));
