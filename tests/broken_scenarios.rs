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
