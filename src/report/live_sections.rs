//! What only a live exercise has, for its after-action report: who played each state (a team, a
//! bot, the control cell), each team's decision log and notes, the evaluators' ratings and
//! observations, and what the facilitator did to the script (injects released early, injects
//! written during the exercise). Everything comes from the trace and its scenario.
//!
//! The full report is the facilitator's: it shows every team's notes. A team's own report
//! (`team_report.rs`) passes the team as `viewer`, which keeps only its own notes (notes are
//! private to their team, `ttx_scenario::live::private_to`).

use super::html::{Links, Section, esc, p, table};
use crate::scorecard_text::status;
use std::fmt::Write;
use ttx_scenario::time::clock_minutes;
use ttx_scenario::{Control, Scenario, Trace, TraceEvent};
use ttx_scoring::Scorecard;

/// Whether the trace comes from a live exercise: some state is played by people, or people acted.
pub fn is_live(sc: &Scenario, trace: &Trace) -> bool {
    sc.states.iter().any(|s| s.control != Control::Bot)
        || trace.records.iter().any(|r| {
            matches!(
                r.event,
                TraceEvent::Rating { .. }
                    | TraceEvent::Observation { .. }
                    | TraceEvent::Note { .. }
                    | TraceEvent::InjectReleased { .. }
                    | TraceEvent::InjectAdded { .. }
            )
        })
}

/// A team's note, with its record.
pub struct TeamNote<'a> {
    pub n: u32,
    pub t: i64,
    pub text: &'a str,
    pub decision: bool,
}

/// The notes of `state`'s team, in trace order.
pub fn notes<'a>(trace: &'a Trace, state: &str) -> Vec<TeamNote<'a>> {
    trace
        .records
        .iter()
        .filter(|r| ttx_scenario::live::private_to(&r.event) == Some(state))
        .filter_map(|r| match &r.event {
            TraceEvent::Note { text, decision, .. } => Some(TeamNote {
                n: r.n,
                t: r.t,
                text,
                decision: *decision,
            }),
            _ => None,
        })
        .collect()
}

/// The live-exercise sections, in debrief order: who played, the decision logs, the evaluation.
pub fn sections(
    sc: &Scenario,
    trace: &Trace,
    card: &Scorecard,
    links: &mut Links,
    viewer: Option<&str>,
) -> Vec<Section> {
    vec![
        players(sc, Some(trace)),
        decision_logs(sc, trace, links, viewer),
        evaluation(sc, trace, card, links),
    ]
}

/// Who played each state; with `trace`, how many messages each sent (a team's own report leaves
/// the counts out: they would measure traffic it did not see).
pub(super) fn players(sc: &Scenario, trace: Option<&Trace>) -> Section {
    let rows: Vec<Vec<String>> = sc
        .states
        .iter()
        .map(|s| {
            let how = match s.control {
                Control::Bot => format!("bot (doctrine {})", s.doctrine),
                Control::Human => "team".into(),
                Control::Control => "control cell".into(),
            };
            let mut row = vec![esc(&s.id), esc(&how)];
            if let Some(trace) = trace {
                let sent = trace
                    .records
                    .iter()
                    .filter(|r| matches!(&r.event, TraceEvent::MessageSent(m) if m.from == s.id))
                    .count();
                row.push(sent.to_string());
            }
            row
        })
        .collect();
    let mut body = p(
        "Who played each state. A team decided everything its state said; a bot's doctrine decided for it; a state the control cell played acted only through the script and the facilitator. Every state's CERT detected, investigated and contained with the simulated latencies, whoever played it.",
    );
    let (head, right): (&[&str], &[usize]) = if trace.is_some() {
        (&["state", "played by", "messages sent"], &[2])
    } else {
        (&["state", "played by"], &[])
    };
    body.push_str(&table("data", head, right, &rows));
    Section {
        id: "players",
        title: "Who played".into(),
        body,
    }
}

