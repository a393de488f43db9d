//! Batch throughput: runs of the default scenario per second, simulated, scored and turned into a
//! row, at one and two threads (the runner `ttx batch` uses, without the files).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use ttx::batch::{Study, columns, plan, runner};

/// As the `ttx` binary, so that what is measured is what users run.
#[global_allocator]
static ALLOCATOR: ttx::MiMalloc = ttx::MiMalloc;

const RUNS: u64 = 2000;

fn throughput(c: &mut Criterion) {
    let sc = ttx_scenario::library::find(ttx_scenario::library::DEFAULT)
        .unwrap()
        .load()
        .unwrap();
    let points = plan::points(&sc, &[], &[]).unwrap();
    let study = Study::new(&points, &columns(&points, &[])).unwrap();
    let specs = plan::specs(1, RUNS, 1, None);
    let specs = specs.range(0, specs.len());
    let mut group = c.benchmark_group("batch/hospital-ransomware");
    group.throughput(Throughput::Elements(RUNS));
    group.sample_size(10);
    for threads in [1, 2] {
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, &t| {
            b.iter(|| {
                let mut rows = 0u64;
                runner::run_ordered(
                    &specs,
                    t,
                    |s| study.run(s),
                    |_, r| {
                        rows += black_box(r.map(|cells| cells.len() as u64).unwrap_or(0));
                        Ok(())
                    },
                )
                .unwrap();
                rows
            })
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
