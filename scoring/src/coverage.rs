//! MSEL coverage: which injects some expectation actually checks. An exercise that fires ten
//! injects and checks one can rate "P" on that one; reporting the unchecked injects keeps it from
//! looking good by checking little.
//!
//! An inject is checked when an expectation names what it creates: an incident inject by an
//! expectation on that incident; a ping by `ReplyPing` of that inject; a vulnerability or
//! supply-chain inject by `Disclose` of its item; an outage by `Restore` of that infrastructure or
//! of one that depends on it (directly or not); false-flag evidence and media reports by an
//! expectation on their incident; a PoC outage by a `ReplyPing` expectation of the state whose PoC
//! goes down; a disinformation campaign by an expectation linked to norm e whose actor is the
//! targeted state; a scripted move to a state by an expectation of that state on the move's
//! subject (`about`; any expectation of it when the move names no subject). Control-cell
//! messages, and moves addressed to the public, are context for the players, not events that
//! call for a response: they are listed but not counted.

use crate::stats::ratio;
use serde::{Deserialize, Serialize};
use ttx_scenario::{Action, Event, Expect, Name, Norm, Scenario};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InjectCoverage {
    pub inject: Name,
    pub kind: Name,
    /// False for control-cell messages, which call for no response.
    pub counted: bool,
    pub covered: bool,
    /// Expectations that check it.
    pub checked_by: Vec<Name>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Injects counted.
    pub total: u32,
    pub covered: u32,
    pub ratio: Option<f64>,
    /// Counted injects no expectation checks, in scenario order.
    pub uncovered: Vec<Name>,
    /// Every inject in scenario order.
    pub injects: Vec<InjectCoverage>,
}

/// `infra` and everything that depends on it, directly or through others.
fn with_dependents<'a>(sc: &'a Scenario, infra: &'a str) -> Vec<&'a str> {
    let mut out = vec![infra];
    let mut i = 0;
    while i < out.len() {
        let cur = out[i];
        for x in &sc.infrastructure {
            if x.depends_on.iter().any(|d| d == cur) && !out.contains(&x.id.as_str()) {
                out.push(&x.id);
            }
        }
        i += 1;
    }
    out
}

fn checks(sc: &Scenario, event: &Event, inject_id: &str, e: &Expect) -> bool {
    let on_incident = |id: &str| e.does.incident() == Some(id);
    match event {
        Event::Incident { id, .. } => on_incident(id),
        Event::FalseFlag { incident, .. } => on_incident(incident),
        Event::MediaReport { incident, .. } => incident.as_deref().is_some_and(on_incident),
        Event::Ping { .. } => matches!(&e.does, Action::ReplyPing { ping } if ping == inject_id),
        Event::Vulnerability { id, .. } | Event::SupplyChain { id, .. } => {
            matches!(&e.does, Action::Disclose { item } if item == id)
        }
        Event::Outage { infra, .. } => match &e.does {
            Action::Restore { infra: x } => with_dependents(sc, infra).contains(&x.as_str()),
            _ => false,
        },
        Event::PocOutage { state, .. } => {
            matches!(e.does, Action::ReplyPing { .. }) && e.actor == *state
        }
        Event::Disinformation { target, .. } => e.norm == Some(Norm::E) && e.actor == *target,
        Event::Message { .. } => false,
        Event::Move { message, .. } => {
            e.actor == message.to
                && message
                    .about
                    .as_deref()
                    .is_none_or(|a| e.does.subject() == Some(a))
        }
    }
}

/// Whether an inject calls for a response, so that coverage counts it.
fn counted(sc: &Scenario, event: &Event) -> bool {
    match event {
        Event::Message { .. } => false,
        Event::Move { message, .. } => sc.state(&message.to).is_some(),
        _ => true,
    }
}

pub(crate) fn compute(sc: &Scenario) -> Coverage {
    let mut injects = Vec::new();
    for (i, inj) in sc.injects.iter().enumerate() {
        let id = inj
            .id
            .as_deref()
            .map_or_else(|| Name::new(&inj.id_at(i)), Name::new);
        let checked_by: Vec<Name> = sc
            .expectations
            .iter()
            .filter(|e| checks(sc, &inj.event, &id, e))
            .map(|e| Name::new(&e.id))
            .collect();
        injects.push(InjectCoverage {
            kind: Name::new(inj.event.kind()),
            counted: counted(sc, &inj.event),
            covered: !checked_by.is_empty(),
            checked_by,
            inject: id,
        });
    }
    let counted: Vec<&InjectCoverage> = injects.iter().filter(|c| c.counted).collect();
    let covered = counted.iter().filter(|c| c.covered).count() as u32;
    let total = counted.len() as u32;
    Coverage {
        total,
        covered,
        ratio: ratio(covered, total),
        uncovered: counted
            .iter()
            .filter(|c| !c.covered)
            .map(|c| c.inject)
            .collect(),
        injects,
    }
}
