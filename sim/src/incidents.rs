//! The physical and forensic course of an incident (DESIGN.md §3): it hits its target, the
//! victim's CERT detects it and works it with the analysts it has, findings accumulate about who
//! is behind it (planted evidence included), and it ends when contained or mitigated at its origin.

use bevy_ecs::prelude::*;
use ttx_scenario::trace::{EndReason, FindingSource, InfraStatus};
use ttx_scenario::{
    ActorKind, Capacity, MessageKind, Name, PocLevel, Sector, Technique, TraceEvent,
};

use crate::agenda::{ContainDue, DetectDue, FindingDue, Pending};
use crate::components::{Case, CertDesk, Directory, Hit, Incident, InfraNode, Investigation};
use crate::ctx::{Ctx, Run};
use crate::infra::InfraHit;

/// Investigations stop after this many findings: enough for any doctrine's threshold.
const MAX_FINDINGS: u32 = 8;

/// Start a malicious incident now.
#[derive(Message, Clone)]
pub struct StartIncident {
    pub id: Name,
    pub target: usize,
    pub by: Name,
    pub actor_kind: ActorKind,
    pub territory: usize,
    pub directed_by: Option<usize>,
    pub supported_by: Option<usize>,
    pub uses_cert: bool,
    pub technique: Technique,
    pub rsit: String,
    pub severity: u8,
    pub launched_by: Option<Name>,
    pub exploits: Option<Name>,
}

/// Harm from an incident stops now.
#[derive(Message, Clone, Copy)]
pub struct Stop(pub Entity, pub EndReason);

pub fn start_incidents(
    (mut ctx, _): Run,
    mut starts: MessageReader<StartIncident>,
    mut commands: Commands,
    mut dir: ResMut<Directory>,
    mut hits: MessageWriter<InfraHit>,
) {
    for s in starts.read() {
        let prep = ctx.setup.0.clone();
        let infra = &prep.infra[s.target];
        let victim = infra.owner;
        let event = TraceEvent::IncidentStarted {
            incident: s.id,
            target: infra.id,
            target_state: prep.states[victim].id,
            sector: infra.sector,
            by: s.by,
            actor_kind: s.actor_kind,
            territory: prep.states[s.territory].id,
            directed_by: s.directed_by.map(|d| prep.states[d].id),
            supported_by: s.supported_by.map(|d| prep.states[d].id),
            uses_cert: s.uses_cert,
            technique: s.technique,
            rsit: Name::new(&s.rsit),
            severity: s.severity,
            launched_by: s.launched_by,
            exploits: s.exploits,
        };
        ctx.record(event);
        // Against a victim that knows of the item it relies on, the attempt fails at once.
        let prevented = s
            .exploits
            .as_ref()
            .is_some_and(|x| ctx.watch.known.contains(&(*x, victim)));
        let hit = match s.severity {
            _ if prevented => None,
            0 => None,
            1 | 2 => Some(Hit::Degraded),
            _ => Some(Hit::Disrupted),
        };
        if hit.is_some() {
            hits.write(InfraHit {
                infra: s.target,
                cause: s.id,
                hit,
            });
        }
        let entity = commands
            .spawn((
                Incident {
                    id: s.id,
                    target: s.target,
                    victim,
                    territory: s.territory,
                    directed_by: s.directed_by,
                    criminal: matches!(s.actor_kind, ActorKind::Criminal | ActorKind::Terrorist),
                    severity: s.severity,
                    active: !prevented,
                    detected: prevented,
                    handling: false,
                    contain_gen: 0,
                    contain_at: None,
                    assisted: false,
                    mitigation_posted: false,
                    exploits: s.exploits,
                },
                Investigation::default(),
                Case::default(),
            ))
            .id();
        dir.incidents.insert(s.id, entity);
        if prevented {
            let state = prep.states[victim].id;
            ctx.record(TraceEvent::Detected {
                incident: s.id,
                state,
            });
            ctx.record(TraceEvent::IncidentEnded {
                incident: s.id,
                state,
                how: EndReason::Prevented,
            });
            continue;
        }
        let detect = ctx
            .streams
            .sample(&s.id, "detect", &prep.states[victim].cert.detect);
        ctx.agenda.after(detect, Pending::Detect(entity));
    }
}

