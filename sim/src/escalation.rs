//! Climbing the escalation ladder (DESIGN.md §5). A victim reviews its case while harm continues
//! or its notification goes unacknowledged, and its doctrine decides how far it may go; a state on
//! the receiving end of a step answers it according to its own doctrine — in kind, below, or above
//! (a spiral).

use bevy_ecs::prelude::*;
use ttx_scenario::{EscalationPolicy, MeasureKind, Message, MessageKind, Name, PocLevel, ladder};

use crate::agenda::{Pending, ReviewDue};
use crate::components::{Case, Incident, Investigation};
use crate::ctx::{Ctx, Run};
use crate::prepared::Prepared;

/// Highest level a victim's doctrine lets it reach in a case. Steps from public attribution up
/// require that it attributes the incident to the target.
fn ceiling(policy: EscalationPolicy, severity: u8, attributed: bool) -> u8 {
    let cap = match policy {
        EscalationPolicy::Never => 2,
        EscalationPolicy::Proportional => match severity {
            0..=2 => 2,
            3 => 3,
            4 => 5,
            _ => 6,
        },
        EscalationPolicy::TitForTat => {
            if severity <= 2 {
                2
            } else {
                5
            }
        }
        EscalationPolicy::Hawkish => match severity {
            0..=2 => 4,
            3 => 6,
            4 => 7,
            _ => 8,
        },
    };
    if attributed {
        cap
    } else {
        cap.min(ladder::ATTRIBUTION - 1)
    }
}

/// The level with which a doctrine answers a step at `received`, if it answers at all. An answer
/// never attributes: public attribution (level 5) belongs to a state's own investigated case, so
/// an answer that would land on it goes to a public rejection (4) or, for a hawk, to retorsion (6).
fn counter(policy: EscalationPolicy, received: u8) -> Option<u8> {
    let level = match policy {
        EscalationPolicy::Never => return None,
        EscalationPolicy::Proportional => received.checked_sub(1)?,
        EscalationPolicy::TitForTat => received,
        EscalationPolicy::Hawkish => (received + 1).min(9),
    };
    let level = match level {
        5 if policy == EscalationPolicy::Hawkish => 6,
        5 => 4,
        l => l,
    };
    (level >= 3).then_some(level)
}

/// The message that takes the step `level` from `from` against `to`; `answering` when it answers
/// a step taken against `from`.
#[allow(clippy::too_many_arguments)]
fn step_message(
    ctx: &Ctx,
    prep: &Prepared,
    level: u8,
    from: usize,
    to: usize,
    about: Option<&str>,
    confidence: Option<f64>,
    answering: bool,
) -> Message {
    let target = prep.states[to].id;
    let mut m = match level {
        ..=2 => ctx.poc_message(
            MessageKind::ClarificationRequest,
            from,
            to,
            PocLevel::Diplomatic,
        ),
        3 => ctx.poc_message(MessageKind::Demarche, from, to, PocLevel::Diplomatic),
        4 | 5 => ctx.public_message(MessageKind::PublicStatement, from, &target),
        _ => ctx.public_message(MessageKind::Measure, from, &target),
    };
    m.about = about.map(Name::new);
    match level {
        ..=2 => m.text = Some("request for clarification about activity affecting us".into()),
        3 if answering => m.text = Some("formal protest against the accusations".into()),
        3 => m.text = Some("formal protest".into()),
        4 if answering => {
            m.text = Some(format!("publicly rejects the accusations made by {target}"))
        }
        4 => {
            m.text = Some(format!(
                "concern about malicious activity from the territory of {target}"
            ))
        }
        5 => {
            m.attributes_to = Some(target);
            m.confidence = confidence;
            m.text = Some(format!("attributes the activity to {target}"));
        }
        6 => m.measure = Some(MeasureKind::Sanctions),
        7 => m.measure = Some(MeasureKind::Countermeasure),
        8 => {
            m.measure = Some(MeasureKind::CyberOperation);
            m.target = prep
                .infra
                .iter()
                .find(|x| x.owner == to && x.critical)
                .map(|x| x.id);
            if m.target.is_none() {
                m.measure = Some(MeasureKind::Countermeasure);
            }
        }
        _ => m.measure = Some(MeasureKind::Force),
    }
    m
}

