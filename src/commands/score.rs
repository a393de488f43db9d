use anyhow::{Context, Result};

use crate::cli::{Format, ScoreArgs};
use crate::commands::run::scorecard_json;
use crate::{scenario_source, scorecard_text};

pub fn score(args: &ScoreArgs) -> Result<()> {
    let origin = args.trace.display().to_string();
    let text =
        std::fs::read_to_string(&args.trace).with_context(|| format!("cannot read {origin}"))?;
    let trace =
        ttx_scenario::Trace::from_jsonl(&text).map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
    let loaded = scenario_source::for_trace(&trace, &origin, args.scenario.as_deref(), &args.set)?;
    let card = ttx_scoring::score(&loaded.scenario, &trace);
    match args.format {
        Format::Json => print!("{}", scorecard_json(&card)),
        Format::Text => print!("{}", scorecard_text::render(&card, &loaded.scenario)),
    }
    Ok(())
}
