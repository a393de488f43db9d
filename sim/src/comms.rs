//! Sending and delivering messages. Sending numbers a message, marks its ladder step, and applies
//! what sending does in the world (a mitigation stops an incident, an operation starts one);
//! delivery checks the receiving point of contact, whose staleness is what PoC drills uncover.

use bevy_ecs::prelude::*;
use ttx_scenario::trace::EndReason;
use ttx_scenario::{
    ActorKind, Channel, Condition, MeasureKind, MessageKind, Name, PocLevel, Sector, Technique,
    TraceEvent, ladder,
};

use crate::agenda::Pending;
use crate::components::{Case, Directory, Hit, Incident};
use crate::ctx::{Ctx, Run, RunState};
use crate::incidents::{StartIncident, Stop};
use crate::infra::InfraHit;
use crate::tick::{Kind, Mail, Wrote};

/// Numbers, records and dispatches the messages due to be sent. What sending a message does in
/// the world is `apply_sent`'s, for the few kinds that do anything: most ticks of a run send
/// pings and replies, and this system runs at every one of them.
pub fn send_messages((mut ctx, mut mail): Run) -> Wrote {
    let prep = ctx.setup.0.clone();
    // Drained: the only reader, so the tick need not empty it after. Handed back empty,
    // keeping its room.
    let mut due = std::mem::take(&mut ctx.due.sends);
    for (mut m, scripted) in due.drain(..) {
        let n = mail.sent.len();
        let from = prep.try_state(m.from);
        let to = prep.try_state(m.to);
        if let (Some(f), Some(t)) = (from, to) {
            m.step = ladder::level_of(&m);
            // A bot's step overtaken while it was being prepared (a higher one already went out)
            // is withdrawn; a move is sent as decided.
            if let Some(step) = m
                .step
                .filter(|&s| !scripted && s >= 3 && s < ctx.rel.get(f, t))
            {
                let detail = format!(
                    "withdraws a level-{step} step: a level-{} step against {} already went out",
                    ctx.rel.get(f, t),
                    m.to
                );
                ctx.decision(f, "withdraw", m.about, detail);
                continue;
            }
            if let Some(step) = m.step.filter(|&s| s >= 1) {
                let e = ctx.rel.level.entry((f, t)).or_insert(0);
                *e = (*e).max(step);
                fire_level_reached(&mut ctx, f, step);
            }
        }
        m.msg = ttx_scenario::Message::id_for(n + 1);
        let ch = &prep.scenario.channels;
        let transit = match m.channel {
            Channel::Poc => ch.poc,
            Channel::Cert => ch.cert,
            Channel::Regional => ch.regional,
            Channel::Public | Channel::Control => ch.public,
        };
        let changes = changes_world(m.kind);
        let now = ctx.now();
        mail.post(&mut ctx.trace, now, m);
        ctx.agenda.after(transit.0, Pending::Arrive(n));
        if changes {
            ctx.due.sent.push(n);
        }
        mail.arrived.push(false);
        mail.parties.push((to, from));
    }
    ctx.due.sends = due;
    Wrote::kind_if(Kind::Sent, !ctx.due.sent.is_empty())
}

/// The kinds `apply_sent` acts on: only these are handed to it.
fn changes_world(kind: MessageKind) -> bool {
    matches!(
        kind,
        MessageKind::MitigationReport
            | MessageKind::Acknowledgement
            | MessageKind::IncidentNotification
            | MessageKind::Measure
    )
}

