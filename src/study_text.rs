//! What a study found, at the terminal: `ttx batch`, `compare` and `merge` end with the headline
//! estimates and their intervals at the study's `--level` — P(peak ≥ 5), P(misattribution), peak
//! level, escalation index, failed expectations, and each chain step's Kaplan–Meier median latency
//! with the share never answered — read back from the `summary.json` just written, so the screen
//! and the file never disagree. A comparison or a sweep adds its paired contrasts from
//! `compare.json`: each point's own mean over its own runs, the paired difference over the runs
//! both have, the latency medians, and the HSEEP ratings as distributions.
//! The rows are the study report's headline metrics (`report::HEADLINE`); a new summary figure is
//! a new row here.

use crate::batch::contrasts::{Comparison, Contrast, Paired, significant};
use crate::batch::manifest::Manifest;
use crate::batch::summary::{self, PointSummary, Stat, Survival};
use crate::batch::survival::KmQuantile;
use crate::report::markdown::{km, step_label};
use crate::report::study_report::{num, pct};
use crate::report::{HEADLINE, estimate, metric_label, point_label};
use crate::term::{Layout, Table, count};
use anyhow::Result;
use std::path::Path;

/// Paired differences listed before "… and N more in compare.csv".
const MAX_PAIRED: usize = 20;

fn stat<'a>(p: &'a PointSummary, metric: &str) -> Option<&'a Stat> {
    p.metrics.iter().find(|s| s.metric == metric && s.n > 0)
}

/// The latency steps any point measured, in the order they first appear.
fn steps(points: &[PointSummary]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in points.iter().flat_map(|p| &p.latency) {
        if !out.contains(&l.step) {
            out.push(l.step.clone());
        }
    }
    out
}

/// "16.6 [15.9, 17.4] (15%)": the Kaplan–Meier median, its interval and the share of items never
/// answered; NR where the curve never falls to one half.
fn latency(median: &KmQuantile, censored: Option<f64>) -> String {
    let m = if median.hours.is_none() && median.lo.is_none() {
        "NR".to_string()
    } else {
        km(median)
    };
    match censored {
        Some(c) => format!("{m} ({})", pct(c)),
        None => m,
    }
}

fn latency_cell(l: Option<&Survival>) -> String {
    l.map_or("–".into(), |l| latency(&l.median, l.censored_share))
}

/// The headline table of the study in `dir`: one column per grid point when they fit side by
/// side, else one table per point.
pub fn headline(dir: &Path, layout: &Layout) -> Result<String> {
    let manifest = Manifest::read(dir)?;
    let points = summary::read(dir)?;
    let runs: u64 = points.iter().map(|p| p.runs).sum();
    let failed: u64 = points.iter().map(|p| p.failed).sum();
    let mut out = layout.line(
        "",
        &format!(
            "FINDINGS · {} · {} · master seed {} (estimate and {} interval; latencies: Kaplan–Meier median in hours, NR = not reached, and the share never answered)",
            (0..manifest.scenarios.len())
                .map(|i| manifest.variant(i))
                .collect::<Vec<_>>()
                .join(" vs "),
            count(runs, "run", "runs"),
            manifest.master_seed,
            manifest.level.percent()
        ),
        2,
    );
    if failed > 0 {
        out.push_str(&layout.para(
            2,
            &format!(
                "{} failed; runs.csv says why, and `ttx run --seed SEED` replays one",
                count(failed, "run", "runs")
            ),
        ));
    }
    let steps = steps(&points);
    let table = |ps: &[&PointSummary]| {
        let heads: Vec<String> = ps.iter().map(|p| point_label(&manifest, p)).collect();
        let cols: Vec<(&str, bool)> = heads.iter().map(|h| (h.as_str(), false)).collect();
        let key = if ps.len() == 1 {
            "metric"
        } else {
            "metric / point"
        };
        let mut t = Table::new(2, key, &cols);
        for h in HEADLINE {
            let cells = ps
                .iter()
                .map(|p| estimate(stat(p, h.column), h.proportion))
                .collect();
            t.row(metric_label(h.column), cells);
        }
        for s in &steps {
            let cells = ps
                .iter()
                .map(|p| latency_cell(p.latency.iter().find(|l| &l.step == s)))
                .collect();
            t.row(step_label(s), cells);
        }
        t
    };
    let all: Vec<&PointSummary> = points.iter().collect();
    let side_by_side = table(&all);
    if all.len() == 1 || layout.wide || side_by_side.fits(layout) {
        out.push_str(&side_by_side.render(layout));
    } else {
        for (i, p) in all.into_iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&table(&[p]).render(layout));
        }
    }
    Ok(out)
}