pub(super) fn decision_logs(
    sc: &Scenario,
    trace: &Trace,
    links: &mut Links,
    viewer: Option<&str>,
) -> Section {
    let mut body = p(match viewer {
        None => {
            "Each team's decision log (what it decided and why, as it wrote it during the exercise), then its other notes. Notes are private to their team: this full report is the facilitator's."
        }
        Some(_) => {
            "The team's decision log (what it decided and why, as it wrote it during the exercise), then its other notes. Other teams' notes are private to them and not in this report."
        }
    });
    let teams: Vec<&str> = sc
        .states
        .iter()
        .filter(|s| s.control == Control::Human)
        .map(|s| s.id.as_str())
        .filter(|id| viewer.is_none_or(|v| v == *id))
        .collect();
    if teams.is_empty() {
        body.push_str(&p("No state was played by a team."));
    }
    for team in teams {
        let all = notes(trace, team);
        let _ = writeln!(body, "<h3>{}</h3>", esc(team));
        if all.is_empty() {
            body.push_str(&p("The team wrote no notes."));
            continue;
        }
        for (decision, label) in [(true, "Decision log"), (false, "Notes")] {
            let rows: Vec<Vec<String>> = all
                .iter()
                .filter(|x| x.decision == decision)
                .map(|x| vec![links.rec(x.n), clock_minutes(x.t), esc(x.text)])
                .collect();
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(body, "<h4>{label}</h4>");
            body.push_str(&table("data", &["record", "time", "note"], &[], &rows));
        }
    }
    Section {
        id: "decisions",
        title: "Decision logs".into(),
        body,
    }
}

fn evaluation(sc: &Scenario, trace: &Trace, card: &Scorecard, links: &mut Links) -> Section {
    let mut body = String::new();
    let judged: Vec<_> = sc
        .expectations
        .iter()
        .filter_map(|e| e.does.judged().map(|text| (e, text)))
        .collect();
    body.push_str("<h3>Evaluator ratings</h3>\n");
    if judged.is_empty() {
        body.push_str(&p(
            "The scenario has no expectation for an evaluator to judge (`does: Judged(\"…\")`).",
        ));
    } else {
        let rows: Vec<Vec<String>> = judged
            .iter()
            .map(|(e, text)| {
                let result = card.objectives.expectations.iter().find(|r| r.id == e.id);
                let (word, why, ns) = result.map_or(("–", String::new(), Vec::new()), |r| {
                    (status(r.status), r.reason.clone(), r.evidence.clone())
                });
                vec![
                    esc(&e.id),
                    esc(&e.actor),
                    esc(text),
                    format!("<strong>{word}</strong>"),
                    esc(&why),
                    links.recs(&ns),
                ]
            })
            .collect();
        body.push_str(&p(
            "Expectations written in free text, as the evaluators rated them (the latest rating stands). They count in their objectives' HSEEP ratings; one still needing an evaluator counts neither way.",
        ));
        body.push_str(&table(
            "data",
            &[
                "expectation",
                "actor",
                "expected",
                "rating",
                "by, when, comment",
                "record",
            ],
            &[],
            &rows,
        ));
    }
    let mut observations = Vec::new();
    let mut control = Vec::new();
    for r in &trace.records {
        match &r.event {
            TraceEvent::Observation { text, record, by } => {
                let on = record.map_or("–".into(), |n| links.rec(n));
                observations.push(vec![
                    links.rec(r.n),
                    clock_minutes(r.t),
                    esc(by),
                    esc(text),
                    on,
                ]);
            }
            TraceEvent::InjectReleased { inject } => control.push(vec![
                links.rec(r.n),
                clock_minutes(r.t),
                format!("released {} early", esc(inject)),
            ]),
            TraceEvent::InjectAdded { inject } => control.push(vec![
                links.rec(r.n),
                clock_minutes(r.t),
                format!(
                    "added {} ({}){}",
                    esc(inject.id.as_deref().unwrap_or("an inject")),
                    inject.event.kind(),
                    if inject.note.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", esc(&inject.note))
                    }
                ),
            ]),
            _ => {}
        }
    }
    body.push_str("<h3>Observations</h3>\n");
    if observations.is_empty() {
        body.push_str(&p("No evaluator recorded an observation."));
    } else {
        body.push_str(&table(
            "data",
            &["record", "time", "by", "observation", "about record"],
            &[],
            &observations,
        ));
    }
    body.push_str("<h3>Exercise control</h3>\n");
    if control.is_empty() {
        body.push_str(&p(
            "The facilitator ran the script as written: no inject released early, none added.",
        ));
    } else {
        body.push_str(&table(
            "data",
            &["record", "time", "facilitator"],
            &[],
            &control,
        ));
    }
    Section {
        id: "evaluation",
        title: "Evaluation".into(),
        body,
    }
}