/// What sending does in the world: a mitigation report stops the incident it reports on, an
/// acknowledgement is noted, a victim's notification opens its case, a shutdown degrades the
/// shutting state's own networks, and a cyber operation starts an incident. Runs right after
/// `send_messages`, before anything else of the tick, message by message in sending order, so
/// the world is as if each message had done it as it went out.
#[allow(clippy::too_many_arguments)]
pub fn apply_sent(
    (mut ctx, mail): Run,
    dir: Res<Directory>,
    mut incidents: Query<(&mut Incident, &mut Case)>,
    mut stop: MessageWriter<Stop>,
    mut start: MessageWriter<StartIncident>,
    mut hits: MessageWriter<InfraHit>,
) {
    let prep = ctx.setup.0.clone();
    // Drained and handed back, as in `send_messages`.
    let mut sent = std::mem::take(&mut ctx.due.sent);
    for &n in &sent {
        let m = &mail.sent[n];
        let (to, from) = mail.parties[n];
        let incident = m.about.as_ref().and_then(|a| dir.incidents.get(a)).copied();
        match (m.kind, from, incident) {
            (MessageKind::MitigationReport, Some(f), Some(e))
                if incidents.get(e).is_ok_and(|(i, _)| i.territory == f) =>
            {
                if let Ok((mut i, _)) = incidents.get_mut(e) {
                    i.mitigation_posted = true;
                }
                stop.write(Stop(e, EndReason::Mitigated));
            }
            (MessageKind::Acknowledgement, Some(f), Some(_)) => {
                let about = m.about.unwrap_or_default();
                ctx.watch.acks.insert((about, f));
            }
            (MessageKind::IncidentNotification, _, Some(e)) => {
                if let Some(t) = to {
                    schedule_ack_deadlines(&mut ctx, m.about.as_deref().unwrap_or_default(), t);
                }
                // A victim's notification, whoever drafted it, opens its case once: its bot
                // then waits for the acknowledgement and reviews escalation.
                if let Ok((i, mut case)) = incidents.get_mut(e)
                    && from == Some(i.victim)
                    && case.notified_at.is_none()
                {
                    case.notified_at = Some(ctx.now());
                    if ctx.decides(i.victim) {
                        let patience = prep.states[i.victim].doctrine.patience.0;
                        ctx.agenda.after(patience, Pending::Review(e));
                    }
                }
            }
            _ => {}
        }
        if m.kind == MessageKind::Measure
            && m.measure == Some(MeasureKind::InternetShutdown)
            && let Some(f) = from
        {
            shut_down(&mut ctx, f, m, &mut hits);
        }
        if m.kind == MessageKind::Measure
            && m.measure == Some(MeasureKind::CyberOperation)
            && let (Some(f), Some(target)) = (from, m.target.as_deref())
        {
            let x = prep.infra_ix(target);
            start.write(StartIncident {
                id: Name::new(&format!("op-{}", m.msg)),
                target: x,
                by: Name::new(&format!("{}-unit", prep.states[f].id)),
                actor_kind: ActorKind::StateUnit,
                territory: f,
                directed_by: Some(f),
                uses_cert: false,
                technique: Technique::Wiper,
                rsit: "availability".into(),
                severity: 4,
                launched_by: Some(m.msg),
                supported_by: None,
                exploits: None,
            });
        }
    }
    sent.clear();
    ctx.due.sent = sent;
}

/// Norm e has a cost: an internet shutdown degrades the shutting state's own telecom and
/// internet-core infrastructure — and, through dependencies, what relies on them — for as long
/// as it lasts.
fn shut_down(
    ctx: &mut Ctx,
    state: usize,
    m: &ttx_scenario::Message,
    hits: &mut MessageWriter<InfraHit>,
) {
    let prep = ctx.setup.0.clone();
    for (x, info) in prep.infra.iter().enumerate() {
        if info.owner != state || !matches!(info.sector, Sector::Telecom | Sector::InternetCore) {
            continue;
        }
        hits.write(InfraHit {
            infra: x,
            cause: m.msg,
            hit: Some(Hit::Degraded),
        });
        if let Some(d) = m.duration {
            ctx.agenda.after(d.0, Pending::OutageOver(x, m.msg));
        }
    }
}

fn fire_level_reached(ctx: &mut Ctx, from: usize, step: u8) {
    let prep = ctx.setup.0.clone();
    for (i, inj) in prep.injects.iter().enumerate() {
        if let Some(Condition::LevelReached { level, by }) = &inj.when
            && step >= *level
            && by.as_deref().is_none_or(|b| b == prep.states[from].id)
            && ctx.watch.fired.insert(i)
        {
            ctx.agenda.after(0, Pending::Inject(i));
        }
    }
}

fn schedule_ack_deadlines(ctx: &mut Ctx, incident: &str, to: usize) {
    let prep = ctx.setup.0.clone();
    for (i, inj) in prep.injects.iter().enumerate() {
        if let Some(Condition::NoAcknowledgement {
            incident: inc,
            by,
            within,
        }) = &inj.when
            && inc == incident
            && *by == prep.states[to].id
            && ctx.watch.deadlines.insert(i)
        {
            ctx.agenda
                .after(within.0, Pending::AckDeadline(i, inc.into(), to));
        }
    }
}

