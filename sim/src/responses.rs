//! How a bot-controlled state answers what reaches it: pings, notifications about activity from
//! its territory (norm c), requests for assistance (norm h), clarification requests, and
//! law-enforcement cooperation requests (norm d). Each answer goes back through the point of
//! contact at which the request arrived, subject to that desk's working hours.

use bevy_ecs::prelude::*;
use ttx_scenario::{Capacity, MessageKind, Offer, PocLevel, Span, TraceEvent};

use crate::agenda::Pending;
use crate::components::{Case, CertDesk, Directory, Incident, Mailroom};
use crate::ctx::{Ctx, Run};
use crate::incidents::speed_up_containment;

/// Receiver state of an inbound message, when it is a state; the message; and the sender's index.
fn inbound(mail: &Mailroom, n: usize) -> Option<(usize, &ttx_scenario::Message, Option<usize>)> {
    let (to, from) = mail.parties[n];
    Some((to?, &mail.sent[n], from))
}

/// A reply to `m` from `me`, through the same channel and PoC level it came on.
fn reply(
    ctx: &Ctx,
    kind: MessageKind,
    me: usize,
    m: &ttx_scenario::Message,
) -> ttx_scenario::Message {
    let mut r = ttx_scenario::Message::new(
        kind,
        ctx.state_id(me),
        m.from,
        m.channel,
        crate::ctx::tlp_for(kind),
    );
    r.level = m.level;
    r.refers_to = Some(m.msg);
    r.about = m.about;
    r
}

/// The level of the PoC at which `m` arrived, whose desk answers it.
fn desk_level(m: &ttx_scenario::Message) -> PocLevel {
    m.level.unwrap_or(PocLevel::Technical)
}

/// Posts `r`, `me`'s answer to `m`, once the PoC at which `m` arrived has worked on it.
fn answer_at_desk(ctx: &mut Ctx, me: usize, m: &ttx_scenario::Message, r: ttx_scenario::Message) {
    ctx.post_answer(me, desk_level(m), r);
}

/// The messages of `kind` delivered to a state this tick: (receiver, message, sender if a state).
fn delivered(
    mail: &Mailroom,
    kind: MessageKind,
) -> Vec<(usize, &ttx_scenario::Message, Option<usize>)> {
    mail.inbound
        .iter()
        .filter_map(|&n| inbound(mail, n))
        .filter(|(_, m, _)| m.kind == kind)
        .collect()
}

/// The messages of `kind` delivered this tick to a state whose doctrine decides for it. A state
/// the control cell plays answers nothing on its own; its answers are moves.
fn of_kind<'m>(
    ctx: &Ctx,
    mail: &'m Mailroom,
    kind: MessageKind,
) -> Vec<(usize, &'m ttx_scenario::Message, Option<usize>)> {
    let mut out = delivered(mail, kind);
    out.retain(|(me, _, _)| ctx.decides(*me));
    out
}

/// Answers `m` with `kind` (saying `text`) after the doctrine's latency, with probability `p`; or
/// records that it went unanswered, so the timeline explains the silence.
fn answer_or_not(ctx: &mut Ctx, me: usize, m: &ttx_scenario::Message, answer: Answer) {
    if ctx.chance(me, answer.purpose, answer.probability) {
        let delay = ctx.latency(me, answer.purpose, &answer.latency);
        let mut r = reply(ctx, answer.kind, me, m);
        r.text = Some(answer.text);
        ctx.post(delay, r);
    } else {
        let detail = ctx.prep().let_go(me, m.msg, "left unanswered");
        ctx.decision(me, answer.unanswered, m.about, detail);
    }
}

struct Answer {
    purpose: &'static str,
    probability: f64,
    latency: ttx_scenario::Dist,
    kind: MessageKind,
    text: String,
    unanswered: &'static str,
}

pub fn answer_pings((mut ctx, mail): Run) {
    for (me, m, _) in of_kind(&ctx, &mail, MessageKind::Ping) {
        let p = ctx.prep().states[me].doctrine.ping_reply_probability;
        if ctx.chance(me, "ping", p) {
            let r = reply(&ctx, MessageKind::PingReply, me, m);
            answer_at_desk(&mut ctx, me, m, r);
        } else {
            let detail = ctx.prep().let_go(me, m.msg, "left unanswered");
            ctx.decision(me, "no-reply", m.about, detail);
        }
    }
}

