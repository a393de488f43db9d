//! Experimental designs (`--design`, `--sample lhs:N`) and the stopping rule (`--until`) from the
//! command line.

mod common;
use common::*;
use std::path::Path;

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
}

const STRENGTH: &str = "injects.inj-flag.event.strength";
const THRESHOLD: &str = "doctrines.hawkish.attribution_threshold";

/// Rows of a runs.csv keyed by (rep, seed), with the columns from `status` on.
fn outcomes(runs: &str, point: Option<&str>) -> Vec<String> {
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let status = header.iter().position(|h| *h == "status").unwrap();
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| point.is_none_or(|p| c[1] == p))
        .map(|c| format!("{},{},{}", c[2], c[3], c[status..].join(",")))
        .collect()
}

#[test]
fn a_design_gives_the_rows_of_one_set_batch_per_design_row() {
    let dir = TempDir::new("design-rows");
    let design = dir.path().join("design.csv");
    let values = [("0.2", "0.4"), ("0.45", "0.6"), ("0.9", "0.75")];
    let mut text = format!("{STRENGTH},{THRESHOLD}\n");
    for (s, t) in values {
        text.push_str(&format!("{s},{t}\n"));
    }
    std::fs::write(&design, text).unwrap();
    let out = dir.path().join("d");
    ttx_ok(&[
        "batch",
        "false-flag",
        "--runs",
        "40",
        "--seed",
        "5",
        "--design",
        design.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let runs = read(&out, "runs.csv");
    assert!(
        runs.starts_with(&format!(
            "run,point,rep,seed,{STRENGTH},{THRESHOLD},status,"
        )),
        "the design's columns follow the ids"
    );
    for (k, (s, t)) in values.iter().enumerate() {
        let single = dir.path().join(format!("set{k}"));
        ttx_ok(&[
            "batch",
            "false-flag",
            "--runs",
            "40",
            "--seed",
            "5",
            "--set",
            &format!("{STRENGTH}={s}"),
            "--set",
            &format!("{THRESHOLD}={t}"),
            "--out",
            single.to_str().unwrap(),
        ]);
        assert_eq!(
            outcomes(&runs, Some(&k.to_string())),
            outcomes(&read(&single, "runs.csv"), None),
            "design row {k}"
        );
    }
    // Designs are analysed by SALib, not as contrasts; their summary has one point per row.
    assert!(!out.join("compare.json").exists());
    let summary: serde_json::Value = serde_json::from_str(&read(&out, "summary.json")).unwrap();
    assert_eq!(summary["points"].as_array().unwrap().len(), 3);
    assert_eq!(summary["points"][2]["params"][STRENGTH], "0.9");
}

#[test]
fn a_bad_design_names_the_line_and_column() {
    let dir = TempDir::new("design-bad");
    let design = dir.path().join("d.csv");
    std::fs::write(
        &design,
        format!("{STRENGTH},{THRESHOLD}\n0.5,0.5\n0.5,lots\n"),
    )
    .unwrap();
    let o = ttx(&[
        "batch",
        "false-flag",
        "--runs",
        "2",
        "--design",
        design.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("d.csv:3:2:"), "{}", stderr(&o));
    std::fs::write(
        &design,
        format!("{STRENGTH},doctrines.hawkish.atribution_threshold\n0.5,0.5\n"),
    )
    .unwrap();
    let o = ttx(&[
        "batch",
        "false-flag",
        "--runs",
        "2",
        "--design",
        design.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("d.csv:2:2:") && e.contains("did you mean"),
        "{e}"
    );
    // A design and a sweep at once is a usage error.
    let o = ttx(&[
        "batch",
        "false-flag",
        "--runs",
        "2",
        "--design",
        design.to_str().unwrap(),
        "--sweep",
        &format!("{STRENGTH}=0.1,0.2"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_latin_hypercube_is_drawn_written_and_run() {
    let dir = TempDir::new("design-lhs");
    let out = dir.path().join("l");
    let args = |out: &Path| {
        vec![
            "batch".to_string(),
            "false-flag".into(),
            "--runs".into(),
            "5".into(),
            "--sample".into(),
            "lhs:6".into(),
            "--range".into(),
            format!("{STRENGTH}=0.1..0.9"),
            "--range".into(),
            "scoring.targets.acknowledge=6h..2d".into(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ]
    };
    let a: Vec<String> = args(&out);
    ttx_ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let design = read(&out, "design.csv");
    let rows: Vec<&str> = design.lines().collect();
    assert_eq!(rows.len(), 7, "{design}");
    assert_eq!(rows[0], format!("{STRENGTH},scoring.targets.acknowledge"));
    let mut strata: Vec<usize> = rows[1..]
        .iter()
        .map(|r| {
            let v: f64 = r.split(',').next().unwrap().parse().unwrap();
            ((v - 0.1) / 0.8 * 6.0).floor() as usize
        })
        .collect();
    strata.sort_unstable();
    assert_eq!(strata, vec![0, 1, 2, 3, 4, 5], "one value per stratum");
    assert_eq!(read(&out, "runs.csv").lines().count(), 31);
    // The same command draws the same design.
    let again = dir.path().join("m");
    let b: Vec<String> = args(&again);
    ttx_ok(&b.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(read(&again, "design.csv"), design);
}

#[test]
fn a_stopping_rule_stops_at_the_same_run_whatever_the_threads() {
    let dir = TempDir::new("until");
    let mut counts = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("u{threads}"));
        let o = ttx_ok(&[
            "batch",
            "false-flag",
            "--runs",
            "20000",
            "--until",
            "P(misattribution) ± 0.035",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            stderr(&o).contains("stopped after 1000 seeds per point"),
            "{}",
            stderr(&o)
        );
        counts.push(read(&out, "runs.csv"));
        let summary: serde_json::Value = serde_json::from_str(&read(&out, "summary.json")).unwrap();
        let m = summary["points"][0]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == "misattributed")
            .unwrap()
            .clone();
        let (lo, hi) = (m["ci"][0].as_f64().unwrap(), m["ci"][1].as_f64().unwrap());
        assert!((hi - lo) / 2.0 <= 0.035, "[{lo}, {hi}]");
    }
    assert_eq!(counts[0], counts[1]);
    assert_eq!(counts[0].lines().count(), 1001);
    // Tighter: it runs more blocks, never past the cap.
    let out = dir.path().join("cap");
    let o = ttx_ok(&[
        "batch",
        "false-flag",
        "--runs",
        "1500",
        "--until",
        "P(misattribution) ± 0.001",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("ran the cap of 1500"), "{}", stderr(&o));
    assert_eq!(read(&out, "runs.csv").lines().count(), 1501);
    // A metric that is not a column is refused with a suggestion.
    let o = ttx(&[
        "batch",
        "false-flag",
        "--runs",
        "10",
        "--precision",
        "misatributed=0.01",
        "--out",
        dir.path().join("bad").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean \"misattributed\""),
        "{}",
        stderr(&o)
    );
    // A stopping rule cannot be sharded: each shard would stop on its own share.
    let o = ttx(&[
        "batch",
        "false-flag",
        "--runs",
        "10",
        "--until",
        "P(misattribution) ± 0.01",
        "--shard",
        "1/2",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_resumed_study_with_a_stopping_rule_stops_where_the_whole_one_did() {
    let dir = TempDir::new("until-resume");
    let full = dir.path().join("full");
    let args = |out: &Path| {
        vec![
            "batch".to_string(),
            "false-flag".into(),
            "--runs".into(),
            "3000".into(),
            "--precision".into(),
            "misattributed=0.025".into(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ]
    };
    let a = args(&full);
    ttx_ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let rows = read(&full, "runs.csv");
    let n = rows.lines().count() - 1;
    assert!(n == 2000, "stops after the second block: {n}");
    let cut = dir.path().join("cut");
    std::fs::create_dir_all(&cut).unwrap();
    std::fs::copy(full.join("batch.json"), cut.join("batch.json")).unwrap();
    let keep: usize = rows.split_inclusive('\n').take(1201).map(str::len).sum();
    std::fs::write(cut.join("runs.csv.partial"), &rows[..keep]).unwrap();
    let mut b = args(&cut);
    b.push("--resume".into());
    ttx_ok(&b.iter().map(String::as_str).collect::<Vec<_>>());
    for f in ["runs.csv", "summary.json", "summary.csv"] {
        assert_eq!(read(&cut, f), read(&full, f), "{f}");
    }
}
