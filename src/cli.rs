//! Command-line interface. Words follow exercise practice: a scenario is run, its injects fire,
//! its objectives are rated.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "ttx",
    version,
    about = "Tabletop crisis-exercise simulator for international cyber incidents",
    long_about = "ttx runs cyber crisis exercises between states, national CERTs, critical infrastructure \
                  and points of contact: scripted injects, bot doctrines, deterministic seeds, and scores \
                  for escalation, response latency and the UN norms of responsible state behaviour.",
    after_help = "Start with `ttx run` (the bundled default scenario) or `ttx list`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run a scenario once and print its timeline
    Run(RunArgs),
    /// List the bundled scenarios
    List,
    /// Check scenario files and print every problem found
    Validate {
        /// Scenario files (or bundled names)
        #[arg(required = true)]
        files: Vec<String>,
    },
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// Bundled scenario name or path to a .ron file [default: hospital-ransomware]
    pub scenario: Option<String>,
    /// Random seed; the same seed always gives the same run
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Directory to write trace.jsonl into
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Also show every message delivery in the timeline
    #[arg(long, short)]
    pub verbose: bool,
}