/// Gives an analyst to the incident: findings start, and containment is due after the CERT's
/// containment time (halved when assistance has arrived).
fn begin_handling(ctx: &mut Ctx, entity: Entity, inc: &mut Incident) {
    let prep = ctx.setup.0.clone();
    let cert = &prep.states[inc.victim].cert;
    inc.handling = true;
    let first = ctx
        .streams
        .sample(&inc.id, "investigate", &cert.investigate);
    ctx.agenda.after(first, Pending::Finding(entity));
    let mut contain = ctx.streams.sample(&inc.id, "contain", &cert.contain);
    if inc.assisted {
        contain /= 2;
    }
    inc.contain_gen += 1;
    inc.contain_at = Some(ctx.now() + contain);
    ctx.agenda
        .after(contain, Pending::Contain(entity, inc.contain_gen));
}

/// Analysts a CERT can put on incidents now: half its team (at least one) while any of its own
/// systems is down — an operation against a CERT (norm k) weakens the response to everything else.
fn analysts_available(ctx: &Ctx, state: usize, dir: &Directory, nodes: &Query<&InfraNode>) -> u32 {
    let prep = ctx.prep();
    let team = prep.states[state].cert.analysts;
    let hit = prep.infra.iter().enumerate().any(|(x, info)| {
        info.owner == state
            && info.sector == Sector::CertSystems
            && nodes
                .get(dir.infra[x])
                .is_ok_and(|n| n.status != InfraStatus::Operational)
    });
    if hit { team.div_ceil(2) } else { team }
}

pub fn detect_incidents(
    (mut ctx, _): Run,
    mut due: MessageReader<DetectDue>,
    dir: Res<Directory>,
    nodes: Query<&InfraNode>,
    mut incidents: Query<&mut Incident>,
    mut desks: Query<&mut CertDesk>,
) {
    for &DetectDue(entity) in due.read() {
        let Ok(mut inc) = incidents.get_mut(entity) else {
            continue;
        };
        if inc.detected {
            continue;
        }
        inc.detected = true;
        let prep = ctx.setup.0.clone();
        let victim = inc.victim;
        let id = inc.id;
        ctx.record(TraceEvent::Detected {
            incident: id,
            state: prep.states[victim].id,
        });
        if !inc.active {
            continue; // already stopped at its origin before anyone here noticed
        }
        let Ok(mut desk) = desks.get_mut(dir.certs[victim]) else {
            continue;
        };
        if desk.busy < analysts_available(&ctx, victim, &dir, &nodes) {
            desk.busy += 1;
            begin_handling(&mut ctx, entity, &mut inc);
        } else {
            desk.queue.push_back(entity);
            ctx.record(TraceEvent::Queued {
                incident: id,
                state: prep.states[victim].id,
            });
        }
        victim_first_moves(&mut ctx, &inc);
    }
}

