//! The generated year-long exercise behind the scoring bench (`benches/year_model.rs`) is a valid
//! scenario that opens every kind of chain and norm the bench is meant to time: a bench of a
//! scenario in which nothing happens would measure nothing.

#[path = "../benches/year_model.rs"]
mod year_model;

use ttx_scenario::Name;
use ttx_scoring::norms::VerdictStatus;

#[test]
fn the_year_model_exercises_every_chain_the_bench_times() {
    let sc = year_model::year(200);
    assert_eq!(sc.states.len(), year_model::STATES);
    assert_eq!(sc.injects.len(), 200);
    let trace = ttx_sim::Simulation::new(&sc).unwrap().run(1);
    let card = ttx_scoring::score(&sc, &trace);
    let opened = |label: &str| {
        card.latency
            .steps
            .iter()
            .find(|s| s.step.label() == label)
            .is_some_and(|s| s.overall.count > 0)
    };
    for step in ["start → detect", "notify → acknowledge", "ping → reply"] {
        assert!(opened(step), "no {step} item");
    }
    for letter in ["a", "c", "e", "g", "j"] {
        let judged = card
            .norms
            .values()
            .filter_map(|row| row.get(&Name::new(letter)))
            .any(|v| v.status != VerdictStatus::NotApplicable);
        assert!(judged, "norm {letter} never had an opportunity");
    }
    assert!(!card.objectives.expectations.is_empty());
    assert_eq!(
        card,
        ttx_scoring::score(&sc, &trace),
        "scoring is a pure function"
    );
}

#[test]
fn a_study_of_two_hundred_involved_states_keeps_its_rows_narrow() {
    // 200 states in incidents would give 39,800 dyad columns per row; per-state columns stop at 24.
    // What is left is fixed whatever the number of states: six survival columns per chain step
    // (docs/batch.md), the queue, the norms and the headline figures.
    let columns = ttx::batch::metrics::columns(&year_model::year(200));
    assert!(!columns.iter().any(|c| c.starts_with("peak:")));
    assert!(columns.len() < 150, "{} columns", columns.len());
}
