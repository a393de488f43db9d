//! `ttx run`, `list` and `validate` from the outside, on the bundled scenarios.

mod common;
use common::*;

#[test]
fn default_run_prints_the_timeline_and_exits_zero() {
    let o = ttx(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("hospital-ransomware"));
    assert!(out.contains("INCIDENT inc-1"));
    assert!(out.contains("END"));
}

#[test]
fn same_seed_same_trace_different_seed_different_trace_for_every_bundled_scenario() {
    let dir = TempDir::new("determinism");
    for name in ttx_scenario::library::names() {
        let read = |seed: &str, tag: &str| {
            let out = dir.path().join(format!("{name}-{tag}"));
            let o = ttx(&["run", name, "--seed", seed, "--out", out.to_str().unwrap()]);
            assert!(o.status.success(), "{name}: {}", stderr(&o));
            std::fs::read(out.join("trace.jsonl")).unwrap()
        };
        let a = read("7", "a");
        let b = read("7", "b");
        let c = read("8", "c");
        assert_eq!(a, b, "{name}: same seed must give a byte-identical trace");
        assert_ne!(a, c, "{name}: different seeds should give different traces");
    }
}

#[test]
fn list_shows_every_bundled_scenario_with_its_summary() {
    let o = ttx(&["list", "--wide"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for b in ttx_scenario::library::all() {
        assert!(
            out.contains(b.name) && out.contains(b.summary()),
            "{}",
            b.name
        );
    }
    let default = out
        .lines()
        .find(|l| l.starts_with(ttx_scenario::library::DEFAULT))
        .unwrap();
    assert_eq!(default.matches("default").count(), 1, "{default}");
}

#[test]
fn unknown_scenario_names_get_a_suggestion_and_a_non_zero_exit() {
    let o = ttx(&["run", "hospital-ransomwre"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean the bundled scenario \"hospital-ransomware\"?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn out_directory_gets_only_complete_files() {
    let dir = TempDir::new("outdir");
    let o = ttx(&[
        "run",
        "poc-ping-test",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "report.html",
            "scenario.ron",
            "scorecard.json",
            "trace.jsonl"
        ],
        "no temporary files left behind"
    );
    let text = std::fs::read_to_string(dir.path().join("trace.jsonl")).unwrap();
    ttx_scenario::Trace::from_jsonl(&text).expect("the written trace parses back");
}
