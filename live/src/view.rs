//! Who sees which record. The facilitator and the evaluators are the control cell: they see
//! everything, ground truth included. A team sees what its state would know in the real world
//! and nothing else:
//!
//! - a message it sent, from the moment it goes out, and what became of it;
//! - a message addressed to it (or to an organisation it belongs to, or published) from the
//!   moment it is delivered, and only if [`ttx_scenario::tlp::may_see`] lets it — the one
//!   visibility rule, so TLP:RED reaches its named recipients only;
//! - what its own CERT and points of contact experience: detections, queueing, forensic and
//!   media findings (without whether evidence was planted), incidents ending, its infrastructure
//!   changing state, its PoCs going down, vulnerabilities and compromises it found, and the
//!   decisions recorded for its state;
//! - the injects released to it;
//! - its own notes and decision log, never another team's (`ttx_scenario::live::private_to`).
//!
//! Ground truth — who really is behind an incident, whether a state directs it — never reaches
//! a team. Anything not listed is not shown: a record type added later stays with the control
//! cell until someone decides a team may see it.

use crate::feed::{Fate, Feed};
use ttx_scenario::tlp::{self, Viewer as TlpViewer};
use ttx_scenario::{Message, Record, Scenario, TraceEvent};

/// Whose eyes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer<'a> {
    /// The facilitator and the evaluators.
    Control,
    /// The team playing this state.
    Team(&'a str),
}

