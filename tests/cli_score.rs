//! `ttx run --out` writes a scorecard; `ttx score` on the saved trace gives exactly the same bytes
//! (with nothing typed again, also after `--set`), and refuses traces that are cut short,
//! malformed, from another scenario or changed after they were written, naming the line.

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
    // A whole, untouched trace whose header names another scenario than the one it was run with.
    let mut other = ttx_scenario::Trace::from_jsonl(&trace).unwrap();
    other.header.scenario = "false-flag".into();
    case(
        "mismatch.jsonl",
        other.to_jsonl(),
        "line 1: the trace was run with a different scenario",
    );
    case("empty.jsonl", String::new(), "line 1: the trace is empty");
}

fn run_out(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["run", "--out", dir.to_str().unwrap()];
    all.extend(args);
    let o = ttx(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read_to_string(dir.join("trace.jsonl")).unwrap()
}

#[test]
fn a_trace_made_with_set_is_scored_from_the_trace_alone() {
    let dir = TempDir::new("score-set");
    let out = dir.path().join("run");
    let sets = [
        "--set",
        "states.borealia.doctrine=hawkish",
        "--set",
        "doctrines.cautious.ack_probability=0.25",
    ];
    let trace = run_out(&out, &sets);
    let header: serde_json::Value = serde_json::from_str(trace.lines().next().unwrap()).unwrap();
    assert_eq!(
        header["overrides"],
        serde_json::json!([
            "states.borealia.doctrine=hawkish",
            "doctrines.cautious.ack_probability=0.25"
        ])
    );
    let path = out.join("trace.jsonl");
    let again = ttx(&["score", path.to_str().unwrap(), "--format", "json"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(stderr(&again), "", "a ttx trace needs no note");
    assert_eq!(
        stdout(&again),
        std::fs::read_to_string(out.join("scorecard.json")).unwrap()
    );
    // A bare trace file, with no scenario.ron beside it: the bundled scenario its header names,
    // with the header's overrides applied.
    let alone = dir.path().join("alone.jsonl");
    std::fs::copy(&path, &alone).unwrap();
    let bare = ttx(&["score", alone.to_str().unwrap(), "--format", "json"]);
    assert!(bare.status.success(), "{}", stderr(&bare));
    assert_eq!(stdout(&bare), stdout(&again));
    // Run again from the directory (its resolved scenario.ron): the header carries the same
    // overrides forward, so the replay is the same trace, and stands alone as well.
    let replay = dir.path().join("replay");
    let o = ttx(&[
        "run",
        out.to_str().unwrap(),
        "--out",
        replay.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(replay.join("trace.jsonl")).unwrap(),
        trace
    );
    // The same --set typed again is still accepted; a different one is not.
    let mut typed = vec!["score", path.to_str().unwrap(), "--format", "json"];
    typed.extend(sets);
    assert!(ttx(&typed).status.success());
    let wrong = ttx(&[
        "score",
        path.to_str().unwrap(),
        "--set",
        "states.borealia.doctrine=cautious",
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("with --set states.borealia.doctrine=cautious"),
        "{}",
        stderr(&wrong)
    );
    // `ttx report` rebuilds the report from the directory alone, too.
    let report = ttx(&["report", out.to_str().unwrap()]);
    assert!(report.status.success(), "{}", stderr(&report));
    // Without --set, the header has no overrides field at all.
    let plain = run_out(&dir.path().join("plain"), &[]);
    assert!(!plain.lines().next().unwrap().contains("overrides"));
}

#[test]
fn a_trace_changed_after_it_was_written_is_refused() {
    let dir = TempDir::new("score-tampered");
    let out = dir.path().join("run");
    let trace = run_out(&out, &["--seed", "5"]);
    let lines: Vec<String> = trace.lines().map(str::to_string).collect();
    let n = lines.len();
    let refused = |name: &str, lines: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let o = ttx(&["score", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("line 1: the trace does not match its digest"),
            "{name}: {}",
            stderr(&o)
        );
        assert!(stdout(&o).is_empty(), "{name}: nothing is scored");
    };
    let record = |k: usize| -> serde_json::Value { serde_json::from_str(&lines[k]).unwrap() };

    // A value edited: who sent a message.
    let k = (1..n)
        .find(|&k| record(k)["type"] == "message_sent")
        .unwrap();
    let mut edited = lines.clone();
    let mut v = record(k);
    v["from"] = v["to"].clone();
    edited[k] = v.to_string();
    refused("edited.jsonl", &edited);

    // Two records swapped, renumbered so the numbering still runs 1, 2, 3…
    let (a, b) = (2, 3);
    assert_eq!(
        record(a)["t"],
        record(b)["t"],
        "same time, so the order check passes"
    );
    let mut swapped = lines.clone();
    let (mut ra, mut rb) = (record(b), record(a));
    ra["n"] = serde_json::json!(a);
    rb["n"] = serde_json::json!(b);
    swapped[a] = ra.to_string();
    swapped[b] = rb.to_string();
    refused("swapped.jsonl", &swapped);

    // A record dropped, the rest renumbered and the end record's count fixed.
    let mut dropped: Vec<String> = lines[..2].to_vec();
    for (i, l) in lines[3..].iter().enumerate() {
        let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
        v["n"] = serde_json::json!(i + 2);
        if v["type"] == "end" {
            v["records"] = serde_json::json!(n - 2);
        }
        dropped.push(v.to_string());
    }
    refused("dropped.jsonl", &dropped);

    // The header's seed changed.
    let mut reseeded = lines.clone();
    reseeded[0] = lines[0].replace("\"seed\":5", "\"seed\":6");
    refused("reseeded.jsonl", &reseeded);

    // Layout is not content: the same records with their keys reordered and spaced out score.
    let mut relaid = lines.clone();
    for l in relaid.iter_mut().skip(1) {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        *l = serde_json::to_string_pretty(&v).unwrap().replace('\n', "");
    }
    let path = dir.path().join("relaid.jsonl");
    std::fs::write(&path, relaid.join("\n") + "\n").unwrap();
    let o = ttx(&["score", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Without its digest, an edited trace is scored as given, and ttx says so.
    let mut header: serde_json::Value = serde_json::from_str(&edited[0]).unwrap();
    header.as_object_mut().unwrap().remove("digest");
    edited[0] = header.to_string();
    let path = dir.path().join("undigested.jsonl");
    std::fs::write(&path, edited.join("\n") + "\n").unwrap();
    let o = ttx(&["score", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("carries no digest") && stderr(&o).contains("scored as given"),
        "{}",
        stderr(&o)
    );
}
