//! What scoring needs of a scenario besides its trace, prepared once. A study scores every run
//! of one scenario: hashing it, naming its states, sorting them by id and naming every
//! expectation's ids were done again for each run, some 5% of a 20-state ping test's batch row
//! (docs/performance.md). The one-run entry points ([`score`](crate::score) and its kin) prepare
//! a `Scorer` and use it once.

use crate::objectives::Named;
use crate::{Scorecard, Tally};
use ttx_scenario::{Name, Scenario, Trace};

/// Scores runs of one scenario (`Scorer::score`, `Scorer::tally`), given that scenario again
/// with each trace: the scorer holds names, not the scenario, so a study keeps one per grid point
/// beside the simulation that owns the scenario.
pub struct Scorer {
    hash: String,
    /// The scenario's state ids, in scenario order.
    pub(crate) states: Vec<Name>,
    /// Positions in `states` sorted by id ([`crate::order::by_id`]).
    by_id: Vec<usize>,
    pub(crate) expectations: Vec<Named>,
    /// The scenario's objectives' ids, in scenario order.
    pub(crate) objectives: Vec<Name>,
    /// The scenario's infrastructure ids, in scenario order.
    pub(crate) infrastructure: Vec<Name>,
    /// How many states, expectations, objectives and infrastructures the scenario had: a cheap
    /// guard against a scorer handed another scenario (one of another shape; a scenario of the
    /// same shape is not caught, and would be scored under this one's names).
    shape: [usize; 4],
}

impl Scorer {
    /// Prepares scoring `scenario`, hashing it ([`Scenario::content_hash`]).
    pub fn new(scenario: &Scenario) -> Scorer {
        Scorer::with_hash(scenario, scenario.content_hash())
    }

    /// [`Scorer::new`], given the scenario's content hash already computed (a simulation has).
    pub fn with_hash(scenario: &Scenario, hash: String) -> Scorer {
        let states: Vec<Name> = scenario.states.iter().map(|s| Name::new(&s.id)).collect();
        Scorer {
            hash,
            by_id: crate::order::by_id(&states),
            states,
            expectations: scenario.expectations.iter().map(Named::new).collect(),
            objectives: scenario
                .objectives
                .iter()
                .map(|o| Name::new(&o.id))
                .collect(),
            infrastructure: scenario
                .infrastructure
                .iter()
                .map(|x| Name::new(&x.id))
                .collect(),
            shape: shape(scenario),
        }
    }

    /// The content hash of the scenario it was prepared for.
    pub fn scenario_hash(&self) -> &str {
        &self.hash
    }

    /// Scores one run of the scenario this was prepared for (the same value as
    /// [`score`](crate::score)). Panics if handed a scenario of another shape.
    pub fn score(&self, scenario: &Scenario, trace: &Trace) -> Scorecard {
        crate::score_in(scenario, self, trace)
    }

    /// What a study's row reads of the run: [`Tally::of`] its [`Scorer::score`], counted
    /// without building the scorecard. Panics if handed a scenario of another shape.
    pub fn tally(&self, scenario: &Scenario, trace: &Trace) -> Tally {
        crate::tally_in(scenario, self, trace)
    }

    /// The scenario's states sorted by id, each with its name.
    pub(crate) fn states_by_id<'s>(
        &self,
        scenario: &'s Scenario,
    ) -> Vec<(Name, &'s ttx_scenario::State)> {
        assert_eq!(
            shape(scenario),
            self.shape,
            "a Scorer scores the scenario it was prepared for"
        );
        self.by_id
            .iter()
            .map(|&i| (self.states[i], &scenario.states[i]))
            .collect()
    }
}

fn shape(sc: &Scenario) -> [usize; 4] {
    [
        sc.states.len(),
        sc.expectations.len(),
        sc.objectives.len(),
        sc.infrastructure.len(),
    ]
}
