//! Trace JSON Lines → the reader with its digest check, and the scorer.
//! The promises checked are in `ttx::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ttx::fuzzing::trace(data));
