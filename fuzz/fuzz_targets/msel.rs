//! MSEL CSV → import onto the example base and from scratch; accepted sheets validate and round-trip.
//! The promises checked are in `ttx::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ttx::fuzzing::msel(data));
