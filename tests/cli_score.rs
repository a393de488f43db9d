//! `ttx run --out` writes a scorecard; `ttx score` on the saved trace gives exactly the same bytes,
//! and refuses traces that are cut short, malformed or from another scenario, naming the line.

mod common;
use common::*;

#[test]
fn score_reproduces_the_scorecard_of_the_run_byte_for_byte() {
    let dir = TempDir::new("score-repro");
    for name in ["hospital-ransomware", "poc-ping-test", "false-flag"] {
        let out = dir.path().join(name);
        let o = ttx(&["run", name, "--seed", "3", "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let written = std::fs::read_to_string(out.join("scorecard.json")).unwrap();
        let again = ttx(&[
            "score",
            out.join("trace.jsonl").to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert!(again.status.success(), "{}", stderr(&again));
        assert_eq!(stdout(&again), written, "{name}");
        let card: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(card["format"], "ttx-scorecard/1");
        assert_eq!(card["seed"], 3);
    }
}

#[test]
fn run_prints_the_scorecard_after_the_timeline_or_json_on_request() {
    let text = stdout(&ttx(&["run"]));
    let timeline_end = text.find("END      exercise ends").expect("timeline");
    let scorecard = text.find("SCORECARD").expect("scorecard");
    assert!(scorecard > timeline_end);
    for section in [
        "ESCALATION",
        "RESPONSE LATENCY",
        "NORM ADHERENCE",
        "OBJECTIVES",
        "MSEL COVERAGE",
    ] {
        assert!(text.contains(section), "{section}");
    }
    let json = stdout(&ttx(&["run", "--format", "json"]));
    let card: serde_json::Value =
        serde_json::from_str(&json).expect("--format json prints only JSON");
    assert_eq!(card["scenario"], "hospital-ransomware");
}

#[test]
fn broken_traces_are_refused_with_the_line_at_fault() {
    let dir = TempDir::new("score-broken");
    let out = dir.path().join("run");
    assert!(
        ttx(&["run", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let trace = std::fs::read_to_string(out.join("trace.jsonl")).unwrap();
    let lines: Vec<&str> = trace.lines().collect();
    let case = |name: &str, text: String, expected: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let o = ttx(&["score", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(stderr(&o).contains(expected), "{name}: {}", stderr(&o));
    };
    case(
        "truncated.jsonl",
        lines[..10].join("\n") + "\n",
        "line 11: the trace is truncated",
    );
    let mut bad = lines.clone();
    bad[5] = "{\"n\":5,\"t\":3600,\"type\":\"no_such_record\"}";
    case(
        "malformed.jsonl",
        bad.join("\n") + "\n",
        "line 6: malformed record",
    );
    let other = trace.replacen(
        "\"scenario\":\"hospital-ransomware\"",
        "\"scenario\":\"false-flag\"",
        1,
    );
    case(
        "mismatch.jsonl",
        other,
        "line 1: the trace was run with a different scenario",
    );
    case("empty.jsonl", String::new(), "line 1: the trace is empty");
}
