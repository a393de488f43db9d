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
    /// Width of printed output in columns [default: the terminal's; 80 when output is not a
    /// terminal, so piped output is stable]
    #[arg(long, global = true, value_name = "COLUMNS")]
    pub width: Option<usize>,
    /// One line per timeline record and table row, whatever the width
    #[arg(long, global = true)]
    pub wide: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run a scenario once and print its timeline
    Run(RunArgs),
    /// Run many seeds of a scenario in parallel: one tidy row per run, summaries with confidence intervals
    Batch(BatchArgs),
    /// Run two variants with the same seeds and report the paired difference of every metric
    Compare(CompareArgs),
    /// Combine the outputs of a study's shards into the files one machine would have written
    Merge {
        /// Shard directories (each written by `ttx batch --shard K/N`)
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Directory for the merged study
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Run a live exercise in the browser: human teams, bots and the control cell; prints one join link per role
    Serve(ServeArgs),
    /// Score a saved trace again (gives exactly the scorecard of the run that wrote it)
    Score(ScoreArgs),
    /// Write the after-action report (report.html, or report.md) of a run or study directory
    Report(ReportArgs),
    /// List the bundled scenarios
    List,
    /// Check scenario files and print every problem found
    Validate {
        /// Scenario files (or bundled names)
        #[arg(required = true)]
        files: Vec<String>,
        /// Also list every random draw left (probabilities between 0 and 1, latencies that are
        /// not Fixed) with where it is set; fail unless there is none, so a drill repeats exactly
        #[arg(long)]
        deterministic: bool,
    },
    /// Write a short, commented starter scenario to NAME.ron
    Init {
        /// Scenario name (the file is NAME.ron unless NAME ends in .ron)
        name: String,
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Turn a Master Scenario Events List (.xlsx, .ods or CSV) into a scenario
    #[command(name = "import-msel")]
    ImportMsel(ImportMselArgs),
    /// Write a run's exchanges as a STIX 2.1 bundle with TLP 2.0 markings (the control cell's, or
    /// what one state may see)
    #[command(name = "export-stix")]
    ExportStix(ExportStixArgs),
    /// Turn the indicators of a STIX 2.1 bundle into an incident inject (or add it to a scenario)
    #[command(name = "import-stix")]
    ImportStix(ImportStixArgs),
    /// Write a scenario's injects and expectations as an MSEL spreadsheet (.xlsx or CSV)
    #[command(name = "export-msel")]
    ExportMsel {
        /// Bundled scenario name or .ron path
        scenario: String,
        /// File to write: FILE.xlsx for an Excel workbook, anything else as CSV
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(clap::Args)]
pub struct ImportMselArgs {
    /// The MSEL: .xlsx, .xls or .ods workbook, or CSV (columns Number, Time, From, To, Method,
    /// Subject, Message, Expected Action; optional Objective, Norm, Severity, Event; or an
    /// OpenAEV inject export or a CISA CTEP MSEL: docs/msel.md)
    pub file: PathBuf,
    /// The workbook's sheet to read [default: the first]
    #[arg(long)]
    pub sheet: Option<String>,
    /// Only the Expected Action grammar and known methods: sentences and unknown methods are
    /// errors instead of being understood or delivered by the control cell
    #[arg(long)]
    pub strict: bool,
    /// Exercise start (T+0) as an ISO 8601 UTC instant; anchors clock times such as 14:30
    #[arg(long)]
    pub start: Option<String>,
    /// Scenario whose states, infrastructure, actors and doctrines the MSEL builds on
    #[arg(long)]
    pub base: Option<String>,
    /// Name of the new scenario [default: the file name]
    #[arg(long)]
    pub name: Option<String>,
    /// Exercise length, e.g. 5d [default: the base's, or the day after the last inject]
    #[arg(long)]
    pub duration: Option<String>,
    /// Where to write the scenario (.ron); standard output if omitted
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// Bundled scenario name or path to a .ron file [default: hospital-ransomware]
    pub scenario: Option<String>,
    /// Random seed; the same seed always gives the same run
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Directory to write trace.jsonl, scorecard.json and report.html into
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Also show every message delivery in the timeline
    #[arg(long, short)]
    pub verbose: bool,
    /// Change a scenario value, e.g. states.borealia.doctrine=hawkish (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// text: timeline and scorecard; json: the scorecard as JSON
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Bundled scenario name or path to a .ron file [default: hospital-ransomware]
    pub scenario: Option<String>,
    /// The exercise directory: its journal, and trace.jsonl, scorecard.json, report.html and
    /// scenario.ron at the end [default: exercise-SCENARIO]
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// States played by human teams, e.g. aurelia,borealia (overrides the scenario's `control:`)
    #[arg(long, value_delimiter = ',', value_name = "STATE,…")]
    pub human: Vec<String>,
    /// Address to listen on; anything but localhost lets other machines join (a warning says so)
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// Continue the exercise in DIR after an interruption (a crash, kill -9, a closed laptop)
    #[arg(long, value_name = "DIR", conflicts_with_all = ["scenario", "dir", "human", "set", "seed"])]
    pub resume: Option<PathBuf>,
    /// Random seed of the simulated parts (bots, latencies)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Change a scenario value, e.g. states.borealia.doctrine=hawkish (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(clap::Args)]
pub struct ScoreArgs {
    /// A trace written by `ttx run --out` (or recorded from a live exercise)
    pub trace: PathBuf,
    /// The scenario the trace was run with [default: the bundled one named in the trace header]
    #[arg(long)]
    pub scenario: Option<String>,
    /// The --set overrides the trace was run with [default: those its header records]
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    /// A run directory (from `ttx run --out`) or a study directory (from `ttx batch`, `compare`
    /// or `merge`)
    pub dir: PathBuf,
    /// html: a self-contained page with charts (DIR/report.html); md: the key tables as
    /// Markdown (DIR/report.md)
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// The scenario the run used [default: the bundled one named in the trace header]
    #[arg(long)]
    pub scenario: Option<String>,
    /// The --set overrides the run used [default: those its trace header records]
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// A live exercise team's own report (DIR/report-STATE.html): only what its state sent,
    /// received and saw, TLP:RED only where it was a recipient, no other team's notes
    #[arg(long, value_name = "STATE", conflicts_with = "format")]
    pub team: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
}

#[derive(clap::Args)]
pub struct StudyArgs {
    /// Runs (seeds) per variant or grid point
    #[arg(long, short = 'n')]
    pub runs: u64,
    /// Master seed; run i uses a seed derived from it, printed in the rows
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads [default: all cores]
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Change a scenario value, e.g. doctrines.cautious.ack_probability=0.6 (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Confidence level of every interval: 0.9, 0.95 or 0.99
    #[arg(long, value_name = "LEVEL", default_value = "0.95", value_parser = crate::batch::estimators::Level::parse)]
    pub level: crate::batch::estimators::Level,
    /// Run blocks of 1000 seeds per point until the metric's interval is this narrow, e.g.
    /// 'P(misattribution) ± 0.005'; --runs is then the cap
    #[arg(
        long,
        value_name = "'METRIC ± HALFWIDTH'",
        conflicts_with = "precision"
    )]
    pub until: Option<String>,
    /// The same stopping rule written METRIC=HALFWIDTH, e.g. misattributed=0.005
    #[arg(long, value_name = "METRIC=HALFWIDTH")]
    pub precision: Option<String>,
}

#[derive(clap::Args)]
pub struct BatchArgs {
    /// Bundled scenario name or .ron path [default: hospital-ransomware]
    pub scenario: Option<String>,
    #[command(flatten)]
    pub study: StudyArgs,
    /// Run every combination of these values, e.g. states.borealia.doctrine=cautious,hawkish (repeatable)
    #[arg(long = "sweep", value_name = "PATH=V1,V2,...")]
    pub sweep: Vec<String>,
    /// Run one point per row of a design file (CSV: a --set path per column, e.g. from SALib or
    /// EMA Workbench)
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["sweep", "sample"])]
    pub design: Option<PathBuf>,
    /// Draw a design here: lhs:N, a Latin hypercube of N points over the --range parameters
    #[arg(
        long,
        value_name = "lhs:N",
        requires = "range",
        conflicts_with = "sweep"
    )]
    pub sample: Option<String>,
    /// A parameter range for --sample, e.g. doctrines.hawkish.attribution_threshold=0.3..0.9 (repeatable)
    #[arg(long = "range", value_name = "PATH=LO..HI", requires = "sample")]
    pub range: Vec<String>,
    /// Output directory [default: batch-SCENARIO]
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Run only shard K of N (for a cluster's job array); merge the shards with `ttx merge`
    #[arg(long, value_name = "K/N", conflicts_with_all = ["until", "precision"])]
    pub shard: Option<String>,
    /// Complete an interrupted study in --out, keeping every finished row
    #[arg(long)]
    pub resume: bool,
}

