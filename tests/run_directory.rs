//! A run directory is self-contained: `ttx run --out DIR` writes the scenario it ran (overrides
//! applied) beside the trace, so the directory is scored, reported and exported again anywhere,
//! without the scenario file or `--scenario`, for a user's own scenario as for a bundled one.

mod common;
use common::*;

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    stdout(o)
}

#[test]
fn a_users_own_run_with_overrides_is_scored_and_reported_from_its_directory_alone() {
    let home = TempDir::new("rundir-home");
    let elsewhere = TempDir::new("rundir-elsewhere");
    ok(&ttx_in(home.path(), &["init", "mine"]));
    ok(&ttx_in(
        home.path(),
        &[
            "run",
            "mine.ron",
            "--seed",
            "4",
            "--set",
            "states.borealia.doctrine=non-responsive",
            "--set",
            "scoring.targets.acknowledge=6h",
            "--out",
            "run",
        ],
    ));
    // The scenario file is gone; only the run directory is left, seen from another directory.
    std::fs::remove_file(home.path().join("mine.ron")).unwrap();
    let run = home.path().join("run");
    let written = std::fs::read_to_string(run.join("scorecard.json")).unwrap();
    let report = std::fs::read(run.join("report.html")).unwrap();
    let trace = run.join("trace.jsonl");
    let again = ok(&ttx_in(
        elsewhere.path(),
        &["score", trace.to_str().unwrap(), "--format", "json"],
    ));
    assert_eq!(again, written, "the scorecard of the run, byte for byte");
    std::fs::remove_file(run.join("report.html")).unwrap();
    ok(&ttx_in(
        elsewhere.path(),
        &["report", run.to_str().unwrap()],
    ));
    assert_eq!(std::fs::read(run.join("report.html")).unwrap(), report);
    let csv = elsewhere.path().join("mine.csv");
    ok(&ttx_in(
        elsewhere.path(),
        &[
            "export-msel",
            run.to_str().unwrap(),
            "-o",
            csv.to_str().unwrap(),
        ],
    ));
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("Number,Time")
    );
    // The same seed from the directory replays the run exactly.
    let replay = elsewhere.path().join("replay");
    ok(&ttx_in(
        elsewhere.path(),
        &[
            "run",
            run.to_str().unwrap(),
            "--seed",
            "4",
            "--out",
            replay.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        std::fs::read(replay.join("trace.jsonl")).unwrap(),
        std::fs::read(&trace).unwrap()
    );
}

#[test]
fn scenario_overrides_the_file_beside_the_trace_and_a_wrong_one_is_refused() {
    let dir = TempDir::new("rundir-override");
    let run = dir.path().join("run");
    ok(&ttx(&["run", "false-flag", "--out", run.to_str().unwrap()]));
    let trace = run.join("trace.jsonl");
    let o = ttx(&[
        "score",
        trace.to_str().unwrap(),
        "--scenario",
        "hospital-ransomware",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "the trace was run with a different scenario than hospital-ransomware (bundled)"
        ),
        "{}",
        stderr(&o)
    );
    ok(&ttx(&[
        "score",
        trace.to_str().unwrap(),
        "--scenario",
        "false-flag",
    ]));
}

#[test]
fn every_bundled_scenario_survives_the_trip_through_its_written_form() {
    for b in ttx_scenario::library::all() {
        let sc = b.load().unwrap();
        let ron = ttx_scenario::to_ron(&sc);
        let back = ttx_scenario::load_str(&ron, "written").unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(back, sc, "{}", b.name);
        assert_eq!(back.content_hash(), sc.content_hash(), "{}", b.name);
    }
}
