use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::batch::manifest::Manifest;
use crate::batch::plan::{self, Point};
use crate::batch::summary::t95;
use crate::batch::table::{Cell, csv_line, header_line, round};
use crate::batch::{self};
use crate::cli::CompareArgs;
use crate::commands::batch::{overrides, threads};
use crate::output::write_atomic;
use crate::{report, scenario_source};

/// The paired difference B − A of one metric over the runs where both have it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    pub metric: String,
    pub pairs: u64,
    pub mean_a: f64,
    pub mean_b: f64,
    pub mean_diff: f64,
    pub sd_diff: Option<f64>,
    pub ci95: Option<(f64, f64)>,
}

pub fn compare(args: &CompareArgs) -> Result<()> {
    if args.study.runs == 0 {
        return Err(anyhow!("--runs must be at least 1"));
    }
    let sets = overrides(&args.study)?;
    let a = scenario_source::load(Some(&args.a))?.scenario;
    let b = scenario_source::load(Some(&args.b))?.scenario;
    let apply = |sc: &ttx_scenario::Scenario| -> Result<ttx_scenario::Scenario> {
        ttx_scenario::overrides::apply(sc, &sets).map_err(anyhow::Error::msg)
    };
    let points = vec![
        Point {
            values: vec!["A".into()],
            scenario: apply(&a)?,
        },
        Point {
            values: vec!["B".into()],
            scenario: apply(&b)?,
        },
    ];
    let columns = batch::columns(&points, &["variant".to_string()]);
    let manifest = Manifest::new("compare", &[&a, &b], &args.study, Vec::new(), None, columns);
    // Both variants get the same seeds: run i of A and run i of B share their random numbers for
    // every actor they have in common (common random numbers).
    let specs = plan::specs(2, args.study.runs, args.study.seed, None);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("compare-{}-{}", a.name, b.name)));
    batch::execute(
        &dir,
        &manifest,
        &points,
        &specs,
        threads(&args.study),
        false,
    )?;
    let paired = paired(&dir.join("runs.csv"))?;
    write_atomic(
        &dir.join("compare.json"),
        (serde_json::to_string_pretty(&paired)? + "\n").as_bytes(),
    )?;
    write_atomic(&dir.join("compare.csv"), to_csv(&paired).as_bytes())?;
    report::write_study(&dir)?;
    print!("{}", table(&paired, &a.name, &b.name, args.study.runs));
    eprintln!(
        "→ {}/compare.csv, compare.json, runs.csv, summary.csv, report.html",
        dir.display()
    );
    Ok(())
}

/// Paired differences from a comparison's rows (point 0 = A, point 1 = B, paired by `rep`).
pub fn paired(runs: &Path) -> Result<Vec<Paired>> {
    let mut reader =
        csv::Reader::from_path(runs).with_context(|| format!("cannot read {}", runs.display()))?;
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let col = |n: &str| {
        header
            .iter()
            .position(|h| h == n)
            .context("not a comparison's rows")
    };
    let (point, rep, status) = (col("point")?, col("rep")?, col("status")?);
    let metrics: Vec<usize> = (status + 1..header.len()).collect();
    let mut by_rep: BTreeMap<u64, [Option<csv::StringRecord>; 2]> = BTreeMap::new();
    for r in reader.records() {
        let r = r?;
        if r.get(status) != Some("ok") {
            continue;
        }
        let p: usize = r
            .get(point)
            .and_then(|v| v.parse().ok())
            .context("bad point")?;
        let k: u64 = r.get(rep).and_then(|v| v.parse().ok()).context("bad rep")?;
        if p < 2 {
            by_rep.entry(k).or_default()[p] = Some(r);
        }
    }
    let mut out = Vec::new();
    for &c in &metrics {
        let (mut n, mut sum_a, mut sum_b, mut mean, mut m2) = (0u64, 0.0, 0.0, 0.0, 0.0);
        for [ra, rb] in by_rep.values() {
            let (Some(ra), Some(rb)) = (ra, rb) else {
                continue;
            };
            let (Some(x), Some(y)) = (
                ra.get(c).and_then(|v| v.parse::<f64>().ok()),
                rb.get(c).and_then(|v| v.parse::<f64>().ok()),
            ) else {
                continue;
            };
            n += 1;
            sum_a += x;
            sum_b += y;
            let d = y - x;
            let delta = d - mean;
            mean += delta / n as f64;
            m2 += delta * (d - mean);
        }
        if n == 0 {
            continue;
        }
        let sd = (n > 1).then(|| (m2 / (n - 1) as f64).sqrt());
        let ci95 = sd.map(|s| {
            let h = t95(n - 1) * s / (n as f64).sqrt();
            (round(mean - h), round(mean + h))
        });
        out.push(Paired {
            metric: header[c].clone(),
            pairs: n,
            mean_a: round(sum_a / n as f64),
            mean_b: round(sum_b / n as f64),
            mean_diff: round(mean),
            sd_diff: sd.map(round),
            ci95,
        });
    }
    Ok(out)
}

fn to_csv(p: &[Paired]) -> String {
    let head: Vec<String> = [
        "metric",
        "pairs",
        "mean_a",
        "mean_b",
        "mean_diff",
        "sd_diff",
        "ci95_low",
        "ci95_high",
    ]
    .map(String::from)
    .to_vec();
    let mut out = header_line(&head);
    for m in p {
        out.push_str(&csv_line(&[
            Cell::Text(m.metric.clone()),
            Cell::UInt(m.pairs),
            Cell::Num(m.mean_a),
            Cell::Num(m.mean_b),
            Cell::Num(m.mean_diff),
            Cell::num(m.sd_diff),
            Cell::num(m.ci95.map(|c| c.0)),
            Cell::num(m.ci95.map(|c| c.1)),
        ]));
    }
    out
}

/// The metrics that differ, largest evidence first, then a count of those that do not.
fn table(p: &[Paired], a: &str, b: &str, runs: u64) -> String {
    let mut out =
        format!("paired comparison, {runs} seeds: A = {a}, B = {b} (difference = B − A, 95% CI)\n");
    let mut differing: Vec<&Paired> = p
        .iter()
        .filter(|m| m.mean_diff != 0.0 || m.sd_diff.is_some_and(|s| s > 0.0))
        .collect();
    let significant = |m: &Paired| m.ci95.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0);
    differing.sort_by_key(|m| !significant(m));
    out.push_str(&format!(
        "  {:<42} {:>10} {:>10} {:>10}  {}\n",
        "metric", "mean A", "mean B", "B − A", "95% CI"
    ));
    for m in differing.iter().take(40) {
        let ci = m
            .ci95
            .map_or("–".into(), |(lo, hi)| format!("[{lo}, {hi}]"));
        let mark = if significant(m) { " *" } else { "" };
        out.push_str(&format!(
            "  {:<42} {:>10} {:>10} {:>10}  {ci}{mark}\n",
            m.metric, m.mean_a, m.mean_b, m.mean_diff
        ));
    }
    if differing.len() > 40 {
        out.push_str(&format!(
            "  … {} more in compare.csv\n",
            differing.len() - 40
        ));
    }
    let same = p.len() - differing.len();
    out.push_str(&format!(
        "  {same} metrics identical in every pair; * the interval excludes 0\n"
    ));
    out
}
