//! What a run's after-action report says in words, decided once and rendered twice (HTML and
//! Markdown): the key findings, the strengths and areas for improvement (HSEEP: objectives rated
//! P are strengths, S/M/U areas for improvement), and the improvement plan — one row per failed or
//! partial expectation, and per norm breach no expectation caught, each with the norm and
//! objective it touches and the records that show it, left open for a corrective action.

use crate::scorecard_text::{ground_truth, hours, join, rating, status};
use ttx_scenario::time::clock_minutes;
use ttx_scenario::{Name, Norm, Scenario, ladder};
use ttx_scoring::Scorecard;
use ttx_scoring::norms::Outcome;
use ttx_scoring::objectives::{ExpStatus, Rating};

/// Where a finding goes in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Key,
    Strength,
    Improvement,
}

/// One sentence with the trace records that support it.
pub struct Finding {
    pub group: Group,
    pub text: String,
    pub records: Vec<u32>,
    /// A detail of the finding before it (one of the breaches it counts).
    pub sub: bool,
}

/// Norm breaches and unanswered requests named one by one before "… and N more".
const NAMED: usize = 3;
/// Improvement-plan rows before the rest is left to the scorecard.
pub const MAX_PLAN_ROWS: usize = 60;

fn finding(group: Group, text: String, mut records: Vec<u32>) -> Finding {
    let mut seen = std::collections::BTreeSet::new();
    records.retain(|n| seen.insert(*n));
    Finding {
        group,
        text,
        records,
        sub: false,
    }
}

fn detail(text: String, records: Vec<u32>) -> Finding {
    Finding {
        sub: true,
        ..finding(Group::Key, text, records)
    }
}

fn norm_of(letter: &str) -> Option<Norm> {
    letter.chars().next().and_then(Norm::from_letter)
}

/// "norm c (do not knowingly allow territory to be used for wrongful acts)".
pub fn norm_phrase(letter: &str) -> String {
    match norm_of(letter) {
        Some(n) => format!("norm {letter} ({})", n.title()),
        None => format!("norm {letter}"),
    }
}

fn escalation(card: &Scorecard, out: &mut Vec<Finding>) {
    let e = &card.escalation;
    match e.peak_n {
        Some(n) => {
            let dyad = e
                .dyads
                .iter()
                .find(|d| d.peak_n == n && d.peak == e.peak)
                .map_or(String::new(), |d| format!(", {} → {}", d.from, d.to));
            let t = e
                .dyads
                .iter()
                .flat_map(|d| d.series.iter())
                .find(|c| c.n == n)
                .map_or(String::new(), |c| format!(" at {}", clock_minutes(c.t)));
            out.push(finding(
                Group::Key,
                format!(
                    "Escalation peaked at level {} ({}){dyad}{t}; escalation index {}.",
                    e.peak,
                    ladder::rung(e.peak).name,
                    e.index
                ),
                vec![n],
            ));
        }
        None => out.push(finding(
            Group::Key,
            format!(
                "No state took an escalation step (peak level 0); escalation index {}.",
                e.index
            ),
            Vec::new(),
        )),
    }
    if let Some(n) = e.at_or_above_5_from_n {
        out.push(finding(
            Group::Key,
            format!(
                "The crisis stayed at or above public attribution (level 5) for {}h, to the end of the exercise.",
                hours(e.hours_at_or_above_5)
            ),
            vec![n],
        ));
    }
    for m in &e.misattributions {
        let truth = ground_truth(m);
        let conf = m
            .confidence
            .map_or(String::new(), |c| format!(" with confidence {c:.2}"));
        out.push(finding(
            Group::Key,
            format!(
                "Misattribution: {} publicly attributed {} to {} at {}{conf}; ground truth: {truth}.",
                m.by,
                m.incident,
                m.attributed_to,
                clock_minutes(m.t)
            ),
            vec![m.n, m.incident_n],
        ));
    }
    for s in &e.spirals {
        out.push(finding(
            Group::Key,
            format!(
                "Escalation spiral: {}'s level-{} step was answered by {} at level {}.",
                s.first, s.first_level, s.answer, s.answer_level
            ),
            vec![s.first_n, s.answer_n],
        ));
    }
}

