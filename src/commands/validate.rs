use anyhow::{Result, bail};

use crate::scenario_source;
use crate::term::count;

/// Validates every file, printing all problems; fails if any file has one.
pub fn validate(files: &[String]) -> Result<()> {
    let mut failed = 0;
    for f in files {
        match scenario_source::load(Some(f)) {
            Ok(l) => println!(
                "{}: ok ({}, {})",
                l.origin,
                count(l.scenario.states.len() as u64, "state", "states"),
                count(l.scenario.injects.len() as u64, "inject", "injects")
            ),
            Err(e) => {
                eprintln!("{e}\n");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} scenario files have problems", files.len());
    }
    Ok(())
}