/// What a victim's bot does on detection: ask partners for assistance when short of capacity,
/// share indicators with partner CERTs, and ask the state of origin to preserve evidence when the
/// perpetrators are criminals (norm d).
fn victim_first_moves(ctx: &mut Ctx, inc: &Incident) {
    let prep = ctx.setup.0.clone();
    let v = inc.victim;
    if !ctx.decides(v) {
        return;
    }
    let doctrine = &prep.states[v].doctrine;
    let abroad = inc.territory != v;
    let desk = ctx.poc_answer_delay(v, PocLevel::Technical);
    if prep.states[v].capacity != Capacity::Advanced
        && inc.severity >= 3
        && ctx.chance(
            v,
            "request-assistance",
            doctrine.request_assistance_probability,
        )
    {
        for p in prep.partners(v, Some(inc.territory)) {
            let mut m = ctx.poc_message(MessageKind::AssistanceRequest, v, p, PocLevel::Technical);
            m.about = Some(inc.id);
            m.text = Some(format!(
                "request for incident-response assistance to contain {} on {}",
                inc.id, prep.infra[inc.target].id
            ));
            ctx.post(desk, m);
        }
    }
    if ctx.chance(v, "share", doctrine.share_probability) {
        for p in prep.partners(v, None) {
            let mut m = ctx.cert_message(MessageKind::InformationShare, v, p);
            m.about = Some(inc.id);
            m.text = Some("indicators of compromise and detection rules".into());
            ctx.post(desk, m);
        }
    }
    if inc.criminal && abroad {
        let mut m = ctx.poc_message(
            MessageKind::LegalRequest,
            v,
            inc.territory,
            PocLevel::Technical,
        );
        m.about = Some(inc.id);
        m.text = Some("request to preserve evidence (server logs, account data) pending mutual legal assistance".into());
        ctx.post(desk, m);
    }
}

pub fn investigate_incidents(
    (mut ctx, _): Run,
    mut due: MessageReader<FindingDue>,
    mut q: Query<(&Incident, &mut Investigation, &mut Case)>,
) {
    for &FindingDue(entity) in due.read() {
        let Ok((inc, mut inv, mut case)) = q.get_mut(entity) else {
            continue;
        };
        let prep = ctx.setup.0.clone();
        let victim = inc.victim;
        let flag = ctx.watch.flags.get(&inc.id).copied();
        let (points_to, planted) = match flag {
            Some((s, strength)) if ctx.streams.chance(&inc.id, "finding-planted", strength) => {
                (Some(s), true)
            }
            _ => {
                let truth = inc.directed_by;
                if ctx.streams.chance(
                    &inc.id,
                    "finding-accurate",
                    prep.states[victim].cert.accuracy,
                ) {
                    (truth, false)
                } else {
                    // The classic mistake: taking the territory used for the state responsible.
                    let mistake = if truth == Some(inc.territory) || inc.territory == victim {
                        None
                    } else {
                        Some(inc.territory)
                    };
                    (mistake, false)
                }
            }
        };
        inv.add(points_to);
        let (leading, confidence) = inv.leading();
        ctx.record(TraceEvent::Finding {
            incident: inc.id,
            state: prep.states[victim].id,
            source: FindingSource::Forensic,
            points_to: points_to.map(|s| prep.states[s].id),
            planted,
            leading: leading.map(|s| prep.states[s].id),
            confidence: round3(confidence),
        });
        consider_attribution(&mut ctx, inc, &mut inv);

        if inv.findings == 1
            && inc.territory != victim
            && case.notified_at.is_none()
            && ctx.decides(victim)
        {
            // The first finding locates the infrastructure used: notify the state of origin.
            let desk = ctx.poc_answer_delay(victim, PocLevel::Technical);
            let mut m = ctx.poc_message(
                MessageKind::IncidentNotification,
                victim,
                inc.territory,
                PocLevel::Technical,
            );
            m.about = Some(inc.id);
            m.text = Some(
                "malicious activity from infrastructure in your territory; indicators of compromise attached. \
                 This notification does not imply responsibility."
                    .into(),
            );
            ctx.post(desk, m);
            case.notified_at = Some(ctx.now() + desk);
            let patience = prep.states[victim].doctrine.patience.0;
            ctx.agenda.after(desk + patience, Pending::Review(entity));
        }
        if inv.findings < MAX_FINDINGS {
            let next = ctx.streams.sample(
                &inc.id,
                "investigate",
                &prep.states[victim].cert.investigate,
            );
            ctx.agenda.after(next, Pending::Finding(entity));
        }
    }
}

