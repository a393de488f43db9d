//! ttx-sim: the simulation engine. A validated scenario and a seed go in, a trace comes out.
//! bevy_ecs stays inside this crate; nothing here knows about scoring.
//!
//! ```no_run
//! let scenario = ttx_scenario::library::find("hospital-ransomware").unwrap().load().unwrap();
//! let sim = ttx_sim::Simulation::new(&scenario).unwrap();
//! let trace = sim.run(42);
//! assert!(!trace.records.is_empty());
//! ```

mod agenda;
mod arrivals;
mod comms;
mod components;
mod ctx;
mod engine;
mod escalation;
mod incidents;
mod infra;
mod injects;
mod items;
pub mod live;
mod moves;
pub mod prepared;
pub mod radix;
mod responses;
pub mod rng;
mod tick;

use std::sync::Arc;
use ttx_scenario::{Diagnostic, Scenario, Trace};

pub use prepared::Prepared;

/// A scenario ready to run any number of times, from any number of threads.
#[derive(Clone)]
pub struct Simulation {
    prepared: Arc<Prepared>,
}

impl Simulation {
    /// Validates and prepares `scenario`; fails with its validation problems.
    pub fn new(scenario: &Scenario) -> Result<Simulation, Vec<Diagnostic>> {
        Ok(Simulation {
            prepared: Arc::new(Prepared::new(scenario)?),
        })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.prepared.scenario
    }

    /// The scenario's content hash, as every trace of this simulation carries it: computed once,
    /// so that scoring many runs need not hash the scenario again for each.
    pub fn scenario_hash(&self) -> &str {
        &self.prepared.hash
    }

    /// One run. The same seed always gives the same trace, byte for byte.
    pub fn run(&self, seed: u64) -> Trace {
        engine::run(&self.prepared, seed)
    }
}

/// Seed of run `index` in a study with master seed `master`: a SplitMix64 step, so consecutive runs
/// get well-separated seeds and `ttx run --seed <that>` replays any run of a batch.
pub fn run_seed(master: u64, index: u64) -> u64 {
    let mut z = master.wrapping_add(index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
