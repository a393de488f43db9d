//! `ttx batch`, `compare` and `merge` from the command line: reproducibility whatever the threads,
//! shards and interruptions, overrides and sweeps, paired comparisons, and a statistical sanity
//! check against an analytic mean.

mod common;
use common::*;
use std::path::Path;

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
}

fn batch(args: &[&str]) -> std::process::Output {
    let o = ttx(&[&["batch"], args].concat());
    assert!(o.status.success(), "ttx batch {args:?}: {}", stderr(&o));
    o
}

const FILES: [&str; 6] = [
    "batch.json",
    "scenario.ron",
    "runs.csv",
    "summary.json",
    "summary.csv",
    "report.html",
];

#[test]
fn one_thread_and_two_threads_write_identical_files() {
    let dir = TempDir::new("batch-threads");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    batch(&[
        "false-flag",
        "--runs",
        "600",
        "--threads",
        "1",
        "--out",
        a.to_str().unwrap(),
    ]);
    batch(&[
        "false-flag",
        "--runs",
        "600",
        "--threads",
        "2",
        "--out",
        b.to_str().unwrap(),
    ]);
    for f in FILES {
        assert_eq!(read(&a, f), read(&b, f), "{f}");
    }
    let runs = read(&a, "runs.csv");
    assert_eq!(runs.lines().count(), 601, "one row per run plus the header");
    assert!(
        runs.lines().nth(1).unwrap().starts_with("0,0,0,"),
        "rows in run order"
    );
}

#[test]
fn merged_shards_equal_the_unsharded_study() {
    let dir = TempDir::new("batch-shards");
    let whole = dir.path().join("whole");
    let args = [
        "hospital-ransomware",
        "--runs",
        "50",
        "--sweep",
        "states.borealia.doctrine=non-responsive,cooperative",
    ];
    let printed = stdout(&batch(
        &[&args[..], &["--out", whole.to_str().unwrap()]].concat(),
    ));
    let mut shards = Vec::new();
    for k in 1..=3 {
        let d = dir.path().join(format!("shard{k}"));
        batch(
            &[
                &args[..],
                &["--shard", &format!("{k}/3"), "--out", d.to_str().unwrap()],
            ]
            .concat(),
        );
        shards.push(d);
    }
    let merged = dir.path().join("merged");
    let mut merge_args = vec!["merge".to_string()];
    merge_args.extend(shards.iter().rev().map(|d| d.to_str().unwrap().to_string()));
    merge_args.extend(["--out".into(), merged.to_str().unwrap().into()]);
    let refs: Vec<&str> = merge_args.iter().map(String::as_str).collect();
    let o = ttx(&refs);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in FILES {
        assert_eq!(read(&merged, f), read(&whole, f), "{f}");
    }
    assert_eq!(
        stdout(&o),
        printed,
        "merge prints the findings the whole study printed"
    );
    // An incomplete set of shards is refused.
    let o = ttx(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("shards missing: 3/3"), "{}", stderr(&o));
}