/// "0.25 (100)": a variant's own mean over its own runs, and how many runs had the metric.
fn own(mean: Option<f64>, n: u64) -> String {
    format!("{} ({n})", mean.map_or("–".into(), num))
}

/// One contrast of a comparison or a sweep: the metrics that differ, those whose interval
/// excludes 0 first, each with both points' own means (and counts) beside the paired difference
/// (and its count of pairs); then the Kaplan–Meier latency medians; then the HSEEP ratings as
/// distributions. Every column says which runs it is over.
pub fn contrast(k: &Contrast, c: &Comparison, layout: &Layout) -> String {
    let level = crate::batch::estimators::Level(c.level).percent();
    let seeds = k.metrics.iter().map(|m| m.pairs).max().unwrap_or(0);
    let (a, b) = (
        k.a_label.trim_start_matches("A: "),
        k.b_label.trim_start_matches("B: "),
    );
    let mut out = layout.line(
        "",
        &format!(
            "PAIRED DIFFERENCES · {} · A = {a}, B = {b} (difference B − A, {level} interval; * excludes 0)",
            count(seeds, "seed", "seeds")
        ),
        2,
    );
    out.push_str(&layout.para(
        2,
        "own A, own B: each side's mean over its own runs (runs with the metric); B − A: the mean paired difference over the runs both have (pairs)",
    ));
    let mut differing: Vec<&Paired> = k
        .metrics
        .iter()
        .filter(|m| m.mean_diff != 0.0 || m.sd_diff.is_some_and(|s| s > 0.0))
        .collect();
    differing.sort_by_key(|m| !significant(m));
    let ci_head = format!("{level} CI");
    let mut t = Table::new(
        2,
        "metric",
        &[
            ("own A (n)", true),
            ("own B (n)", true),
            ("pairs", true),
            ("B − A", true),
            (&ci_head, false),
        ],
    );
    for m in differing.iter().take(MAX_PAIRED) {
        let ci = m.ci.map_or("–".into(), |(lo, hi)| {
            format!("[{}, {}]", num(lo), num(hi))
        });
        let mark = if significant(m) { " *" } else { "" };
        t.row(
            metric_label(&m.metric),
            vec![
                own(m.own_mean_a, m.n_a),
                own(m.own_mean_b, m.n_b),
                m.pairs.to_string(),
                num(m.mean_diff),
                format!("{ci}{mark}"),
            ],
        );
    }
    out.push_str(&t.render(layout));
    if differing.len() > MAX_PAIRED {
        let more = differing.len() - MAX_PAIRED;
        out.push_str(&layout.para(2, &format!("… and {more} more in compare.csv")));
    }
    let same = k.metrics.len() - differing.len();
    out.push_str(&layout.para(
        2,
        &format!(
            "{} identical in every pair",
            count(same as u64, "metric", "metrics")
        ),
    ));
    if !k.latency.is_empty() {
        let mut t = Table::new(
            2,
            "Kaplan–Meier median, h (never answered)",
            &[("A", false), ("B", false), ("B − A", false)],
        );
        for l in &k.latency {
            let diff = match (l.median_diff, l.median_ci) {
                (Some(d), (Some(lo), Some(hi))) => format!("{} [{}, {}]", num(d), num(lo), num(hi)),
                (Some(d), _) => num(d),
                (None, _) => "NR".into(),
            };
            t.row(
                step_label(&l.step),
                vec![
                    latency(&l.median_a, l.censored_share_a),
                    latency(&l.median_b, l.censored_share_b),
                    diff,
                ],
            );
        }
        out.push_str(&t.render(layout));
    }
    if !k.ratings.is_empty() {
        let mut t = Table::new(
            2,
            "HSEEP rating, share of pairs",
            &[
                ("A: P / S / M / U", false),
                ("B: P / S / M / U", false),
                ("B better / same / worse", false),
            ],
        );
        for r in &k.ratings {
            let shares = |f: fn(&crate::batch::contrasts::RatingShare) -> f64| {
                ["P", "S", "M", "U"]
                    .iter()
                    .map(|g| {
                        r.ratings
                            .iter()
                            .find(|s| s.rating == *g)
                            .map_or("0%".into(), |s| pct(f(s)))
                    })
                    .collect::<Vec<_>>()
                    .join(" / ")
            };
            t.row(
                r.objective.clone(),
                vec![
                    shares(|s| s.share_a),
                    shares(|s| s.share_b),
                    format!("{} / {} / {}", r.better, r.same, r.worse),
                ],
            );
        }
        out.push_str(&t.render(layout));
    }
    out
}
