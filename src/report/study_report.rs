//! The report of a Monte Carlo study (`ttx batch`, `ttx merge`) or a paired comparison
//! (`ttx compare`): how likely the crisis is to reach public attribution or a misattribution,
//! how escalation and response times are distributed, how often each norm held — every estimate
//! with its 95% confidence interval — and, for sweeps, each headline metric against the swept
//! parameter; for comparisons, the paired differences, largest evidence first.

use super::charts::{self, Bars, Interval};
use super::html::{self, Section, esc, figure, p, table};
use super::study_data::{HEADLINE, INDEX_BINS, PointData, StudyData, level_name, norm_title};
use super::study_effects;
use crate::batch::summary::Stat;
use std::fmt::Write;
use ttx_scenario::Norm;

/// Grid points drawn one panel each; beyond, tables and sweep charts carry the study.
const MAX_PANELS: usize = 6;

/// A number with at most three significant decimals, trailing zeros dropped.
pub fn num(x: f64) -> String {
    let a = x.abs();
    let s = if a >= 100.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A proportion as a percentage with one decimal, trailing zero dropped: 12.5%, 40%.
pub fn pct(x: f64) -> String {
    let s = format!("{:.1}", x * 100.0);
    format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
}

/// "12.5% [8.1%, 18.7%]" for proportions, "2.14 [2.01, 2.27]" otherwise; "–" when absent.
pub fn estimate(s: Option<&Stat>, proportion: bool) -> String {
    let Some(s) = s else { return "–".into() };
    let Some(m) = s.mean else { return "–".into() };
    let f = |v: f64| if proportion { pct(v) } else { num(v) };
    // A mean of per-run rates has a t interval that can poke past 0 or 100 %: clip it.
    let ci = s.ci.map(|(lo, hi)| {
        if proportion {
            (lo.max(0.0), hi.min(1.0))
        } else {
            (lo, hi)
        }
    });
    match ci {
        Some((lo, hi)) => format!("{} [{}, {}]", f(m), f(lo), f(hi)),
        None => f(m),
    }
}

fn header(d: &StudyData) -> String {
    let m = &d.manifest;
    let compare = d.is_compare();
    let kicker = if compare {
        "After-action report · paired comparison"
    } else {
        "After-action report · Monte Carlo study"
    };
    let names: Vec<String> = m
        .scenarios
        .iter()
        .map(|(n, h)| format!("<code>{}</code> ({})", esc(n), esc(h)))
        .collect();
    let title = if compare {
        format!("{} versus {}", m.variant(0), m.variant(1))
    } else {
        m.scenarios.first().map_or(String::new(), |s| s.0.clone())
    };
    let mut cmd = if compare {
        format!(
            "ttx compare {} {} --runs {} --seed {}",
            m.variant(0),
            m.variant(1),
            m.runs,
            m.master_seed
        )
    } else {
        format!(
            "ttx batch {} --runs {} --seed {}",
            m.scenarios.first().map_or("", |s| s.0.as_str()),
            m.runs,
            m.master_seed
        )
    };
    for s in &m.sets {
        let _ = write!(cmd, " --set {s}");
    }
    for s in &m.sweeps {
        let _ = write!(cmd, " --sweep {}={}", s.path, s.values.join(","));
    }
    let total: u64 = d.points.iter().map(|p| p.runs).sum();
    let failed: u64 = d.points.iter().map(|p| p.failed).sum();
    let mut facts = vec![
        (
            if compare { "variants" } else { "scenario" },
            names.join("<br>"),
        ),
        ("runs per point", m.runs.to_string()),
        ("grid points", d.points.len().to_string()),
        (
            "runs in these files",
            format!(
                "{total}{}",
                if failed > 0 {
                    format!(" ({failed} failed)")
                } else {
                    String::new()
                }
            ),
        ),
        ("master seed", m.master_seed.to_string()),
        ("ttx version", esc(&m.ttx_version)),
    ];
    if !m.sets.is_empty() {
        facts.push((
            "overrides",
            format!("<code>{}</code>", esc(&m.sets.join(" "))),
        ));
    }
    for s in &m.sweeps {
        facts.push((
            "swept",
            format!(
                "<code>{}</code> = {}",
                esc(&s.path),
                esc(&s.values.join(", "))
            ),
        ));
    }
    if let Some(sh) = m.shard {
        facts.push((
            "shard",
            format!(
                "{} of {} (merge the shards with <code>ttx merge</code>)",
                sh.k, sh.n
            ),
        ));
    }
    facts.push(("reproduce", format!("<code>{} --out DIR</code>", esc(&cmd))));
    format!(
        "<header class=\"report\">\n<div class=\"kicker\">{kicker}</div>\n<h1>{}</h1>\n{}</header>\n",
        esc(&title),
        html::facts(&facts)
    )
}

/// Points shown as columns side by side; a study with more (a design) gets one row per point.
const MAX_COLUMNS: usize = 8;

fn headline_section(d: &StudyData) -> Section {
    let mut body = p(&format!(
        "Each figure is a mean over the runs with its {} confidence interval: Wilson intervals for proportions (at the effective sample size for per-run rates), Student's t for means. P(peak ≥ 5) is the share of runs in which some state publicly attributed the incident or went further; P(misattribution) the share in which a state publicly blamed one that did not direct it.",
        d.level().percent()
    ));
    if d.points.len() > MAX_COLUMNS {
        // One row per point, one column per headline metric.
        let mut head = vec!["point"];
        head.extend(HEADLINE.iter().map(|h| h.short));
        let rows: Vec<Vec<String>> = d
            .points
            .iter()
            .map(|p| {
                let mut row = vec![esc(&p.label)];
                row.extend(
                    HEADLINE
                        .iter()
                        .map(|h| esc(&estimate(p.stat(h.column), h.proportion))),
                );
                row
            })
            .collect();
        let num_cols: Vec<usize> = (1..head.len()).collect();
        body.push_str(&table("data", &head, &num_cols, &rows));
    } else {
        let mut head = vec!["metric"];
        let labels: Vec<String> = d.points.iter().map(|p| p.label.clone()).collect();
        head.extend(labels.iter().map(String::as_str));
        let rows: Vec<Vec<String>> = HEADLINE
            .iter()
            .map(|h| {
                let mut row = vec![esc(h.label)];
                row.extend(
                    d.points
                        .iter()
                        .map(|p| esc(&estimate(p.stat(h.column), h.proportion))),
                );
                row
            })
            .collect();
        let num_cols: Vec<usize> = (1..head.len()).collect();
        body.push_str(&table("data", &head, &num_cols, &rows));
    }
    Section {
        id: "headline",
        title: "Headline estimates".into(),
        body,
    }
}

fn panels(d: &StudyData) -> impl Iterator<Item = &PointData> {
    d.points.iter().take(MAX_PANELS)
}

fn distributions_section(d: &StudyData) -> Section {
    let mut body = String::new();
    if d.points.len() > MAX_PANELS {
        body.push_str(&p(&format!(
            "Distributions are drawn for the first {MAX_PANELS} of {} grid points; the tables above and the sweep charts cover all of them.",
            d.points.len()
        )));
    }
    for pt in panels(d) {
        let total: u64 = pt.peaks.iter().sum();
        if total == 0 {
            continue;
        }
        let cats: Vec<String> = (0..10).map(|l| l.to_string()).collect();
        let values: Vec<f64> = pt.peaks.iter().map(|&c| c as f64).collect();
        let labels: Vec<String> = pt
            .peaks
            .iter()
            .map(|&c| {
                if c == 0 {
                    String::new()
                } else {
                    pct(c as f64 / total as f64)
                }
            })
            .collect();
        let emph: Vec<bool> = (0..10).map(|l| l >= 5).collect();
        let words: Vec<String> = pt
            .peaks
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(l, c)| format!("level {l} ({}): {c} runs", level_name(l)))
            .collect();
        let _ = writeln!(body, "<h3>{}</h3>", esc(&pt.label));
        body.push_str(&figure(
            &charts::bars(&Bars {
                categories: &cats,
                values: &values,
                labels: &labels,
                emphasise: &emph,
                x_desc: "peak ladder level (5 = public attribution)",
                y_desc: "runs",
            }),
            &format!("Peak escalation level over {total} runs: {}.", words.join("; ")),
            "Peak escalation level per run; bars at level 5 and above (public attribution or worse) are drawn in red.",
            &p(&words.join(" · ")),
        ));
        let ibins: Vec<f64> = pt.index_bins.iter().map(|&c| c as f64).collect();
        if ibins.iter().sum::<f64>() > 0.0 {
            let cats: Vec<String> = (0..INDEX_BINS)
                .map(|i| num((d.index_edges[i] + d.index_edges[i + 1]) / 2.0))
                .collect();
            let labels: Vec<String> = pt
                .index_bins
                .iter()
                .map(|&c| if c == 0 { String::new() } else { c.to_string() })
                .collect();
            let st = pt.stat("index");
            let words = format!(
                "escalation index: mean {}, median {}, 5th–95th percentile {} to {}, range {} to {}",
                estimate(st, false),
                st.and_then(|s| s.p50).map_or("–".into(), num),
                st.and_then(|s| s.p5).map_or("–".into(), num),
                st.and_then(|s| s.p95).map_or("–".into(), num),
                st.and_then(|s| s.min).map_or("–".into(), num),
                st.and_then(|s| s.max).map_or("–".into(), num),
            );
            body.push_str(&figure(
                &charts::bars(&Bars {
                    categories: &cats,
                    values: &ibins,
                    labels: &labels,
                    emphasise: &[],
                    x_desc: "escalation index (bin centre)",
                    y_desc: "runs",
                }),
                &format!("Distribution of the escalation index: {words}."),
                "Escalation index per run (daily ladder weight per state, averaged over days; below 0 means cooperation outweighed escalation).",
                &p(&words),
            ));
        }
    }
    Section {
        id: "distributions",
        title: "Escalation distributions".into(),
        body,
    }
}