pub fn answer_notifications(
    (mut ctx, mail): Run,
    dir: Res<Directory>,
    mut incidents: Query<&mut Incident>,
    desks: Query<&CertDesk>,
) {
    for (me, m, from) in of_kind(&ctx, &mail, MessageKind::IncidentNotification) {
        let Some(victim) = from else {
            continue;
        };
        let prep = ctx.setup.0.clone();
        let doctrine = &prep.states[me].doctrine;
        if !ctx.chance(me, "ack", doctrine.ack_probability) {
            ctx.decision(
                me,
                "ignore",
                m.about,
                prep.let_go(me, m.msg, "not acknowledged"),
            );
            continue;
        }
        // The acknowledgement's delay also paces the mitigation below, so it is drawn apart.
        let ack_delay = ctx.poc_answer_delay(me, desk_level(m));
        let ack = reply(&ctx, MessageKind::Acknowledgement, me, m);
        ctx.post(ack_delay, ack);

        let Some(mut inc) = m
            .about
            .as_ref()
            .and_then(|a| dir.incidents.get(a))
            .and_then(|&e| incidents.get_mut(e).ok())
        else {
            continue;
        };
        if inc.directed_by == Some(me) {
            ctx.decision(
                me,
                "deny",
                Some(inc.id),
                "acknowledges but takes no action against an operation it directs".into(),
            );
        } else if prep.states[me].capacity == Capacity::Developing
            || desks
                .get(dir.certs[me])
                .is_ok_and(|d| d.busy >= prep.states[me].cert.analysts)
        {
            // Norm c guidance ii: lacking capacity — a developing CERT, or one whose analysts
            // are all busy — a state may ask others for assistance instead of mitigating.
            if ctx.chance(
                me,
                "request-assistance",
                doctrine.request_assistance_probability,
            ) {
                for p in prep.partners(me, Some(victim)) {
                    let mut req =
                        ctx.poc_message(MessageKind::AssistanceRequest, me, p, PocLevel::Technical);
                    req.about = Some(inc.id);
                    req.text = Some(format!(
                        "assistance to stop activity from our territory related to {} (norm c guidance ii)",
                        inc.id
                    ));
                    ctx.post(ack_delay, req);
                }
            }
        } else if !inc.mitigation_posted
            && ctx.chance(me, "mitigate", doctrine.mitigate_probability)
        {
            inc.mitigation_posted = true;
            let delay = ack_delay + ctx.latency(me, "mitigate", &doctrine.mitigate_latency);
            let mut r = reply(&ctx, MessageKind::MitigationReport, me, m);
            r.text = Some("infrastructure used taken down; hosting accounts suspended".into());
            ctx.post(delay, r);
        } else {
            ctx.decision(
                me,
                "no-mitigation",
                Some(inc.id),
                format!("takes no measures (doctrine {})", doctrine.name),
            );
        }
    }
}

pub fn answer_assistance_requests((mut ctx, mail): Run) {
    for (me, m, from) in of_kind(&ctx, &mail, MessageKind::AssistanceRequest) {
        let Some(_) = from else {
            continue;
        };
        let prep = ctx.setup.0.clone();
        let doctrine = &prep.states[me].doctrine;
        // Norm h guidance i: acknowledge through the PoC, then answer with nature, scope, terms, timeframe.
        if ctx.chance(me, "ack", doctrine.ack_probability) {
            let ack = reply(&ctx, MessageKind::Acknowledgement, me, m);
            answer_at_desk(&mut ctx, me, m, ack);
        }
        let decide = ctx.latency(me, "assist", &doctrine.assist_latency);
        let capacity = prep.states[me].capacity;
        if capacity != Capacity::Developing && ctx.chance(me, "assist", doctrine.assist_probability)
        {
            let timeframe = if capacity == Capacity::Advanced {
                Span::hours(24)
            } else {
                Span::hours(48)
            };
            let mut offer = reply(&ctx, MessageKind::AssistanceOffer, me, m);
            offer.offer = Some(Box::new(Offer {
                nature: "incident-response team: remote forensics and containment support".into(),
                scope: format!(
                    "{} at {}",
                    m.about.as_deref().unwrap_or("the incident"),
                    m.from
                ),
                terms: "no cost; information handled under TLP:AMBER".into(),
                timeframe,
            }));
            ctx.post(decide, offer);
            if ctx.chance(me, "deliver", doctrine.deliver_probability) {
                let delivered = reply(&ctx, MessageKind::AssistanceDelivered, me, m);
                ctx.post(decide + timeframe.0, delivered);
            } else {
                let note = TraceEvent::Decision {
                    actor: prep.states[me].id,
                    decision: "not-delivered".into(),
                    about: m.about,
                    detail: format!("assistance offered on {} was not delivered", m.msg),
                };
                ctx.agenda
                    .after(decide + timeframe.0, Pending::Note(Box::new(note)));
            }
        } else {
            let mut decline = reply(&ctx, MessageKind::AssistanceDecline, me, m);
            decline.text = Some(if capacity == Capacity::Developing {
                "lacks the capacity to assist".into()
            } else {
                "unable to assist at this time".into()
            });
            ctx.post(decide, decline);
        }
    }
}

