//! The ECS engine beside a plain hand-written loop of the same ping model (which produces the
//! same trace, see tests/ping_reference.rs): the engine's overhead as one known figure.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use ttx_sim::{Prepared, Simulation};

/// As the `ttx` binary, so that what is measured is what users run.
#[global_allocator]
static ALLOCATOR: ttx::MiMalloc = ttx::MiMalloc;

#[path = "ping_model.rs"]
mod ping_model;

fn overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("ping-model");
    for n in [20, 193] {
        let sc = ping_model::ping_test(n);
        let sim = Simulation::new(&sc).unwrap();
        let prep = Prepared::new(&sc).unwrap();
        let mut seed = 0;
        group.bench_with_input(BenchmarkId::new("ecs-engine", n), &n, |b, _| {
            b.iter(|| {
                seed += 1;
                black_box(sim.run(seed))
            })
        });
        group.bench_with_input(BenchmarkId::new("hand-loop", n), &n, |b, _| {
            b.iter(|| {
                seed += 1;
                black_box(ping_model::run(&prep, seed))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
