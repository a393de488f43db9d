//! A study's summaries (`summary.json`), accumulated from its rows in row order in one
//! streaming pass (`summarise.rs`), each metric with the estimator that suits it (docs/batch.md, "Estimators"): means with Student's t intervals;
//! proportions (0/1 per run, rates per run, text categories such as HSEEP ratings) with Wilson
//! intervals; quantiles with order-statistic intervals; latencies by Kaplan–Meier over the runs'
//! censored observations (`survival`). Every interval is at the study's `--level`. Quantiles come
//! from values binned to four significant digits, so memory is bounded by the number of distinct
//! values, not by the runs.

use super::survival::KmQuantile;
use super::table::round;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub use super::summarise::{Layout, Summariser, Watch, summarise};

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

pub(super) fn round_pair(p: (Option<f64>, Option<f64>)) -> (Option<f64>, Option<f64>) {
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