/// What one record shows a viewer.
#[derive(Clone, Copy, Debug)]
pub enum Shown<'a> {
    /// The control cell sees the record as it is.
    Whole(&'a Record),
    /// The team's state sent this message.
    Sent(&'a Message),
    /// This message reached the team.
    Received(&'a Message, Option<&'a str>),
    /// What became of a message the team sent.
    Fate {
        msg: &'a str,
        fate: Fate,
        reason: Option<&'a str>,
    },
    /// Something that happened to the team's own state (its CERT, PoCs, infrastructure).
    Own(&'a Record),
    /// An inject released to the team.
    Inject(&'a Record),
    /// The exercise ended.
    End(&'a Record),
    /// One of the team's own notes or decisions.
    Note(&'a Record),
}

/// The states an inject is released to, in scenario order: those the event happens to. Injects
/// that reach players as messages (pings, control-cell messages, moves) are not released on
/// their own — the message is; injects about ground truth (false-flag evidence, a supply-chain
/// compromise not yet found) go to the control cell only.
pub fn inject_audience(scenario: &Scenario, inject: &str) -> Vec<String> {
    scenario
        .injects
        .iter()
        .enumerate()
        .find(|(i, j)| j.id_at(*i) == inject)
        .map_or_else(Vec::new, |(_, j)| event_audience(scenario, &j.event))
}

/// The states an inject's event is released to (see [`inject_audience`]); also used for the
/// facilitator's ad-hoc injects, which are not in the scenario.
pub fn event_audience(scenario: &Scenario, ev: &ttx_scenario::Event) -> Vec<String> {
    use ttx_scenario::Event::*;
    let mut out: Vec<String> = match ev {
        Incident { target, .. } => scenario
            .infra(target)
            .map(|x| vec![x.state.clone()])
            .unwrap_or_default(),
        Outage { infra, .. } => scenario
            .infra(infra)
            .map(|x| {
                let mut v = vec![x.state.clone()];
                v.extend(x.serves.iter().cloned());
                v
            })
            .unwrap_or_default(),
        PocOutage { state, .. } => vec![state.clone()],
        MediaReport { .. } => scenario.states.iter().map(|s| s.id.clone()).collect(),
        Vulnerability { found_by, .. } => vec![found_by.clone()],
        Disinformation { target, .. } => vec![target.clone()],
        _ => Vec::new(),
    };
    // Scenario order, once each.
    let order = |id: &String| scenario.states.iter().position(|s| &s.id == id);
    out.sort_by_key(order);
    out.dedup();
    out
}

/// The state a record is about when it concerns one state's own people and systems.
pub fn own_state<'a>(scenario: &'a Scenario, r: &'a Record) -> Option<&'a str> {
    use TraceEvent::*;
    match &r.event {
        Detected { state, .. }
        | Queued { state, .. }
        | Finding { state, .. }
        | IncidentEnded { state, .. }
        | PocChanged { state, .. }
        | VulnerabilityFound { state, .. }
        | CompromiseFound { state, .. }
        | Exploited { state, .. } => Some(state),
        Decision { actor, .. } => Some(actor),
        InfraChanged { infra, .. } => scenario.infra(infra).map(|x| x.state.as_str()),
        _ => None,
    }
}

/// What record `r` shows `viewer`, or `None`.
pub fn shown<'a>(
    scenario: &'a Scenario,
    feed: &'a Feed,
    viewer: Viewer,
    r: &'a Record,
) -> Option<Shown<'a>> {
    let team = match viewer {
        Viewer::Control => return Some(Shown::Whole(r)),
        Viewer::Team(s) => s,
    };
    // A record private to a team (its notes) is that team's alone — the rule every per-team
    // view and file shares.
    if let Some(owner) = ttx_scenario::live::private_to(&r.event) {
        return (owner == team).then_some(Shown::Note(r));
    }
    use TraceEvent::*;
    match &r.event {
        MessageSent(m) => (m.from == team).then_some(Shown::Sent(m)),
        MessageDelivered { msg, poc, .. } => {
            let m = feed.message(msg)?;
            if m.from == team {
                Some(Shown::Fate {
                    msg,
                    fate: Fate::Delivered,
                    reason: None,
                })
            } else if tlp::may_see(scenario, TlpViewer::Party(team), m, true) {
                // The PoC that took it is the team's own only when it was addressed by name.
                let poc = poc.as_deref().filter(|_| m.to == team);
                Some(Shown::Received(m, poc))
            } else {
                None
            }
        }
        DeliveryFailed { msg, reason, .. } => {
            let m = feed.message(msg)?;
            (m.from == team).then_some(Shown::Fate {
                msg,
                fate: Fate::Bounced,
                reason: Some(reason),
            })
        }
        InjectFired { inject, .. } => {
            let audience = match feed.ad_hoc(inject) {
                Some(ev) => event_audience(scenario, ev),
                None => inject_audience(scenario, inject),
            };
            audience
                .iter()
                .any(|s| s == team)
                .then_some(Shown::Inject(r))
        }
        End { .. } => Some(Shown::End(r)),
        _ => (own_state(scenario, r) == Some(team)).then_some(Shown::Own(r)),
    }
}

/// Every record `viewer` may see, with what it shows, after record number `after`.
pub fn visible<'a>(
    scenario: &'a Scenario,
    feed: &'a Feed,
    viewer: Viewer<'a>,
    after: u32,
) -> impl Iterator<Item = (&'a Record, Shown<'a>)> + 'a {
    feed.after(after)
        .iter()
        .filter_map(move |r| shown(scenario, feed, viewer, r).map(|s| (r, s)))
}

/// The records a team may take away (its log download): those it sees, whole except for ground
/// truth its people could not know (whether forensic evidence was planted).
pub fn team_records(scenario: &Scenario, feed: &Feed, team: &str) -> Vec<Record> {
    let mut out = Vec::new();
    for (r, shown) in visible(scenario, feed, Viewer::Team(team), 0) {
        // A delivery names the message only: the message itself goes first, as it reached
        // the team (its record number and time are those of its sending).
        if let Shown::Received(m, _) = shown
            && let Some(n) = feed.sent_record(&m.msg)
        {
            out.push(n.clone());
        }
        let mut r = r.clone();
        if let TraceEvent::Finding { planted, .. } = &mut r.event {
            *planted = false;
        }
        out.push(r);
    }
    out
}

/// A finished exercise's trace as `team` may take it away (its own after-action report): the
/// header and the records of [`team_records`] — the same rule as its page, stream and log.
pub fn team_trace(
    scenario: &Scenario,
    trace: &ttx_scenario::Trace,
    team: &str,
) -> ttx_scenario::Trace {
    let mut feed = Feed::new();
    feed.extend(trace.records.iter().cloned());
    ttx_scenario::Trace {
        header: trace.header.clone(),
        records: team_records(scenario, &feed, team),
    }
}
