//! Summaries computed from the rows file in row order, in one streaming pass, each metric with
//! the estimator that suits it (docs/batch.md, "Estimators"): means with Student's t intervals;
//! proportions (0/1 per run, rates per run, text categories such as HSEEP ratings) with Wilson
//! intervals; quantiles with order-statistic intervals; latencies by Kaplan–Meier over the runs'
//! censored observations (`survival`). Every interval is at the study's `--level`. Quantiles come
//! from values binned to four significant digits, so memory is bounded by the number of distinct
//! values, not by the runs.

use super::binned::Histogram;
use super::estimators::{Level, effective_n, t_interval, wilson};
use super::metrics::{is_proportion, survival_step};
use super::survival::{KmAcc, KmQuantile, thin};
use super::table::round;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const FORMAT: &str = "ttx-summary/2";

/// How a metric's interval is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Estimator {
    /// A mean over runs, Student's t interval with its exact critical value.
    Mean,
    /// Each run gives 0 or 1: a proportion of runs, Wilson score interval.
    Proportion,
    /// Each run gives a rate in [0, 1]: the mean rate, Wilson interval at the effective number
    /// of trials (Korn & Graubard), never zero-width.
    Rate,
    /// Share of runs with one text value (an HSEEP rating), Wilson interval.
    Category,
}

fn round_pair(p: (Option<f64>, Option<f64>)) -> (Option<f64>, Option<f64>) {
    (p.0.map(round), p.1.map(round))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub metric: String,
    pub estimator: Estimator,
    /// Runs with a value.
    pub n: u64,
    /// Runs where the metric did not apply (empty cells).
    pub na: u64,
    /// The estimate: a mean, or a proportion.
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// Interval of the estimate at the study's level.
    pub ci: Option<(f64, f64)>,
    pub min: Option<f64>,
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub max: Option<f64>,
    /// Order-statistic intervals of the quantiles; a side is null when too few runs bound it.
    pub p5_ci: (Option<f64>, Option<f64>),
    pub p50_ci: (Option<f64>, Option<f64>),
    pub p95_ci: (Option<f64>, Option<f64>),
    /// The estimate is a proportion (`ci` is a Wilson interval).
    pub proportion: bool,
}

