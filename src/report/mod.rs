//! After-action reports: one self-contained HTML file (or the key tables as Markdown) for a run
//! or a study, the way exercises end in practice (HSEEP's AAR/IP: what happened, strengths,
//! areas for improvement, corrective actions).
//!
//! A report is a pure function of the files in its directory — the trace (re-scored, never
//! trusted from scorecard.json) and its scenario for a run; the manifest, rows, summaries and
//! comparison for a study — with no clock, no random ids and no paths in it, so `ttx report DIR`
//! rebuilds the same bytes and merged shards get the same report as an unsharded study.
//!
//! - `run_report`, `run_latency`, `run_sections`, `findings`, `timeline`, `records`: a single run;
//!   `live_sections`: what a live exercise adds (who played, decision logs, evaluation);
//!   `team_report`: one team's own report of a live exercise (`--team`);
//! - `study_data`, `study_report`, `study_effects`: a batch, sweep or paired comparison;
//! - `charts` (plotters SVG), `html` (page, CSS, escaping), `markdown` (`--format md`).

mod charts;
mod findings;
mod html;
mod live_sections;
pub(crate) mod markdown;
mod records;
mod run_latency;
mod run_report;
mod run_sections;
mod study_data;
mod study_effects;
pub(crate) mod study_report;
mod team_report;
mod timeline;

pub use study_data::{HEADLINE, Headline, metric_label, point_label};
pub use study_report::estimate;

use crate::output::write_atomic;
use crate::scenario_source;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use ttx_scenario::{Scenario, Trace};
use ttx_scoring::Scorecard;

/// Output format of `ttx report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

impl Format {
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Html => "report.html",
            Format::Markdown => "report.md",
        }
    }
}

/// A run, ready to report: its scenario, trace and scorecard.
pub struct Run {
    pub scenario: Scenario,
    pub trace: Trace,
    pub card: Scorecard,
}

/// Reads a run directory's `trace.jsonl`, finds the scenario it was run with (as `ttx score`
/// does: `scenario`, else the directory's `scenario.ron`, else the bundled one the header
/// names; `sets` applied, hash checked) and scores it again.
pub fn load_run(dir: &Path, scenario: Option<&str>, sets: &[String]) -> Result<Run> {
    let (trace, loaded) = scenario_source::load_trace(&dir.join("trace.jsonl"), scenario, sets)?;
    let card = ttx_scoring::score(&loaded.scenario, &trace);
    Ok(Run {
        scenario: loaded.scenario,
        trace,
        card,
    })
}

/// A run's report in `format`.
pub fn run_report(run: &Run, format: Format) -> String {
    match format {
        Format::Html => run_report::html(&run.scenario, &run.trace, &run.card),
        Format::Markdown => markdown::run(&run.scenario, &run.trace, &run.card),
    }
}

/// A study directory's report in `format`.
pub fn study_report(dir: &Path, format: Format) -> Result<String> {
    let data = study_data::load(dir)?;
    Ok(match format {
        Format::Html => study_report::html(&data),
        Format::Markdown => markdown::study(&data),
    })
}

/// Writes `DIR/report.html` (or `.md`) for whatever `dir` holds: a run (`trace.jsonl`) or a
/// study (`batch.json`). Returns the file written.
pub fn write(
    dir: &Path,
    format: Format,
    scenario: Option<&str>,
    sets: &[String],
) -> Result<PathBuf> {
    let text = if dir.join("batch.json").is_file() {
        if scenario.is_some() || !sets.is_empty() {
            bail!(
                "{} holds a study: its report needs no --scenario or --set",
                dir.display()
            );
        }
        study_report(dir, format)?
    } else if dir.join("trace.jsonl").is_file() {
        run_report(&load_run(dir, scenario, sets)?, format)
    } else {
        bail!(
            "{} holds neither a run (trace.jsonl, from `ttx run --out`) nor a study (batch.json, from `ttx batch`, `compare` or `merge`)",
            dir.display()
        );
    };
    let path = dir.join(format.file_name());
    write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// `ttx report DIR --team STATE`: the team's own report of a live exercise,
/// `DIR/report-STATE.html`, holding only what the team may see. Returns the file written.
pub fn write_team(
    dir: &Path,
    team: &str,
    scenario: Option<&str>,
    sets: &[String],
) -> Result<PathBuf> {
    if !dir.join("trace.jsonl").is_file() {
        bail!(
            "{} holds no exercise trace (trace.jsonl): --team reports on a live exercise directory (from `ttx serve`)",
            dir.display()
        );
    }
    let run = load_run(dir, scenario, sets)?;
    let sc = &run.scenario;
    let Some(state) = sc.state(team) else {
        let ids: Vec<&str> = sc.states.iter().map(|s| s.id.as_str()).collect();
        let hint = match ttx_scenario::did_you_mean(team, ids.iter().copied()) {
            Some(m) => format!("did you mean \"{m}\"?"),
            None => format!("its states are {}", ids.join(", ")),
        };
        bail!("--team {team}: the exercise has no state \"{team}\"\n  = help: {hint}");
    };
    if state.control != ttx_scenario::Control::Human {
        let teams: Vec<&str> = sc
            .states
            .iter()
            .filter(|s| s.control == ttx_scenario::Control::Human)
            .map(|s| s.id.as_str())
            .collect();
        bail!(
            "--team {team}: {team} was played by the {}, not a team\n  = help: {}",
            state.control.label(),
            if teams.is_empty() {
                "no state of this exercise was played by a team".to_string()
            } else {
                format!("the teams played {}", teams.join(", "))
            }
        );
    }
    let text = team_report::html(sc, &run.trace, &run.card, team);
    let path = dir.join(format!("report-{team}.html"));
    write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// `ttx run --out`: the report beside the trace, from what the run already has in memory.
pub fn write_run(dir: &Path, run: &Run) -> Result<PathBuf> {
    let path = dir.join(Format::Html.file_name());
    write_atomic(&path, run_report(run, Format::Html).as_bytes())?;
    Ok(path)
}

/// `ttx batch`, `compare` and `merge`: the study report beside the study's files.
pub fn write_study(dir: &Path) -> Result<PathBuf> {
    let path = dir.join(Format::Html.file_name());
    write_atomic(&path, study_report(dir, Format::Html)?.as_bytes())?;
    Ok(path)
}
