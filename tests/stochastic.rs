//! Injects that fire at random, checked against theory: a Poisson incident stream's count per
//! run has mean and variance rate × duration, and the CERT queue it feeds waits as Erlang C says
//! for an M/M/c queue. Also: random instants and repeats, keyed draws, and the queue in the trace.
//! The heavy Erlang C study is `#[ignore]`d (`cargo test --release --test stochastic --
//! --ignored`); its figures are in docs/batch.md.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// One state whose own criminals hit its bank at random: arrivals reach its CERT a minute later
/// (Poisson, rate λ), each needs one of `ANALYSTS` analysts for an Exponential(mean 1/μ)
/// containment time, and nothing else ends an incident — an M/M/c queue.
const QUEUE: &str = r#"#![enable(implicit_some)]
Scenario(
    name: "cert-queue", start: "2026-03-02T00:00:00Z", duration: "DURATION",
    doctrines: [Doctrine(name: "quiet", request_assistance_probability: 0.0, share_probability: 0.0, legal_probability: 0.0)],
    states: [
        State(id: "aurelia", capacity: Advanced, doctrine: "quiet",
              cert: Cert(analysts: 2, detect: Fixed("1m"), investigate: Fixed("1h"), contain: Exponential(mean: "1h"), accuracy: 1.0)),
    ],
    infrastructure: [Infra(id: "bank", state: "aurelia", sector: Finance, recovery: Fixed("1h"))],
    actors: [ThreatActor(id: "crooks", kind: Criminal, operates_from: "aurelia")],
    streams: [IncidentStream(id: "fraud", rate: "RATE", sector: Finance, actors: ["crooks"], severity: 1HOURS)],
)"#;

fn write(dir: &Path, name: &str, duration: &str, rate: &str, hours: &str) -> String {
    let p = dir.join(name);
    std::fs::write(
        &p,
        QUEUE
            .replace("DURATION", duration)
            .replace("RATE", rate)
            .replace("HOURS", hours),
    )
    .unwrap();
    p.to_str().unwrap().to_string()
}

fn column(runs: &str, name: &str) -> Vec<f64> {
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let c = header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(c).unwrap().parse().unwrap())
        .collect()
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    (
        m,
        x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0),
    )
}

const OFFICE: &str =
    ", hours: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]";

