//! Summaries computed from the rows file in row order, in one streaming pass: mean and standard
//! deviation (Welford), a 95% confidence interval (Student's t for small samples), min, max and
//! quantiles; proportions (indicator columns, see `metrics::is_indicator`, and text categories
//! such as HSEEP ratings) with Wilson intervals. Quantiles come from a histogram of values kept to four
//! significant digits, so memory is bounded by the number of distinct values, not by the runs.

use super::table::{Cell, csv_line, round};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub metric: String,
    /// Runs with a value.
    pub n: u64,
    /// Runs where the metric did not apply (empty cells).
    pub na: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci95: Option<(f64, f64)>,
    pub min: Option<f64>,
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub max: Option<f64>,
    /// The mean is a proportion and `ci95` a Wilson interval.
    pub proportion: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointSummary {
    pub point: u64,
    pub params: BTreeMap<String, String>,
    pub runs: u64,
    pub failed: u64,
    pub metrics: Vec<Stat>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub format: &'static str,
    pub points: Vec<PointSummary>,
}

/// The per-point summaries of a finished study, read back from its `summary.json`.
pub fn read(dir: &Path) -> Result<Vec<PointSummary>> {
    #[derive(Deserialize)]
    struct File {
        points: Vec<PointSummary>,
    }
    let path = dir.join("summary.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (is the study finished? `ttx batch --resume` completes it)",
            path.display()
        )
    })?;
    let file: File = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a ttx summary", path.display()))?;
    Ok(file.points)
}

#[derive(Clone, Copy, PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0)
    }
}

fn four_digits(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let mag = v.abs().log10().floor() as i32;
    let scale = 10f64.powi(3 - mag);
    (v * scale).round() / scale
}

#[derive(Default)]
struct Acc {
    n: u64,
    na: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    /// An indicator column: its mean is a proportion.
    binary: bool,
    /// The range a rate lies in (0–1): its mean's interval is kept inside it.
    bounds: Option<(f64, f64)>,
    hist: BTreeMap<Key, u64>,
    /// Text values: category → count.
    text: BTreeMap<String, u64>,
}