/// Assistance reaching a victim speeds its containment; reaching a state of origin that asked for
/// help (norm c guidance ii), it lets that state mitigate.
pub fn receive_assistance(
    (mut ctx, mail): Run,
    dir: Res<Directory>,
    mut incidents: Query<&mut Incident>,
) {
    // Delivered help is CERT work: it speeds containment whoever decides for the victim.
    for (me, m, _) in delivered(&mail, MessageKind::AssistanceDelivered) {
        let Some(&e) = m.about.as_ref().and_then(|a| dir.incidents.get(a)) else {
            continue;
        };
        let Ok(mut inc) = incidents.get_mut(e) else {
            continue;
        };
        if inc.victim == me {
            speed_up_containment(&mut ctx, e, &mut inc);
        } else if inc.territory == me && inc.active && !inc.mitigation_posted && ctx.decides(me) {
            inc.mitigation_posted = true;
            let prep = ctx.setup.0.clone();
            let delay = ctx.latency(me, "mitigate", &prep.states[me].doctrine.mitigate_latency);
            let mut r = ctx.poc_message(
                MessageKind::MitigationReport,
                me,
                inc.victim,
                PocLevel::Technical,
            );
            r.about = Some(inc.id);
            r.text = Some("with partner assistance, activity from our territory stopped".into());
            ctx.post(delay, r);
        }
    }
}

pub fn answer_clarifications(
    (mut ctx, mail): Run,
    dir: Res<Directory>,
    incidents: Query<&Incident>,
) {
    for (me, m, from) in of_kind(&ctx, &mail, MessageKind::ClarificationRequest) {
        if from.is_none() {
            continue;
        }
        let directs = m
            .about
            .as_ref()
            .and_then(|a| dir.incidents.get(a))
            .and_then(|&e| incidents.get(e).ok())
            .is_some_and(|i| i.directed_by == Some(me));
        let doctrine = &ctx.prep().states[me].doctrine;
        let answer = Answer {
            purpose: "clarify",
            probability: doctrine.clarify_probability,
            latency: doctrine.clarify_latency.clone(),
            kind: MessageKind::Clarification,
            text: if directs {
                "denies any involvement".into()
            } else {
                "no state involvement; the activity is being investigated as criminal".into()
            },
            unanswered: "no-clarification",
        };
        answer_or_not(&mut ctx, me, m, answer);
    }
}

/// Norm a: a request for information about an incident is answered with what the state knows,
/// when its doctrine shares information, after its PoC desk's answer time.
pub fn answer_information_requests((mut ctx, mail): Run) {
    for (me, m, from) in of_kind(&ctx, &mail, MessageKind::InformationRequest) {
        if from.is_none() {
            continue;
        }
        let p = ctx.prep().states[me].doctrine.share_probability;
        if ctx.chance(me, "inform", p) {
            let mut r = reply(&ctx, MessageKind::InformationShare, me, m);
            r.text =
                Some("what our CERT knows: indicators, affected systems, current status".into());
            answer_at_desk(&mut ctx, me, m, r);
        } else {
            let detail = ctx.prep().let_go(me, m.msg, "left unanswered");
            ctx.decision(me, "no-information", m.about, detail);
        }
    }
}

pub fn answer_legal_requests((mut ctx, mail): Run) {
    for (me, m, from) in of_kind(&ctx, &mail, MessageKind::LegalRequest) {
        if from.is_none() {
            continue;
        }
        let doctrine = &ctx.prep().states[me].doctrine;
        let answer = Answer {
            purpose: "legal",
            probability: doctrine.legal_probability,
            latency: doctrine.legal_latency.clone(),
            kind: MessageKind::LegalReply,
            text: "evidence preserved; formal mutual legal assistance request invited".into(),
            unanswered: "no-legal-reply",
        };
        answer_or_not(&mut ctx, me, m, answer);
    }
}

/// The victim takes note of what comes back about its incident.
pub fn track_responses(
    (ctx, mail): Run,
    dir: Res<Directory>,
    mut cases: Query<(&Incident, &mut Case)>,
) {
    for &n in &mail.inbound {
        let Some((me, m, _)) = inbound(&mail, n) else {
            continue;
        };
        let Some(&e) = m.about.as_ref().and_then(|a| dir.incidents.get(a)) else {
            continue;
        };
        let Ok((inc, mut case)) = cases.get_mut(e) else {
            continue;
        };
        if inc.victim != me {
            continue;
        }
        match m.kind {
            MessageKind::Acknowledgement if Some(inc.territory) == ctx.prep().try_state(m.from) => {
                case.acked = true
            }
            MessageKind::Clarification => case.clarified = true,
            _ => {}
        }
    }
}
