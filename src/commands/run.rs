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
    let loaded = scenario_source::load(args.scenario.as_deref())?;
    let mut recorded = scenario_source::carried_overrides(args.scenario.as_deref(), &loaded);
    let loaded = scenario_source::with_overrides(loaded, &args.set)?;
    let sim = ttx_sim::Simulation::new(&loaded.scenario)
        .map_err(|d| anyhow!("{}", ttx_scenario::Diagnostics::new(&loaded.origin, "", d)))?;
    let mut trace = sim.run(args.seed);
    // The header names the overrides, so that the trace alone says what it was run with.
    recorded.extend(
        scenario_source::overrides(&args.set)?
            .iter()
            .map(ToString::to_string),
    );
    trace.header.overrides = recorded;
    // The simulation hashed the scenario already; hashing serialises all of it, which for the
    // 193-state directory takes some 130 µs, two fifths of scoring its trace.
    let card = ttx_scoring::score_with_hash(&loaded.scenario, sim.scenario_hash(), &trace);
    let shown = match args.format {
        Format::Json => scorecard_json(&card),
        Format::Text => {
            let options = timeline::Options {
                verbose: args.verbose,
                layout: *layout,
            };
            format!(
                "{}\n{}\n{}",
                timeline::header(&loaded.scenario, &trace, layout),
                timeline::render(&trace, &options),
                scorecard_text::render(&card, &loaded.scenario, layout)
            )
        }
    };
    // Files first, then the terminal: `ttx run --out DIR | head` still writes DIR whole, even
    // though the pipe closes (and ends the process) before the timeline is printed.
    let wrote = match &args.out {
        Some(dir) => {
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
            Some(dir)
        }
        None => None,
    };
    print!("{shown}");
    if let Some(dir) = wrote {
        eprintln!(
            "wrote {0}/trace.jsonl, {0}/scenario.ron, {0}/scorecard.json and {0}/report.html",
            dir.display()
        );
    }
    Ok(())
}
