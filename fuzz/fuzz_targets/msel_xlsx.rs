//! MSEL workbook bytes (.xlsx, .ods) → first sheet → import onto the example base and from scratch;
//! accepted sheets validate and round-trip through CSV and .xlsx. The promises are in `ttx::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ttx::fuzzing::msel_xlsx(data));
