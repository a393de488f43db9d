//! Firing injects: the exercise control cell's script (MSEL) turned into happenings.

use bevy_ecs::prelude::*;
use ttx_scenario::trace::FindingSource;
use ttx_scenario::{
    Channel, Event, MeasureKind, Message, MessageKind, Name, PocLevel, PocStatus, Span, TraceEvent,
};

use crate::agenda::{AckDeadlineDue, InjectDue, NoteDue, Pending, PocBackDue};
use crate::components::{Directory, Hit, Incident, Investigation};
use crate::ctx::{Ctx, Run, tlp_for};
use crate::incidents::{StartIncident, consider_attribution, round3};
use crate::infra::InfraHit;
use crate::items::{Learn, disclose_or_exploit};
use crate::moves::PlayMove;
use ttx_scenario::injects::OutageLevel;

/// A `NoAcknowledgement` deadline passed: fire its inject unless the state acknowledged.
pub fn check_ack_deadlines((mut ctx, _): Run, mut due: MessageReader<AckDeadlineDue>) {
    for AckDeadlineDue(i, incident, state) in due.read() {
        if !ctx.watch.acks.contains(&(*incident, *state)) && ctx.watch.fired.insert(*i) {
            ctx.agenda.after(0, Pending::Inject(*i));
        }
    }
}

/// Trace records scheduled to become true now. A state that finds a compromise now knows of it.
pub fn write_notes(
    (mut ctx, _): Run,
    mut due: MessageReader<NoteDue>,
    mut learn: MessageWriter<Learn>,
) {
    for NoteDue(event) in due.read() {
        if let TraceEvent::CompromiseFound { item, state } = &**event
            && let Some(s) = ctx.prep().try_state(state)
        {
            learn.write(Learn(*item, s));
        }
        ctx.record((**event).clone());
    }
}

