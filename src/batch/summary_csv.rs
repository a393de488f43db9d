//! `summary.csv`: the summary of `summary.json` as one flat row per point and metric, for
//! spreadsheets, pandas and R (and SALib's analysers, for a design's points in design order).

use super::summary::Summary;
use super::table::{Cell, csv_line};

/// A latency row of summary.csv: part, estimator, estimate, interval, proportion.
type KmRow<'a> = (
    &'a str,
    &'a str,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    bool,
);

const CSV_HEAD: [&str; 20] = [
    "metric",
    "estimator",
    "n",
    "na",
    "estimate",
    "sd",
    "ci_low",
    "ci_high",
    "min",
    "p5",
    "p5_ci_low",
    "p5_ci_high",
    "p50",
    "p50_ci_low",
    "p50_ci_high",
    "p95",
    "p95_ci_low",
    "p95_ci_high",
    "max",
    "proportion",
];

/// `summary.csv`: one row per point and metric; each latency step adds its Kaplan–Meier median and
/// 90th percentile (`lat:STEP:km_median_h`, `lat:STEP:km_p90_h`, estimator `kaplan_meier`, empty
/// when not reached) and its pooled censored share (`lat:STEP:censored_share`).
pub fn to_csv(s: &Summary, params: &[String]) -> String {
    let mut head: Vec<String> = vec!["point".into()];
    head.extend(params.iter().cloned());
    head.extend(CSV_HEAD.map(String::from));
    let mut out = super::table::header_line(&head);
    for p in &s.points {
        let lead = || {
            let mut cells = vec![Cell::Int(p.point as i64)];
            cells.extend(
                params
                    .iter()
                    .map(|k| Cell::Text(p.params.get(k).cloned().unwrap_or_default())),
            );
            cells
        };
        for m in &p.metrics {
            let mut cells = lead();
            let est = serde_json::to_value(m.estimator)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            cells.push(Cell::Text(m.metric.clone()));
            cells.push(Cell::Text(est));
            cells.push(Cell::UInt(m.n));
            cells.push(Cell::UInt(m.na));
            for v in [
                m.mean,
                m.sd,
                m.ci.map(|c| c.0),
                m.ci.map(|c| c.1),
                m.min,
                m.p5,
                m.p5_ci.0,
                m.p5_ci.1,
                m.p50,
                m.p50_ci.0,
                m.p50_ci.1,
                m.p95,
                m.p95_ci.0,
                m.p95_ci.1,
                m.max,
            ] {
                cells.push(Cell::num(v));
            }
            cells.push(Cell::Int(m.proportion as i64));
            out.push_str(&csv_line(&cells));
        }
        for l in &p.latency {
            let rows: [KmRow; 3] = [
                (
                    "km_median_h",
                    "kaplan_meier",
                    l.median.hours,
                    l.median.lo,
                    l.median.hi,
                    false,
                ),
                (
                    "km_p90_h",
                    "kaplan_meier",
                    l.p90.hours,
                    l.p90.lo,
                    l.p90.hi,
                    false,
                ),
                (
                    "censored_share",
                    "ratio",
                    l.censored_share,
                    l.censored_share_ci.map(|c| c.0),
                    l.censored_share_ci.map(|c| c.1),
                    true,
                ),
            ];
            for (part, est, v, lo, hi, prop) in rows {
                let mut cells = lead();
                cells.push(Cell::Text(format!("lat:{}:{part}", l.step)));
                cells.push(Cell::Text(est.into()));
                cells.push(Cell::UInt(l.runs));
                cells.push(Cell::Int(0));
                cells.extend([Cell::num(v), Cell::Empty, Cell::num(lo), Cell::num(hi)]);
                cells.extend((0..11).map(|_| Cell::Empty));
                cells.push(Cell::Int(prop as i64));
                out.push_str(&csv_line(&cells));
            }
        }
    }
    out
}
