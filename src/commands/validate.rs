use anyhow::{Result, bail};
use std::path::Path;
use ttx_scenario::{determinism, library};

use crate::scenario_source;

/// Validates every file, printing all problems; fails if any file has one. With
/// `deterministic`, also lists the random draws each valid file leaves and fails if any does.
pub fn validate(files: &[String], deterministic: bool) -> Result<()> {
    let mut failed = 0;
    let mut random = 0;
    for f in files {
        match scenario_source::load(Some(f)) {
            Ok(l) => {
                println!(
                    "{}: ok ({} states, {} injects)",
                    l.origin,
                    l.scenario.states.len(),
                    l.scenario.injects.len()
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

/// The text a scenario was loaded from, to place each draw at its line and column.
fn source_of(arg: &str) -> Result<String> {
    let path = Path::new(arg);
    if path.is_file() {
        return Ok(std::fs::read_to_string(path)?);
    }
    Ok(library::find(arg).map_or_else(String::new, |b| b.source.to_string()))
}
