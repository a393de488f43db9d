use anyhow::{Context, Result, bail};

use crate::cli::{Format, ScoreArgs};
use crate::commands::run::scorecard_json;
use crate::{scenario_source, scorecard_text};

pub fn score(args: &ScoreArgs) -> Result<()> {
    let origin = args.trace.display().to_string();
    let text =
        std::fs::read_to_string(&args.trace).with_context(|| format!("cannot read {origin}"))?;
    let trace =
        ttx_scenario::Trace::from_jsonl(&text).map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
    let name = args
        .scenario
        .clone()
        .unwrap_or_else(|| trace.header.scenario.clone());
    let loaded = scenario_source::load(Some(&name)).with_context(|| {
        format!(
            "{origin} was run with scenario \"{}\"; give its file with --scenario",
            trace.header.scenario
        )
    })?;
    let loaded = scenario_source::with_overrides(loaded, &args.set)?;
    let hash = loaded.scenario.content_hash();
    if hash != trace.header.scenario_hash {
        bail!(
            "{origin}: line 1: the trace was run with a different scenario than {} ({} in the trace, {hash} now)\n  \
             = help: give the exact scenario file and --set overrides the trace was run with",
            loaded.origin,
            trace.header.scenario_hash
        );
    }
    let card = ttx_scoring::score(&loaded.scenario, &trace);
    match args.format {
        Format::Json => print!("{}", scorecard_json(&card)),
        Format::Text => print!("{}", scorecard_text::render(&card, &loaded.scenario)),
    }
    Ok(())
}