/// The censoring-aware latency of one chain step across a point's runs (see `survival`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Survival {
    /// Step key, e.g. `notify_to_acknowledge`.
    pub step: String,
    /// Runs with at least one item of this step (each gives one observation to the curve).
    pub runs: u64,
    pub items: u64,
    pub answered: u64,
    pub censored: u64,
    /// Share of items never answered, pooled over runs, with a Wilson interval at the effective
    /// number of items (runs are the independent unit).
    pub censored_share: Option<f64>,
    pub censored_share_ci: Option<(f64, f64)>,
    /// Runs whose half-answered time is censored: their median item was never answered.
    pub runs_censored: u64,
    /// Total time at risk, hours: answered items' latencies plus unanswered items' exposure.
    pub at_risk_h: f64,
    /// Kaplan–Meier median and 90th percentile of the runs' half-answered times, hours, with
    /// Brookmeyer–Crowley intervals; `null` means not reached.
    pub median: KmQuantile,
    pub p90: KmQuantile,
    /// The curve thinned for charts: (hours, share of runs still waiting).
    pub curve: Vec<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointSummary {
    pub point: u64,
    pub params: BTreeMap<String, String>,
    pub runs: u64,
    pub failed: u64,
    pub metrics: Vec<Stat>,
    #[serde(default)]
    pub latency: Vec<Survival>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub format: &'static str,
    /// Confidence level of every interval.
    pub level: f64,
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

#[derive(Default)]
struct Acc {
    n: u64,
    na: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    /// A proportion column (see `metrics::is_proportion`).
    proportion: bool,
    /// Some value was neither 0 nor 1.
    fractional: bool,
    hist: Histogram,
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
        self.fractional |= x != 0.0 && x != 1.0;
        self.hist.push(x);
    }

    fn estimator(&self) -> Estimator {
        match (self.proportion, self.fractional) {
            (true, false) => Estimator::Proportion,
            (true, true) => Estimator::Rate,
            (false, _) => Estimator::Mean,
        }
    }

    /// Estimate, sd and interval; also what the stopping rule watches.
    fn interval(&self, level: Level) -> (Option<f64>, Option<f64>, Option<(f64, f64)>) {
        let n = self.n as f64;
        let sd = (self.n > 1).then(|| (self.m2 / (n - 1.0)).sqrt());
        let mean = (self.n > 0).then_some(self.mean);
        let ci = match (mean, self.estimator()) {
            (None, _) => None,
            (Some(p), Estimator::Proportion) => Some(wilson(p, n, level)),
            (Some(p), Estimator::Rate) => {
                let var_of_mean = sd.map_or(0.0, |s| s * s / n);
                Some(wilson(p, effective_n(p, var_of_mean, self.n), level))
            }
            (Some(m), _) => sd.and_then(|s| t_interval(m, s, self.n, level)),
        };
        (mean, sd, ci)
    }

    fn stats(&self, metric: &str, level: Level) -> Vec<Stat> {
        let mut out = Vec::new();
        if self.n > 0 || self.text.is_empty() {
            let (mean, sd, ci) = self.interval(level);
            let estimator = self.estimator();
            let q = |p: f64| self.hist.quantile(p);
            let qci = |p: f64| round_pair(self.hist.quantile_ci(p, level));
            out.push(Stat {
                metric: metric.to_string(),
                estimator,
                n: self.n,
                na: self.na + self.text.values().sum::<u64>(),
                mean: mean.map(round),
                sd: sd.map(round),
                ci: ci.map(|(a, b)| (round(a), round(b))),
                min: (self.n > 0).then(|| round(self.min)),
                p5: q(0.05),
                p50: q(0.5),
                p95: q(0.95),
                max: (self.n > 0).then(|| round(self.max)),
                p5_ci: qci(0.05),
                p50_ci: qci(0.5),
                p95_ci: qci(0.95),
                proportion: estimator != Estimator::Mean && self.n > 0,
            });
        }
        // Text categories (e.g. HSEEP ratings): one proportion per category.
        let total: u64 = self.text.values().sum();
        for (cat, &c) in &self.text {
            let p = c as f64 / total as f64;
            let (lo, hi) = wilson(p, total as f64, level);
            out.push(Stat {
                metric: format!("{metric}={cat}"),
                estimator: Estimator::Category,
                n: total,
                na: self.na,
                mean: Some(round(p)),
                sd: None,
                ci: Some((round(lo), round(hi))),
                min: None,
                p5: None,
                p50: None,
                p95: None,
                max: None,
                p5_ci: (None, None),
                p50_ci: (None, None),
                p95_ci: (None, None),
                proportion: true,
            });
        }
        out
    }
}

/// Where a step's survival columns are in the rows.
struct StepCols {
    step: String,
    n: Option<usize>,
    answered: Option<usize>,
    censored: Option<usize>,
    at_risk: Option<usize>,
    t50: usize,
    event: usize,
}

#[derive(Default)]
struct SurvAcc {
    km: KmAcc,
    runs: u64,
    items: u64,
    answered: u64,
    censored: u64,
    runs_censored: u64,
    at_risk: f64,
    /// Sums for the pooled censored share's linearised variance.
    sum_nn: f64,
    sum_cc: f64,
    sum_nc: f64,
}

fn num(record: &csv::StringRecord, col: Option<usize>) -> Option<f64> {
    col.and_then(|c| record.get(c))
        .and_then(|v| v.parse::<f64>().ok())
}

impl SurvAcc {
    fn push(&mut self, cols: &StepCols, record: &csv::StringRecord) {
        let (Some(t), Some(event)) = (num(record, Some(cols.t50)), num(record, Some(cols.event)))
        else {
            return;
        };
        let observed = event == 1.0;
        self.km.push(t, observed);
        self.runs += 1;
        self.runs_censored += u64::from(!observed);
        let n = num(record, cols.n).unwrap_or(0.0);
        let c = num(record, cols.censored).unwrap_or(0.0);
        self.items += n as u64;
        self.answered += num(record, cols.answered).unwrap_or(n - c) as u64;
        self.censored += c as u64;
        self.at_risk += num(record, cols.at_risk).unwrap_or(0.0);
        self.sum_nn += n * n;
        self.sum_cc += c * c;
        self.sum_nc += n * c;
    }

