//! What every reader of ttx promises on *any* input, as executable checks. The fuzz targets in
//! `fuzz/` call these with whatever libFuzzer invents; `tests/fuzz_regressions.rs` calls them on
//! the seed inputs and on every input a fuzzer ever found (`tests/fuzz/<target>/`), so a finding
//! stays fixed. A check returns quietly when the promise holds and panics, saying which promise
//! broke, when it does not.
//!
//! The promises go beyond "no panic" where they can: a valid file comes back unchanged from its
//! canonical form; a rejected one is rejected with a position inside the file; an MSEL import
//! either writes a scenario that validates and round-trips or names the row and column at fault.
//! "Finishes in time linear in the input" is checked by the fuzzer's timeout per input.

mod msel;
mod overrides;
mod scenario;
mod time;
mod trace;

/// A check: returns when the promise holds, panics saying which one broke when it does not.
pub type Check = fn(&[u8]);

/// Every fuzz target: its name (the directory names under `fuzz/` and `tests/fuzz/`) and check.
pub const TARGETS: &[(&str, Check)] = &[
    ("scenario", scenario::check),
    ("trace", trace::check),
    ("msel", msel::check),
    ("msel_xlsx", msel::check_workbook),
    ("overrides", overrides::check),
    ("time", time::check),
];

/// Scenario text → validation, and for a valid scenario its canonical round trip and a short run.
pub fn scenario(data: &[u8]) {
    scenario::check(data)
}

/// Trace JSON Lines → the reader (with its digest) and, digest aside, the scorer.
pub fn trace(data: &[u8]) {
    trace::check(data)
}

/// MSEL CSV → import, onto the example base scenario and from scratch.
pub fn msel(data: &[u8]) {
    msel::check(data)
}

/// MSEL workbook bytes (.xlsx, .ods) → the first sheet → import, as for CSV.
pub fn msel_xlsx(data: &[u8]) {
    msel::check_workbook(data)
}

/// `--set` and `--sweep` arguments, one a line → overrides of a bundled scenario.
pub fn overrides(data: &[u8]) {
    overrides::check(data)
}

/// Durations, instants, timestamps, UTC offsets and working hours.
pub fn time(data: &[u8]) {
    time::check(data)
}

/// The seed inputs of `target`, named: what the fuzzers start from (`fuzz/run` writes the same
/// through the CLI) and what the regression test replays. Built from the bundled scenarios, runs
/// of them and their MSEL exports, so seeds never fall behind the scenarios.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    match target {
        "scenario" => scenario::seeds(),
        "trace" => trace::seeds(),
        "msel" => msel::seeds(),
        "msel_xlsx" => msel::workbook_seeds(),
        "overrides" => overrides::seeds(),
        "time" => time::seeds(),
        _ => Vec::new(),
    }
}

/// The input as text; the readers take UTF-8 (reading bytes is the CLI's business).
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Lines of a text as a reader counts them, plus one for "just past the end".
fn last_position_line(text: &str) -> usize {
    text.lines().count() + 1
}

/// Fails unless two scenarios are equal, naming the first line where their canonical forms
/// differ (a whole scenario's debug print is unreadable).
fn assert_same(got: &ttx_scenario::Scenario, expected: &ttx_scenario::Scenario, what: &str) {
    if got == expected {
        return;
    }
    let (a, b) = (ttx_scenario::to_ron(got), ttx_scenario::to_ron(expected));
    let at = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(a.lines().count().min(b.lines().count()));
    panic!(
        "{what}: line {} is {:?}, expected {:?}",
        at + 1,
        a.lines().nth(at).unwrap_or(""),
        b.lines().nth(at).unwrap_or("")
    );
}
