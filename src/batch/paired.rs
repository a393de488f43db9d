//! Paired differences B − A between the two variants of a comparison (`ttx compare`), run i of
//! A against run i of B: both use the same seed, so they share their random numbers for every
//! actor they have in common (common random numbers) and the difference's interval is narrow.
//! `compare.json` and `compare.csv` hold them; the study report reads them back.

use super::summary::t95;
use super::table::{Cell, csv_line, header_line, round};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

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

/// `compare.csv`: one row per metric.
pub fn to_csv(p: &[Paired]) -> String {
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
