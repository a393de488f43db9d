//! Sending and delivering messages. Sending numbers a message, marks its ladder step, and applies
//! what sending does in the world (a mitigation stops an incident, an operation starts one);
//! delivery checks the receiving point of contact, whose staleness is what PoC drills uncover.

use bevy_ecs::prelude::*;
use ttx_scenario::trace::EndReason;
use ttx_scenario::{
    ActorKind, Channel, Condition, MeasureKind, MessageKind, PocLevel, PocStatus, Technique,
    TraceEvent, ladder,
};

use crate::agenda::{ArriveDue, Inbound, Pending, SendDue};
use crate::components::{Case, Directory, Incident, Mailroom, PocDesk, Relations};
use crate::ctx::Ctx;
use crate::incidents::{StartIncident, Stop};

#[allow(clippy::too_many_arguments)]
pub fn send_messages(
    mut due: MessageReader<SendDue>,
    mut ctx: Ctx,
    mut mail: ResMut<Mailroom>,
    mut rel: ResMut<Relations>,
    dir: Res<Directory>,
    incidents: Query<&Incident>,
    mut stop: MessageWriter<Stop>,
    mut start: MessageWriter<StartIncident>,
) {
    for SendDue(m) in due.read() {
        let prep = ctx.setup.0.clone();
        let mut m = (**m).clone();
        let n = mail.sent.len();
        let from = prep.try_state(&m.from);
        let to = prep.try_state(&m.to);
        if let (Some(f), Some(t)) = (from, to) {
            m.step = ladder::level_of(&m);
            // A step overtaken while it was being prepared (a higher one already went out) is withdrawn.
            if let Some(step) = m.step.filter(|&s| s >= 3 && s < rel.get(f, t)) {
                let detail = format!(
                    "withdraws a level-{step} step: a level-{} step against {} already went out",
                    rel.get(f, t),
                    m.to
                );
                ctx.decision(f, "withdraw", m.about.as_deref(), detail);
                continue;
            }
            if let Some(step) = m.step.filter(|&s| s >= 1) {
                let e = rel.level.entry((f, t)).or_insert(0);
                *e = (*e).max(step);
                fire_level_reached(&mut ctx, f, step);
            }
        }
        m.msg = format!("m{}", n + 1);
        ctx.record(TraceEvent::MessageSent(m.clone()));
        let ch = &prep.scenario.channels;
        let transit = match m.channel {
            Channel::Poc => ch.poc,
            Channel::Cert => ch.cert,
            Channel::Regional => ch.regional,
            Channel::Public | Channel::Control => ch.public,
        };
        ctx.agenda.after(transit.0, Pending::Arrive(n));

        let incident = m.about.as_ref().and_then(|a| dir.incidents.get(a)).copied();
        match (m.kind, from, incident) {
            (MessageKind::MitigationReport, Some(f), Some(e))
                if incidents.get(e).is_ok_and(|i| i.territory == f) =>
            {
                stop.write(Stop(e, EndReason::Mitigated));
            }
            (MessageKind::Acknowledgement, Some(f), Some(_)) => {
                let about = m.about.clone().unwrap_or_default();
                ctx.watch.acks.insert((about, f));
            }
            (MessageKind::IncidentNotification, _, Some(_)) => {
                if let Some(t) = to {
                    schedule_ack_deadlines(&mut ctx, m.about.as_deref().unwrap_or_default(), t);
                }
            }
            _ => {}
        }
        if m.kind == MessageKind::Measure
            && m.measure == Some(MeasureKind::CyberOperation)
            && let (Some(f), Some(target)) = (from, m.target.as_deref())
        {
            let x = prep.infra_ix(target);
            start.write(StartIncident {
                id: format!("op-{}", m.msg),
                target: x,
                by: format!("{}-unit", prep.states[f].id),
                actor_kind: ActorKind::StateUnit,
                territory: f,
                directed_by: Some(f),
                uses_cert: false,
                technique: Technique::Wiper,
                rsit: "availability".into(),
                severity: 4,
                launched_by: Some(m.msg.clone()),
            });
        }
        mail.sent.push(m);
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
                .after(within.0, Pending::AckDeadline(i, inc.clone(), to));
        }
    }
}

pub fn deliver_messages(
    mut due: MessageReader<ArriveDue>,
    mut ctx: Ctx,
    mail: Res<Mailroom>,
    dir: Res<Directory>,
    pocs: Query<&PocDesk>,
    mut cases: Query<&mut Case>,
    mut inbound: MessageWriter<Inbound>,
) {
    for &ArriveDue(n) in due.read() {
        let prep = ctx.setup.0.clone();
        let m = &mail.sent[n];
        let receiver = prep.try_state(&m.to);
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
            Some((_, _, Some(p))) => match pocs
                .get(dir.pocs[p])
                .map(|d| d.status)
                .unwrap_or(PocStatus::Active)
            {
                PocStatus::Active => None,
                PocStatus::Stale => Some(format!(
                    "{}: stale contact details in the PoC directory",
                    prep.pocs[p].id
                )),
                PocStatus::Unreachable => Some(format!("{}: unreachable", prep.pocs[p].id)),
            },
            None => None,
        };
        match failure {
            Some(reason) => {
                ctx.record(TraceEvent::DeliveryFailed {
                    msg: m.msg.clone(),
                    to: m.to.clone(),
                    reason,
                });
                fall_back(&mut ctx, &dir, &mut cases, m);
            }
            None => {
                let poc_id = poc.and_then(|(_, _, p)| p).map(|p| prep.pocs[p].id.clone());
                ctx.record(TraceEvent::MessageDelivered {
                    msg: m.msg.clone(),
                    to: m.to.clone(),
                    poc: poc_id,
                });
                inbound.write(Inbound(n));
            }
        }
    }
}

/// A notification that bounced is sent again once, through the diplomatic PoC, an hour later:
/// what a CERT does when the technical channel fails.
fn fall_back(
    ctx: &mut Ctx,
    dir: &Directory,
    cases: &mut Query<&mut Case>,
    m: &ttx_scenario::Message,
) {
    if m.kind != MessageKind::IncidentNotification || m.level != Some(PocLevel::Technical) {
        return;
    }
    let Some(e) = m.about.as_ref().and_then(|a| dir.incidents.get(a)) else {
        return;
    };
    let Ok(mut case) = cases.get_mut(*e) else {
        return;
    };
    if case.notification_failed_over {
        return;
    }
    case.notification_failed_over = true;
    let prep = ctx.setup.0.clone();
    let (Some(from), Some(to)) = (prep.try_state(&m.from), prep.try_state(&m.to)) else {
        return;
    };
    if prep.poc(to, PocLevel::Diplomatic).is_none() {
        return;
    }
    let mut again = ctx.poc_message(
        MessageKind::IncidentNotification,
        from,
        to,
        PocLevel::Diplomatic,
    );
    again.about = m.about.clone();
    again.refers_to = Some(m.msg.clone());
    again.text = m.text.clone();
    ctx.decision(
        from,
        "fall-back",
        m.about.as_deref(),
        format!("{} bounced; resending through the diplomatic PoC", m.msg),
    );
    ctx.post(3600, again);
}