#[derive(clap::Args)]
pub struct CompareArgs {
    /// First variant (bundled name or .ron path), or a live exercise's directory: then its
    /// scenario is played with bots in the human teams' place and the teams are compared with them
    pub a: String,
    /// Second variant (none for a live exercise)
    pub b: Option<String>,
    #[command(flatten)]
    pub study: StudyArgs,
    /// Output directory [default: compare-A-B]
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ExportStixArgs {
    /// A run directory (from `ttx run --out`, or a live exercise's) or its trace.jsonl
    pub dir: PathBuf,
    /// Write the bundle this state (or organisation) may see under TLP 2.0, instead of the
    /// control cell's complete one
    #[arg(long = "for", value_name = "STATE")]
    pub for_party: Option<String>,
    /// File to write, `-` for standard output [default: DIR/stix-control.json, or
    /// DIR/stix-STATE.json with --for]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The scenario the run used [default: the bundled one named in the trace header]
    #[arg(long)]
    pub scenario: Option<String>,
    /// The --set overrides the run used
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(clap::Args)]
pub struct ImportStixArgs {
    /// A STIX 2.1 bundle (JSON) holding indicator objects
    pub bundle: PathBuf,
    /// Infrastructure the incident hits (an id of the scenario's infrastructure)
    #[arg(long)]
    pub target: String,
    /// Threat actor behind it (an id of the scenario's actors)
    #[arg(long)]
    pub by: String,
    /// Scenario to add the incident to; the output is then the whole scenario, checked
    #[arg(long)]
    pub scenario: Option<String>,
    /// When the incident inject fires
    #[arg(long, default_value = "T+1h")]
    pub at: String,
    /// Incident id [default: stix-1, or the next free stix-N in --scenario]
    #[arg(long)]
    pub id: Option<String>,
    /// PPD-41 severity, 0–5
    #[arg(long, default_value_t = 3)]
    pub severity: u8,
    /// Attack technique: Ransomware, Wiper, Ddos, Intrusion, DataTheft, Defacement, SupplyChain,
    /// Botnet
    #[arg(long, default_value = "Intrusion")]
    pub technique: String,
    /// Where to write the inject (or, with --scenario, the scenario); standard output if omitted
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}
