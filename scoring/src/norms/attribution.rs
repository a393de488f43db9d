//! Norm b: consider all relevant information — the wider context, the difficulty of attribution,
//! the nature and extent of the consequences — before acting on an ICT incident. ttx reads it at
//! the point where acting becomes public and costly: every step at or above public attribution
//! (ladder level 5). Such a step is sound only if the state's evidence confidence reached the
//! scenario's threshold and it first asked the accused state for clarification through the
//! private channel. The norm is judged on that process — what the state could see — not on the
//! simulator's ground truth: an attribution made carefully can still be wrong, as A/68/98 ¶6–7
//! warns about proxies and false flags. A misattribution is therefore reported as its own figure
//! (`misattributions`, beside the verdict, and in the escalation section), not as a breach.

use super::{Cx, Evidence, Outcome};
use crate::index::Sent;
use ttx_scenario::{MessageKind, Name, ladder};

/// The state's own latest public attribution of `incident` to `accused`, at or before record `n`.
fn own_attribution<'i, 'a>(
    cx: &Cx<'i, 'a>,
    state: Name,
    accused: &str,
    incident: Option<&str>,
    n: u32,
) -> Option<&'i Sent<'a>> {
    let incident = incident?;
    cx.ix
        .about(MessageKind::PublicStatement, state, incident)
        .filter(|s| s.at.n <= n && s.m.attributes_to.as_deref() == Some(accused))
        .last()
}

/// Each step ≥ 5 by the state: fulfilled iff the confidence of its own public attribution of that
/// incident to that state (at or before the step; 0 if none) is at least the scenario's
/// `evidence_threshold`, and it sent the accused a clarification request about the incident
/// before the step. Answering steps that cite no incident have confidence 0. A step resting on a
/// misattribution says so in its reason and cites the incident's ground truth, whatever the
/// outcome.
pub(super) fn b(cx: &Cx, state: Name) -> Vec<Evidence> {
    let threshold = cx.sc.scoring.evidence_threshold;
    let mut out = Vec::new();
    for s in cx.ix.sent_by(state) {
        let Some(level) = s.m.step.filter(|&l| l >= ladder::ATTRIBUTION) else {
            continue;
        };
        let accused = s.m.to.as_str();
        let incident = s.about();
        let attribution = own_attribution(cx, state, accused, incident, s.at.n);
        let confidence = attribution.and_then(|a| a.m.confidence).unwrap_or(0.0);
        let asked = incident.and_then(|inc| {
            cx.ix
                .about(MessageKind::ClarificationRequest, state, inc)
                .find(|c| c.m.to == accused && c.at.n < s.at.n)
        });
        let mut records = vec![s.at.n];
        records.extend(attribution.map(|a| a.at.n));
        records.extend(asked.map(|a| a.at.n));
        let step = cx.reason(|| {
            format!(
                "{} {} against {accused} (level {level}, {})",
                s.m.kind.label(),
                s.m.msg,
                ladder::rung(level).name
            )
        });
        let mut problems: Vec<String> = Vec::new();
        let mut wrong = String::new();
        if let Some(facts) = attribution.and_then(|_| incident.and_then(|i| cx.ix.incident(i)))
            && facts.directed_by.as_deref() != Some(accused)
        {
            records.push(facts.at.n);
            wrong = cx.reason(|| {
                let truth = facts
                    .directed_by
                    .map_or("no state directed it".to_string(), |d| {
                        format!("{d} directed it")
                    });
                format!(
                    " — a misattribution ({truth}), counted separately, not a breach of b by itself"
                )
            });
        }
        if confidence < threshold {
            problems.push(cx.reason(|| {
                let basis = match attribution {
                    Some(a) => format!("confidence {confidence} in attribution {}", a.m.msg),
                    None => match incident {
                        Some(i) => {
                            format!("no public attribution of {i} to {accused}, so confidence 0")
                        }
                        None => "names no incident, so confidence 0".into(),
                    },
                };
                format!("{basis} is below the scenario's evidence threshold {threshold}")
            }));
        }
        if asked.is_none() {
            problems.push(cx.reason(|| {
                format!(
                    "no clarification was sought from {accused}{} before it",
                    incident.map_or(String::new(), |i| format!(" about {i}"))
                )
            }));
        }
        let (outcome, reason) = if problems.is_empty() {
            (
                Outcome::Fulfilled,
                cx.reason(|| format!(
                    "{step}: confidence {confidence} ≥ threshold {threshold} and clarification sought first ({}){wrong}",
                    asked.map_or("", |a| a.m.msg.as_str())
                )),
            )
        } else {
            (
                Outcome::Violated,
                cx.reason(|| format!("{step}: {}{wrong}", problems.join("; "))),
            )
        };
        out.push(cx.evidence(s.at.n, s.at.t, outcome, reason, &records));
    }
    out
}

/// The state's public attributions naming a state that did not direct the incident (ground
/// truth), by record, in trace order.
pub(super) fn misattributions(cx: &Cx, state: Name) -> Vec<u32> {
    cx.ix
        .sent_by(state)
        .filter(|s| s.is(MessageKind::PublicStatement))
        .filter_map(|s| {
            let accused = s.m.attributes_to.as_deref()?;
            let facts = cx.ix.incident(s.about()?)?;
            (facts.directed_by.as_deref() != Some(accused)).then_some(s.at.n)
        })
        .collect()
}
