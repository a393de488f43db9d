//! Critical-infrastructure service-hours lost: the harm the exercise is about, in one number a
//! batch study can compare across runs. A disrupted hour counts 1, a degraded hour ½, from each
//! `infra_changed` record until the next change (restored counts 0) or the end of the exercise.

use crate::index::Index;
use crate::stats::{hours, r3};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{Name, TraceEvent};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InfraLoss {
    pub disrupted_hours: f64,
    pub degraded_hours: f64,
    /// disrupted + ½ degraded.
    pub service_hours_lost: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceLoss {
    pub total_service_hours_lost: f64,
    /// Every infrastructure of the scenario (and any other the trace names), sorted by id.
    pub by_infra: BTreeMap<Name, InfraLoss>,
}

/// Seconds disrupted and degraded so far, and the status in force since when.
#[derive(Default)]
struct Acc {
    disrupted: i64,
    degraded: i64,
    since: Option<(InfraStatus, i64)>,
}

impl Acc {
    fn close(&mut self, until: i64) {
        match self.since {
            Some((InfraStatus::Disrupted, since)) => self.disrupted += until - since,
            Some((InfraStatus::Degraded, since)) => self.degraded += until - since,
            _ => {}
        }
    }
}

/// `infrastructure`: the scenario's infrastructure ids, named once ([`crate::Scorer`]).
pub(crate) fn compute(ix: &Index, infrastructure: &[Name]) -> ServiceLoss {
    let mut acc: BTreeMap<Name, Acc> = infrastructure
        .iter()
        .map(|&x| (x, Acc::default()))
        .collect();
    for r in ix.records() {
        if let TraceEvent::InfraChanged { infra, status, .. } = &r.event {
            let a = acc.entry(*infra).or_default();
            a.close(r.t);
            a.since = Some((*status, r.t));
        }
    }
    let mut out = ServiceLoss::default();
    let mut total = 0;
    for (id, mut a) in acc {
        a.close(ix.end);
        // In half-hours' worth of seconds, summed exactly before any rounding.
        let lost2 = 2 * a.disrupted + a.degraded;
        total += lost2;
        out.by_infra.insert(
            id,
            InfraLoss {
                disrupted_hours: hours(a.disrupted),
                degraded_hours: hours(a.degraded),
                service_hours_lost: r3(lost2 as f64 / 7200.0),
            },
        );
    }
    out.total_service_hours_lost = r3(total as f64 / 7200.0);
    out
}