/// Attribution is a decision, recorded once: the leading hypothesis names a foreign state, at
/// least two findings exist, and confidence reaches the victim doctrine's threshold.
pub fn consider_attribution(ctx: &mut Ctx, inc: &Incident, inv: &mut Investigation) {
    if inv.attributed.is_some() || inv.findings < 2 || !ctx.decides(inc.victim) {
        return;
    }
    let prep = ctx.setup.0.clone();
    let threshold = prep.states[inc.victim].doctrine.attribution_threshold;
    if let (Some(s), confidence) = inv.leading()
        && s != inc.victim
        && confidence >= threshold
    {
        inv.attributed = Some(s);
        ctx.decision(
            inc.victim,
            "attribute",
            Some(inc.id),
            format!(
                "attributes {} to {} with confidence {:.2} (doctrine threshold {:.2})",
                inc.id, prep.states[s].id, confidence, threshold
            ),
        );
    }
}

pub fn contain_incidents(
    (_, _): Run,
    mut due: MessageReader<ContainDue>,
    incidents: Query<&Incident>,
    mut stop: MessageWriter<Stop>,
) {
    for &ContainDue(entity, generation) in due.read() {
        if let Ok(inc) = incidents.get(entity)
            && inc.active
            && inc.contain_gen == generation
        {
            stop.write(Stop(entity, EndReason::Contained));
        }
    }
}

pub fn stop_incidents(
    (mut ctx, _): Run,
    mut stops: MessageReader<Stop>,
    dir: Res<Directory>,
    mut incidents: Query<&mut Incident>,
    mut desks: Query<&mut CertDesk>,
    nodes: Query<&InfraNode>,
) {
    for &Stop(entity, how) in stops.read() {
        let Ok(mut inc) = incidents.get_mut(entity) else {
            continue;
        };
        if !inc.active {
            continue;
        }
        inc.active = false;
        inc.contain_gen += 1;
        let prep = ctx.setup.0.clone();
        let by = if how == EndReason::Contained {
            inc.victim
        } else {
            inc.territory
        };
        ctx.record(TraceEvent::IncidentEnded {
            incident: inc.id,
            state: prep.states[by].id,
            how,
        });
        let mut recover = ctx
            .streams
            .sample(&inc.id, "recover", &prep.infra[inc.target].recovery);
        if inc.assisted {
            recover /= 2;
        }
        ctx.agenda
            .after(recover, Pending::Recover(inc.target, inc.id));
        let was_handling = std::mem::replace(&mut inc.handling, false);
        let victim = inc.victim;
        let Ok(mut desk) = desks.get_mut(dir.certs[victim]) else {
            continue;
        };
        desk.queue.retain(|&e| e != entity);
        if was_handling {
            desk.busy -= 1;
            // The freed analyst takes the next incident still doing harm, if the team can.
            while desk.busy < analysts_available(&ctx, victim, &dir, &nodes)
                && let Some(next) = desk.queue.pop_front()
            {
                if let Ok(mut n) = incidents.get_mut(next)
                    && n.active
                {
                    desk.busy += 1;
                    ctx.record(TraceEvent::Dequeued {
                        incident: n.id,
                        state: prep.states[victim].id,
                    });
                    begin_handling(&mut ctx, next, &mut n);
                    break;
                }
            }
        }
    }
}

/// Assistance delivered to the victim halves the containment time still to run.
pub fn speed_up_containment(ctx: &mut Ctx, entity: Entity, inc: &mut Incident) {
    inc.assisted = true;
    if let (true, true, Some(at)) = (inc.active, inc.handling, inc.contain_at) {
        let left = (at - ctx.now()).max(2);
        inc.contain_gen += 1;
        inc.contain_at = Some(ctx.now() + left / 2);
        ctx.agenda
            .after(left / 2, Pending::Contain(entity, inc.contain_gen));
    }
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
