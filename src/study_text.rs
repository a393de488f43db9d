//! What a study found, at the terminal: `ttx batch`, `compare` and `merge` end with the headline
//! estimates and their 95% intervals — P(peak ≥ 5), P(misattribution), peak level, escalation
//! index, failed expectations, median latencies — read back from the `summary.json` just written,
//! so the screen and the file never disagree; a comparison adds the paired differences B − A.
//! The rows are the study report's headline metrics (`report::HEADLINE`) and every latency
//! step any point measured; a new summary figure is a new row here.

use crate::batch::manifest::Manifest;
use crate::batch::paired::Paired;
use crate::batch::summary::{self, PointSummary, Stat};
use crate::report::{HEADLINE, estimate, metric_label, point_label};
use crate::term::{Layout, Table, count};
use anyhow::Result;
use std::path::Path;
use ttx_scoring::latency::Step;

/// Paired differences listed before "… and N more in compare.csv".
const MAX_PAIRED: usize = 20;

/// The metric rows: headline metrics, then the per-run median of each latency step measured.
fn rows(points: &[PointSummary]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = HEADLINE
        .iter()
        .map(|h| (h.column.to_string(), h.proportion))
        .collect();
    for step in Step::ALL {
        let key = serde_json::to_value(step)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let column = format!("lat:{key}:p50_h");
        if points.iter().any(|p| stat(p, &column).is_some()) {
            out.push((column, false));
        }
    }
    out
}

fn stat<'a>(p: &'a PointSummary, metric: &str) -> Option<&'a Stat> {
    p.metrics.iter().find(|s| s.metric == metric && s.n > 0)
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
            "FINDINGS · {} · {} · master seed {} (mean and 95% interval; per-run medians for latencies)",
            (0..manifest.scenarios.len())
                .map(|i| manifest.variant(i))
                .collect::<Vec<_>>()
                .join(" vs "),
            count(runs, "run", "runs"),
            manifest.master_seed
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
    let metrics = rows(&points);
    let table = |ps: &[&PointSummary]| {
        let heads: Vec<String> = ps.iter().map(|p| point_label(&manifest, p)).collect();
        let cols: Vec<(&str, bool)> = heads.iter().map(|h| (h.as_str(), false)).collect();
        let key = if ps.len() == 1 {
            "metric"
        } else {
            "metric / point"
        };
        let mut t = Table::new(2, key, &cols);
        for (m, proportion) in &metrics {
            let cells = ps
                .iter()
                .map(|p| estimate(stat(p, m), *proportion))
                .collect();
            t.row(metric_label(m), cells);
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

/// The paired differences of a comparison, those whose interval excludes 0 first.
pub fn paired(p: &[Paired], a: &str, b: &str, runs: u64, layout: &Layout) -> String {
    let mut out = layout.line(
        "",
        &format!(
            "PAIRED DIFFERENCES · {} · A = {a}, B = {b} (difference B − A, 95% interval; * excludes 0)",
            count(runs, "seed", "seeds")
        ),
        2,
    );
    let significant = |m: &Paired| m.ci95.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0);
    let mut differing: Vec<&Paired> = p
        .iter()
        .filter(|m| m.mean_diff != 0.0 || m.sd_diff.is_some_and(|s| s > 0.0))
        .collect();
    differing.sort_by_key(|m| !significant(m));
    let mut t = Table::new(
        2,
        "metric",
        &[
            ("mean A", true),
            ("mean B", true),
            ("B − A", true),
            ("95% CI", false),
        ],
    );
    for m in differing.iter().take(MAX_PAIRED) {
        let ci = m
            .ci95
            .map_or("–".into(), |(lo, hi)| format!("[{lo}, {hi}]"));
        let mark = if significant(m) { " *" } else { "" };
        t.row(
            metric_label(&m.metric),
            vec![
                m.mean_a.to_string(),
                m.mean_b.to_string(),
                m.mean_diff.to_string(),
                format!("{ci}{mark}"),
            ],
        );
    }
    out.push_str(&t.render(layout));
    if differing.len() > MAX_PAIRED {
        let more = differing.len() - MAX_PAIRED;
        out.push_str(&layout.para(2, &format!("… and {more} more in compare.csv")));
    }
    let same = p.len() - differing.len();
    out.push_str(&layout.para(
        2,
        &format!(
            "{} identical in every pair",
            count(same as u64, "metric", "metrics")
        ),
    ));
    out
}
