//! The study statistics against analytic results: a Kaplan–Meier median of an exponential
//! latency with a known share censored, the difference of two such medians, and the coverage of
//! the reported Wilson intervals. The light versions run in the suite; the heavy ones (20,000-run
//! studies, 200 studies per proportion) are `#[ignore]`d — `cargo test --release --test
//! batch_statistics -- --ignored` — and their figures are in docs/batch.md.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Borealia's technical PoC answers a notification after 5 minutes in transit plus an
/// Exponential(mean `MEAN`) delay; the notification leaves at T+3h10 and the exercise ends at
/// T+48h, so an answer later than 44.833 h is censored.
const SCENARIO: &str = r#"#![enable(implicit_some)]
Scenario(
    name: "exponential-ack", start: "2026-03-02T08:00:00Z", duration: "48h",
    doctrines: [Doctrine(name: "sure", ack_probability: 1.0, mitigate_probability: 0.0, request_assistance_probability: 0.0,
                         share_probability: 0.0, legal_probability: 0.0, ping_reply_probability: 0.5)],
    states: [
        State(id: "aurelia", capacity: Advanced, doctrine: "sure",
              cert: Cert(detect: Fixed("1h"), investigate: Fixed("1h"), contain: Fixed("9d"), accuracy: 1.0),
              pocs: [Poc(level: Technical, latency: Fixed("10m"))]),
        State(id: "borealia", capacity: Advanced, doctrine: "sure",
              pocs: [Poc(level: Technical, hours: "24/7", latency: Exponential(mean: "MEAN"))]),
    ],
    infrastructure: [Infra(id: "water", state: "aurelia", sector: Water, recovery: Fixed("1h"))],
    actors: [ThreatActor(id: "gang", kind: Criminal, operates_from: "borealia")],
    injects: [Inject(at: "T+1h", event: Incident(id: "inc-1", target: "water", by: "gang", severity: 3))],
)"#;

const TRANSIT_H: f64 = 5.0 / 60.0;
const EXPOSURE_H: f64 = 48.0 - (3.0 + 10.0 / 60.0);

fn scenario(dir: &Path, mean_h: u32) -> String {
    let path = dir.join(format!("exp{mean_h}.ron"));
    std::fs::write(&path, SCENARIO.replace("MEAN", &format!("{mean_h}h"))).unwrap();
    path.to_str().unwrap().to_string()
}

fn json(dir: &Path, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
}

fn latency<'a>(summary: &'a Value, point: usize, step: &str) -> &'a Value {
    summary["points"][point]["latency"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["step"] == step)
        .unwrap()
}

fn inside(v: f64, lo: &Value, hi: &Value) -> bool {
    lo.as_f64().unwrap() <= v && v <= hi.as_f64().unwrap()
}

/// A study of `runs` seeds comparing mean 24 h (A) with mean 48 h (B): each KM median, each
/// censored share, and the difference of the medians against their analytic values.
fn exponential_study(runs: &str, name: &str) {
    let dir = TempDir::new(name);
    let (a, b) = (scenario(dir.path(), 24), scenario(dir.path(), 48));
    let out = dir.path().join("c");
    ttx_ok(&[
        "compare",
        &a,
        &b,
        "--runs",
        runs,
        "--seed",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let summary = json(&out, "summary.json");
    for (point, mean) in [(0, 24.0), (1, 48.0)] {
        let l = latency(&summary, point, "notify_to_acknowledge");
        let median = TRANSIT_H + mean * std::f64::consts::LN_2;
        let m = &l["median"];
        assert!(
            inside(median, &m["lo"], &m["hi"]),
            "mean {mean}h: analytic median {median} outside {m}"
        );
        let censored = (-(EXPOSURE_H - TRANSIT_H) / mean).exp();
        let ci = &l["censored_share_ci"];
        assert!(
            inside(censored, &ci[0], &ci[1]),
            "mean {mean}h: censored share {censored} outside {ci}"
        );
    }
    let c = json(&out, "compare.json");
    let d = c["contrasts"][0]["latency"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["step"] == "notify_to_acknowledge")
        .unwrap();
    let analytic = 24.0 * std::f64::consts::LN_2;
    assert!(
        inside(analytic, &d["median_ci"][0], &d["median_ci"][1]),
        "analytic difference {analytic} outside {}",
        d["median_ci"]
    );
    assert!(
        d["median_correlation"].as_f64().unwrap() > 0.5,
        "common random numbers: {d}"
    );
}

#[test]
fn kaplan_meier_medians_of_censored_exponential_latencies_match_theory() {
    exponential_study("2000", "km-light");
}

#[test]
#[ignore = "20,000-run studies; run with --release -- --ignored"]
fn kaplan_meier_medians_match_theory_over_20000_runs() {
    exponential_study("20000", "km-heavy");
}

/// Every run sends one ping that Borealia answers with probability p: `ping:rate` is 0 or 1 per
/// run, a proportion with a Wilson interval. Returns how many of `studies` studies of `runs` runs
/// (seeds 1, 2, …) report an interval containing p.
fn covered(dir: &Path, p: f64, studies: u64, runs: &str) -> u64 {
    let sc = dir.join("ping.ron");
    std::fs::write(
        &sc,
        SCENARIO.replace(r#"Exponential(mean: "MEAN")"#, r#"Fixed("10m")"#).replace(
            r#"injects: [Inject(at: "T+1h", event: Incident(id: "inc-1", target: "water", by: "gang", severity: 3))],"#,
            r#"injects: [Inject(at: "T+1h", event: Ping(to: ["borealia"]))],"#,
        ),
    )
    .unwrap();
    let mut hits = 0;
    for seed in 1..=studies {
        let out = dir.join(format!("p{p}-{seed}"));
        ttx_ok(&[
            "batch",
            sc.to_str().unwrap(),
            "--runs",
            runs,
            "--seed",
            &seed.to_string(),
            "--set",
            &format!("doctrines.sure.ping_reply_probability={p}"),
            "--threads",
            "1",
            "--out",
            out.to_str().unwrap(),
        ]);
        let s = json(&out, "summary.json");
        let m = s["points"][0]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == "ping:rate")
            .unwrap()
            .clone();
        assert_eq!(m["estimator"], "proportion");
        let (lo, hi) = (m["ci"][0].as_f64().unwrap(), m["ci"][1].as_f64().unwrap());
        assert!(hi > lo, "never zero-width: {m}");
        hits += u64::from(lo <= p && p <= hi);
        std::fs::remove_dir_all(&out).unwrap();
    }
    hits
}

#[test]
fn wilson_intervals_of_a_proportion_cover_it() {
    let dir = TempDir::new("coverage-light");
    let hits = covered(dir.path(), 0.98, 30, "100");
    // 30 fixed seeds: a 95% interval misses p in about 1.5 of them.
    assert!(hits >= 26, "{hits} of 30");
}

#[test]
#[ignore = "200 studies per proportion; run with --release -- --ignored --nocapture"]
fn wilson_coverage_over_200_studies_of_100_runs() {
    let dir = TempDir::new("coverage-heavy");
    for p in [0.5, 0.9, 0.98] {
        let hits = covered(dir.path(), p, 200, "100");
        let coverage = hits as f64 / 200.0;
        println!(
            "p = {p}: {hits} of 200 intervals contain p ({:.1}%)",
            coverage * 100.0
        );
        assert!(
            (0.92..=0.98).contains(&coverage),
            "p = {p}: coverage {coverage}"
        );
    }
}
