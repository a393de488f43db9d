//! What a study report reads, from the files `ttx batch`, `compare` and `merge` write: the
//! manifest (`batch.json`), the per-point summaries with their confidence intervals and
//! Kaplan–Meier latencies (`summary.json`), the paired contrasts (`compare.json`),
//! and the two distributions the summaries do not keep — peak escalation and the escalation index
//! — counted from `runs.csv` in one streaming pass, so a study of a million runs costs a few
//! counters per grid point, not its rows in memory.

use crate::batch::contrasts::Comparison;
use crate::batch::estimators::Level;
use crate::batch::manifest::Manifest;
use crate::batch::summary::{PointSummary, Stat, Survival};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use ttx_scenario::{Norm, ladder};
use ttx_scoring::latency::Step;

/// Bins of the escalation-index histogram.
pub const INDEX_BINS: usize = 16;

/// One grid point (or variant) of a study.
pub struct PointData {
    pub point: u64,
    /// "all runs", "A: hospital-ransomware", or the swept values.
    pub label: String,
    pub params: BTreeMap<String, String>,
    pub runs: u64,
    pub failed: u64,
    pub stats: BTreeMap<String, Stat>,
    /// Kaplan–Meier latency per chain step with items.
    pub latency: Vec<Survival>,
    /// Runs per peak level 0–9.
    pub peaks: [u64; 10],
    /// Runs per escalation-index bin (edges in [`StudyData::index_edges`]).
    pub index_bins: [u64; INDEX_BINS],
}

impl PointData {
    pub fn stat(&self, metric: &str) -> Option<&Stat> {
        self.stats.get(metric).filter(|s| s.n > 0)
    }
}

pub struct StudyData {
    pub manifest: Manifest,
    pub points: Vec<PointData>,
    /// Lower edge of each index bin and the upper edge of the last.
    pub index_edges: Vec<f64>,
    /// Paired contrasts of every point against the first, for comparisons and sweeps.
    pub comparison: Option<Comparison>,
}

impl StudyData {
    pub fn is_compare(&self) -> bool {
        self.manifest.kind == "compare"
    }

    /// Confidence level of every interval.
    pub fn level(&self) -> Level {
        self.manifest.level
    }
}

/// "all runs", "A = hospital-ransomware", or the swept values of a point.
pub fn point_label(m: &Manifest, p: &PointSummary) -> String {
    if m.kind == "compare" {
        let (tag, i) = if p.point == 0 { ("A", 0) } else { ("B", 1) };
        return format!("{tag} = {}", m.variant(i));
    }
    let params = m.params();
    if params.is_empty() {
        return "all runs".into();
    }
    if m.design.is_some() {
        return format!("design row {}", p.point);
    }
    params
        .iter()
        .map(|path| {
            format!(
                "{}={}",
                short_param(path),
                p.params.get(path).map_or("", String::as_str)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The last two segments of a parameter path: `non-responsive.ack_probability`.
pub fn short_param(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    parts[parts.len().saturating_sub(2)..].join(".")
}

/// Reads a study directory.
pub fn load(dir: &Path) -> Result<StudyData> {
    let manifest = Manifest::read(dir)?;
    let summary = crate::batch::summary::read(dir)?;
    let mut points: Vec<PointData> = summary
        .iter()
        .map(|p| PointData {
            point: p.point,
            label: point_label(&manifest, p),
            params: p.params.clone(),
            runs: p.runs,
            failed: p.failed,
            stats: p
                .metrics
                .iter()
                .map(|s| (s.metric.clone(), s.clone()))
                .collect(),
            latency: p.latency.clone(),
            peaks: [0; 10],
            index_bins: [0; INDEX_BINS],
        })
        .collect();
    let (lo, hi) = points
        .iter()
        .filter_map(|p| p.stat("index"))
        .filter_map(|s| Some((s.min?, s.max?)))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (l, h)| {
            (a.min(l), b.max(h))
        });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let width = (hi - lo) / INDEX_BINS as f64;
    let index_edges: Vec<f64> = (0..=INDEX_BINS).map(|i| lo + width * i as f64).collect();
    count_rows(&dir.join("runs.csv"), &mut points, lo, width)?;
    let file = dir.join("compare.json");
    let comparison = if file.is_file() {
        Some(crate::batch::contrasts::read(dir)?)
    } else {
        None
    };
    Ok(StudyData {
        manifest,
        points,
        index_edges,
        comparison,
    })
}

/// One streaming pass over the rows: peak level and index bin per run, per point.
fn count_rows(path: &Path, points: &mut [PointData], lo: f64, width: f64) -> Result<()> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let header = reader.headers()?.clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(point), Some(status)) = (col("point"), col("status")) else {
        anyhow::bail!("{} has no point or status column", path.display());
    };
    let (peak, index) = (col("peak"), col("index"));
    let slot: BTreeMap<u64, usize> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (p.point, i))
        .collect();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        if record.get(status) != Some("ok") {
            continue;
        }
        let Some(&i) = record
            .get(point)
            .and_then(|p| p.parse::<u64>().ok())
            .and_then(|p| slot.get(&p))
        else {
            continue;
        };
        let p = &mut points[i];
        if let Some(v) = peak
            .and_then(|c| record.get(c))
            .and_then(|v| v.parse::<u8>().ok())
        {
            p.peaks[(v as usize).min(9)] += 1;
        }
        if let Some(v) = index
            .and_then(|c| record.get(c))
            .and_then(|v| v.parse::<f64>().ok())
        {
            let b = (((v - lo) / width).floor().max(0.0) as usize).min(INDEX_BINS - 1);
            p.index_bins[b] += 1;
        }
    }
    Ok(())
}

