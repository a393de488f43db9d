//! What a study's row reads of one run, counted without building the scorecard around it. A
//! study scores every run and reads a few dozen numbers of each: the norm grid (a map of
//! verdicts with their evidence for every state), the CBM indicators of every state and the
//! scorecard's other nested maps were built for each row, walked once and dropped, a third of
//! scoring a directory exercise for its row (docs/performance.md).
//!
//! [`Tally::of`] takes the same numbers from a full scorecard: a report's values and a study's
//! rows are then one definition (the batch code walks a `Tally`), and a test holds
//! `Tally::of(&score(..))` equal to [`Scorer::tally`](crate::Scorer::tally) for every bundled
//! scenario.

use crate::Scorecard;
use crate::escalation::Escalation;
use crate::latency::{Latency, Step};
use crate::objectives::{ExpStatus, Objectives, Rating};
use crate::queue::Queue;
use ttx_scenario::{Name, Norm, PocLevel};

/// The numbers of one run a study's row holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Tally {
    pub escalation: Escalation,
    /// Every step of [`Step::ALL`], in that order.
    pub steps: Vec<StepTally>,
    /// Pings to the scenario's states as (received, answered): all of them, then those to each
    /// level of [`PocLevel::ALL`].
    pub pings: [(u32, u32); 1 + PocLevel::ALL.len()],
    pub service_hours_lost: f64,
    pub queue: Queue,
    /// Every (state, norm) with a decided opportunity, states by id and norms in
    /// [`Norm::ALL`] order.
    pub norms: Vec<NormTally>,
    pub expectations_success: u32,
    pub expectations_failed: u32,
    /// In scenario order.
    pub objectives: Vec<ObjectiveTally>,
}

/// One chain step's items.
#[derive(Clone, Debug, PartialEq)]
pub struct StepTally {
    pub step: Step,
    pub count: u32,
    pub answered: u32,
    pub censored: u32,
    /// Only for a step with items.
    pub half: Option<Half>,
}

/// A step's items as one right-censored observation of the run (see [`half_answered`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Half {
    /// Hours observed over the items: until answered, or until the end for those never answered.
    pub at_risk_h: f64,
    /// When half the items had been answered, or only known to be later.
    pub t50_h: f64,
    /// Whether `t50_h` is an answer's time (false: a censoring time).
    pub answered: bool,
}

/// A state's decided opportunities under one norm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NormTally {
    pub state: Name,
    pub norm: Norm,
    pub fulfilled: u32,
    pub violated: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveTally {
    pub id: Name,
    pub rating: Option<Rating>,
    pub score: Option<f64>,
}

impl Tally {
    /// The numbers of a scorecard, as [`Scorer::tally`](crate::Scorer::tally) counts them
    /// from the trace.
    pub fn of(card: &Scorecard) -> Tally {
        let mut pings = [(0, 0); 1 + PocLevel::ALL.len()];
        for c in card.cbm.values() {
            pings[0].0 += c.pings.overall.received;
            pings[0].1 += c.pings.overall.answered;
            for (l, p) in &c.pings.by_level {
                let e = &mut pings[1 + *l as usize];
                e.0 += p.received;
                e.1 += p.answered;
            }
        }
        let norms = card
            .norms
            .iter()
            .flat_map(|(&state, row)| {
                Norm::ALL.into_iter().filter_map(move |norm| {
                    let v = row.get(&crate::norms::letter(norm))?;
                    NormTally::decided(state, norm, v.fulfilled, v.violated)
                })
            })
            .collect();
        Tally::from_parts(
            card.escalation.clone(),
            &card.latency,
            pings,
            card.service.total_service_hours_lost,
            card.queue.clone(),
            norms,
            &card.objectives,
        )
    }

    pub(crate) fn from_parts(
        escalation: Escalation,
        latency: &Latency,
        pings: [(u32, u32); 1 + PocLevel::ALL.len()],
        service_hours_lost: f64,
        queue: Queue,
        norms: Vec<NormTally>,
        objectives: &Objectives,
    ) -> Tally {
        let count = |s: ExpStatus| {
            objectives
                .expectations
                .iter()
                .filter(|e| e.status == s)
                .count() as u32
        };
        Tally {
            escalation,
            steps: steps(latency),
            pings,
            service_hours_lost,
            queue,
            norms,
            expectations_success: count(ExpStatus::Success),
            expectations_failed: count(ExpStatus::Failed),
            objectives: objectives
                .objectives
                .iter()
                .map(|o| ObjectiveTally {
                    id: o.id,
                    rating: o.rating,
                    score: o.score,
                })
                .collect(),
        }
    }
}