fn latency_section(d: &StudyData) -> Section {
    let lvl = d.level().percent();
    let mut body = p(&format!(
        "Response time per chain step, censoring-aware: each run gives the time by which half of its items of that step were answered, or — if they never were — the time it was still waiting when the exercise ended. The Kaplan–Meier curve over runs gives the median and 90th percentile with {lvl} intervals (Brookmeyer–Crowley); NR (not reached) means too few runs ever got their answer for the curve to fall that far, and no number is given. The share of items never answered stands beside each figure."
    ));
    // Per point: its label and one (step, curve) line per chain step.
    type Curves = Vec<(String, Vec<(f64, f64)>)>;
    let mut curves: Vec<(String, Curves)> = Vec::new();
    for pt in panels(d) {
        if pt.latency.is_empty() {
            continue;
        }
        let rows: Vec<Vec<String>> = pt
            .latency
            .iter()
            .map(|l| {
                vec![
                    esc(&super::markdown::step_label(&l.step)),
                    l.runs.to_string(),
                    format!("{} of {}", l.censored, l.items),
                    match (l.censored_share, l.censored_share_ci) {
                        (Some(v), Some((lo, hi))) => {
                            format!("{} [{}, {}]", pct(v), pct(lo), pct(hi))
                        }
                        _ => "–".into(),
                    },
                    esc(&super::markdown::km(&l.median)),
                    esc(&super::markdown::km(&l.p90)),
                ]
            })
            .collect();
        let _ = writeln!(body, "<h3>{}</h3>", esc(&pt.label));
        body.push_str(&table(
            "data",
            &[
                "chain step",
                "runs",
                "items never answered",
                "share never answered",
                "median (h)",
                "90th percentile (h)",
            ],
            &[1, 2, 3, 4, 5],
            &rows,
        ));
        curves.push((
            pt.label.clone(),
            pt.latency
                .iter()
                .map(|l| (super::markdown::step_label(&l.step), l.curve.clone()))
                .collect(),
        ));
    }
    for (label, lines) in &curves {
        if lines.iter().all(|(_, c)| c.is_empty()) {
            continue;
        }
        let words: Vec<String> = lines
            .iter()
            .filter_map(|(step, c)| {
                let last = c.last()?;
                Some(format!(
                    "{step}: {} still waiting after {} h",
                    pct(last.1),
                    num(last.0)
                ))
            })
            .collect();
        body.push_str(&figure(
            &charts::survival(
                lines,
                "hours since the step was asked for",
                "share of runs still waiting",
            ),
            &format!("Kaplan–Meier curves for {label}: {}.", words.join("; ")),
            &format!(
                "Share of runs still waiting for half their answers, per chain step, {label}."
            ),
            "",
        ));
    }
    if curves.is_empty() {
        body.push_str(&p("No chain step had items in any run."));
    }
    Section {
        id: "latency",
        title: "Response latency".into(),
        body,
    }
}