#[test]
fn a_resumed_study_equals_an_uninterrupted_one() {
    let dir = TempDir::new("batch-resume");
    let full = dir.path().join("full");
    let cut = dir.path().join("cut");
    batch(&[
        "poc-ping-test",
        "--runs",
        "40",
        "--out",
        full.to_str().unwrap(),
    ]);
    batch(&[
        "poc-ping-test",
        "--runs",
        "40",
        "--out",
        cut.to_str().unwrap(),
    ]);
    // Interrupt it: keep 17 complete rows and half of the 18th, as a killed process leaves it.
    let rows = read(&cut, "runs.csv");
    let keep: usize = rows.split_inclusive('\n').take(18).map(str::len).sum();
    let torn = &rows[..keep + 25];
    std::fs::write(cut.join("runs.csv.partial"), torn).unwrap();
    for f in ["runs.csv", "summary.json", "summary.csv", "report.html"] {
        std::fs::remove_file(cut.join(f)).unwrap();
    }
    let o = ttx(&[
        "batch",
        "poc-ping-test",
        "--runs",
        "40",
        "--out",
        cut.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an interrupted study is not overwritten"
    );
    assert!(stderr(&o).contains("add --resume"), "{}", stderr(&o));
    let o = batch(&[
        "poc-ping-test",
        "--runs",
        "40",
        "--resume",
        "--out",
        cut.to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("resuming: 17 of 40 runs already done"),
        "{}",
        stderr(&o)
    );
    for f in FILES {
        assert_eq!(read(&cut, f), read(&full, f), "{f}");
    }
    let o = ttx(&[
        "batch",
        "poc-ping-test",
        "--runs",
        "41",
        "--resume",
        "--out",
        cut.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a different study is not resumed into it"
    );
}

#[test]
fn set_on_a_missing_path_names_the_path() {
    let o = ttx(&[
        "batch",
        "--runs",
        "2",
        "--set",
        "states.boralia.doctrine=hawkish",
        "--out",
        "/nonexistent/never",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--set states.boralia.doctrine: states has no item \"boralia\"; did you mean \"borealia\"?"),
        "{}",
        stderr(&o)
    );
    let o = ttx(&[
        "batch",
        "--runs",
        "2",
        "--sweep",
        "doctrines.cautious.ack_probabilty=0.5,0.9",
        "--out",
        "/nonexistent/never",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ack_probabilty"), "{}", stderr(&o));
}

#[test]
fn sweep_rows_carry_their_parameters_and_each_point_gets_the_same_seeds() {
    let dir = TempDir::new("batch-sweep");
    let out = dir.path().join("s");
    batch(&[
        "hospital-ransomware",
        "--runs",
        "20",
        "--sweep",
        "doctrines.non-responsive.ack_probability=0,1",
        "--sweep",
        "states.aurelia.doctrine=cautious,hawkish",
        "--out",
        out.to_str().unwrap(),
    ]);
    let runs = read(&out, "runs.csv");
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    assert_eq!(
        &header[..7],
        [
            "run",
            "point",
            "rep",
            "seed",
            "doctrines.non-responsive.ack_probability",
            "states.aurelia.doctrine",
            "status"
        ]
    );
    let rows: Vec<Vec<&str>> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 80);
    // Seed-major: the four points of seed 0, then of seed 1…
    assert_eq!((rows[0][4], rows[0][5]), ("0", "cautious"));
    assert_eq!((rows[3][4], rows[3][5]), ("1", "hawkish"));
    assert_eq!((rows[79][1], rows[79][2]), ("3", "19"));
    assert!(
        (12..16).all(|i| rows[i][2] == "3" && rows[i][3] == rows[12][3]),
        "rep 3 has the same seed at every grid point"
    );
    // A sweep compares every point with the first, pair by pair.
    let c: serde_json::Value = serde_json::from_str(&read(&out, "compare.json")).unwrap();
    assert_eq!(c["contrasts"].as_array().unwrap().len(), 3);
    assert_eq!(c["contrasts"][0]["b"], 1);
    let summary: serde_json::Value = serde_json::from_str(&read(&out, "summary.json")).unwrap();
    assert_eq!(summary["points"].as_array().unwrap().len(), 4);
    // With acknowledgement probability 1 Borealia always acknowledges; with 0 never.
    let censored = |point: usize| -> f64 {
        let m = summary["points"][point]["metrics"].as_array().unwrap();
        m.iter()
            .find(|s| s["metric"] == "lat:notify_to_acknowledge:censored")
            .unwrap()["mean"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(censored(0), 1.0);
    assert_eq!(censored(2), 0.0);
}

#[test]
fn comparing_a_scenario_with_itself_gives_exactly_zero_differences() {
    let dir = TempDir::new("compare-self");
    let out = dir.path().join("c");
    let o = ttx(&[
        "compare",
        "false-flag",
        "false-flag",
        "--runs",
        "60",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let paired: serde_json::Value = serde_json::from_str(&read(&out, "compare.json")).unwrap();
    let metrics = paired["contrasts"][0]["metrics"].as_array().unwrap();
    assert!(metrics.len() > 20);
    for m in metrics {
        assert_eq!(m["mean_diff"].as_f64(), Some(0.0), "{m}");
        if let Some(sd) = m["sd_diff"].as_f64() {
            assert_eq!(sd, 0.0, "{m}");
        }
        assert_eq!(m["n_a"], m["n_b"], "{m}");
    }
    for l in paired["contrasts"][0]["latency"].as_array().unwrap() {
        if l["median_a"]["hours"].is_number() {
            assert_eq!(l["median_diff"].as_f64(), Some(0.0), "{l}");
        }
    }
    assert!(stdout(&o).contains("metrics identical in every pair"));
}

#[test]
fn comparing_two_doctrines_finds_the_difference() {
    let dir = TempDir::new("compare-doctrine");
    let b = dir.path().join("b.ron");
    let base = ttx_scenario::library::find("hospital-ransomware")
        .unwrap()
        .source;
    std::fs::write(
        &b,
        base.replace("doctrine: \"non-responsive\"", "doctrine: \"cooperative\""),
    )
    .unwrap();
    let out = dir.path().join("c");
    let o = ttx(&[
        "compare",
        "hospital-ransomware",
        b.to_str().unwrap(),
        "--runs",
        "100",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let paired: serde_json::Value = serde_json::from_str(&read(&out, "compare.json")).unwrap();
    let m = paired["contrasts"][0]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "lat:notify_to_acknowledge:censored")
        .unwrap();
    // A cooperative Borealia acknowledges far more often: fewer censored acknowledgements.
    assert!(m["mean_diff"].as_f64().unwrap() < -0.5, "{m}");
    assert!(m["ci"][1].as_f64().unwrap() < 0.0, "{m}");
}

/// The only randomness is Borealia's exponential acknowledgement latency (mean 4h) on a 24/7
/// desk; the notification is 5 minutes in transit. So notify → acknowledge has mean 4h05m, and
/// the batch mean's confidence interval must contain it.
#[test]
fn the_batch_mean_of_an_exponential_latency_matches_its_analytic_mean() {
    let dir = TempDir::new("batch-stats");
    let sc = dir.path().join("exp.ron");
    std::fs::write(
        &sc,
        r#"#![enable(implicit_some)]
Scenario(
    name: "exponential-ack", start: "2026-03-02T08:00:00Z", duration: "10d",
    doctrines: [Doctrine(name: "sure", ack_probability: 1.0, mitigate_probability: 0.0, request_assistance_probability: 0.0,
                         share_probability: 0.0, legal_probability: 0.0)],
    states: [
        State(id: "aurelia", capacity: Advanced, doctrine: "sure",
              cert: Cert(detect: Fixed("1h"), investigate: Fixed("1h"), contain: Fixed("9d"), accuracy: 1.0),
              pocs: [Poc(level: Technical, latency: Fixed("10m"))]),
        State(id: "borealia", capacity: Advanced, doctrine: "sure",
              pocs: [Poc(level: Technical, hours: "24/7", latency: Exponential(mean: "4h"))]),
    ],
    infrastructure: [Infra(id: "water", state: "aurelia", sector: Water, recovery: Fixed("1h"))],
    actors: [ThreatActor(id: "gang", kind: Criminal, operates_from: "borealia")],
    injects: [Inject(at: "T+1h", event: Incident(id: "inc-1", target: "water", by: "gang", severity: 3))],
)"#,
    )
    .unwrap();
    let out = dir.path().join("b");
    batch(&[
        sc.to_str().unwrap(),
        "--runs",
        "3000",
        "--seed",
        "11",
        "--out",
        out.to_str().unwrap(),
    ]);
    let summary: serde_json::Value = serde_json::from_str(&read(&out, "summary.json")).unwrap();
    let lat = summary["points"][0]["latency"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "notify_to_acknowledge")
        .unwrap();
    assert_eq!(lat["runs"], 3000);
    assert_eq!(
        lat["runs_censored"], 0,
        "a 10-day exercise censors no 4h answer"
    );
    // The Kaplan–Meier median of 5 min + Exponential(4h) is 5 min + 4h·ln 2.
    let analytic = 5.0 / 60.0 + 4.0 * std::f64::consts::LN_2;
    let (lo, hi) = (
        lat["median"]["lo"].as_f64().unwrap(),
        lat["median"]["hi"].as_f64().unwrap(),
    );
    assert!(
        lo <= analytic && analytic <= hi,
        "analytic median {analytic} outside [{lo}, {hi}]"
    );
    assert!(hi - lo < 0.5, "interval too wide: [{lo}, {hi}]");
    // The mean of the per-run hours at risk is the exponential's mean, with a t interval.
    let metrics = summary["points"][0]["metrics"].as_array().unwrap();
    let stat = metrics
        .iter()
        .find(|s| s["metric"] == "lat:notify_to_acknowledge:at_risk_h")
        .unwrap();
    let (lo, hi) = (
        stat["ci"][0].as_f64().unwrap(),
        stat["ci"][1].as_f64().unwrap(),
    );
    let mean = 4.0 + 5.0 / 60.0;
    assert!(
        lo <= mean && mean <= hi,
        "analytic mean {mean} outside [{lo}, {hi}]"
    );
    // An exponential's standard deviation equals its mean.
    let sd = stat["sd"].as_f64().unwrap();
    assert!((sd - 4.0).abs() < 0.25, "sd {sd}");
}

/// A printed estimate, "89.5% [84.5%, 93%]" or "-0.714 [-0.816, -0.612]": (mean, low, high) as
/// proportions or plain numbers.
fn parse_estimate(cell: &str) -> (f64, Option<(f64, f64)>) {
    let num = |s: &str| {
        let s = s.trim();
        match s.strip_suffix('%') {
            Some(p) => p.parse::<f64>().unwrap() / 100.0,
            None => s.parse::<f64>().unwrap(),
        }
    };
    match cell.split_once(" [") {
        Some((m, ci)) => {
            let (lo, hi) = ci.trim_end_matches(']').split_once(", ").unwrap();
            (num(m), Some((num(lo), num(hi))))
        }
        None => (num(cell), None),
    }
}

#[test]
fn a_study_prints_its_headline_estimates_as_summary_json_holds_them() {
    let dir = TempDir::new("batch-headline");
    let out = dir.path().join("ff");
    let o = batch(&[
        "false-flag",
        "--runs",
        "200",
        "--wide",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = stdout(&o);
    let summary: serde_json::Value = serde_json::from_str(&read(&out, "summary.json")).unwrap();
    let stats = summary["points"][0]["metrics"].as_array().unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 0.0051 * b.abs().max(1.0);
    let mut checked = 0;
    for h in ttx::report::HEADLINE.iter() {
        let label = ttx::report::metric_label(h.column);
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&label))
            .unwrap_or_else(|| panic!("no row for {label}:\n{text}"));
        let cell = line.trim_start()[label.len()..].trim();
        let stat = stats.iter().find(|s| s["metric"] == h.column).unwrap();
        let (mean, ci) = parse_estimate(cell);
        assert!(
            close(mean, stat["mean"].as_f64().unwrap()),
            "{label}: {cell} vs {stat}"
        );
        let (lo, hi) = ci.unwrap_or_else(|| panic!("{label} has no interval: {cell}"));
        let json_ci = stat["ci"].as_array().unwrap();
        assert!(
            close(lo, json_ci[0].as_f64().unwrap()),
            "{label}: {cell} vs {stat}"
        );
        assert!(
            close(hi, json_ci[1].as_f64().unwrap()),
            "{label}: {cell} vs {stat}"
        );
        checked += 1;
    }
    assert_eq!(checked, 7);
    // Latencies: the Kaplan–Meier median of summary.json, with the share never answered.
    let km = summary["points"][0]["latency"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["step"] == "notify_to_acknowledge")
        .unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("notify → acknowledge"))
        .unwrap_or_else(|| panic!("no latency row:\n{text}"));
    let cell = line.trim_start()["notify → acknowledge".len()..].trim();
    let (median, ci) = parse_estimate(cell.split(" (").next().unwrap());
    assert!(
        close(median, km["median"]["hours"].as_f64().unwrap()),
        "{cell} vs {km}"
    );
    assert!(ci.is_some(), "{cell}");
    let share = km["censored_share"].as_f64().unwrap();
    let shown: f64 = cell
        .rsplit_once(" (")
        .and_then(|(_, p)| p.strip_suffix("%)"))
        .unwrap_or_else(|| panic!("no share never answered: {cell}"))
        .parse()
        .unwrap();
    assert!((shown / 100.0 - share).abs() < 0.0006, "{cell} vs {km}");
    assert!(
        text.starts_with("FINDINGS · false-flag · 200 runs"),
        "{text}"
    );
}

#[test]
fn a_comparison_of_two_files_with_one_scenario_name_labels_them_by_file() {
    let dir = TempDir::new("compare-labels");
    let source = ttx_scenario::library::find("hospital-ransomware")
        .unwrap()
        .source;
    std::fs::write(dir.path().join("base.ron"), source).unwrap();
    let variant = source.replace("doctrine: \"non-responsive\"", "doctrine: \"cooperative\"");
    assert_ne!(variant, source);
    std::fs::write(dir.path().join("variant.ron"), variant).unwrap();
    let o = ttx_in(
        dir.path(),
        &[
            "compare",
            "base.ron",
            "variant.ron",
            "--runs",
            "20",
            "--wide",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("FINDINGS · base.ron vs variant.ron · 40 runs"),
        "{text}"
    );
    assert!(
        text.contains("A = base.ron") && text.contains("B = variant.ron"),
        "{text}"
    );
    assert!(
        dir.path()
            .join("compare-base-variant/scenario-b.ron")
            .is_file()
    );
    let report = read(&dir.path().join("compare-base-variant"), "report.html");
    assert!(report.contains("base.ron versus variant.ron"));
}
