//! Vulnerabilities and supply-chain compromises (norms i, j): who knows of them, who tells whom,
//! and what knowing buys. A state that knows of an item — it found it, or a report about it
//! reached it — has protected its systems: a later incident relying on the item fails at once,
//! and one already running when the state learns of it is contained faster. Disclosing to the
//! vendor's state alone therefore leaves every other user exposed, which is why norm j asks for
//! the CERTs too.

use bevy_ecs::prelude::*;
use ttx_scenario::{MessageKind, Name, TraceEvent};

use crate::agenda::Pending;
use crate::components::{Directory, Incident};
use crate::ctx::{Ctx, Run};
use crate::incidents::speed_up_containment;

/// State `1` learns of vulnerability or compromise `0` now.
#[derive(Message, Clone)]
pub struct Learn(pub Name, pub usize);

/// A vulnerability report reaching a state teaches it the item.
pub fn receive_reports((ctx, mail): Run, mut learn: MessageWriter<Learn>) {
    for &n in &mail.inbound {
        let m = &mail.sent[n];
        if m.kind != MessageKind::VulnerabilityReport {
            continue;
        }
        if let (Some(to), Some(item)) = (ctx.prep().try_state(m.to), m.about.as_ref()) {
            learn.write(Learn(*item, to));
        }
    }
}

/// Records what each state now knows and speeds up the containment of its incidents that rely
/// on it (the CERT patches: its work, whoever decides for the state).
pub fn learn_items(
    (mut ctx, _): Run,
    mut learned: MessageReader<Learn>,
    dir: Res<Directory>,
    mut incidents: Query<&mut Incident>,
) {
    for Learn(item, state) in learned.read() {
        if !ctx.watch.known.insert((*item, *state)) {
            continue;
        }
        // Incident ids sort the work, so the trace never depends on map order.
        let mut exposed: Vec<(Name, Entity)> = dir
            .incidents
            .iter()
            .map(|(&id, &e)| (id, e))
            .filter(|&(_, e)| {
                incidents
                    .get(e)
                    .is_ok_and(|i| i.active && i.victim == *state && i.exploits == Some(*item))
            })
            .collect();
        exposed.sort();
        for (id, e) in exposed {
            let Ok(mut inc) = incidents.get_mut(e) else {
                continue;
            };
            let detail = format!("patches against {item}: containment of {id} speeds up");
            let actor = ctx.state_id(*state);
            ctx.record(TraceEvent::Decision {
                actor,
                decision: "patch".into(),
                about: Some(id),
                detail,
            });
            speed_up_containment(&mut ctx, e, &mut inc);
        }
    }
}

/// Norms i and j: a state that holds a vulnerability or knows of a compromise either tells those
/// who need to know (after its disclosure latency) or keeps it and exploits it. `recipients`
/// other than the holder are told; with none, the holder's partners are.
pub fn disclose_or_exploit(
    ctx: &mut Ctx,
    item: &str,
    holder: usize,
    recipients: &[usize],
    after: i64,
) {
    if !ctx.decides(holder) {
        return;
    }
    let prep = ctx.setup.0.clone();
    let doctrine = &prep.states[holder].doctrine;
    let delay = after + ctx.latency(holder, "disclose", &doctrine.disclose_latency);
    if ctx.chance(holder, "disclose", doctrine.disclose_probability) {
        let mut to: Vec<usize> = Vec::new();
        for &r in recipients {
            if r != holder && !to.contains(&r) {
                to.push(r);
            }
        }
        if to.is_empty() {
            to = prep.partners(holder, None);
        }
        for r in to {
            let mut m = ctx.cert_message(MessageKind::VulnerabilityReport, holder, r);
            m.about = Some(item.into());
            m.text = Some("advisory with technical details and available mitigations".into());
            ctx.post(delay, m);
        }
    } else {
        let note = TraceEvent::Exploited {
            item: item.into(),
            state: prep.states[holder].id,
        };
        ctx.agenda.after(delay, Pending::Note(Box::new(note)));
    }
}
