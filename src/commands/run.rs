use anyhow::{Result, anyhow};

use crate::cli::RunArgs;
use crate::output::write_atomic;
use crate::{scenario_source, timeline};

pub fn run(args: &RunArgs) -> Result<()> {
    let loaded = scenario_source::with_overrides(
        scenario_source::load(args.scenario.as_deref())?,
        &args.set,
    )?;
    let sim = ttx_sim::Simulation::new(&loaded.scenario)
        .map_err(|d| anyhow!("{}", ttx_scenario::Diagnostics::new(&loaded.origin, "", d)))?;
    let trace = sim.run(args.seed);
    print!("{}", timeline::header(&loaded.scenario, &trace));
    println!();
    print!(
        "{}",
        timeline::render(
            &trace,
            &timeline::Options {
                verbose: args.verbose
            }
        )
    );
    if let Some(dir) = &args.out {
        let path = dir.join("trace.jsonl");
        write_atomic(&path, trace.to_jsonl().as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
