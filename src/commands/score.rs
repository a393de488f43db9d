use anyhow::Result;

use crate::cli::{Format, ScoreArgs};
use crate::commands::run::scorecard_json;
use crate::term::Layout;
use crate::{scenario_source, scorecard_text};

pub fn score(args: &ScoreArgs, layout: &Layout) -> Result<()> {
    let (trace, loaded) =
        scenario_source::load_trace(&args.trace, args.scenario.as_deref(), &args.set)?;
    let card = ttx_scoring::score(&loaded.scenario, &trace);
    match args.format {
        Format::Json => print!("{}", scorecard_json(&card)),
        Format::Text => print!(
            "{}",
            scorecard_text::render(&card, &loaded.scenario, layout)
        ),
    }
    Ok(())
}