    fn summary(&self, step: &str, level: Level) -> Survival {
        let curve = self.km.curve(level);
        let (share, share_ci) = if self.items > 0 {
            let r = self.censored as f64 / self.items as f64;
            let runs = self.runs as f64;
            let mean_n = self.items as f64 / runs;
            // Ratio estimator: Var(R) ≈ Σ(cᵢ − R·nᵢ)² / (k(k − 1)·n̄²).
            let resid = self.sum_cc - 2.0 * r * self.sum_nc + r * r * self.sum_nn;
            let var = if self.runs > 1 {
                resid.max(0.0) / (runs * (runs - 1.0) * mean_n * mean_n)
            } else {
                0.0
            };
            let n_eff = effective_n(r, var, self.runs);
            let (lo, hi) = wilson(r, n_eff, level);
            (Some(round(r)), Some((round(lo), round(hi))))
        } else {
            (None, None)
        };
        let q = |p: f64| {
            let k = KmAcc::quantile(&curve, p);
            KmQuantile {
                hours: k.hours.map(round),
                lo: k.lo.map(round),
                hi: k.hi.map(round),
            }
        };
        Survival {
            step: step.to_string(),
            runs: self.runs,
            items: self.items,
            answered: self.answered,
            censored: self.censored,
            censored_share: share,
            censored_share_ci: share_ci,
            runs_censored: self.runs_censored,
            at_risk_h: round(self.at_risk),
            median: q(0.5),
            p90: q(0.9),
            curve: thin(&curve),
        }
    }
}

/// Accumulates one point's rows.
struct PointAcc {
    params: BTreeMap<String, String>,
    runs: u64,
    failed: u64,
    accs: Vec<Acc>,
    surv: Vec<SurvAcc>,
}

/// The columns of a rows file, as the summaries read them.
pub struct Layout {
    pub point: usize,
    pub rep: usize,
    pub status: usize,
    params: Vec<(String, Option<usize>)>,
    /// Plain metric columns (everything after `status` but the survival pair).
    pub metrics: Vec<(usize, String)>,
    steps: Vec<StepCols>,
}

impl Layout {
    pub fn new(header: &[String], params: &[String]) -> Result<Layout> {
        let col = |name: &str| header.iter().position(|h| h == name);
        let status = col("status").context("no status column")?;
        let mut metrics = Vec::new();
        let mut steps = Vec::new();
        for (i, h) in header.iter().enumerate().skip(status + 1) {
            match survival_step(h) {
                Some((step, false)) => {
                    if let Some(event) = col(&format!("lat:{step}:t50_event")) {
                        let part = |p: &str| col(&format!("lat:{step}:{p}"));
                        steps.push(StepCols {
                            step: step.to_string(),
                            n: part("n"),
                            answered: part("answered"),
                            censored: part("censored"),
                            at_risk: part("at_risk_h"),
                            t50: i,
                            event,
                        });
                    }
                }
                Some((_, true)) => {}
                None => metrics.push((i, h.clone())),
            }
        }
        Ok(Layout {
            point: col("point").context("no point column")?,
            rep: col("rep").context("no rep column")?,
            status,
            params: params.iter().map(|p| (p.clone(), col(p))).collect(),
            metrics,
            steps,
        })
    }
}

