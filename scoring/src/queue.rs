//! The CERT analyst queue (DESIGN.md §3: "analysts (a queue — incidents wait when all are
//! busy)"): how long each detected incident waited for an analyst, and how many analysts were
//! busy on average. An incident needs an analyst from its detection (if it is still doing harm)
//! until it ends; it waits from `queued` to `dequeued`. A wait still running at the end of the
//! exercise, or cut short because the incident ended while queued, is censored: counted up to
//! that moment, so the mean wait is a lower bound when any wait is censored.

use crate::stats::hours;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ttx_scenario::{Name, Trace, TraceEvent};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueWait {
    pub incident: Name,
    pub state: Name,
    pub hours: f64,
    pub censored: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    /// Incidents detected while still doing harm: each needed an analyst.
    pub incidents: u32,
    /// Of those, how many waited in the queue.
    pub waited: u32,
    /// Waits not ended by an analyst (the exercise ended, or the incident ended while queued).
    pub censored: u32,
    /// Mean wait per incident in hours, 0 for those taken at once (`null` without incidents).
    pub mean_wait_h: Option<f64>,
    pub max_wait_h: Option<f64>,
    /// Analyst-hours spent on incidents, all CERTs together.
    pub analyst_hours: f64,
    /// Time-average number of analysts busy, all CERTs together.
    pub mean_busy: f64,
    /// Every incident that waited, in order of queueing.
    pub waits: Vec<QueueWait>,
}

#[derive(Default)]
struct Life {
    state: Name,
    detected: Option<i64>,
    queued: Option<i64>,
    dequeued: Option<i64>,
    ended: Option<i64>,
    order: usize,
}

pub fn compute(trace: &Trace) -> Queue {
    let end = trace.records.last().map_or(0, |r| r.t);
    let mut lives: BTreeMap<Name, Life> = BTreeMap::new();
    for (order, r) in trace.records.iter().enumerate() {
        let (incident, state) = match &r.event {
            TraceEvent::Detected { incident, state }
            | TraceEvent::Queued { incident, state }
            | TraceEvent::Dequeued { incident, state } => (*incident, *state),
            TraceEvent::IncidentEnded { incident, .. } => {
                if let Some(l) = lives.get_mut(incident) {
                    l.ended.get_or_insert(r.t);
                } else {
                    lives.insert(
                        *incident,
                        Life {
                            ended: Some(r.t),
                            order,
                            ..Life::default()
                        },
                    );
                }
                continue;
            }
            _ => continue,
        };
        let l = lives.entry(incident).or_insert_with(|| Life {
            order,
            ..Life::default()
        });
        l.state = state;
        match &r.event {
            TraceEvent::Detected { .. } => {
                l.detected.get_or_insert(r.t);
            }
            TraceEvent::Queued { .. } => {
                l.queued.get_or_insert(r.t);
            }
            _ => {
                l.dequeued.get_or_insert(r.t);
            }
        }
    }
    let mut q = Queue::default();
    let (mut total_wait, mut busy) = (0i64, 0i64);
    let mut waits: Vec<(usize, QueueWait)> = Vec::new();
    for (incident, l) in &lives {
        let Some(detected) = l.detected else { continue };
        // Stopped at its origin before anyone here noticed: no analyst needed.
        if l.ended.is_some_and(|e| e < detected) {
            continue;
        }
        q.incidents += 1;
        let stop = l.ended.unwrap_or(end);
        let start = match l.queued {
            Some(queued) => {
                q.waited += 1;
                let (until, censored) = match l.dequeued {
                    Some(d) => (d, false),
                    None => (stop, true),
                };
                q.censored += u32::from(censored);
                let wait = until - queued;
                total_wait += wait;
                q.max_wait_h = Some(q.max_wait_h.unwrap_or(0.0).max(hours(wait)));
                waits.push((
                    l.order,
                    QueueWait {
                        incident: *incident,
                        state: l.state,
                        hours: hours(wait),
                        censored,
                    },
                ));
                l.dequeued
            }
            None => Some(detected),
        };
        if let Some(s) = start {
            busy += (stop - s).max(0);
        }
    }
    if q.incidents > 0 {
        q.mean_wait_h = Some(hours(total_wait) / f64::from(q.incidents));
        q.max_wait_h = q.max_wait_h.or(Some(0.0));
    }
    q.analyst_hours = hours(busy);
    q.mean_busy = if end > 0 {
        crate::stats::r3(busy as f64 / end as f64)
    } else {
        0.0
    };
    waits.sort_by_key(|w| w.0);
    q.waits = waits.into_iter().map(|w| w.1).collect();
    q
}
