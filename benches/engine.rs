//! Engine speed: one run of the default scenario, and the PoC ping test at 10, 50 and 193 states.
//! Figures go in the README's performance section, with the machine they ran on.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use ttx_sim::Simulation;

#[path = "ping_model.rs"]
mod ping_model;
use ping_model::ping_test;

/// As the `ttx` binary, so that what is measured is what users run.
#[global_allocator]
static ALLOCATOR: ttx::MiMalloc = ttx::MiMalloc;

fn engine(c: &mut Criterion) {
    let default = ttx_scenario::library::find(ttx_scenario::library::DEFAULT)
        .unwrap()
        .load()
        .unwrap();
    let sim = Simulation::new(&default).unwrap();
    let mut seed = 0u64;
    c.bench_function("run/hospital-ransomware", |b| {
        b.iter(|| {
            seed += 1;
            black_box(sim.run(seed))
        })
    });
    let mut group = c.benchmark_group("run/ping-test");
    for n in [10, 50, 193] {
        let sim = Simulation::new(&ping_test(n)).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                seed += 1;
                black_box(sim.run(seed))
            })
        });
    }
    group.finish();
    // The bundled UN-wide directory: 193 member states, capital time zones, two PoC levels.
    let un = ttx_scenario::library::find("un-poc-directory")
        .unwrap()
        .load()
        .unwrap();
    let sim = Simulation::new(&un).unwrap();
    c.bench_function("run/un-poc-directory", |b| {
        b.iter(|| {
            seed += 1;
            black_box(sim.run(seed))
        })
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