pub fn restore_pocs(
    (mut ctx, _): Run,
    mut due: MessageReader<PocBackDue>,
    mut dir: ResMut<Directory>,
) {
    for &PocBackDue(p, status) in due.read() {
        if let Some(desk) = dir.pocs.get_mut(p) {
            *desk = status;
            let info = &ctx.setup.0.pocs[p];
            let event = TraceEvent::PocChanged {
                poc: info.id,
                state: ctx.setup.0.states[info.state].id,
                level: info.level,
                status,
            };
            ctx.record(event);
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn fire_injects(
    (mut ctx, _): Run,
    mut due: MessageReader<InjectDue>,
    mut dir: ResMut<Directory>,
    mut investigations: Query<(&Incident, &mut Investigation)>,
    mut start: MessageWriter<StartIncident>,
    mut hits: MessageWriter<InfraHit>,
    mut moves: MessageWriter<PlayMove>,
    mut learn: MessageWriter<Learn>,
) {
    for &InjectDue(i) in due.read() {
        if !ctx.watch.done.insert(i) {
            continue;
        }
        let prep = ctx.setup.0.clone();
        let inj = &prep.injects[i];
        ctx.record(TraceEvent::InjectFired {
            inject: inj.id,
            kind: inj.event.kind().into(),
            note: (!inj.note.is_empty()).then(|| inj.note.clone()),
        });
        match &inj.event {
            Event::Incident {
                id,
                target,
                by,
                territory,
                technique,
                rsit,
                severity,
                exploits,
                ..
            } => {
                let actor = prep.actor(by);
                start.write(StartIncident {
                    id: id.into(),
                    target: prep.infra_ix(target),
                    by: by.into(),
                    actor_kind: actor.kind,
                    territory: territory
                        .as_deref()
                        .map(|t| prep.state(t))
                        .unwrap_or(actor.operates_from),
                    directed_by: actor.directed_by,
                    supported_by: actor.supported_by,
                    uses_cert: actor.uses_cert,
                    technique: *technique,
                    rsit: rsit.clone(),
                    severity: *severity,
                    launched_by: None,
                    exploits: exploits.as_deref().map(Name::new),
                });
            }
            Event::FalseFlag {
                incident,
                points_to,
                strength,
            } => {
                ctx.watch
                    .flags
                    .insert(incident.into(), (prep.state(points_to), *strength));
            }
            Event::Outage {
                infra,
                level,
                duration,
            } => {
                let x = prep.infra_ix(infra);
                let hit = match level {
                    OutageLevel::Degraded => Hit::Degraded,
                    OutageLevel::Disrupted => Hit::Disrupted,
                };
                hits.write(InfraHit {
                    infra: x,
                    cause: inj.id,
                    hit: Some(hit),
                });
                ctx.agenda.after(duration.0, Pending::OutageOver(x, inj.id));
                report_outage(&mut ctx, x, &inj.id, *level, *duration);
            }
            Event::PocOutage {
                state,
                level,
                duration,
            } => {
                let Some(p) = prep.poc(prep.state(state), *level) else {
                    continue;
                };
                if let Some(desk) = dir.pocs.get_mut(p) {
                    let before = *desk;
                    *desk = PocStatus::Unreachable;
                    ctx.record(TraceEvent::PocChanged {
                        poc: prep.pocs[p].id,
                        state: state.into(),
                        level: *level,
                        status: PocStatus::Unreachable,
                    });
                    ctx.agenda.after(duration.0, Pending::PocBack(p, before));
                }
            }
            Event::MediaReport {
                incident, claims, ..
            } => {
                let (Some(incident), Some(claims)) = (incident, claims) else {
                    continue;
                };
                let Some(&e) = dir.incidents.get(&Name::new(incident)) else {
                    continue;
                };
                let Ok((inc, mut inv)) = investigations.get_mut(e) else {
                    continue;
                };
                let s = prep.state(claims);
                inv.add(Some(s));
                let (leading, confidence) = inv.leading();
                ctx.record(TraceEvent::Finding {
                    incident: incident.into(),
                    state: prep.states[inc.victim].id,
                    source: FindingSource::Media,
                    points_to: Some(claims.into()),
                    planted: inc.directed_by != Some(s),
                    leading: leading.map(|l| prep.states[l].id),
                    confidence: round3(confidence),
                });
                consider_attribution(&mut ctx, inc, &mut inv);
            }
            Event::Vulnerability {
                id,
                found_by,
                vendor_state,
                product,
                severity,
            } => {
                ctx.record(TraceEvent::VulnerabilityFound {
                    item: id.into(),
                    state: found_by.into(),
                    vendor_state: vendor_state.into(),
                    product: product.into(),
                    severity: *severity,
                });
                let (finder, vendor) = (prep.state(found_by), prep.state(vendor_state));
                learn.write(Learn(Name::new(id), finder));
                // Norm j: to the vendor's state, and through the CERT network to partners.
                let mut recipients = vec![vendor];
                recipients.extend(prep.partners(finder, Some(vendor)));
                disclose_or_exploit(&mut ctx, id, finder, &recipients, 0);
            }
            Event::SupplyChain {
                id,
                vendor,
                vendor_state,
                affected,
                by,
            } => {
                let actor = prep.actor(by);
                let vs = prep.state(vendor_state);
                ctx.record(TraceEvent::CompromiseStarted {
                    item: id.into(),
                    vendor: vendor.into(),
                    vendor_state: vendor_state.into(),
                    affected: affected.iter().map(Name::from).collect(),
                    by: by.into(),
                    directed_by: actor.directed_by.map(|d| prep.states[d].id),
                });
                let found = ctx.streams.sample(
                    vendor_state,
                    "find-compromise",
                    &prep.states[vs].cert.detect,
                );
                let note = TraceEvent::CompromiseFound {
                    item: id.into(),
                    state: vendor_state.into(),
                };
                ctx.agenda.after(found, Pending::Note(Box::new(note)));
                let mut users: Vec<usize> = affected
                    .iter()
                    .map(|a| prep.infra[prep.infra_ix(a)].owner)
                    .collect();
                users.sort_unstable();
                users.dedup();
                for &u in &users {
                    // Users' own CERTs find it too, later and unaided.
                    let own = 3 * ctx.streams.sample(
                        &prep.states[u].id,
                        "find-compromise",
                        &prep.states[u].cert.detect,
                    );
                    let note = TraceEvent::CompromiseFound {
                        item: id.into(),
                        state: prep.states[u].id,
                    };
                    ctx.agenda.after(own, Pending::Note(Box::new(note)));
                }
                users.retain(|&u| u != vs);
                if actor.directed_by == Some(vs) {
                    let note = TraceEvent::Exploited {
                        item: id.into(),
                        state: vendor_state.into(),
                    };
                    ctx.agenda.after(found, Pending::Note(Box::new(note)));
                } else {
                    disclose_or_exploit(&mut ctx, id, vs, &users, found);
                }
            }
            Event::Disinformation { id, target, by } => {
                let actor = prep.actor(by);
                ctx.record(TraceEvent::DisinformationStarted {
                    item: id.into(),
                    target: target.into(),
                    by: by.into(),
                    directed_by: actor.directed_by.map(|d| prep.states[d].id),
                });
                let t = prep.state(target);
                let doctrine = &prep.states[t].doctrine;
                if !ctx.decides(t) {
                    continue;
                }
                if ctx.chance(t, "shutdown", doctrine.shutdown_probability) {
                    let mut m = ctx.public_message(MessageKind::Measure, t, "public");
                    m.measure = Some(MeasureKind::InternetShutdown);
                    m.duration = Some(Span::hours(SHUTDOWN_HOURS));
                    m.about = Some(id.into());
                    m.text = Some("nationwide shutdown of mobile internet and social media".into());
                    let delay = ctx.latency(t, "decide", &doctrine.decision_latency);
                    ctx.post(delay, m);
                } else {
                    ctx.decision(
                        t,
                        "counter-speech",
                        Some(Name::new(id)),
                        "answers the campaign with public information, not restrictions".into(),
                    );
                }
            }
            Event::Ping { from, to, levels } => {
                let sender = Name::new(from.as_deref().unwrap_or("control"));
                for (s, state) in prep.states.iter().enumerate() {
                    if !to.is_empty() && !to.iter().any(|t| *t == state.id) {
                        continue;
                    }
                    for level in PocLevel::ALL {
                        if (!levels.is_empty() && !levels.contains(&level))
                            || prep.poc(s, level).is_none()
                            || sender == state.id
                        {
                            continue;
                        }
                        let mut m = Message::new(
                            MessageKind::Ping,
                            sender,
                            state.id,
                            Channel::Poc,
                            tlp_for(MessageKind::Ping),
                        );
                        m.level = Some(level);
                        m.about = Some(inj.id);
                        ctx.post(0, m);
                    }
                }
            }
            Event::Message {
                to,
                text,
                via,
                level,
            } => {
                let channel = via.unwrap_or(Channel::Control);
                // Everyone: one message per state on channels that reach a state's desk, one
                // broadcast otherwise.
                let targets: Vec<String> = match (to.is_empty(), channel) {
                    (false, _) => to.clone(),
                    (true, Channel::Poc | Channel::Cert | Channel::Regional) => {
                        prep.states.iter().map(|s| s.id.to_string()).collect()
                    }
                    (true, _) => vec!["all".to_string()],
                };
                for t in targets {
                    let mut m = Message::new(
                        MessageKind::Control,
                        "control",
                        &t,
                        channel,
                        tlp_for(MessageKind::Control),
                    );
                    m.level = if channel == Channel::Poc {
                        *level
                    } else {
                        None
                    };
                    m.about = Some(inj.id);
                    m.text = Some(text.clone());
                    ctx.post(0, m);
                }
            }
            Event::Move { .. } => {
                if let Some(mv) = inj.event.as_move() {
                    moves.write(PlayMove(mv, inj.id));
                }
            }
        }
    }
}

/// How long a bot's internet shutdown lasts.
const SHUTDOWN_HOURS: i64 = 48;

/// A non-malicious outage: the operator reports it to its state's CERT, and when the
/// infrastructure serves other states, that state (if its doctrine decides) tells each of them
/// through their technical PoCs (A/75/816 ¶18).
fn report_outage(ctx: &mut Ctx, x: usize, cause: &str, level: OutageLevel, duration: Span) {
    let prep = ctx.setup.0.clone();
    let info = &prep.infra[x];
    let owner = info.owner;
    ctx.record(TraceEvent::OutageReported {
        infra: info.id,
        state: prep.states[owner].id,
        cause: cause.into(),
    });
    if info.serves.is_empty() || !ctx.decides(owner) {
        return;
    }
    let desk = ctx.poc_answer_delay(owner, PocLevel::Technical);
    let how = match level {
        OutageLevel::Degraded => "degraded",
        OutageLevel::Disrupted => "disrupted",
    };
    for &s in info.serves.iter().filter(|&&s| s != owner) {
        let mut m = ctx.poc_message(MessageKind::InformationShare, owner, s, PocLevel::Technical);
        m.about = Some(cause.into());
        m.text = Some(format!(
            "outage notice: {} is {how} (not malicious); service to your territory affected for about {duration}",
            info.id
        ));
        ctx.post(desk, m);
    }
}
