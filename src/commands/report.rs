use anyhow::Result;

use crate::cli::{ReportArgs, ReportFormat};
use crate::report::{self, Format};

pub fn report(args: &ReportArgs) -> Result<()> {
    let format = match args.format {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Markdown,
    };
    let path = match &args.team {
        Some(team) => report::write_team(&args.dir, team, args.scenario.as_deref(), &args.set)?,
        None => report::write(&args.dir, format, args.scenario.as_deref(), &args.set)?,
    };
    eprintln!("wrote {}", path.display());
    Ok(())
}