pub fn review_escalation(
    (mut ctx, _): Run,
    mut due: MessageReader<ReviewDue>,
    mut cases: Query<(&Incident, &Investigation, &mut Case)>,
) {
    for &ReviewDue(entity) in due.read() {
        let Ok((inc, inv, mut case)) = cases.get_mut(entity) else {
            continue;
        };
        let prep = ctx.setup.0.clone();
        let v = inc.victim;
        if !ctx.decides(v) {
            continue;
        }
        let doctrine = &prep.states[v].doctrine;
        let target = inv.attributed.unwrap_or(inc.territory);
        let attributed = inv.attributed == Some(target);
        let hawkish = doctrine.escalation == EscalationPolicy::Hawkish;
        // Harm continuing or a notification ignored keeps a case open; a hawkish state that has
        // attributed the incident also seeks retribution after the harm has stopped.
        let grievance =
            inc.active || (case.notified_at.is_some() && !case.acked) || (hawkish && attributed);
        if !grievance || target == v {
            continue;
        }
        let review_again = doctrine.review_every.0;
        let current = ctx.rel.get(v, target).max(ctx.rel.planned(v, target));
        // The first diplomatic step is a private inquiry for states that seek clarification, a
        // formal démarche for those that do not; a hawkish state goes public as soon as it attributes.
        let first = if doctrine.seeks_clarification { 2 } else { 3 };
        let mut next = (current + 1).max(first);
        if hawkish && attributed {
            next = next.max(ladder::ATTRIBUTION);
        }
        if next >= 3 && doctrine.seeks_clarification {
            match case.clarification_asked {
                None => next = 2,
                Some((_, at)) if !case.clarified && ctx.now() < at + doctrine.patience.0 => {
                    ctx.agenda
                        .at(at + doctrine.patience.0, Pending::Review(entity));
                    continue;
                }
                _ if case.clarified && !attributed && !inc.active => continue,
                _ => {}
            }
        }
        if next > ceiling(doctrine.escalation, inc.severity, attributed) {
            ctx.agenda.after(review_again, Pending::Review(entity));
            continue;
        }
        let confidence = crate::incidents::round3(inv.confidence_in(Some(target)));
        let m = step_message(
            &ctx,
            &prep,
            next,
            v,
            target,
            Some(&inc.id),
            attributed.then_some(confidence),
            false,
        );
        let delay = ctx.latency(v, "decide", &doctrine.decision_latency);
        if next == 2 {
            case.clarification_asked = Some((target, ctx.now() + delay));
        }
        ctx.rel.plan(v, target, next);
        ctx.post(delay, m);
        ctx.agenda
            .after(delay + review_again, Pending::Review(entity));
    }
}

pub fn answer_escalation((mut ctx, mail): Run) {
    for &n in &mail.inbound {
        let m = &mail.sent[n];
        let Some(step) = m.step.filter(|&s| s >= 3) else {
            continue;
        };
        let prep = ctx.setup.0.clone();
        let (Some(me), Some(them)) = mail.parties[n] else {
            continue;
        };
        if !ctx.decides(me) {
            continue;
        }
        let doctrine = &prep.states[me].doctrine;
        let Some(level) = counter(doctrine.escalation, step) else {
            continue;
        };
        if level <= ctx.rel.get(me, them).max(ctx.rel.planned(me, them)) {
            continue;
        }
        if level == 8 && !ctx.rel.operations.insert((me, them)) {
            continue; // one operation against critical infrastructure per dyad
        }
        let mut reply = step_message(&ctx, &prep, level, me, them, m.about.as_deref(), None, true);
        reply.refers_to = Some(m.msg);
        let delay = ctx.latency(me, "decide", &doctrine.decision_latency);
        ctx.rel.plan(me, them, level);
        ctx.post(delay, reply);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_attribution_needs_attribution() {
        assert_eq!(ceiling(EscalationPolicy::Hawkish, 4, false), 4);
        assert_eq!(ceiling(EscalationPolicy::Hawkish, 4, true), 7);
        assert_eq!(ceiling(EscalationPolicy::Hawkish, 5, true), 8);
        assert_eq!(ceiling(EscalationPolicy::Proportional, 4, true), 5);
        assert_eq!(ceiling(EscalationPolicy::Never, 5, true), 2);
    }

    #[test]
    fn answers_in_kind_below_or_above() {
        assert_eq!(counter(EscalationPolicy::TitForTat, 3), Some(3));
        assert_eq!(
            counter(EscalationPolicy::TitForTat, 5),
            Some(4),
            "an answer never attributes"
        );
        assert_eq!(counter(EscalationPolicy::Proportional, 3), None);
        assert_eq!(counter(EscalationPolicy::Proportional, 6), Some(4));
        assert_eq!(counter(EscalationPolicy::Hawkish, 4), Some(6));
        assert_eq!(counter(EscalationPolicy::Hawkish, 9), Some(9));
        assert_eq!(counter(EscalationPolicy::Never, 9), None);
    }
}
