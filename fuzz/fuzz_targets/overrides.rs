//! `--set` / `--sweep` arguments, one a line → overrides of the default scenario.
//! The promises checked are in `ttx::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ttx::fuzzing::overrides(data));