fn norms_section(d: &StudyData) -> Section {
    let mut body = p(&format!(
        "Adherence per norm: in each run where the norm applied, the share of decided opportunities fulfilled; the mean over those runs with its {} Wilson interval, and how many runs the norm applied in (never counted as 100% where it did not apply).",
        d.level().percent()
    ));
    let shown = &d.points[..d.points.len().min(MAX_COLUMNS)];
    if shown.len() < d.points.len() {
        body.push_str(&p(&format!(
            "The table shows the first {} of {} points; summary.csv has every one.",
            shown.len(),
            d.points.len()
        )));
    }
    let mut head = vec!["norm", "title"];
    let labels: Vec<String> = shown.iter().map(|p| p.label.clone()).collect();
    head.extend(labels.iter().map(String::as_str));
    let mut rows = Vec::new();
    for n in Norm::ALL {
        let key = format!("norm:{}", n.letter());
        if shown.iter().all(|p| p.stat(&key).is_none()) {
            continue;
        }
        let mut row = vec![n.letter().to_string(), esc(n.title())];
        row.extend(shown.iter().map(|p| match p.stat(&key) {
            Some(s) => format!(
                "{} <span class=\"note\">({} runs)</span>",
                esc(&estimate(Some(s), true)),
                s.n
            ),
            None => "n/a".into(),
        }));
        rows.push(row);
    }
    if rows.is_empty() {
        body.push_str(&p("No norm applied in any run."));
    } else {
        let cols: Vec<usize> = (2..head.len()).collect();
        body.push_str(&table("data", &head, &cols, &rows));
        for pt in panels(d) {
            let bars: Vec<Interval> = Norm::ALL
                .iter()
                .filter_map(|n| {
                    let s = pt.stat(&format!("norm:{}", n.letter()))?;
                    Some(Interval {
                        label: format!("{} {}", n.letter(), norm_title(&n.letter().to_string())),
                        value: s.mean?,
                        lo: s.ci.map(|c| c.0),
                        hi: s.ci.map(|c| c.1),
                        strong: false,
                    })
                })
                .collect();
            if bars.is_empty() {
                continue;
            }
            body.push_str(&figure(
                &charts::intervals(&bars, (0.0, 1.0), &format!("share of opportunities fulfilled (mean over runs, {} CI)", d.level().percent()), None),
                &format!("Norm adherence with {} confidence intervals for {}; the table above gives the figures.", d.level().percent(), pt.label),
                &format!("Norm adherence, {}: dot = mean, whiskers = {} confidence interval.", pt.label, d.level().percent()),
                "",
            ));
        }
    }
    Section {
        id: "norms",
        title: "Norm adherence".into(),
        body,
    }
}

/// The study report as one HTML document.
pub fn html(d: &StudyData) -> String {
    let mut sections = vec![headline_section(d)];
    sections.extend(study_effects::paired(d));
    sections.extend(study_effects::sweep(d));
    sections.push(distributions_section(d));
    sections.push(latency_section(d));
    sections.push(norms_section(d));
    let sources = if d.is_compare() {
        "batch.json, runs.csv, summary.json and compare.json"
    } else {
        "batch.json, runs.csv and summary.json"
    };
    let title = format!(
        "After-action report — {}",
        d.manifest
            .scenarios
            .iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>()
            .join(" vs ")
    );
    html::document(&title, &header(d), &sections, &html::footer(sources))
}
