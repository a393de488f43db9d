use anyhow::{Result, bail};

use crate::scenario_source;

/// Validates every file, printing all problems; fails if any file has one.
pub fn validate(files: &[String]) -> Result<()> {
    let mut failed = 0;
    for f in files {
        match scenario_source::load(Some(f)) {
            Ok(l) => println!(
                "{}: ok ({} states, {} injects)",
                l.origin,
                l.scenario.states.len(),
                l.scenario.injects.len()
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
