//! Scoring speed: one trace of the default scenario, of the 193-state ping test (also with the
//! scenario's hash computed once, and as a study's row scores it), and of a generated
//! year-long exercise of 200 states at 250, 500, 1,000 and 2,000 injects — scoring must grow
//! linearly with the trace, so a 1,000-run study of a year-long exercise stays a matter of minutes.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use ttx_sim::Simulation;

/// As the `ttx` binary, so that what is measured is what users run.
#[global_allocator]
static ALLOCATOR: ttx::MiMalloc = ttx::MiMalloc;

#[path = "ping_model.rs"]
mod ping_model;
#[path = "year_model.rs"]
mod year_model;

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
    // As a study scores each run, with one `Scorer` prepared for the scenario (hashed, its ids
    // named, once): the full scorecard and a row's.
    let scorer = ttx_scoring::Scorer::new(&ping);
    c.bench_function("score-hashed/ping-test-193", |b| {
        b.iter(|| black_box(scorer.score(&ping, &trace)))
    });
    c.bench_function("score-tally/ping-test-193", |b| {
        b.iter(|| black_box(scorer.tally(&ping, &trace)))
    });
    let mut group = c.benchmark_group("score/year-200-states");
    group.sample_size(20);
    for injects in [250, 500, 1000, 2000] {
        let sc = year_model::year(injects);
        let trace = Simulation::new(&sc).unwrap().run(1);
        group.throughput(Throughput::Elements(trace.records.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(injects), &injects, |b, _| {
            b.iter(|| black_box(ttx_scoring::score(&sc, &trace)))
        });
    }
    group.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
