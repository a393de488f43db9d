//! Every file in tests/broken/ is a scenario with one kind of mistake; `ttx validate` must reject
//! it with exactly the diagnostics in the matching .expected file (file:line:col, message, help).
//! To add a case: write NAME.ron, run `ttx validate tests/broken/NAME.ron 2> tests/broken/NAME.expected`
//! from the repository root, and read the result before committing it.

mod common;
use common::*;
use std::path::Path;

#[test]
fn every_broken_scenario_gets_its_exact_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus covers every validation rule");
    let mut failures = Vec::new();
    for ron in &files {
        let rel = ron
            .strip_prefix(root)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let expected = std::fs::read_to_string(ron.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{rel}: no .expected file"));
        let o = ttx_in(root, &["validate", &rel]);
        if o.status.code() != Some(1) {
            failures.push(format!(
                "{rel}: exit code {:?}, expected 1",
                o.status.code()
            ));
        }
        if stderr(&o) != expected {
            failures.push(format!(
                "{rel}:\n--- expected\n{expected}--- got\n{}",
                stderr(&o)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn validate_reports_every_file_and_passes_good_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = ttx_in(
        root,
        &[
            "validate",
            "hospital-ransomware",
            "tests/broken/unknown_doctrine.ron",
            "scenarios/library/poc-ping-test.ron",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("hospital-ransomware (bundled): ok (4 states, 3 injects)"),
        "{out}"
    );
    assert!(
        out.contains("scenarios/library/poc-ping-test.ron: ok"),
        "{out}"
    );
    assert!(stderr(&o).contains("unknown doctrine \"cautous\""));
    assert!(stderr(&o).contains("1 of 3 scenario files have problems"));
}

/// `--deterministic` names each random draw at the line that sets it (or chooses its default).
#[test]
fn validate_deterministic_lists_each_draw_at_its_line_and_fails() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = ttx_in(
        root,
        &["validate", "--deterministic", "hospital-ransomware"],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let file = "scenarios/library/hospital-ransomware.ron";
    // A bundled scenario named on the command line is labelled by its name, as in every diagnostic.
    let label = "hospital-ransomware (bundled)";
    // The non-responsive host's acknowledgement draw, at the state's `doctrine` field.
    let line = out
        .lines()
        .find(|l| l.contains("ack_probability 0.15") && l.contains("drawn by borealia"))
        .unwrap_or_else(|| panic!("{out}"));
    let source = std::fs::read_to_string(root.join(file)).unwrap();
    let at = source
        .lines()
        .position(|l| l.contains("doctrine: \"non-responsive\""))
        .unwrap()
        + 1;
    assert!(line.starts_with(&format!("{label}:{at}:")), "{line}");
    assert!(out.contains("inc-1: aurelia's CERT detects it after"));
    assert!(out.contains("random draws left: runs differ between seeds"));
    assert!(stderr(&o).contains("leave random draws"));
}