#[test]
fn a_poisson_streams_count_per_run_has_mean_and_variance_rate_times_duration() {
    let dir = TempDir::new("poisson");
    // 3 a day for 5 whole days, all of them in office hours (09:00–17:00 UTC).
    let sc = write(dir.path(), "p.ron", "5d", "3/d", OFFICE);
    let out = dir.path().join("b");
    ttx_ok(&[
        "batch",
        &sc,
        "--runs",
        "2000",
        "--seed",
        "4",
        "--out",
        out.to_str().unwrap(),
    ]);
    let counts = column(
        &std::fs::read_to_string(out.join("runs.csv")).unwrap(),
        "incidents",
    );
    let (m, v) = mean_var(&counts);
    let n = counts.len() as f64;
    // Poisson(15): the mean's standard error √(15/n); the variance's √((λ + 2λ²)/n).
    assert!((m - 15.0).abs() < 3.0 * (15.0 / n).sqrt(), "mean {m}");
    assert!(
        (v - 15.0).abs() < 3.0 * ((15.0 + 2.0 * 225.0) / n).sqrt(),
        "variance {v}"
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let s = summary["points"][0]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["metric"] == "incidents")
        .unwrap()
        .clone();
    let (lo, hi) = (s["ci"][0].as_f64().unwrap(), s["ci"][1].as_f64().unwrap());
    assert!(
        lo <= 15.0 && 15.0 <= hi,
        "the reported interval [{lo}, {hi}] misses 15"
    );

    // Every arrival falls in office hours, and the draws are keyed: a second, unrelated stream
    // leaves the first one's incidents exactly where they were.
    let run = |scenario: &str, name: &str| {
        let d = dir.path().join(name);
        ttx_ok(&["run", scenario, "--seed", "9", "--out", d.to_str().unwrap()]);
        std::fs::read_to_string(d.join("trace.jsonl"))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|r| r["type"] == "incident_started")
            .map(|r| {
                (
                    r["incident"].as_str().unwrap().to_string(),
                    r["t"].as_i64().unwrap(),
                    r["target"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let alone = run(&sc, "alone");
    assert!(alone.len() > 5);
    for (id, t, _) in &alone {
        let hour = (t % 86_400) / 3600;
        assert!((9..17).contains(&hour), "{id} at hour {hour}");
    }
    let with_other = std::fs::read_to_string(&sc).unwrap().replace(
        "streams: [",
        r#"streams: [IncidentStream(id: "other", rate: "5/d", targets: ["bank"], actors: ["crooks"]), "#,
    );
    let other = dir.path().join("other.ron");
    std::fs::write(&other, with_other).unwrap();
    let both = run(other.to_str().unwrap(), "both");
    let fraud: Vec<_> = both
        .into_iter()
        .filter(|i| i.0.starts_with("fraud-"))
        .collect();
    assert_eq!(fraud, alone);
}

/// M/M/2 with λ = 1/h and μ = 1/h (a = 1): Erlang C gives P(wait) = 1/3 and a mean wait of
/// C / (cμ − λ) = 1/3 h; an analyst is busy on average a = 1.
fn erlang_c(runs: &str, name: &str) {
    let dir = TempDir::new(name);
    let sc = write(dir.path(), "q.ron", "30d", "1/h", "");
    let out = dir.path().join("b");
    ttx_ok(&[
        "batch",
        &sc,
        "--runs",
        runs,
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let stat = |m: &str| {
        summary["points"][0]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["metric"] == m)
            .unwrap()
            .clone()
    };
    for (metric, analytic) in [("queue:wait_h", 1.0 / 3.0), ("queue:busy", 1.0)] {
        let s = stat(metric);
        let (lo, hi) = (s["ci"][0].as_f64().unwrap(), s["ci"][1].as_f64().unwrap());
        println!(
            "{metric}: {} [{lo}, {hi}], Erlang C {analytic:.4}",
            s["mean"]
        );
        assert!(
            lo <= analytic && analytic <= hi,
            "{metric}: {analytic} outside [{lo}, {hi}]"
        );
    }
    let runs_csv = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let waited: f64 = column(&runs_csv, "queue:waited").iter().sum();
    let incidents: f64 = column(&runs_csv, "incidents").iter().sum();
    let p = waited / incidents;
    println!("P(wait) {p:.4} over {incidents} incidents, Erlang C 0.3333");
    assert!((p - 1.0 / 3.0).abs() < 0.03, "P(wait) {p}");
}

#[test]
fn cert_queue_waits_match_erlang_c() {
    erlang_c("40", "erlang-light");
}

#[test]
#[ignore = "400 runs of 30 days; run with --release -- --ignored --nocapture"]
fn cert_queue_waits_match_erlang_c_over_400_runs() {
    erlang_c("400", "erlang-heavy");
}

#[test]
fn random_instants_and_repeats_are_drawn_per_run_and_keyed() {
    let dir = TempDir::new("random-at");
    let sc = dir.path().join("r.ron");
    std::fs::write(
        &sc,
        r#"#![enable(implicit_some)]
Scenario(
    name: "random-at", start: "2026-03-02T00:00:00Z", duration: "4d",
    states: [State(id: "aurelia", doctrine: "cautious"), State(id: "borealia")],
    infrastructure: [Infra(id: "grid", state: "aurelia", sector: Energy)],
    actors: [ThreatActor(id: "gang", kind: Criminal, operates_from: "borealia")],
    injects: [
        Inject(id: "i1", at: Uniform("T+1h", "T+6h"), repeat: Repeat(every: "1d", times: 3),
               event: Incident(id: "inc-1", target: "grid", by: "gang", severity: 2)),
        Inject(at: "T+2h", repeat: Repeat(every: "12h", times: 2), event: Ping(to: ["borealia"])),
    ],
)"#,
    )
    .unwrap();
    let starts = |seed: &str| {
        let d = dir.path().join(format!("s{seed}"));
        ttx_ok(&[
            "run",
            sc.to_str().unwrap(),
            "--seed",
            seed,
            "--out",
            d.to_str().unwrap(),
        ]);
        let trace = std::fs::read_to_string(d.join("trace.jsonl")).unwrap();
        let records: Vec<Value> = trace
            .lines()
            .skip(1)
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let incidents: Vec<(String, i64)> = records
            .iter()
            .filter(|r| r["type"] == "incident_started")
            .map(|r| {
                (
                    r["incident"].as_str().unwrap().to_string(),
                    r["t"].as_i64().unwrap(),
                )
            })
            .collect();
        let pings = records
            .iter()
            .filter(|r| r["type"] == "inject_fired" && r["inject"] == "inj-2")
            .count();
        (incidents, pings)
    };
    let (one, pings) = starts("1");
    assert_eq!(pings, 2);
    let ids: Vec<&str> = one.iter().map(|i| i.0.as_str()).collect();
    assert_eq!(ids, ["inc-1", "inc-1-2", "inc-1-3"]);
    for (k, (_, t)) in one.iter().enumerate() {
        let day = k as i64 * 86_400;
        assert!(
            (day + 3600..=day + 6 * 3600).contains(t),
            "repetition {k} at {t}"
        );
    }
    assert_eq!(starts("1").0, one, "same seed, same instants");
    assert_ne!(starts("2").0, one, "another seed draws other instants");
}

#[test]
fn the_queue_shows_in_the_trace_and_the_scorecard() {
    let dir = TempDir::new("queue-trace");
    let sc = write(dir.path(), "q.ron", "3d", "2/h", "");
    let o = ttx_ok(&["run", &sc, "--seed", "1", "--format", "json"]);
    let card: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let q = &card["queue"];
    assert!(q["waited"].as_u64().unwrap() > 10, "{q}");
    assert_eq!(
        q["waits"].as_array().unwrap().len() as u64,
        q["waited"].as_u64().unwrap()
    );
    let o = ttx_ok(&["run", &sc, "--seed", "1"]);
    let text = stdout(&o);
    assert!(
        text.contains("QUEUE") && text.contains("takes fraud-"),
        "{text}"
    );
}
