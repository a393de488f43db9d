//! Critical-infrastructure status and cascades. A node's status follows from what hits it now;
//! when it goes down, what depends on it degrades once its backup runs out; when it comes back,
//! its dependents recover with it (A/75/816 ¶18 on shared and interdependent infrastructure).

use bevy_ecs::prelude::*;
use std::collections::VecDeque;
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{Condition, Name, TraceEvent};

use crate::agenda::{DependencyLostDue, OutageOverDue, Pending, RecoverDue};
use crate::components::{Directory, Hit, InfraNode};
use crate::ctx::{Ctx, Run};

/// A cause starts (`hit: Some`) or stops (`hit: None`) affecting an infrastructure.
#[derive(Message, Clone)]
pub struct InfraHit {
    pub infra: usize,
    pub cause: Name,
    pub hit: Option<Hit>,
}

enum Change {
    Cause(Name, Option<Hit>),
    Lost(usize),
    Regained(usize),
}

pub fn update_infrastructure(
    (mut ctx, _): Run,
    mut hits: MessageReader<InfraHit>,
    mut recovered: MessageReader<RecoverDue>,
    mut outages_over: MessageReader<OutageOverDue>,
    mut lost: MessageReader<DependencyLostDue>,
    dir: Res<Directory>,
    mut nodes: Query<&mut InfraNode>,
) {
    let mut work: VecDeque<(usize, Change, Option<Name>)> = VecDeque::new();
    for h in hits.read() {
        work.push_back((h.infra, Change::Cause(h.cause, h.hit), Some(h.cause)));
    }
    for &RecoverDue(x, cause) in recovered.read() {
        work.push_back((x, Change::Cause(cause, None), Some(cause)));
    }
    for &OutageOverDue(x, cause) in outages_over.read() {
        work.push_back((x, Change::Cause(cause, None), Some(cause)));
    }
    for &DependencyLostDue(x, dep) in lost.read() {
        // Only if the dependency is still down when the backup runs out.
        let still_down = nodes
            .get(dir.infra[dep])
            .is_ok_and(|n| n.status != InfraStatus::Operational);
        if still_down {
            let cause = ctx.setup.0.infra[dep].id;
            work.push_back((x, Change::Lost(dep), Some(cause)));
        }
    }
    // A worklist rather than recursion: cascades are acyclic (validated) but may be deep.
    while let Some((x, change, cause)) = work.pop_front() {
        let Ok(mut node) = nodes.get_mut(dir.infra[x]) else {
            continue;
        };
        match change {
            Change::Cause(c, Some(hit)) => {
                node.causes.insert(c, hit);
            }
            Change::Cause(c, None) => {
                node.causes.remove(&c);
            }
            Change::Lost(d) => {
                node.lost.insert(d);
            }
            Change::Regained(d) => {
                node.lost.remove(&d);
            }
        }
        let new = status_of(&node);
        let old = node.status;
        if new == old {
            continue;
        }
        node.status = new;
        let prep = ctx.setup.0.clone();
        let shown = if new == InfraStatus::Operational {
            InfraStatus::Restored
        } else {
            new
        };
        ctx.record(TraceEvent::InfraChanged {
            infra: prep.infra[x].id,
            status: shown,
            cause,
        });
        if new == InfraStatus::Disrupted {
            fire_infra_down(&mut ctx, x);
        }
        let was_up = old == InfraStatus::Operational;
        let is_up = new == InfraStatus::Operational;
        for &d in &prep.infra[x].dependents {
            if was_up && !is_up {
                if prep.infra[d].backup == 0 {
                    work.push_back((d, Change::Lost(x), Some(prep.infra[x].id)));
                } else {
                    ctx.agenda
                        .after(prep.infra[d].backup, Pending::DependencyLost(d, x));
                }
            } else if !was_up && is_up {
                work.push_back((d, Change::Regained(x), Some(prep.infra[x].id)));
            }
        }
    }
}

fn status_of(node: &InfraNode) -> InfraStatus {
    match node.causes.values().max() {
        Some(Hit::Disrupted) => InfraStatus::Disrupted,
        Some(Hit::Degraded) => InfraStatus::Degraded,
        None if !node.lost.is_empty() => InfraStatus::Degraded,
        None => InfraStatus::Operational,
    }
}

fn fire_infra_down(ctx: &mut Ctx, x: usize) {
    let prep = ctx.setup.0.clone();
    for (i, inj) in prep.injects.iter().enumerate() {
        if let Some(Condition::InfraDown { infra }) = &inj.when
            && *infra == prep.infra[x].id
            && ctx.watch.fired.insert(i)
        {
            ctx.agenda.after(0, Pending::Inject(i));
        }
    }
}