fn breaches(card: &Scorecard, out: &mut Vec<Finding>) {
    let mut all = Vec::new();
    for state in &card.states {
        for (letter, v) in card.norms.get(state).into_iter().flatten() {
            for e in v.evidence.iter().filter(|e| e.outcome == Outcome::Violated) {
                all.push((e.t, state.as_str(), letter.as_str(), e));
            }
        }
    }
    all.sort_by_key(|b| b.0);
    if all.is_empty() {
        out.push(finding(
            Group::Key,
            "No norm was breached in this run.".into(),
            Vec::new(),
        ));
        return;
    }
    let mut states: Vec<&str> = all.iter().map(|b| b.1).collect();
    states.sort_unstable();
    states.dedup();
    out.push(finding(
        Group::Key,
        format!(
            "{} norm breach{} by {} state{}; the earliest:",
            all.len(),
            if all.len() == 1 { "" } else { "es" },
            states.len(),
            if states.len() == 1 { "" } else { "s" }
        ),
        Vec::new(),
    ));
    for (t, state, letter, e) in all.iter().take(NAMED) {
        out.push(detail(
            format!(
                "{state} breached {} at {}: {}.",
                norm_phrase(letter),
                clock_minutes(*t),
                e.reason
            ),
            e.records.clone(),
        ));
    }
    if all.len() > NAMED {
        out.push(detail(
            format!("… and {} more (norm grid below).", all.len() - NAMED),
            Vec::new(),
        ));
    }
}

fn latency(card: &Scorecard, out: &mut Vec<Finding>) {
    let items = &card.latency.items;
    let censored: Vec<_> = items.iter().filter(|i| i.censored).collect();
    let late = items.iter().filter(|i| !i.censored && i.breach).count();
    if !censored.is_empty() {
        let named: Vec<String> = censored
            .iter()
            .take(NAMED)
            .map(|i| {
                format!(
                    "{} ({} {})",
                    i.msg.as_deref().unwrap_or(&i.subject),
                    i.actor,
                    i.step.label()
                )
            })
            .collect();
        let more = if censored.len() > NAMED {
            format!(" and {} more", censored.len() - NAMED)
        } else {
            String::new()
        };
        out.push(finding(
            Group::Key,
            format!(
                "{} of {} response steps never happened by the end (censored, counted as slower than any answer): {}{more}.",
                censored.len(),
                items.len(),
                named.join(", ")
            ),
            censored.iter().take(NAMED).map(|i| i.from_n).collect(),
        ));
    }
    if late > 0 {
        out.push(finding(
            Group::Key,
            format!(
                "{late} response step{} came later than the scenario's target.",
                if late == 1 { "" } else { "s" }
            ),
            items
                .iter()
                .filter(|i| !i.censored && i.breach)
                .filter_map(|i| i.to_n)
                .take(NAMED)
                .collect(),
        ));
    }
    let s = &card.service;
    if s.total_service_hours_lost > 0.0 {
        let worst = s
            .by_infra
            .iter()
            .max_by(|a, b| a.1.service_hours_lost.total_cmp(&b.1.service_hours_lost))
            .map_or(String::new(), |(id, l)| {
                format!("; most at {id} ({}h)", hours(l.service_hours_lost))
            });
        out.push(finding(
            Group::Key,
            format!(
                "Critical infrastructure lost {} service-hours (disrupted hours count 1, degraded ½){worst}.",
                hours(s.total_service_hours_lost)
            ),
            Vec::new(),
        ));
    }
}

fn objectives(card: &Scorecard, out: &mut Vec<Finding>) {
    let o = &card.objectives;
    for obj in &o.objectives {
        let Some(r) = obj.rating else {
            out.push(finding(
                Group::Improvement,
                format!(
                    "{} not rated — {}: none of its expectations was decided in this run.",
                    obj.id, obj.title
                ),
                Vec::new(),
            ));
            continue;
        };
        let mine = o
            .expectations
            .iter()
            .filter(|e| e.objective.as_deref() == Some(obj.id.as_str()));
        if r == Rating::P {
            out.push(finding(
                Group::Strength,
                format!("{} rated P ({}) — {}.", obj.id, r.meaning(), obj.title),
                mine.filter_map(|e| e.done_n).collect(),
            ));
        } else {
            let unmet: Vec<_> = mine.filter(|e| e.status != ExpStatus::Success).collect();
            let named: Vec<String> = unmet
                .iter()
                .map(|e| format!("{} {} ({} {})", e.id, status(e.status), e.actor, e.does))
                .collect();
            out.push(finding(
                Group::Improvement,
                format!(
                    "{} rated {} ({}) — {}: {}.",
                    obj.id,
                    rating(Some(r)),
                    r.meaning(),
                    obj.title,
                    named.join("; ")
                ),
                unmet
                    .iter()
                    .flat_map(|e| e.evidence.iter().copied())
                    .collect(),
            ));
        }
    }
    let c = &o.coverage;
    if !c.uncovered.is_empty() {
        out.push(finding(
            Group::Improvement,
            format!(
                "MSEL coverage {} of {}: no expectation checks {}.",
                c.covered,
                c.total,
                join(&c.uncovered, ", ")
            ),
            Vec::new(),
        ));
    }
}

