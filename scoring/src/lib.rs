//! ttx-scoring: turns a trace into a scorecard people can act on. Pure functions, no ECS, no I/O:
//! the same `(Scenario, Trace)` always gives the same [`Scorecard`], whether the trace came from
//! the simulator or from a live exercise with human teams.
//!
//! ```no_run
//! # let scenario: ttx_scenario::Scenario = todo!();
//! # let trace: ttx_scenario::Trace = todo!();
//! let card = ttx_scoring::score(&scenario, &trace);
//! println!("escalation index {}", card.escalation.index);
//! ```
//!
//! What is measured and why (DESIGN.md §5, docs/scorecard.md):
//! - [`latency`]: response latency along the notification, assistance, ping, clarification and
//!   legal chains, with unanswered items censored rather than dropped;
//! - [`escalation`]: the ladder per dyad, the escalation index, spirals and misattributions;
//! - [`norms`]: opportunities, fulfilment and violation of the eleven norms a–k, each verdict
//!   with the records that decided it and the A/75/816 paragraph it rests on;
//! - [`cbm`]: confidence-building indicators (PoCs, pings, matching acknowledgements, sharing);
//! - [`objectives`]: expectations, HSEEP ratings and MSEL coverage;
//! - [`service`]: critical-infrastructure service-hours lost;
//! - [`party`]: one team's share of a scorecard, for the files it takes away.

pub mod cbm;
pub mod coverage;
pub mod escalation;
mod index;
pub mod latency;
pub mod norms;
pub mod objectives;
mod order;
pub mod party;
pub mod queue;
pub mod scorecard;
mod scorer;
pub mod service;
pub mod stats;

pub use scorecard::{FORMAT, Scorecard};
pub use scorer::Scorer;

use ttx_scenario::{Scenario, Trace};

/// Scores one run. Deterministic and total: a trace that names things the scenario does not know
/// is still scored, with what could not be judged listed in `warnings`.
pub fn score(scenario: &Scenario, trace: &Trace) -> Scorecard {
    Scorer::new(scenario).score(scenario, trace)
}

/// [`score`], given the scenario's [`content_hash`](Scenario::content_hash) already computed:
/// hashing means serialising the whole scenario, which costs as much as scoring a small trace.
/// Scoring many runs of one scenario, keep a [`Scorer`].
pub fn score_with_hash(scenario: &Scenario, scenario_hash: &str, trace: &Trace) -> Scorecard {
    Scorer::with_hash(scenario, scenario_hash.to_string()).score(scenario, trace)
}

/// [`score_with_hash`] for a study's rows, which read a scorecard's numbers and decided verdicts
/// but none of its explanations and few of its statistics: what they do not read is left empty
/// ([`Detail::Numbers`] lists it), since a study scores every one of its runs and writing it cost
/// more than judging. Every number and verdict a row reads is the one [`score`] gives; the batch
/// code's tests hold a row from each equal, and the scorecards equal but for what is left empty,
/// for every bundled scenario. A study keeps a [`Scorer`] and calls [`Scorer::numbers`].
pub fn score_numbers(scenario: &Scenario, scenario_hash: &str, trace: &Trace) -> Scorecard {
    Scorer::with_hash(scenario, scenario_hash.to_string()).numbers(scenario, trace)
}

/// How much of a scorecard is written. Explaining a verdict (why an expectation failed, what
/// it asked for, which injects the scenario's expectations cover) cost a study more than
/// finding the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Full,
    /// Numbers, statuses and decided verdicts only, as a study's rows read them. Left empty:
    /// expectations' explanations and the scenario's coverage; each norm evidence's reason, and
    /// the "n/a" verdicts (a state with none decided has no row); each latency step's
    /// `by_actor` and `by_level` statistics and its `overall` quantiles (`p50`, `p90`, `max`;
    /// the overall counts and the items stay); and of the CBM
    /// indicators all but ping counts and reachability (PoC entries, ping medians, unanswered
    /// pings, acknowledgements, sharing). `src/batch/metrics.rs`'s test empties exactly these.
    Numbers,
}

impl Detail {
    /// `text()` for a full scorecard, nothing for numbers only.
    #[inline]
    pub(crate) fn text(self, text: impl FnOnce() -> String) -> String {
        match self {
            Detail::Full => text(),
            Detail::Numbers => String::new(),
        }
    }
}

fn score_in(scenario: &Scenario, prep: &Scorer, trace: &Trace, detail: Detail) -> Scorecard {
    let by_id = prep.states_by_id(scenario);
    let ix = index::Index::new(trace);
    let mut warnings = Vec::new();
    let scenario_hash = prep.scenario_hash();
    if trace.header.scenario_hash != scenario_hash {
        warnings.push(format!(
            "the trace was produced from scenario {} ({}), which differs from the scenario given for scoring ({}, {})",
            trace.header.scenario, trace.header.scenario_hash, scenario.name, scenario_hash
        ));
    }
    let latency = latency::compute(&ix, scenario, detail);
    let escalation = escalation::compute(&ix, scenario, &mut warnings);
    let norms = norms::compute(&ix, scenario, &by_id, detail);
    let cbm = cbm::compute(&ix, &latency.items, &by_id, detail);
    let objectives =
        objectives::compute(&ix, scenario, &prep.expectations, &prep.objectives, detail);
    let service = service::compute(&ix, &prep.infrastructure);
    let queue = queue::compute(trace);
    Scorecard {
        format: FORMAT.to_string(),
        scenario: trace.header.scenario.clone(),
        scenario_hash: trace.header.scenario_hash.clone(),
        seed: trace.header.seed,
        duration_hours: stats::hours(ix.end),
        states: prep.states.clone(),
        warnings,
        latency,
        escalation,
        norms,
        cbm,
        objectives,
        service,
        queue,
    }
}
