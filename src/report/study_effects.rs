//! How a study's metrics move: for a sweep, each headline metric against the swept parameter with
//! its 95% confidence band; for a paired comparison, the differences B − A with their intervals,
//! significant ones first and marked, standardised in the chart so that metrics in different
//! units share one axis.

use super::charts::{self, BandLine, Interval};
use super::html::{Section, esc, figure, p, table};
use super::study_data::{self, HEADLINE, StudyData, metric_label};
use super::study_report::{num, pct};
use crate::batch::contrasts::{Paired, significant};

/// Paired differences listed and drawn.
const MAX_PAIRED_ROWS: usize = 40;
const MAX_PAIRED_BARS: usize = 25;

/// Whether a sweep value list is numeric (then drawn to scale).
fn numeric(values: &[String]) -> Option<Vec<f64>> {
    values.iter().map(|v| v.parse::<f64>().ok()).collect()
}

pub fn sweep(d: &StudyData) -> Option<Section> {
    let m = &d.manifest;
    let first = m.sweeps.first()?;
    if d.points.len() < 2 {
        return None;
    }
    let xs = numeric(&first.values)
        .unwrap_or_else(|| (0..first.values.len()).map(|i| i as f64).collect());
    let ticks: Vec<(f64, String)> = xs
        .iter()
        .copied()
        .zip(first.values.iter().cloned())
        .collect();
    let others = &m.sweeps[1..];
    let mut body = p(&format!(
        "Each headline metric against {}: the line joins the estimates, the band is the 95% confidence interval{}.",
        first.path,
        if others.is_empty() {
            String::new()
        } else {
            "; one line per combination of the other swept values".into()
        }
    ));
    body.push_str("<div class=\"panels\">\n");
    for h in &HEADLINE {
        let (col, label, prop) = (h.column, h.short, h.proportion);
        let mut lines: Vec<BandLine> = Vec::new();
        for pt in &d.points {
            let Some(xi) = pt
                .params
                .get(&first.path)
                .and_then(|v| first.values.iter().position(|x| x == v))
            else {
                continue;
            };
            let Some(s) = pt.stat(col) else { continue };
            let Some(mean) = s.mean else { continue };
            let (lo, hi) = s.ci.unwrap_or((mean, mean));
            let key: Vec<String> = others
                .iter()
                .map(|o| {
                    format!(
                        "{}={}",
                        study_data::short_param(&o.path),
                        pt.params.get(&o.path).map_or("", String::as_str)
                    )
                })
                .collect();
            let key = if key.is_empty() {
                label.to_string()
            } else {
                key.join(", ")
            };
            let line = match lines.iter_mut().find(|l| l.label == key) {
                Some(l) => l,
                None => {
                    lines.push(BandLine {
                        label: key,
                        points: Vec::new(),
                    });
                    lines.last_mut().expect("just pushed")
                }
            };
            line.points.push((xs[xi], mean, lo, hi));
        }
        if lines.is_empty() {
            continue;
        }
        lines.truncate(charts::PALETTE.len());
        for l in &mut lines {
            l.points.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        let words: Vec<String> = lines[0]
            .points
            .iter()
            .map(|(x, mean, lo, hi)| {
                let xl = ticks
                    .iter()
                    .find(|t| t.0 == *x)
                    .map_or(String::new(), |t| t.1.clone());
                let f = |v: f64| if prop { pct(v) } else { num(v) };
                format!("{xl}: {} [{}, {}]", f(*mean), f(*lo), f(*hi))
            })
            .collect();
        body.push_str(&figure(
            &charts::sweep(
                &lines,
                &ticks,
                &study_data::short_param(&first.path),
                label,
                prop,
            ),
            &format!("{label} against {}: {}.", first.path, words.join("; ")),
            &format!("{label} against {}.", study_data::short_param(&first.path)),
            "",
        ));
    }
    body.push_str("</div>\n");
    Some(Section {
        id: "sweep",
        title: "Sweep".into(),
        body,
    })
}

/// A sweep's paired differences: each point against the first, headline metrics only
/// (compare.csv has every metric).
fn sweep_pairs(d: &StudyData) -> Option<Section> {
    let c = d.comparison.as_ref()?;
    let lvl = d.level().percent();
    let mut rows = Vec::new();
    for k in &c.contrasts {
        for h in &HEADLINE {
            let Some(m) = k.metrics.iter().find(|m| m.metric == h.column) else {
                continue;
            };
            let f = |v: f64| if h.proportion { pct(v) } else { num(v) };
            rows.push(vec![
                esc(&k.b_label),
                esc(h.short),
                m.pairs.to_string(),
                f(m.mean_a),
                f(m.mean_b),
                format!(
                    "{}{}",
                    if significant(m) { "✱ " } else { "" },
                    f(m.mean_diff)
                ),
                m.ci.map_or("–".into(), |(lo, hi)| format!("[{}, {}]", f(lo), f(hi))),
            ]);
        }
    }
    if rows.is_empty() {
        return None;
    }
    let mut body = p(&format!(
        "Every grid point runs the same seeds, so each point is compared with the first ({}) pair by pair: the means over the pairs and the mean paired difference with its {lvl} interval (Newcombe's for proportions, paired t otherwise); ✱ marks an interval that excludes 0. compare.csv lists every metric, each point's own means over its own runs, and the Kaplan–Meier latency differences.",
        esc(&c.contrasts[0].a_label)
    ));
    body.push_str(&table(
        "data",
        &[
            "point",
            "metric",
            "pairs",
            "first point",
            "this point",
            "difference",
            "CI",
        ],
        &[2, 3, 4, 5, 6],
        &rows,
    ));
    Some(Section {
        id: "paired",
        title: "Paired differences against the first point".into(),
        body,
    })
}

pub fn paired(d: &StudyData) -> Option<Section> {
    if !d.is_compare() {
        return sweep_pairs(d);
    }
    let k = d.comparison.as_ref()?.contrasts.first()?;
    let paired = &k.metrics;
    let lvl = d.level().percent();
    let mut differing: Vec<&Paired> = paired
        .iter()
        .filter(|m| m.mean_diff != 0.0 || m.sd_diff.is_some_and(|s| s > 0.0))
        .collect();
    let effect = |m: &Paired| match m.sd_diff {
        Some(s) if s > 0.0 => (m.mean_diff / s).abs(),
        _ if m.mean_diff != 0.0 => f64::INFINITY,
        _ => 0.0,
    };
    // Significant first; within that, the headline metrics in their usual order, then the
    // largest standardised effect.
    let headline = |m: &Paired| {
        HEADLINE
            .iter()
            .position(|h| h.column == m.metric)
            .unwrap_or(HEADLINE.len())
    };
    differing.sort_by(|a, b| {
        significant(b)
            .cmp(&significant(a))
            .then(headline(a).cmp(&headline(b)))
            .then(effect(b).total_cmp(&effect(a)))
            .then(a.metric.cmp(&b.metric))
    });
    let names = &d.manifest.scenarios;
    let name = |i: usize| names.get(i).map_or("", |s| s.0.as_str());
    let mut body = p(&format!(
        "Run i of A and run i of B share their seed, so they share the random numbers of every actor they have in common (common random numbers): each difference is B − A within a pair, averaged over the pairs where both runs have the metric, with a {lvl} interval (Newcombe's for proportions, paired t otherwise). Own A and own B are each variant's mean over its own runs (n), which may differ from the pairs when a metric does not apply in every run. A = {}; B = {}. ✱ marks the differences whose interval excludes 0. {} metrics are identical in every pair.",
        name(0),
        name(1),
        paired.len() - differing.len()
    ));
    if name(0) != name(1) {
        body.push_str(&p(
            "A and B are different scenarios: a column they share by name (an objective's score, a dyad's peak, a state's norm) may measure different things in each, so read those rows against both scenario files.",
        ));
    }
    let bars: Vec<Interval> = differing
        .iter()
        .filter(|m| m.sd_diff.is_some_and(|s| s > 0.0))
        .take(MAX_PAIRED_BARS)
        .map(|m| {
            let s = m.sd_diff.unwrap_or(1.0);
            Interval {
                label: format!(
                    "{}{}",
                    if significant(m) { "✱ " } else { "" },
                    metric_label(&m.metric)
                ),
                value: m.mean_diff / s,
                lo: m.ci.map(|c| c.0 / s),
                hi: m.ci.map(|c| c.1 / s),
                strong: significant(m),
            }
        })
        .collect();
    if !bars.is_empty() {
        let lim = bars
            .iter()
            .flat_map(|b| [b.value, b.lo.unwrap_or(0.0), b.hi.unwrap_or(0.0)])
            .fold(0.5f64, |a, v| a.max(v.abs()));
        body.push_str(&figure(
            &charts::intervals(&bars, (-lim, lim), &format!("standardised paired difference B − A (mean ÷ SD of the differences), {lvl} CI"), Some(0.0)),
            &format!("Standardised paired differences for {} metrics; the table below gives them in their own units.", bars.len()),
            &format!("Paired differences B − A, standardised so that metrics in different units share one axis; filled dots: the {lvl} interval excludes 0."),
            "",
        ));
    }
    let rows: Vec<Vec<String>> = differing
        .iter()
        .take(MAX_PAIRED_ROWS)
        .map(|m| {
            vec![
                format!(
                    "{}{}",
                    if significant(m) { "✱ " } else { "" },
                    esc(&metric_label(&m.metric))
                ),
                format!("<code>{}</code>", esc(&m.metric)),
                format!("{} ({})", m.own_mean_a.map_or("–".into(), num), m.n_a),
                format!("{} ({})", m.own_mean_b.map_or("–".into(), num), m.n_b),
                m.pairs.to_string(),
                num(m.mean_diff),
                m.ci.map_or("–".into(), |(lo, hi)| {
                    format!("[{}, {}]", num(lo), num(hi))
                }),
            ]
        })
        .collect();
    if rows.is_empty() {
        body.push_str(&p(
            "A and B gave the same value of every metric in every pair.",
        ));
    } else {
        body.push_str(&table(
            "data",
            &[
                "metric",
                "column",
                "own A (n)",
                "own B (n)",
                "pairs",
                "B − A",
                "CI",
            ],
            &[2, 3, 4, 5, 6],
            &rows,
        ));
        if differing.len() > MAX_PAIRED_ROWS {
            body.push_str(&p(&format!(
                "… and {} more in compare.csv.",
                differing.len() - MAX_PAIRED_ROWS
            )));
        }
    }
    let lat: Vec<Vec<String>> = k
        .latency
        .iter()
        .map(|l| {
            let f = |v: Option<f64>| v.map_or("–".into(), num);
            vec![
                esc(&super::markdown::step_label(&l.step)),
                esc(&super::markdown::km(&l.median_a)),
                esc(&super::markdown::km(&l.median_b)),
                f(l.median_diff),
                format!("[{}, {}]", f(l.median_ci.0), f(l.median_ci.1)),
                format!(
                    "{} / {}",
                    l.censored_share_a.map_or("–".into(), pct),
                    l.censored_share_b.map_or("–".into(), pct)
                ),
            ]
        })
        .collect();
    if !lat.is_empty() {
        body.push_str(&p(&format!(
            "Latency, censoring-aware: the Kaplan–Meier median of each variant's half-answered times (NR: the curve never falls to one half, so no median can be given), their difference B − A, and its {lvl} interval combining both curves' intervals with the pairs' correlation. Runs whose answer never came count as waiting, never as answered."
        )));
        body.push_str(&table(
            "data",
            &[
                "chain step",
                "median A (h)",
                "median B (h)",
                "B − A",
                "CI",
                "never answered A / B",
            ],
            &[1, 2, 3, 4, 5],
            &lat,
        ));
    }
    let mut rating_rows = Vec::new();
    for r in &k.ratings {
        for sh in &r.ratings {
            if sh.share_a == 0.0 && sh.share_b == 0.0 {
                continue;
            }
            rating_rows.push(vec![
                esc(&r.objective),
                sh.rating.clone(),
                pct(sh.share_a),
                pct(sh.share_b),
                pct(sh.diff),
                format!("[{}, {}]", pct(sh.ci.0), pct(sh.ci.1)),
                format!("{} better · {} same · {} worse", r.better, r.same, r.worse),
            ]);
        }
    }
    if !rating_rows.is_empty() {
        body.push_str(&p(&format!(
            "HSEEP ratings compared as distributions: the share of pairs rated P, S, M or U under each variant, the difference with its {lvl} Newcombe interval, and how many pairs B rated better, the same or worse than A."
        )));
        body.push_str(&table(
            "data",
            &["objective", "rating", "A", "B", "B − A", "CI", "pairs"],
            &[2, 3, 4, 5],
            &rating_rows,
        ));
    }
    Some(Section {
        id: "paired",
        title: "Paired differences".into(),
        body,
    })
}
