//! Interned names are kept for the life of the process (`scenarios/src/name.rs`), so a study's
//! memory stays flat only if runs after the first intern nothing new. A test binary of its own:
//! the table is process-wide, and other tests would add to it meanwhile.

use ttx_scenario::Name;
use ttx_sim::Simulation;

#[test]
fn runs_after_the_first_intern_no_new_names() {
    for bundled in ttx_scenario::library::all() {
        let sim = Simulation::new(&bundled.load().unwrap()).unwrap();
        // Other seeds may send more messages (ids m1 … mN) or draw other incidents, both
        // bounded by the scenario; the same runs again must find every name already kept.
        for seed in 0..50 {
            sim.run(seed);
        }
        let before = Name::interned();
        for seed in 0..50 {
            sim.run(seed);
        }
        assert_eq!(
            Name::interned(),
            before,
            "{}: the same 50 runs again interned new names",
            bundled.name
        );
    }
}
