//! The engine and a plain hand-written loop of the ping model (benches/ping_model.rs) must
//! produce the same trace, byte for byte: an independent check of the engine's ping behaviour
//! (working hours, stale PoCs, doctrines, keyed random streams), and proof that the overhead
//! benchmark compares like with like.

#[path = "../benches/ping_model.rs"]
mod ping_model;

use ttx_sim::{Prepared, Simulation};

fn same_trace(sc: &ttx_scenario::Scenario, seeds: std::ops::Range<u64>) {
    let sim = Simulation::new(sc).unwrap();
    let prep = Prepared::new(sc).unwrap();
    for seed in seeds {
        let engine = sim.run(seed).to_jsonl();
        let hand = ping_model::run(&prep, seed).to_jsonl();
        assert_eq!(engine, hand, "{} seed {seed}", sc.name);
    }
}

#[test]
fn the_engine_and_the_hand_loop_agree_on_the_bundled_ping_test() {
    same_trace(
        &ttx_scenario::library::find("poc-ping-test")
            .unwrap()
            .load()
            .unwrap(),
        0..10,
    );
}

#[test]
fn the_engine_and_the_hand_loop_agree_at_every_bench_size() {
    for n in [10, 50, 193] {
        same_trace(&ping_model::ping_test(n), 0..3);
    }
}
