//! `ttx compare DIR --runs N` on a live exercise: the same scenario played N times with bots in
//! the human teams' place (states the control cell played stay its), and where the teams did
//! better or worse than the bots on every metric, with the bots' intervals. The bots face the
//! exercise as it was run: the facilitator's early releases and ad-hoc injects are replayed.

use anyhow::{Context, Result, anyhow, bail};
use std::path::Path;

use crate::batch::manifest::Manifest;
use crate::batch::plan::{self, Point};
use crate::batch::versus::{self, Versus};
use crate::batch::{self, metrics, summary};
use crate::cli::CompareArgs;
use crate::commands::batch::threads;
use crate::output::write_atomic;
use crate::term::Layout;
use crate::{report, scenario_source};
use std::collections::BTreeMap;
use ttx_scenario::{At, Control, InjectAt, Scenario, Span, Trace, TraceEvent};

/// The exercise's scenario with a bot for every team, over the span the exercise ran, facing
/// what the facilitator did to the script (`trace`'s `inject_released` and `inject_added`
/// records, from the journal): an inject released early fires at the time it fired in the
/// exercise, and an inject written during the exercise is in the bots' script at the time it
/// fired — so the bots play the exercise the teams played, not the scenario file's.
pub fn with_bots(sc: &Scenario, trace: &Trace) -> Scenario {
    let mut bots = sc.clone();
    for s in &mut bots.states {
        if s.control == Control::Human {
            s.control = Control::Bot;
        }
    }
    bots.duration = Span(trace.header.duration.min(sc.duration.0));
    let mut fired: BTreeMap<&str, i64> = BTreeMap::new();
    for r in &trace.records {
        if let TraceEvent::InjectFired { inject, .. } = &r.event {
            fired.entry(inject.as_str()).or_insert(r.t);
        }
    }
    let at = |t: i64| Some(InjectAt::Fixed(At(Span(t))));
    for r in &trace.records {
        match &r.event {
            TraceEvent::InjectReleased { inject } => {
                let Some(&t) = fired.get(inject.as_str()) else {
                    continue;
                };
                if let Some(j) = (0..bots.injects.len())
                    .find(|&i| bots.injects[i].id_at(i) == *inject)
                    .map(|i| &mut bots.injects[i])
                {
                    j.at = at(t);
                    j.when = None;
                }
            }
            TraceEvent::InjectAdded { inject } => {
                let id = inject.id.as_deref().unwrap_or_default();
                if let Some(&t) = fired.get(id) {
                    let mut j = (**inject).clone();
                    j.at = at(t);
                    bots.injects.push(j);
                }
            }
            _ => {}
        }
    }
    bots
}

pub fn compare(dir: &Path, args: &CompareArgs, layout: &Layout) -> Result<()> {
    if args.study.runs == 0 {
        return Err(anyhow!("--runs must be at least 1"));
    }
    if !args.study.set.is_empty() {
        bail!("a live exercise is compared as it was played: --set does not apply");
    }
    let (trace, loaded) = scenario_source::load_trace(&dir.join("trace.jsonl"), None, &[])?;
    let sc = loaded.scenario;
    let teams: Vec<&str> = sc
        .states
        .iter()
        .filter(|s| s.control == Control::Human)
        .map(|s| s.id.as_str())
        .collect();
    if teams.is_empty() {
        bail!(
            "{} is not a live exercise with human teams: no state of its scenario is `control: Human`",
            dir.display()
        );
    }
    let card = ttx_scoring::score(&sc, &trace);
    let played = metrics::values(&card);
    let bots = with_bots(&sc, &trace);
    let points = vec![Point {
        values: Vec::new(),
        scenario: bots.clone(),
    }];
    let columns = batch::columns(&points, &[]);
    let manifest = Manifest::new("batch", &[&bots], &args.study, Vec::new(), None, columns);
    let specs = plan::specs(1, args.study.runs, args.study.seed, None);
    let out = args.out.clone().unwrap_or_else(|| dir.join("bots"));
    batch::execute(
        &out,
        &manifest,
        &[(batch::SCENARIO_FILES[0], &bots)],
        &points,
        &specs,
        threads(&args.study),
        false,
    )
    .context("the bots' study")?;
    let stats = summary::read(&out)?
        .into_iter()
        .next()
        .map(|p| p.metrics)
        .unwrap_or_default();
    let rows = versus::versus(&played, &stats);
    write_atomic(
        &out.join("versus.json"),
        (serde_json::to_string_pretty(&rows)? + "\n").as_bytes(),
    )?;
    write_atomic(&out.join("versus.csv"), versus::to_csv(&rows).as_bytes())?;
    report::write_study(&out)?;
    let replayed = trace
        .records
        .iter()
        .filter(|r| {
            matches!(
                r.event,
                TraceEvent::InjectReleased { .. } | TraceEvent::InjectAdded { .. }
            )
        })
        .count();
    print!("{}", text(&rows, &teams, args.study.runs, replayed, layout));
    eprintln!(
        "→ {}/versus.csv, versus.json, runs.csv, summary.csv, scenario.ron, report.html",
        out.display()
    );
    Ok(())
}

fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The metrics where the teams stood out, then how many were within the bots' range.
fn text(rows: &[Versus], teams: &[&str], runs: u64, replayed: usize, l: &Layout) -> String {
    let mut out = l.para(
        0,
        &format!(
            "TEAMS ({}) AGAINST BOTS IN THEIR PLACE — {runs} bot runs; better or worse when the teams' value lies outside the range of nine in ten bot runs (5th–95th percentile)",
            teams.join(", ")
        ),
    );
    for verdict in ["better", "worse", "higher", "lower"] {
        let mine: Vec<&Versus> = rows.iter().filter(|r| r.verdict == verdict).collect();
        if mine.is_empty() {
            continue;
        }
        out.push_str(&l.para(2, &format!("{}:", verdict.to_uppercase())));
        for r in mine {
            let ci = r.bots_ci.map_or(String::new(), |(a, b)| {
                format!(" (CI {}–{})", num(a), num(b))
            });
            let range = match (r.bots_p5, r.bots_p95) {
                (Some(a), Some(b)) => format!(", 5–95% {}–{}", num(a), num(b)),
                _ => String::new(),
            };
            let text = format!(
                "{}: teams {}, bots {}{ci}{range}",
                report::metric_label(&r.metric),
                num(r.teams),
                num(r.bots_mean)
            );
            out.push_str(&l.line("    ", &text, 6));
        }
    }
    let within = rows.iter().filter(|r| r.verdict == "within").count();
    out.push_str(&l.para(
        2,
        &format!(
            "{within} of {} metrics within the bots' range; versus.csv lists every one with its intervals. The bot runs draw their own CERT latencies (seeds from --seed); detection times, which no team decides, are left out of the verdicts.{}",
            rows.len(),
            match replayed {
                0 => String::new(),
                n => format!(" The bots faced the facilitator's {n} early release{} and ad-hoc inject{} at the times they fired in the exercise.", if n == 1 { "" } else { "s" }, if n == 1 { "" } else { "s" }),
            }
        ),
    ));
    out
}
