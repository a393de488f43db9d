//! Engine speed: one run of the default scenario, and the PoC ping test at 10, 50 and 193 states.
//! Figures go in the README's performance section, with the machine they ran on.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::fmt::Write;
use std::hint::black_box;
use ttx_sim::Simulation;

/// A ping test among `n` states spread over the world's time zones, a tenth of them with stale
/// entries, mixed office hours and doctrines: the shape of a regional or UN-wide PoC directory.
pub fn ping_test(n: usize) -> ttx_scenario::Scenario {
    let mut states = String::new();
    for i in 0..n {
        let offset = (i as i32 * 26 / n.max(1) as i32) - 12;
        let sign = if offset < 0 { '-' } else { '+' };
        let doctrine = ["cooperative", "cooperative", "cautious", "non-responsive"][i % 4];
        let hours = if i % 3 == 0 {
            "24/7"
        } else {
            "Mon-Fri 09:00-17:00"
        };
        let status = if i % 10 == 7 { ", status: Stale" } else { "" };
        let _ = writeln!(
            states,
            r#"State(id: "s{i:03}", utc_offset: "{sign}{:02}:00", doctrine: "{doctrine}",
                pocs: [Poc(level: Technical, hours: "{hours}"{status}), Poc(level: Diplomatic, hours: "Mon-Fri 09:00-17:00")]),"#,
            offset.abs()
        );
    }
    let ron = format!(
        r#"Scenario(name: "ping-{n}", start: "2026-05-04T13:00:00Z", duration: "5d", states: [{states}],
            injects: [Inject(at: "T+0", event: Ping()), Inject(at: "T+3d", event: Ping(levels: [Technical]))])"#
    );
    ttx_scenario::load_str(&ron, "bench").expect("generated ping test is valid")
}

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
}

criterion_group!(benches, engine);
criterion_main!(benches);