/// A headline metric of a study.
pub struct Headline {
    /// Column of the rows.
    pub column: &'static str,
    pub label: &'static str,
    /// For chart axes.
    pub short: &'static str,
    /// The mean is a proportion (shown as a percentage, Wilson interval).
    pub proportion: bool,
}

const fn headline(
    column: &'static str,
    label: &'static str,
    short: &'static str,
    proportion: bool,
) -> Headline {
    Headline {
        column,
        label,
        short,
        proportion,
    }
}

/// The metrics every study report leads with.
pub const HEADLINE: [Headline; 7] = [
    headline(
        "peak_ge5",
        "P(peak ≥ 5): public attribution or worse",
        "P(peak ≥ 5)",
        true,
    ),
    headline(
        "misattributed",
        "P(misattribution)",
        "P(misattribution)",
        true,
    ),
    headline("peak", "peak escalation level", "peak level", false),
    headline("index", "escalation index", "escalation index", false),
    headline(
        "hours_ge5",
        "hours at or above level 5",
        "hours at level ≥ 5",
        false,
    ),
    headline(
        "service_hours_lost",
        "CI service-hours lost",
        "CI service-hours lost",
        false,
    ),
    headline(
        "expectations_failed",
        "expectations failed",
        "expectations failed",
        false,
    ),
];

fn step_of(key: &str) -> Option<Step> {
    serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
}

/// Plain words for a metric column of the rows, e.g. `lat:notify_to_acknowledge:km_median_h` →
/// "median notify → acknowledge (h, Kaplan–Meier)".
pub fn metric_label(metric: &str) -> String {
    if let Some(h) = HEADLINE.iter().find(|h| h.column == metric) {
        return h.label.to_string();
    }
    let parts: Vec<&str> = metric.split(':').collect();
    match parts.as_slice() {
        ["spirals"] => "escalation spirals".into(),
        ["misattributions"] => "misattributions".into(),
        ["attributions_correct"] => "correct attributions".into(),
        ["expectations_success"] => "expectations met".into(),
        ["peak", dyad] => format!("peak {}", dyad.replace('>', " → ")),
        ["lat", step, part] => {
            let s = step_of(step).map_or(step.to_string(), |s| s.label().to_string());
            match *part {
                "n" => format!("{s}: items"),
                "censored" => format!("{s}: never answered"),
                "answered" => format!("{s}: answered"),
                "at_risk_h" => format!("{s}: hours at risk"),
                "t50_h" => format!("{s}: half-answered time (h)"),
                "t50_event" => format!("P({s}: half answered)"),
                "km_median_h" => format!("median {s} (h, Kaplan–Meier)"),
                "km_p90_h" => format!("90th percentile {s} (h, Kaplan–Meier)"),
                other => format!("{s}: {other}"),
            }
        }
        ["ping", "rate"] => "ping reply rate".into(),
        ["ping", level, "rate"] => format!("ping reply rate, {level} PoCs"),
        ["norm", letter] => format!("norm {letter} adherence"),
        ["norm", state, letter] => format!("{state}: norm {letter} adherence"),
        [kind, obj] if kind.starts_with("rating") || *kind == "score" => {
            match (*kind, obj.split_once('=')) {
                ("rating", Some((o, r))) => format!("objective {o} rated {r}"),
                _ => format!("objective {obj} {kind}"),
            }
        }
        _ => metric.to_string(),
    }
}

/// Title of a norm letter.
pub fn norm_title(letter: &str) -> &'static str {
    letter
        .chars()
        .next()
        .and_then(Norm::from_letter)
        .map_or("", |n| n.title())
}

/// Name of a ladder level.
pub fn level_name(level: usize) -> &'static str {
    ladder::rung(level.min(9) as u8).name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_labels_read_as_words() {
        assert_eq!(
            metric_label("lat:notify_to_acknowledge:km_median_h"),
            "median notify → acknowledge (h, Kaplan–Meier)"
        );
        assert_eq!(
            metric_label("peak:aurelia>borealia"),
            "peak aurelia → borealia"
        );
        assert_eq!(metric_label("rating:o1=P"), "objective o1 rated P");
        assert_eq!(metric_label("norm:c"), "norm c adherence");
        assert_eq!(
            short_param("doctrines.non-responsive.ack_probability"),
            "non-responsive.ack_probability"
        );
    }
}
