//! The key tables of a report as Markdown, for pasting into the documents exercises end in
//! (after-action notes, ministerial briefs, wiki pages): header facts, findings, the norm grid,
//! HSEEP ratings and the improvement plan for a run; headline estimates, norm adherence and
//! paired differences for a study. Records are cited as `r26` (record 26 of trace.jsonl).

use super::findings::{self, Group, norm_phrase};
use super::study_data::{HEADLINE, StudyData, metric_label};
use super::study_report::{estimate, num, pct};
use crate::scorecard_text::{counts, hours, quantile, rating, status_symbol};
use crate::term::count;
use std::fmt::Write;
use ttx_scenario::time::clock_minutes;
use ttx_scenario::{Norm, Scenario, Trace, TraceEvent};
use ttx_scoring::Scorecard;

/// Escapes a table cell: pipes and line breaks would break the row.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(
        out,
        "|{}|",
        head.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn recs(ns: &[u32]) -> String {
    ns.iter()
        .map(|n| format!("r{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A run's key tables.
/// A live exercise's sections: who played, the teams' decision logs and notes, the evaluation.
fn live(out: &mut String, sc: &Scenario, trace: &Trace, card: &Scorecard) {
    use ttx_scenario::Control;
    out.push_str("## Who played\n\n");
    let rows: Vec<Vec<String>> = sc
        .states
        .iter()
        .map(|s| {
            let how = match s.control {
                Control::Bot => format!("bot (doctrine {})", s.doctrine),
                other => other.label().to_string(),
            };
            vec![s.id.clone(), how]
        })
        .collect();
    table(out, &["state", "played by"], &rows);
    out.push_str("## Decision logs\n\nNotes are private to their team: this full report is the facilitator's.\n\n");
    for s in sc.states.iter().filter(|s| s.control == Control::Human) {
        let rows: Vec<Vec<String>> = super::live_sections::notes(trace, &s.id)
            .iter()
            .map(|x| {
                vec![
                    format!("r{}", x.n),
                    clock_minutes(x.t),
                    if x.decision { "decision" } else { "note" }.into(),
                    cell(x.text),
                ]
            })
            .collect();
        let _ = writeln!(out, "### {}\n", s.id);
        if rows.is_empty() {
            out.push_str("The team wrote no notes.\n\n");
        } else {
            table(out, &["record", "time", "kind", "note"], &rows);
        }
    }
    out.push_str("## Evaluation\n\n");
    let rows: Vec<Vec<String>> = card
        .objectives
        .expectations
        .iter()
        .filter(|r| {
            sc.expectations
                .iter()
                .any(|e| e.id == r.id && e.does.judged().is_some())
        })
        .map(|r| {
            vec![
                r.id.to_string(),
                r.actor.to_string(),
                cell(&r.does),
                crate::scorecard_text::status(r.status).into(),
                cell(&r.reason),
            ]
        })
        .collect();
    if !rows.is_empty() {
        table(
            out,
            &[
                "expectation",
                "actor",
                "expected",
                "rating",
                "by, when, comment",
            ],
            &rows,
        );
    }
    for r in &trace.records {
        if let TraceEvent::Observation { text, record, by } = &r.event {
            let on = record.map_or(String::new(), |n| format!(" (on r{n})"));
            let _ = writeln!(
                out,
                "- r{} {} {by}{on}: {}",
                r.n,
                clock_minutes(r.t),
                cell(text)
            );
        }
    }
    out.push('\n');
}

pub fn run(sc: &Scenario, trace: &Trace, card: &Scorecard) -> String {
    let h = &trace.header;
    let mut out = format!("# After-action report — {}\n\n", cell(sc.title_or_name()));
    let _ = writeln!(
        out,
        "Scenario `{}` · seed {} · ttx {} · scenario hash `{}` · T+0 {} · {} states\n",
        h.scenario,
        h.seed,
        h.ttx_version,
        h.scenario_hash,
        super::run_report::start_text(trace),
        sc.states.len()
    );
    let all = findings::key_findings(card);
    for (group, title) in [
        (Group::Key, "Key findings"),
        (Group::Strength, "Strengths"),
        (Group::Improvement, "Areas for improvement"),
    ] {
        let mine: Vec<_> = all.iter().filter(|f| f.group == group).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title}\n");
        for f in mine {
            let refs = if f.records.is_empty() {
                String::new()
            } else {
                format!(" ({})", recs(&f.records))
            };
            let indent = if f.sub { "  " } else { "" };
            let _ = writeln!(out, "{indent}- {}{refs}", f.text);
        }
        out.push('\n');
    }
    if super::live_sections::is_live(sc, trace) {
        live(&mut out, sc, trace, card);
    }

    out.push_str("## Norm adherence\n\n");
    let mut head = vec!["state"];
    let letters = Norm::ALL.map(ttx_scoring::norms::letter);
    head.extend(letters.iter().map(|l| l.as_str()));
    let rows: Vec<Vec<String>> = card
        .states
        .iter()
        .filter_map(|s| {
            let row = card.norms.get(s)?;
            let mut r = vec![s.to_string()];
            r.extend(letters.iter().map(|l| {
                row.get(l).map_or("·".into(), |v| {
                    let first = v
                        .evidence
                        .first()
                        .map_or(String::new(), |e| format!(" r{}", e.n));
                    format!("{}{first}", status_symbol(v.status))
                })
            }));
            Some(r)
        })
        .collect();
    table(&mut out, &head, &rows);
    out.push_str("✓ fulfilled · ✗ violated · ~ mixed · ? pending · · n/a (no opportunity); rN = the first record that decided it.\n\n");

    out.push_str("## Response latency (hours)\n\n");
    let rows: Vec<Vec<String>> = card
        .latency
        .steps
        .iter()
        .filter(|s| s.overall.count > 0)
        .map(|s| {
            let o = &s.overall;
            vec![
                s.step.label().to_string(),
                o.count.to_string(),
                o.censored.to_string(),
                quantile(&o.p50),
                quantile(&o.p90),
                quantile(&o.max),
                match (s.target_hours, s.step) {
                    (Some(t), _) => format!("{}h", hours(t)),
                    (None, ttx_scoring::latency::Step::OfferToDeliver) => "as offered".into(),
                    (None, _) => "–".into(),
                },
                o.breaches.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str("No chain was opened in this run.\n\n");
    } else {
        table(
            &mut out,
            &[
                "chain step",
                "items",
                "censored",
                "p50",
                "p90",
                "max",
                "target",
                "breaches",
            ],
            &rows,
        );
    }

    out.push_str("## Objectives (HSEEP)\n\n");
    let rows: Vec<Vec<String>> = card
        .objectives
        .objectives
        .iter()
        .map(|o| {
            vec![
                o.id.to_string(),
                o.title.clone(),
                format!(
                    "{} {}",
                    rating(o.rating),
                    o.rating.map_or("not rated", |r| r.meaning())
                ),
                counts(o, "/"),
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str("The scenario states no objectives.\n\n");
    } else {
        table(
            &mut out,
            &[
                "objective",
                "title",
                "rating",
                "success/partial/failed/pending",
            ],
            &rows,
        );
    }

    out.push_str("## Improvement plan\n\n");
    let (plan, left) = findings::improvement_plan(card, sc);
    if plan.is_empty() {
        out.push_str(
            "No expectation failed or was met only in part, and no norm was breached.\n\n",
        );
    } else {
        let rows: Vec<Vec<String>> = plan
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut touches = Vec::new();
                if let Some(n) = &r.norm {
                    touches.push(norm_phrase(n));
                }
                if let Some((id, title, _)) = &r.objective {
                    touches.push(format!("objective {id} ({title})"));
                }
                vec![
                    (i + 1).to_string(),
                    format!("{} — {}", r.issue_label(), r.actor),
                    format!("Expected: {}. Observed: {}", r.expected, r.reason),
                    touches.join("; "),
                    recs(&r.records),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            })
            .collect();
        table(
            &mut out,
            &[
                "#",
                "issue",
                "expected and observed",
                "norm / objective",
                "evidence",
                "corrective action",
                "responsible",
                "due",
            ],
            &rows,
        );
        if left > 0 {
            let _ = writeln!(out, "… and {left} more issues in scorecard.json.\n");
        }
    }
    out
}

/// A study's key tables.
pub fn study(d: &StudyData) -> String {
    let m = &d.manifest;
    let names: Vec<&str> = (0..m.scenarios.len()).map(|i| m.variant(i)).collect();
    let mut out = format!("# After-action report — {}\n\n", names.join(" vs "));
    let _ = writeln!(
        out,
        "{} · {} per point · {} · master seed {} · ttx {}{}\n",
        if d.is_compare() {
            "Paired comparison"
        } else {
            "Monte Carlo study"
        },
        count(m.runs, "run", "runs"),
        count(d.points.len() as u64, "point", "points"),
        m.master_seed,
        m.ttx_version,
        m.sweeps
            .iter()
            .map(|s| format!(" · swept `{}` = {}", s.path, s.values.join(", ")))
            .collect::<String>()
    );
    // A design's hundreds of points would make unreadable tables: the first few, and the CSV.
    let shown = &d.points[..d.points.len().min(8)];
    if shown.len() < d.points.len() {
        let _ = writeln!(
            out,
            "The tables show the first {} of {} points; summary.csv has every one.\n",
            shown.len(),
            d.points.len()
        );
    }
    let mut head = vec!["metric"];
    let labels: Vec<String> = shown.iter().map(|p| p.label.clone()).collect();
    head.extend(labels.iter().map(String::as_str));
    let _ = writeln!(
        out,
        "## Headline estimates (mean [{} CI])\n",
        d.level().percent()
    );
    let rows: Vec<Vec<String>> = HEADLINE
        .iter()
        .map(|h| {
            let mut r = vec![h.label.to_string()];
            r.extend(
                shown
                    .iter()
                    .map(|p| estimate(p.stat(h.column), h.proportion)),
            );
            r
        })
        .collect();
    table(&mut out, &head, &rows);

    let _ = writeln!(
        out,
        "## Norm adherence (mean [{} CI], runs where the norm applied)\n",
        d.level().percent()
    );
    let mut nhead = vec!["norm"];
    nhead.extend(labels.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = Norm::ALL
        .iter()
        .filter_map(|n| {
            let key = format!("norm:{}", n.letter());
            if shown.iter().all(|p| p.stat(&key).is_none()) {
                return None;
            }
            let mut r = vec![format!("{} {}", n.letter(), n.title())];
            r.extend(shown.iter().map(|p| match p.stat(&key) {
                Some(s) => format!("{} ({} runs)", estimate(Some(s), true), s.n),
                None => "n/a".into(),
            }));
            Some(r)
        })
        .collect();
    if rows.is_empty() {
        out.push_str("No norm applied in any run.\n\n");
    } else {
        table(&mut out, &nhead, &rows);
    }

    let lvl = d.level().percent();
    let km_rows: Vec<Vec<String>> = shown
        .iter()
        .flat_map(|p| {
            p.latency.iter().map(|l| {
                vec![
                    p.label.clone(),
                    step_label(&l.step),
                    l.runs.to_string(),
                    share(l.censored_share, l.censored_share_ci),
                    km(&l.median),
                    km(&l.p90),
                ]
            })
        })
        .collect();
    if !km_rows.is_empty() {
        let _ = writeln!(
            out,
            "## Response latency (Kaplan–Meier over runs, hours [{lvl} CI]; NR = not reached)\n"
        );
        table(
            &mut out,
            &[
                "point",
                "chain step",
                "runs",
                "never answered",
                "median",
                "90th percentile",
            ],
            &km_rows,
        );
    }

    if let Some(k) = d.comparison.as_ref().and_then(|c| c.contrasts.first()) {
        let _ = writeln!(
            out,
            "## Paired differences B − A ({lvl} CI; ✱ the interval excludes 0)\n\nOwn means are each variant's mean over its own runs (n); B − A is the mean paired difference over the runs both have (pairs).\n"
        );
        let mut diff: Vec<_> = k
            .metrics
            .iter()
            .filter(|m| m.mean_diff != 0.0 || m.sd_diff.is_some_and(|s| s > 0.0))
            .collect();
        let sig = |m: &&crate::batch::contrasts::Paired| crate::batch::contrasts::significant(m);
        diff.sort_by_key(|m| !sig(m));
        let opt = |v: Option<f64>| v.map_or("–".into(), num);
        let rows: Vec<Vec<String>> = diff
            .iter()
            .take(40)
            .map(|m| {
                vec![
                    format!(
                        "{}{}",
                        if sig(m) { "✱ " } else { "" },
                        metric_label(&m.metric)
                    ),
                    format!("{} ({})", opt(m.own_mean_a), m.n_a),
                    format!("{} ({})", opt(m.own_mean_b), m.n_b),
                    m.pairs.to_string(),
                    num(m.mean_diff),
                    m.ci.map_or("–".into(), |(lo, hi)| {
                        format!("[{}, {}]", num(lo), num(hi))
                    }),
                ]
            })
            .collect();
        table(
            &mut out,
            &["metric", "own A (n)", "own B (n)", "pairs", "B − A", "CI"],
            &rows,
        );
        let lat: Vec<Vec<String>> = k
            .latency
            .iter()
            .map(|l| {
                vec![
                    step_label(&l.step),
                    km(&l.median_a),
                    km(&l.median_b),
                    l.median_diff.map_or("–".into(), num),
                    format!(
                        "[{}, {}]",
                        l.median_ci.0.map_or("–".into(), num),
                        l.median_ci.1.map_or("–".into(), num)
                    ),
                ]
            })
            .collect();
        if !lat.is_empty() {
            out.push_str("Latency: difference of the Kaplan–Meier medians (hours).\n\n");
            table(
                &mut out,
                &["chain step", "median A", "median B", "B − A", "CI"],
                &lat,
            );
        }
    }
    out
}

pub fn step_label(key: &str) -> String {
    serde_json::from_value::<ttx_scoring::latency::Step>(serde_json::Value::String(key.into()))
        .map_or(key.to_string(), |s| s.label().to_string())
}

/// "16.6 [15.9, 17.4]", with NR where the curve never reaches the quantile.
pub fn km(q: &crate::batch::survival::KmQuantile) -> String {
    let f = |v: Option<f64>| v.map_or("NR".into(), num);
    match q.hours {
        Some(h) => format!("{} [{}, {}]", num(h), f(q.lo), f(q.hi)),
        None => format!("NR [{}, NR]", f(q.lo)),
    }
}

fn share(v: Option<f64>, ci: Option<(f64, f64)>) -> String {
    match (v, ci) {
        (Some(v), Some((lo, hi))) => format!("{} [{}, {}]", pct(v), pct(lo), pct(hi)),
        (Some(v), None) => pct(v),
        _ => "–".into(),
    }
}
