//! ttx: the command-line front end. It only parses arguments, calls the crates that do the work,
//! and reports; see ARCHITECTURE.md.

mod batch;
mod cli;
mod commands;
mod output;
mod scenario_source;
mod scorecard_text;
mod timeline;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match &cli.command {
        cli::Command::Run(args) => commands::run::run(args),
        cli::Command::Batch(args) => commands::batch::batch(args),
        cli::Command::Compare(args) => commands::compare::compare(args),
        cli::Command::Merge { dirs, out } => commands::batch::merge(dirs, out),
        cli::Command::Score(args) => commands::score::score(args),
        cli::Command::List => commands::list::list(),
        cli::Command::Validate { files } => commands::validate::validate(files),
        cli::Command::Init { name, force } => commands::init::init(name, *force),
        cli::Command::ImportMsel(args) => commands::msel::import(args),
        cli::Command::ExportMsel { scenario, output } => commands::msel::export(scenario, output),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let text = format!("{e:#}");
            // Scenario diagnostics carry their own "file:line:col: error:" prefix.
            if text.contains(": error: ") {
                eprintln!("{text}");
            } else {
                eprintln!("error: {text}");
            }
            ExitCode::FAILURE
        }
    }
}