/// Key findings, strengths and areas for improvement, in reading order.
pub fn key_findings(card: &Scorecard) -> Vec<Finding> {
    let mut out = Vec::new();
    escalation(card, &mut out);
    breaches(card, &mut out);
    latency(card, &mut out);
    objectives(card, &mut out);
    for w in &card.warnings {
        out.push(finding(Group::Key, format!("Warning: {w}"), Vec::new()));
    }
    out
}

/// What a plan row is about.
pub enum Issue {
    /// A FAILED or PARTIAL expectation.
    Expectation { id: Name, status: ExpStatus },
    /// A norm breach that no failed or partial expectation of that state on that norm covers.
    Breach,
}

/// One row of the improvement plan.
pub struct PlanRow {
    pub issue: Issue,
    pub actor: Name,
    /// What was expected, with its deadline.
    pub expected: String,
    /// What happened.
    pub reason: String,
    /// Norm letter.
    pub norm: Option<Name>,
    /// Objective id, title and rating.
    pub objective: Option<(Name, String, Option<Rating>)>,
    pub records: Vec<u32>,
}

impl PlanRow {
    /// "e4 FAILED", or "norm breach".
    pub fn issue_label(&self) -> String {
        match &self.issue {
            Issue::Expectation { id, status: s } => format!("{id} {}", status(*s)),
            Issue::Breach => "norm breach".into(),
        }
    }
}

/// Failed and partial expectations in scenario order, then uncovered norm breaches in time
/// order; at most [`MAX_PLAN_ROWS`]. Returns the rows and how many were left out.
pub fn improvement_plan(card: &Scorecard, sc: &Scenario) -> (Vec<PlanRow>, usize) {
    let o = &card.objectives;
    let mut rows = Vec::new();
    for e in o
        .expectations
        .iter()
        .filter(|e| matches!(e.status, ExpStatus::Failed | ExpStatus::Partial))
    {
        let expected = match (e.trigger_t, e.deadline_t) {
            (Some(from), Some(by)) if from > 0 || e.trigger_n.is_some() => format!(
                "{} to {} by {} ({}h after its trigger)",
                e.actor,
                e.does,
                clock_minutes(by),
                hours((by - from) as f64 / 3600.0)
            ),
            (_, Some(by)) => format!("{} to {} until {}", e.actor, e.does, clock_minutes(by)),
            _ => format!("{} to {}", e.actor, e.does),
        };
        let objective = e.objective.map(|id| {
            let found = o.objectives.iter().find(|x| x.id == id);
            let title = found.map_or_else(
                || {
                    sc.objectives
                        .iter()
                        .find(|x| x.id == id)
                        .map_or(String::new(), |x| x.title.clone())
                },
                |x| x.title.clone(),
            );
            (id, title, found.and_then(|x| x.rating))
        });
        rows.push(PlanRow {
            issue: Issue::Expectation {
                id: e.id,
                status: e.status,
            },
            actor: e.actor,
            expected,
            reason: e.reason.clone(),
            norm: e.norm,
            objective,
            records: e.evidence.clone(),
        });
    }
    let covered = |state: &str, letter: &str| {
        o.expectations.iter().any(|e| {
            e.actor == state
                && e.norm.as_deref() == Some(letter)
                && matches!(e.status, ExpStatus::Failed | ExpStatus::Partial)
        })
    };
    let mut breaches = Vec::new();
    for state in &card.states {
        for (letter, v) in card.norms.get(state).into_iter().flatten() {
            if covered(state, letter) {
                continue;
            }
            for ev in v.evidence.iter().filter(|e| e.outcome == Outcome::Violated) {
                breaches.push((ev.t, state, letter, ev));
            }
        }
    }
    breaches.sort_by_key(|b| b.0);
    for (t, state, letter, ev) in breaches {
        rows.push(PlanRow {
            issue: Issue::Breach,
            actor: *state,
            expected: format!("{state} meets norm {letter}"),
            reason: format!("breached at {}: {}", clock_minutes(t), ev.reason),
            norm: Some(*letter),
            objective: None,
            records: ev.records.clone(),
        });
    }
    let left = rows.len().saturating_sub(MAX_PLAN_ROWS);
    rows.truncate(MAX_PLAN_ROWS);
    (rows, left)
}