impl Acc {
    fn push(&mut self, raw: &str) {
        if raw.is_empty() {
            self.na += 1;
            return;
        }
        let Ok(x) = raw.parse::<f64>() else {
            *self.text.entry(raw.to_string()).or_insert(0) += 1;
            return;
        };
        if self.n == 0 {
            self.min = x;
            self.max = x;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        *self.hist.entry(Key(four_digits(x))).or_insert(0) += 1;
    }

    fn quantile(&self, q: f64) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let rank = ((q * self.n as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (k, c) in &self.hist {
            seen += c;
            if seen >= rank {
                return Some(k.0);
            }
        }
        self.hist.keys().next_back().map(|k| k.0)
    }

    fn stats(&self, metric: &str) -> Vec<Stat> {
        let mut out = Vec::new();
        if self.n > 0 || self.text.is_empty() {
            let n = self.n as f64;
            let sd = (self.n > 1).then(|| (self.m2 / (n - 1.0)).sqrt());
            let mean = (self.n > 0).then_some(self.mean);
            let ci95 = match (mean, sd) {
                (Some(p), _) if self.binary => Some(wilson(p, self.n)),
                (Some(m), Some(s)) => {
                    let h = t95(self.n - 1) * s / n.sqrt();
                    let (lo, hi) = self.bounds.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                    Some(((m - h).max(lo), (m + h).min(hi)))
                }
                _ => None,
            };
            out.push(Stat {
                metric: metric.to_string(),
                n: self.n,
                na: self.na + self.text.values().sum::<u64>(),
                mean: mean.map(round),
                sd: sd.map(round),
                ci95: ci95.map(|(a, b)| (round(a), round(b))),
                min: (self.n > 0).then(|| round(self.min)),
                p5: self.quantile(0.05),
                p50: self.quantile(0.5),
                p95: self.quantile(0.95),
                max: (self.n > 0).then(|| round(self.max)),
                proportion: self.binary && self.n > 0,
            });
        }
        // Text categories (e.g. HSEEP ratings): one proportion per category.
        let total: u64 = self.text.values().sum();
        for (cat, &c) in &self.text {
            let p = c as f64 / total as f64;
            let (lo, hi) = wilson(p, total);
            out.push(Stat {
                metric: format!("{metric}={cat}"),
                n: total,
                na: self.na,
                mean: Some(round(p)),
                sd: None,
                ci95: Some((round(lo), round(hi))),
                min: None,
                p5: None,
                p50: None,
                p95: None,
                max: None,
                proportion: true,
            });
        }
        out
    }
}

/// Wilson score interval for a proportion `p` of `n` trials at 95%.
pub fn wilson(p: f64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054;
    let n = n as f64;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Two-sided 95% critical value of Student's t with `df` degrees of freedom.
pub fn t95(df: u64) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => T[df as usize - 1],
        31..=60 => 2.000,
        61..=120 => 1.980,
        _ => 1.959_963_984_540_054,
    }
}

/// Summarises a rows file. `params` are the swept columns; metrics are the columns after `status`.
pub fn summarise(runs_csv: &Path, params: &[String]) -> Result<Summary> {
    let mut reader = csv::Reader::from_path(runs_csv)
        .with_context(|| format!("cannot read {}", runs_csv.display()))?;
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (point_col, status_col) = (
        col("point").context("no point column")?,
        col("status").context("no status column")?,
    );
    let param_cols: Vec<usize> = params.iter().filter_map(|p| col(p)).collect();
    let metrics: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .skip(status_col + 1)
        .map(|(i, h)| (i, h.clone()))
        .collect();
    struct PointAcc {
        params: BTreeMap<String, String>,
        runs: u64,
        failed: u64,
        accs: Vec<Acc>,
    }
    let mut points: BTreeMap<u64, PointAcc> = BTreeMap::new();
    for record in reader.records() {
        let record = record?;
        let point: u64 = record
            .get(point_col)
            .and_then(|p| p.parse().ok())
            .context("bad point value")?;
        let entry = points.entry(point).or_insert_with(|| {
            let params = params
                .iter()
                .zip(&param_cols)
                .map(|(p, &c)| (p.clone(), record.get(c).unwrap_or("").to_string()))
                .collect();
            let accs = metrics
                .iter()
                .map(|(_, m)| Acc {
                    binary: super::metrics::is_indicator(m),
                    bounds: super::metrics::bounds(m),
                    ..Acc::default()
                })
                .collect();
            PointAcc {
                params,
                runs: 0,
                failed: 0,
                accs,
            }
        });
        entry.runs += 1;
        if record.get(status_col) != Some("ok") {
            entry.failed += 1;
            continue;
        }
        for (acc, (c, _)) in entry.accs.iter_mut().zip(&metrics) {
            acc.push(record.get(*c).unwrap_or(""));
        }
    }
    let points = points
        .into_iter()
        .map(|(point, p)| PointSummary {
            point,
            params: p.params,
            runs: p.runs,
            failed: p.failed,
            metrics: p
                .accs
                .iter()
                .zip(&metrics)
                .flat_map(|(a, (_, m))| a.stats(m))
                .collect(),
        })
        .collect();
    Ok(Summary {
        format: "ttx-summary/1",
        points,
    })
}

pub fn to_csv(s: &Summary, params: &[String]) -> String {
    let mut head: Vec<String> = vec!["point".into()];
    head.extend(params.iter().cloned());
    head.extend(
        [
            "metric",
            "n",
            "na",
            "mean",
            "sd",
            "ci95_low",
            "ci95_high",
            "min",
            "p5",
            "p50",
            "p95",
            "max",
            "proportion",
        ]
        .map(String::from),
    );
    let mut out = super::table::header_line(&head);
    for p in &s.points {
        for m in &p.metrics {
            let mut cells = vec![Cell::Int(p.point as i64)];
            cells.extend(
                params
                    .iter()
                    .map(|k| Cell::Text(p.params.get(k).cloned().unwrap_or_default())),
            );
            cells.push(Cell::Text(m.metric.clone()));
            cells.push(Cell::Int(m.n as i64));
            cells.push(Cell::Int(m.na as i64));
            for v in [
                m.mean,
                m.sd,
                m.ci95.map(|c| c.0),
                m.ci95.map(|c| c.1),
                m.min,
                m.p5,
                m.p50,
                m.p95,
                m.max,
            ] {
                cells.push(Cell::num(v));
            }
            cells.push(Cell::Int(m.proportion as i64));
            out.push_str(&csv_line(&cells));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_known_values() {
        let (lo, hi) = wilson(0.5, 100);
        assert!(
            (lo - 0.4038).abs() < 1e-4 && (hi - 0.5962).abs() < 1e-4,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0.0, 20);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.1611).abs() < 1e-4, "{hi}");
    }

    #[test]
    fn accumulator_moments_and_quantiles() {
        let mut a = Acc::default();
        for x in 1..=100 {
            a.push(&x.to_string());
        }
        a.push("");
        let s = &a.stats("m")[0];
        assert_eq!((s.n, s.na), (100, 1));
        assert_eq!(s.mean, Some(50.5));
        assert!((s.sd.unwrap() - 29.011492).abs() < 1e-6);
        assert_eq!((s.p5, s.p50, s.p95), (Some(5.0), Some(50.0), Some(95.0)));
        assert!(!s.proportion);
        let mut b = Acc {
            binary: true,
            ..Acc::default()
        };
        for x in ["1", "0", "0", "1"] {
            b.push(x);
        }
        assert!(b.stats("p")[0].proportion);
        let mut c = Acc::default();
        for x in ["P", "S", "P", ""] {
            c.push(x);
        }
        let stats = c.stats("rating");
        assert_eq!(
            stats.iter().map(|s| s.metric.as_str()).collect::<Vec<_>>(),
            ["rating=P", "rating=S"]
        );
        assert_eq!(stats[0].mean, Some(round(2.0 / 3.0)));
    }
}

#[cfg(test)]
mod bounded {
    use super::*;

    #[test]
    fn the_interval_of_a_mean_rate_stays_within_zero_and_one() {
        let mut a = Acc {
            bounds: Some((0.0, 1.0)),
            ..Acc::default()
        };
        for x in ["1", "1", "1", "0.5", "1"] {
            a.push(x);
        }
        let (lo, hi) = a.stats("norm:c")[0].ci95.unwrap();
        assert!(lo > 0.5 && hi == 1.0, "[{lo}, {hi}]");
    }
}
