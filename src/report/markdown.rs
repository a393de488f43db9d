//! The key tables of a report as Markdown, for pasting into the documents exercises end in
//! (after-action notes, ministerial briefs, wiki pages): header facts, findings, the norm grid,
//! HSEEP ratings and the improvement plan for a run; headline estimates, norm adherence and
//! paired differences for a study. Records are cited as `r26` (record 26 of trace.jsonl).

use super::findings::{self, Group, norm_phrase};
use super::study_data::{HEADLINE, StudyData, metric_label};
use super::study_report::{estimate, num};
use crate::scorecard_text::{hours, quantile, rating, status_symbol};
use crate::term::count;
use std::fmt::Write;
use ttx_scenario::{Norm, Scenario, Trace};
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

    out.push_str("## Norm adherence\n\n");
    let mut head = vec!["state"];
    let letters: Vec<String> = Norm::ALL.iter().map(|n| n.letter().to_string()).collect();
    head.extend(letters.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = card
        .states
        .iter()
        .filter_map(|s| {
            let row = card.norms.get(s)?;
            let mut r = vec![s.clone()];
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
                o.id.clone(),
                o.title.clone(),
                format!(
                    "{} {}",
                    rating(o.rating),
                    o.rating.map_or("not rated", |r| r.meaning())
                ),
                format!(
                    "{}/{}/{}/{}{}",
                    o.success,
                    o.partial,
                    o.failed,
                    o.pending,
                    if o.needs_evaluator > 0 {
                        format!(" + {} need an evaluator", o.needs_evaluator)
                    } else {
                        String::new()
                    }
                ),
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
    let mut head = vec!["metric"];
    let labels: Vec<String> = d.points.iter().map(|p| p.label.clone()).collect();
    head.extend(labels.iter().map(String::as_str));
    out.push_str("## Headline estimates (mean [95% CI])\n\n");
    let rows: Vec<Vec<String>> = HEADLINE
        .iter()
        .map(|h| {
            let mut r = vec![h.label.to_string()];
            r.extend(
                d.points
                    .iter()
                    .map(|p| estimate(p.stat(h.column), h.proportion)),
            );
            r
        })
        .collect();
    table(&mut out, &head, &rows);

    out.push_str("## Norm adherence (mean [95% CI], runs where the norm applied)\n\n");
    let mut nhead = vec!["norm"];
    nhead.extend(labels.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = Norm::ALL
        .iter()
        .filter_map(|n| {
            let key = format!("norm:{}", n.letter());
            if d.points.iter().all(|p| p.stat(&key).is_none()) {
                return None;
            }
            let mut r = vec![format!("{} {}", n.letter(), n.title())];
            r.extend(d.points.iter().map(|p| match p.stat(&key) {
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

    if let Some(paired) = &d.paired {
        out.push_str("## Paired differences B − A (95% CI; ✱ the interval excludes 0)\n\n");
        let mut diff: Vec<_> = paired
            .iter()
            .filter(|m| m.mean_diff != 0.0 || m.sd_diff.is_some_and(|s| s > 0.0))
            .collect();
        let sig = |m: &&crate::batch::paired::Paired| {
            m.ci95.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0)
                || (m.sd_diff == Some(0.0) && m.mean_diff != 0.0)
        };
        diff.sort_by_key(|m| !sig(m));
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
                    num(m.mean_a),
                    num(m.mean_b),
                    num(m.mean_diff),
                    m.ci95.map_or("–".into(), |(lo, hi)| {
                        format!("[{}, {}]", num(lo), num(hi))
                    }),
                ]
            })
            .collect();
        table(
            &mut out,
            &["metric", "mean A", "mean B", "B − A", "95% CI"],
            &rows,
        );
    }
    out
}