impl NormTally {
    /// The tally of a state's opportunities under `norm`, if any was decided.
    pub(crate) fn decided(
        state: Name,
        norm: Norm,
        fulfilled: u32,
        violated: u32,
    ) -> Option<NormTally> {
        (fulfilled + violated > 0).then_some(NormTally {
            state,
            norm,
            fulfilled,
            violated,
        })
    }
}

/// Each step's counts, and over its items the hours at risk and the half-answered time, found
/// in one pass over the items rather than one per step.
fn steps(latency: &Latency) -> Vec<StepTally> {
    let mut by_step: [Vec<(f64, bool)>; Step::ALL.len()] = Default::default();
    for i in &latency.items {
        by_step[i.step as usize].push((i.hours.or(i.exposure_hours).unwrap_or(0.0), !i.censored));
    }
    latency
        .steps
        .iter()
        .map(|s| {
            let items = &mut by_step[s.step as usize];
            let at_risk_h: f64 = items.iter().map(|i| i.0).sum();
            StepTally {
                step: s.step,
                count: s.overall.count,
                answered: s.overall.answered,
                censored: s.overall.censored,
                half: half_answered(items).map(|(t50_h, answered)| Half {
                    at_risk_h,
                    t50_h,
                    answered,
                }),
            }
        })
        .collect()
}

/// The time by which half of a run's items of one step were answered, as a right-censored
/// observation: items `(hours observed, answered?)`, where an unanswered item's hours are its
/// exposure (end of exercise − when it was asked). Sorted by observed time (answers first on
/// ties), the r-th item (r = ⌈n/2⌉) gives the time; it is an observed answer time only when the r
/// items up to it were all answered, and otherwise a censoring time (the run's median latency is
/// known only to exceed it). `None` without items. Reorders `items`.
pub fn half_answered(items: &mut [(f64, bool)]) -> Option<(f64, bool)> {
    if items.is_empty() {
        return None;
    }
    // Only the r-th item and which items come before it matter, so the items are partitioned
    // around it rather than sorted: items that compare equal are equal, so the r-th is the one a
    // sort would put there, and those before it are the same items.
    let r = items.len().div_ceil(2);
    let (before, &mut (t, answered), _) =
        items.select_nth_unstable_by(r - 1, |a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    Some((t, answered && before.iter().all(|i| i.1)))
}

#[cfg(test)]
mod tests {
    use super::half_answered;

    /// Partitioning must give what sorting gave: the r-th item of the sorted items, observed
    /// only when the r items up to it were answered. Few distinct times, so ties abound.
    #[test]
    fn half_answered_is_the_sorted_rth_item() {
        let sorted = |items: &[(f64, bool)]| {
            let mut s = items.to_vec();
            s.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            let r = s.len().div_ceil(2);
            (s[r - 1].0, s[..r].iter().all(|i| i.1))
        };
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..5_000 {
            let n = 1 + (next() % 12) as usize;
            let items: Vec<(f64, bool)> = (0..n)
                .map(|_| ((next() % 5) as f64 * 0.5, next() % 3 != 0))
                .collect();
            assert_eq!(
                half_answered(&mut items.clone()),
                Some(sorted(&items)),
                "{items:?}"
            );
        }
    }

    #[test]
    fn half_answered_is_censored_when_an_unanswered_item_comes_first() {
        assert_eq!(half_answered(&mut []), None);
        assert_eq!(half_answered(&mut [(3.0, true)]), Some((3.0, true)));
        assert_eq!(half_answered(&mut [(40.0, false)]), Some((40.0, false)));
        // 1h, 2h answered, one never answered: half of three is two, both answered by 2h.
        assert_eq!(
            half_answered(&mut [(2.0, true), (50.0, false), (1.0, true)]),
            Some((2.0, true))
        );
        // Asked late, unanswered at 1h; the answered one took 5h: the median is only known > 5h.
        assert_eq!(
            half_answered(&mut [(5.0, true), (1.0, false)]),
            Some((1.0, false))
        );
    }
}
