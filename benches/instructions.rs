//! Instruction counts, the stable figure on a noisy shared machine (docs/performance.md): one
//! engine run, one scoring pass and one full batch row (simulate + score + row) of the bundled
//! `hospital-ransomware`, `poc-ping-test` and `un-poc-directory`, and the hand-written ping loop.
//!
//! `cargo bench --bench instructions` re-runs this binary under callgrind once per case, counting
//! only inside `measured` (`--toggle-collect`), so start-up, preparation and the warm-up run are
//! left out. Each case runs `REPS` times after one warm-up and the count is divided by `REPS`.
//! `-- CASE…` picks cases by name prefix, e.g. `-- row/poc`.

use std::hint::black_box;
use std::process::Command;
use ttx::batch::{Study, columns, plan};
use ttx::term::thousands;
use ttx_sim::{Prepared, Simulation};

/// As the `ttx` binary, so that what is measured is what users run.
#[global_allocator]
static ALLOCATOR: ttx::MiMalloc = ttx::MiMalloc;

#[path = "ping_model.rs"]
mod ping_model;

const SCENARIOS: [&str; 3] = ["hospital-ransomware", "poc-ping-test", "un-poc-directory"];
const PARTS: [&str; 3] = ["engine", "score", "row"];
const REPS: u64 = 10;
const CASE_VAR: &str = "TTX_INSTRUCTIONS_CASE";

fn main() {
    match std::env::var(CASE_VAR) {
        Ok(case) => run_case(&case),
        Err(_) => drive(),
    }
}

fn cases() -> Vec<String> {
    let mut all = Vec::new();
    for part in PARTS {
        for sc in SCENARIOS {
            all.push(format!("{part}/{sc}"));
        }
    }
    all.push("hand-loop/un-poc-directory".into());
    all.push("hand-loop/poc-ping-test".into());
    all
}

/// Runs every selected case under callgrind and prints one line per case.
fn drive() {
    let picks: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let me = std::env::current_exe().expect("the bench binary knows its path");
    let out = std::env::temp_dir().join(format!("ttx-instructions-{}", std::process::id()));
    println!("{:<36} {:>16}", "case", "instructions");
    for case in cases() {
        if !picks.is_empty() && !picks.iter().any(|p| case.starts_with(p.as_str())) {
            continue;
        }
        let status = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg("--toggle-collect=*instructions::measured*")
            .arg(&me)
            .env(CASE_VAR, &case)
            .output();
        let output = match status {
            Ok(o) => o,
            Err(e) => {
                eprintln!("cannot start valgrind ({e}); install it (Debian: apt install valgrind)");
                std::process::exit(2);
            }
        };
        if !output.status.success() {
            eprintln!(
                "{case} failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            std::process::exit(1);
        }
        let text = std::fs::read_to_string(&out).expect("callgrind wrote its output file");
        let total: u64 = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("totals:")
                    .or_else(|| l.strip_prefix("summary:"))
            })
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("callgrind output has a totals line");
        println!("{case:<36} {:>16}", thousands(total / REPS));
    }
    let _ = std::fs::remove_file(&out);
}

fn load(name: &str) -> ttx_scenario::Scenario {
    ttx_scenario::library::find(name)
        .expect("a bundled scenario")
        .load()
        .expect("bundled scenarios load")
}

/// The only function callgrind counts in: `REPS` calls of `work`.
#[inline(never)]
fn measured(work: &mut dyn FnMut(u64)) {
    for i in 0..REPS {
        work(i + 1);
    }
}

fn run_case(case: &str) {
    let (part, name) = case.split_once('/').expect("case is part/scenario");
    let sc = load(name);
    let mut work: Box<dyn FnMut(u64)> = match part {
        "engine" => {
            let sim = Simulation::new(&sc).expect("valid");
            Box::new(move |seed| {
                black_box(sim.run(seed));
            })
        }
        "score" => {
            let sim = Simulation::new(&sc).expect("valid");
            let trace = sim.run(1);
            Box::new(move |_| {
                black_box(ttx_scoring::score_with_hash(
                    &sc,
                    sim.scenario_hash(),
                    &trace,
                ));
            })
        }
        "row" => {
            let points = plan::points(&sc, &[], &[]).expect("a single point");
            let study = Study::new(&points, &columns(&points, &[])).expect("a study");
            let specs = plan::specs(1, REPS + 1, 1, None);
            let specs = specs.range(0, specs.len());
            Box::new(move |i| {
                black_box(study.run(&specs[i as usize % specs.len()]).expect("a row"));
            })
        }
        "hand-loop" => {
            let prep = Prepared::new(&sc).expect("valid");
            Box::new(move |seed| {
                black_box(ping_model::run(&prep, seed));
            })
        }
        _ => panic!("unknown part {part}"),
    };
    work(0); // warm-up: thread-local engine, lazily built tables
    measured(&mut *work);
}
