//! `ttx serve`: a live exercise. The scenario is resolved here (bundled name or file, `--set`
//! overrides, `--human` applied to its `control:`), and the end-of-exercise files are written
//! by the same writers as `ttx run`; the server itself is the `ttx-live` crate.

use anyhow::{Result, bail};
use std::path::Path;
use std::sync::Arc;
use ttx_scenario::{Scenario, Trace, actors::Control};

use crate::cli::ServeArgs;
use crate::commands::run::scorecard_json;
use crate::output::write_atomic;
use crate::{report, scenario_source};

/// Marks `human` as played by teams. Unknown ids are refused with a suggestion.
pub fn apply_human(scenario: &mut Scenario, human: &[String]) -> Result<()> {
    for h in human {
        if scenario.state(h).is_none() {
            let ids: Vec<&str> = scenario.states.iter().map(|s| s.id.as_str()).collect();
            let hint = match ttx_scenario::did_you_mean(h, ids.iter().copied()) {
                Some(m) => format!("did you mean \"{m}\"?"),
                None => format!("the scenario's states are {}", ids.join(", ")),
            };
            bail!("--human {h}: the scenario has no state \"{h}\"\n  = help: {hint}");
        }
    }
    for s in &mut scenario.states {
        if human.contains(&s.id) {
            s.control = Control::Human;
        }
    }
    Ok(())
}

/// The files `ttx run --out` writes, for a live exercise's trace.
fn write_outputs(dir: &Path, scenario: &Scenario, trace: &Trace) -> Result<Vec<String>> {
    scenario_source::write_beside(dir, scenario_source::SCENARIO_FILE, scenario)?;
    write_atomic(&dir.join("trace.jsonl"), trace.to_jsonl().as_bytes())?;
    let card = ttx_scoring::score(scenario, trace);
    write_atomic(
        &dir.join("scorecard.json"),
        scorecard_json(&card).as_bytes(),
    )?;
    report::write_run(
        dir,
        &report::Run {
            scenario: scenario.clone(),
            trace: trace.clone(),
            card,
        },
    )?;
    Ok([
        "trace.jsonl",
        "scorecard.json",
        "report.html",
        "scenario.ron",
    ]
    .map(String::from)
    .to_vec())
}

pub fn serve(args: &ServeArgs) -> Result<()> {
    let (dir, start) = match &args.resume {
        Some(dir) => (dir.clone(), ttx_live::Start::Resume),
        None => {
            let mut loaded = scenario_source::with_overrides(
                scenario_source::load(args.scenario.as_deref())?,
                &args.set,
            )?;
            apply_human(&mut loaded.scenario, &args.human)?;
            if !loaded
                .scenario
                .states
                .iter()
                .any(|s| s.control == Control::Human)
            {
                bail!(
                    "no state of {} is played by a team\n  = help: name the teams' states with --human, e.g. --human {}",
                    loaded.origin,
                    loaded
                        .scenario
                        .states
                        .iter()
                        .take(2)
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                );
            }
            let dir = args
                .dir
                .clone()
                .unwrap_or_else(|| format!("exercise-{}", loaded.scenario.name).into());
            let scenario_ron = ttx_scenario::to_ron(&loaded.scenario);
            (
                dir,
                ttx_live::Start::New {
                    scenario: Box::new(loaded.scenario),
                    scenario_ron,
                    seed: args.seed.unwrap_or(1),
                    ttx_version: env!("CARGO_PKG_VERSION").to_string(),
                },
            )
        }
    };
    if !args.bind.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can open the join page; share the links only with the people of each role",
            args.bind
        );
    }
    ttx_live::serve_blocking(&dir, start, Arc::new(write_outputs), args.bind, |links| {
        println!("Exercise directory: {}", dir.display());
        println!(
            "Join links (one per role; each link is that role's key — give it only to its people):"
        );
        for (role, url) in links {
            println!("  {:<20} {url}", role);
        }
        println!(
            "Stop with Ctrl-C; continue later with `ttx serve --resume {}`.",
            dir.display()
        );
    })
}