/// Summarises a rows file. `params` are the swept (or design) columns.
pub fn summarise(runs_csv: &Path, params: &[String], level: Level) -> Result<Summary> {
    let mut reader = csv::Reader::from_path(runs_csv)
        .with_context(|| format!("cannot read {}", runs_csv.display()))?;
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let layout = Layout::new(&header, params)?;
    let mut points: BTreeMap<u64, PointAcc> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        let point: u64 = record
            .get(layout.point)
            .and_then(|p| p.parse().ok())
            .context("bad point value")?;
        let entry = points.entry(point).or_insert_with(|| PointAcc {
            params: layout
                .params
                .iter()
                .map(|(p, c)| {
                    let v = c.and_then(|c| record.get(c)).unwrap_or("");
                    (p.clone(), v.to_string())
                })
                .collect(),
            runs: 0,
            failed: 0,
            accs: layout
                .metrics
                .iter()
                .map(|(_, m)| Acc {
                    proportion: is_proportion(m),
                    ..Acc::default()
                })
                .collect(),
            surv: layout.steps.iter().map(|_| SurvAcc::default()).collect(),
        });
        entry.runs += 1;
        if record.get(layout.status) != Some("ok") {
            entry.failed += 1;
            continue;
        }
        for (acc, (c, _)) in entry.accs.iter_mut().zip(&layout.metrics) {
            acc.push(record.get(*c).unwrap_or(""));
        }
        for (acc, cols) in entry.surv.iter_mut().zip(&layout.steps) {
            acc.push(cols, &record);
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
                .zip(&layout.metrics)
                .flat_map(|(a, (_, m))| a.stats(m, level))
                .collect(),
            latency: p
                .surv
                .iter()
                .zip(&layout.steps)
                .filter(|(a, _)| a.runs > 0)
                .map(|(a, s)| a.summary(&s.step, level))
                .collect(),
        })
        .collect();
    Ok(Summary {
        format: FORMAT,
        level: level.0,
        points,
    })
}

/// The interval of one metric's estimate over some rows, as the summaries compute it: what the
/// stopping rule (`--until`) watches while a study runs.
#[derive(Default)]
pub struct Watch {
    acc: Acc,
}

impl Watch {
    pub fn new(metric: &str) -> Watch {
        Watch {
            acc: Acc {
                proportion: is_proportion(metric),
                ..Acc::default()
            },
        }
    }

    pub fn push(&mut self, raw: &str) {
        self.acc.push(raw);
    }

    /// Estimate and interval so far.
    pub fn interval(&self, level: Level) -> (Option<f64>, Option<(f64, f64)>) {
        let (m, _, ci) = self.acc.interval(level);
        (m, ci)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L95: Level = Level(0.95);

    #[test]
    fn accumulator_moments_quantiles_and_estimators() {
        let mut a = Acc::default();
        for x in 1..=100 {
            a.push(&x.to_string());
        }
        a.push("");
        let s = &a.stats("m", L95)[0];
        assert_eq!((s.n, s.na), (100, 1));
        assert_eq!(s.mean, Some(50.5));
        assert!((s.sd.unwrap() - 29.011492).abs() < 1e-6);
        assert_eq!((s.p5, s.p50, s.p95), (Some(5.0), Some(50.0), Some(95.0)));
        assert_eq!(s.p50_ci, (Some(40.0), Some(61.0)));
        assert_eq!(s.estimator, Estimator::Mean);
        // t with 99 degrees of freedom: 1.984217, not a table's 1.980.
        let (lo, _) = s.ci.unwrap();
        assert!(
            (50.5 - lo - 1.984217 * 29.011492 / 10.0).abs() < 1e-4,
            "{lo}"
        );
        let mut c = Acc::default();
        for x in ["P", "S", "P", ""] {
            c.push(x);
        }
        let stats = c.stats("rating", L95);
        assert_eq!(
            stats.iter().map(|s| s.metric.as_str()).collect::<Vec<_>>(),
            ["rating=P", "rating=S"]
        );
        assert_eq!(stats[0].mean, Some(round(2.0 / 3.0)));
        assert_eq!(stats[0].estimator, Estimator::Category);
    }

    #[test]
    fn a_proportion_gets_a_wilson_interval_never_zero_width() {
        let mut a = Acc {
            proportion: true,
            ..Acc::default()
        };
        for _ in 0..50 {
            a.push("1");
        }
        let s = &a.stats("peak_ge5", L95)[0];
        assert_eq!(s.estimator, Estimator::Proportion);
        let (lo, hi) = s.ci.unwrap();
        assert!(lo < 0.95 && hi == 1.0, "[{lo}, {hi}]");
    }

    #[test]
    fn a_rate_stays_within_zero_and_one() {
        let mut a = Acc {
            proportion: true,
            ..Acc::default()
        };
        for x in ["1", "1", "1", "0.5", "1"] {
            a.push(x);
        }
        let s = &a.stats("norm:c", L95)[0];
        assert_eq!(s.estimator, Estimator::Rate);
        let (lo, hi) = s.ci.unwrap();
        assert!(lo > 0.5 && lo < 0.9 && hi <= 1.0, "[{lo}, {hi}]");
    }
}
