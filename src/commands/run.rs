use anyhow::{Result, anyhow};

use crate::cli::{Format, RunArgs};
use crate::output::write_atomic;
use crate::term::Layout;
use crate::{report, scenario_source, scorecard_text, timeline};

/// The scorecard's JSON text, shared by `run` and `score` so that both give the same bytes.
pub fn scorecard_json(card: &ttx_scoring::Scorecard) -> String {
    serde_json::to_string_pretty(card).expect("scorecard serialises") + "\n"
}

pub fn run(args: &RunArgs, layout: &Layout) -> Result<()> {
    let loaded = scenario_source::with_overrides(
        scenario_source::load(args.scenario.as_deref())?,
        &args.set,
    )?;
    let sim = ttx_sim::Simulation::new(&loaded.scenario)
        .map_err(|d| anyhow!("{}", ttx_scenario::Diagnostics::new(&loaded.origin, "", d)))?;
    let trace = sim.run(args.seed);
    let card = ttx_scoring::score(&loaded.scenario, &trace);
    match args.format {
        Format::Json => print!("{}", scorecard_json(&card)),
        Format::Text => {
            let options = timeline::Options {
                verbose: args.verbose,
                layout: *layout,
            };
            print!("{}", timeline::header(&loaded.scenario, &trace, layout));
            println!();
            print!("{}", timeline::render(&trace, &options));
            println!();
            print!(
                "{}",
                scorecard_text::render(&card, &loaded.scenario, layout)
            );
        }
    }
    if let Some(dir) = &args.out {
        scenario_source::write_beside(dir, scenario_source::SCENARIO_FILE, &loaded.scenario)?;
        write_atomic(&dir.join("trace.jsonl"), trace.to_jsonl().as_bytes())?;
        write_atomic(
            &dir.join("scorecard.json"),
            scorecard_json(&card).as_bytes(),
        )?;
        let run = report::Run {
            scenario: loaded.scenario,
            trace,
            card,
        };
        report::write_run(dir, &run)?;
        eprintln!(
            "wrote {0}/trace.jsonl, {0}/scenario.ron, {0}/scorecard.json and {0}/report.html",
            dir.display()
        );
    }
    Ok(())
}
