use anyhow::{Result, bail};
use std::path::Path;
use ttx_scenario::{determinism, library, msel};

use crate::term::count;
use crate::{input, scenario_source};

/// Validates every file, printing all problems; fails if any file has one. With
/// `deterministic`, also lists the random draws each valid file leaves and fails if any does.
pub fn validate(files: &[String], deterministic: bool) -> Result<()> {
    let mut failed = 0;
    let mut random = 0;
    for f in files {
        match scenario_source::load(Some(f)) {
            Ok(l) => {
                let planner = &l.scenario.planner_columns;
                println!(
                    "{}: ok ({}, {}{})",
                    l.origin,
                    count(l.scenario.states.len() as u64, "state", "states"),
                    count(l.scenario.injects.len() as u64, "inject", "injects"),
                    if planner.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; the planner's own MSEL columns: {}",
                            msel::column_list(planner)
                        )
                    }
                );
                if deterministic {
                    let (text, draws) = determinism::report(&l.origin, &source_of(f)?, &l.scenario);
                    print!("{text}");
                    if draws > 0 {
                        random += 1;
                    }
                }
            }
            Err(e) => {
                eprintln!("{e}\n");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} scenario files have problems", files.len());
    }
    if random > 0 {
        bail!(
            "{random} of {} scenario files leave random draws: their runs differ between seeds",
            files.len()
        );
    }
    Ok(())
}

/// The text a scenario was loaded from, to place each draw at its line and column: the file, the
/// `scenario.ron` of a run or study directory, or the bundled scenario's source.
fn source_of(arg: &str) -> Result<String> {
    let path = Path::new(arg);
    let file = if path.is_dir() {
        path.join(scenario_source::SCENARIO_FILE)
    } else {
        path.to_path_buf()
    };
    if file.is_file() {
        return input::read_text(&file);
    }
    Ok(library::find(arg).map_or_else(String::new, |b| b.source.to_string()))
}
