//! ttx: the command line, batch runner and reports, over the crates that do the work
//! (`ttx-scenario`, `ttx-sim`, `ttx-scoring`); see ARCHITECTURE.md. The binary is a one-line
//! `main` calling [`main`]; being a library lets benchmarks and tests reach the batch runner.

mod allocator;
pub mod batch;
pub mod cli;
pub mod commands;
pub mod fuzzing;
pub mod input;
pub mod output;
pub mod report;
pub mod scenario_source;
pub mod scorecard_text;
pub mod stix;
pub mod study_text;
pub mod term;
pub mod timeline;

pub use allocator::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    end_quietly_on_closed_pipe();
    let cli = cli::Cli::parse();
    let layout = term::Layout::detect(cli.width, cli.wide);
    let result = match &cli.command {
        cli::Command::Run(args) => commands::run::run(args, &layout),
        cli::Command::Batch(args) => commands::batch::batch(args, &layout),
        cli::Command::Compare(args) => commands::compare::compare(args, &layout),
        cli::Command::Merge { dirs, out } => commands::batch::merge(dirs, out, &layout),
        cli::Command::Serve(args) => commands::serve::serve(args),
        cli::Command::Score(args) => commands::score::score(args, &layout),
        cli::Command::Report(args) => commands::report::report(args),
        cli::Command::List => commands::list::list(&layout),
        cli::Command::Validate {
            files,
            deterministic,
        } => commands::validate::validate(files, *deterministic),
        cli::Command::Init { name, force } => commands::init::init(name, *force),
        cli::Command::ImportMsel(args) => commands::msel::import(args),
        cli::Command::ExportMsel { scenario, output } => commands::msel::export(scenario, output),
        cli::Command::ExportStix(args) => commands::stix::export(args),
        cli::Command::ImportStix(args) => commands::stix::import(args),
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

/// `ttx run | head -1`: when the reader of standard output goes away, end the way command-line
/// tools conventionally do — killed by SIGPIPE, silently, exit status 141 in a shell — instead
/// of Rust's default (ignore the signal, then panic on the failed write with "Broken pipe").
/// Commands write their files before printing, so what a command writes is whole even then.
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in the process, before any thread exists; resetting a signal
    // to its default disposition has no other effect on the program's state.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
