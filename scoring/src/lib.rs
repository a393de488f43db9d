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
//! - [`party`]: one team's share of a scorecard, for the files it takes away;
//! - [`tally`]: the numbers of a run a study's row holds, counted without the scorecard.

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
pub mod tally;

pub use scorecard::{FORMAT, Scorecard};
pub use scorer::Scorer;
pub use tally::Tally;

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

/// What a study's row reads of one run ([`Tally`]), given the scenario's content hash: the
/// numbers [`score`] gives, counted without the scorecard. A study keeps a [`Scorer`] and calls
/// [`Scorer::tally`].
pub fn tally(scenario: &Scenario, scenario_hash: &str, trace: &Trace) -> Tally {
    Scorer::with_hash(scenario, scenario_hash.to_string()).tally(scenario, trace)
}

/// How much of a scorecard is written. Explaining a verdict (why an expectation failed, what
/// it asked for, which injects the scenario's expectations cover) cost a study more than
/// finding the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Full,
    /// What a [`Tally`] is counted from: expectations' statuses without their explanations nor
    /// the scenario's coverage; norm evidence without reasons nor records; each latency step's
    /// overall counts and the items, without `by_actor` and `by_level` statistics nor `overall`
    /// quantiles (`p50`, `p90`, `max`).
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

fn score_in(scenario: &Scenario, prep: &Scorer, trace: &Trace) -> Scorecard {
    let detail = Detail::Full;
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
    let norms = norms::compute(&ix, scenario, &by_id);
    let cbm = cbm::compute(&ix, &latency.items, &by_id);
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

/// [`score_in`]'s numbers for a study's row ([`Tally::of`] of its scorecard), skipping what
/// the row does not read: warnings, explanations, the norm grid and the CBM indicators.
fn tally_in(scenario: &Scenario, prep: &Scorer, trace: &Trace) -> Tally {
    let by_id = prep.states_by_id(scenario);
    let ix = index::Index::new(trace);
    let detail = Detail::Numbers;
    let latency = latency::compute(&ix, scenario, detail);
    let escalation = escalation::compute(&ix, scenario, &mut Vec::new());
    let norms = norms::tally(&ix, scenario, &by_id);
    let pings = cbm::ping_tally(&ix, &latency.items, &by_id);
    let objectives =
        objectives::compute(&ix, scenario, &prep.expectations, &prep.objectives, detail);
    let service = service::compute(&ix, &prep.infrastructure);
    Tally::from_parts(
        escalation,
        &latency,
        pings,
        service.total_service_hours_lost,
        queue::compute(trace),
        norms,
        &objectives,
    )
}
