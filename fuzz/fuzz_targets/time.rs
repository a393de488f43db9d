//! Durations, instants, timestamps, UTC offsets and working hours.
//! The promises checked are in `ttx::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ttx::fuzzing::time(data));
