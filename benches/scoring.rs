//! Scoring speed: one trace of the default scenario, and of the 193-state ping test.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use ttx_sim::Simulation;

#[path = "ping_model.rs"]
mod ping_model;

fn scoring(c: &mut Criterion) {
    let default = ttx_scenario::library::find(ttx_scenario::library::DEFAULT)
        .unwrap()
        .load()
        .unwrap();
    let trace = Simulation::new(&default).unwrap().run(1);
    c.bench_function("score/hospital-ransomware", |b| {
        b.iter(|| black_box(ttx_scoring::score(&default, &trace)))
    });
    let ping = ping_model::ping_test(193);
    let trace = Simulation::new(&ping).unwrap().run(1);
    c.bench_function("score/ping-test-193", |b| {
        b.iter(|| black_box(ttx_scoring::score(&ping, &trace)))
    });
}

criterion_group!(benches, scoring);
criterion_main!(benches);