pub fn deliver_messages((mut ctx, mut mail): Run, dir: Res<Directory>) -> Wrote {
    let prep = ctx.setup.0.clone();
    // The last delivery step's mail, answered by now.
    mail.inbound.clear();
    let mut kinds = Mail::NONE;
    // Drained and handed back, as in `send_messages`.
    let mut due = std::mem::take(&mut ctx.due.arrivals);
    for &n in &due {
        let m = &mail.sent[n];
        let receiver = mail.parties[n].0;
        let poc = match (m.channel, receiver, m.level) {
            (Channel::Poc, Some(s), Some(level)) => Some((s, level, prep.poc(s, level))),
            _ => None,
        };
        let failure = match poc {
            Some((_, level, None)) => Some(format!(
                "{} designated no {} point of contact",
                m.to,
                level.as_str()
            )),
            Some((_, _, Some(p))) => prep.bounce(p, dir.pocs[p]),
            None => None,
        };
        match failure {
            Some(reason) => {
                ctx.record(TraceEvent::DeliveryFailed {
                    msg: m.msg,
                    to: m.to,
                    reason,
                });
                fall_back(&mut ctx, &dir, m);
            }
            None => {
                let poc_id = poc.and_then(|(_, _, p)| p).map(|p| prep.pocs[p].id);
                ctx.record(TraceEvent::MessageDelivered {
                    msg: m.msg,
                    to: m.to,
                    poc: poc_id,
                });
                fire_received(&mut ctx, m);
                kinds.note(m);
                mail.inbound.push(n);
                mail.arrived[n] = true;
            }
        }
    }
    due.clear();
    ctx.due.arrivals = due;
    Wrote::Mail(kinds)
}

/// `Received` injects waiting for this message to reach its receiver.
fn fire_received(ctx: &mut Ctx, m: &ttx_scenario::Message) {
    let RunState {
        setup,
        agenda,
        watch,
        ..
    } = &mut **ctx;
    let prep = &setup.0;
    for &i in &prep.on_receipt {
        if let Some(Condition::Received {
            by,
            kind,
            from,
            about,
            after,
        }) = &prep.injects[i].when
            && *kind == m.kind
            && *by == m.to
            && from.as_ref().is_none_or(|f| *f == m.from)
            && about
                .as_ref()
                .is_none_or(|a| m.about.is_some_and(|x| x == *a))
            && watch.fired.insert(i)
        {
            agenda.after(after.0, Pending::Inject(i));
        }
    }
}

/// What a sender's bot does when its message bounces at a PoC: a notification is sent again
/// once per incident through the diplomatic PoC, an hour later (what a CERT does when the
/// technical channel fails); a legal cooperation request is sent again once through the other
/// of the technical and diplomatic PoCs (norm d: find a channel that works).
fn fall_back(ctx: &mut Ctx, dir: &Directory, m: &ttx_scenario::Message) {
    let prep = ctx.setup.0.clone();
    let (Some(from), Some(to)) = (prep.try_state(m.from), prep.try_state(m.to)) else {
        return;
    };
    if !ctx.decides(from) {
        return;
    }
    let level = match (m.kind, m.level) {
        (MessageKind::IncidentNotification, Some(PocLevel::Technical)) => {
            let Some(incident) = m.about.filter(|a| dir.incidents.contains_key(a)) else {
                return;
            };
            if !ctx.watch.failed_over.insert(incident) {
                return;
            }
            PocLevel::Diplomatic
        }
        // A resend refers to what it resends; it is not resent again.
        (MessageKind::LegalRequest, Some(l)) if m.refers_to.is_none() => match l {
            PocLevel::Technical => PocLevel::Diplomatic,
            _ => PocLevel::Technical,
        },
        _ => return,
    };
    if prep.poc(to, level).is_none() {
        return;
    }
    let mut again = ctx.poc_message(m.kind, from, to, level);
    again.about = m.about;
    again.refers_to = Some(m.msg);
    again.text = m.text.clone();
    again.indicators = m.indicators.clone();
    ctx.decision(
        from,
        "fall-back",
        m.about,
        format!(
            "{} bounced; resending through the {} PoC",
            m.msg,
            level.as_str()
        ),
    );
    ctx.post(3600, again);
}
