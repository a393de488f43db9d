//! Finding a scenario from what the user typed: a bundled name, a path to a RON file, or a run or
//! study directory (its `scenario.ron`); and finding the scenario a saved trace was run with.
//!
//! A run directory is self-contained: `ttx run --out DIR` writes the scenario it ran, `--set`
//! overrides applied, as `DIR/scenario.ron` beside the trace, so `ttx score DIR/trace.jsonl`,
//! `ttx report DIR` and `ttx export-msel DIR` work anywhere, for any scenario, bundled or not.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::path::PathBuf;
use ttx_scenario::overrides::Override;
use ttx_scenario::{Scenario, Trace, library};

use crate::input;
use crate::output::write_atomic;

/// The scenario file of a run or study directory.
pub const SCENARIO_FILE: &str = "scenario.ron";

/// A loaded, validated scenario and where it came from.
pub struct Loaded {
    pub scenario: Scenario,
    /// `NAME (bundled)` or the path, as messages should name it.
    pub origin: String,
}

/// Loads `arg` as a file path, a run or study directory, or a bundled scenario name; with no
/// argument, the default scenario.
pub fn load(arg: Option<&str>) -> Result<Loaded> {
    let name = arg.unwrap_or(library::DEFAULT);
    let path = Path::new(name);
    if path.is_file() {
        return load_path(path);
    }
    if path.is_dir() {
        let file = path.join(SCENARIO_FILE);
        if file.is_file() {
            return load_path(&file);
        }
        bail!(
            "{name} is a directory without {SCENARIO_FILE}\n  = help: give a scenario file, a bundled name (`ttx list`), or a directory written by `ttx run --out` or `ttx batch`"
        );
    }
    if let Some(b) = library::find(name) {
        let scenario = b.load().map_err(|d| anyhow::anyhow!("{d}"))?;
        return Ok(Loaded {
            scenario,
            origin: format!("{} (bundled)", b.name),
        });
    }
    let hint = match ttx_scenario::did_you_mean(name, library::names()) {
        Some(m) => format!("did you mean the bundled scenario \"{m}\"?"),
        None => "`ttx list` shows the bundled scenarios".to_string(),
    };
    bail!("no bundled scenario or file named \"{name}\"\n  = help: {hint}")
}

pub fn load_path(path: &Path) -> Result<Loaded> {
    let origin = path.display().to_string();
    let source = input::read_text(path)?;
    let scenario = ttx_scenario::load_str(&source, &origin).map_err(|d| anyhow::anyhow!("{d}"))?;
    Ok(Loaded { scenario, origin })
}

/// Reads `--set PATH=VALUE` arguments.
pub fn overrides(sets: &[String]) -> Result<Vec<Override>> {
    sets.iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("--set {e}"))
}

/// Applies `--set PATH=VALUE` overrides to a loaded scenario.
pub fn with_overrides(mut loaded: Loaded, sets: &[String]) -> Result<Loaded> {
    if sets.is_empty() {
        return Ok(loaded);
    }
    let overrides = overrides(sets)?;
    loaded.scenario =
        ttx_scenario::overrides::apply(&loaded.scenario, &overrides).map_err(anyhow::Error::msg)?;
    Ok(loaded)
}

/// The overrides a run directory's scenario already holds, as its trace header records them:
/// `ttx run DIR` runs `DIR/scenario.ron`, which is the bundled (or named) scenario with these
/// applied, so a new trace's header lists them before any typed now, and a replay with the same
/// seed writes the same trace. Only when `DIR/trace.jsonl` was run with exactly that scenario
/// (its content hash); otherwise nothing is carried forward, and the hash check decides later.
pub fn carried_overrides(arg: Option<&str>, loaded: &Loaded) -> Vec<String> {
    let Some(dir) = arg.map(Path::new).filter(|p| p.is_dir()) else {
        return Vec::new();
    };
    let Ok(text) = std::fs::read_to_string(dir.join("trace.jsonl")) else {
        return Vec::new();
    };
    match Trace::from_jsonl(&text) {
        Ok(trace) if trace.header.scenario_hash == loaded.scenario.content_hash() => {
            trace.header.overrides
        }
        _ => Vec::new(),
    }
}

/// Writes `scenario` into `dir` as `file`, in the RON it was read from (resolved: overrides
/// applied, bundled doctrines named), so the directory can be scored, reported and re-run alone.
pub fn write_beside(dir: &Path, file: &str, scenario: &Scenario) -> Result<()> {
    write_atomic(&dir.join(file), ttx_scenario::to_ron(scenario).as_bytes())
}

/// A saved trace and the scenario it was run with: `scenario` if given, else the `scenario.ron`
/// beside the trace, else the bundled scenario its header names; `sets` applied and the content
/// hash checked (see [`for_trace`]). The `scenario.ron` beside a trace is the resolved scenario
/// (the run's overrides already in it), so the overrides the header records are not applied to
/// it a second time.
pub fn load_trace(path: &Path, scenario: Option<&str>, sets: &[String]) -> Result<(Trace, Loaded)> {
    let file: PathBuf = if path.is_dir() {
        path.join("trace.jsonl")
    } else {
        path.to_path_buf()
    };
    let path = file.as_path();
    let origin = path.display().to_string();
    let text = input::read_text(path)?;
    let trace = Trace::from_jsonl(&text).map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
    let beside = path
        .parent()
        .map(|d| d.join(SCENARIO_FILE))
        .filter(|p| p.is_file())
        .map(|p| p.display().to_string());
    let loaded = match (scenario, beside) {
        (Some(given), _) => for_trace(&trace, &origin, Given::Named(given), sets)?,
        (None, Some(resolved)) => for_trace(&trace, &origin, Given::Resolved(&resolved), sets)?,
        (None, None) => for_trace(&trace, &origin, Given::FromHeader, sets)?,
    };
    Ok((trace, loaded))
}

/// Which scenario a saved trace is to be scored against.
pub enum Given<'a> {
    /// The bundled scenario the trace header names.
    FromHeader,
    /// A bundled name or a file the user gave (`--scenario`): the scenario as written, or one
    /// that already holds the run's overrides.
    Named(&'a str),
    /// The `scenario.ron` written beside the trace: the run's overrides already applied.
    Resolved(&'a str),
}

/// The scenario a saved trace was run with, refused unless its content hash is the trace's, so
/// a trace is never scored (or reported) against a scenario it was not run with.
///
/// Overrides: `sets` if any were typed (they replace the header's), else those the header
/// records — except on a resolved scenario (`Given::Resolved`), which has them already: applying
/// them again could differ (an override that renames what a later one names). A scenario the user
/// names is tried with the header's overrides and, failing the hash, as written, since it may be
/// a resolved scenario copied elsewhere. `origin` names the trace in messages; a trace without a
/// digest gets a note that it is scored as given.
pub fn for_trace(trace: &Trace, origin: &str, given: Given<'_>, sets: &[String]) -> Result<Loaded> {
    if trace.header.digest.is_none() {
        eprintln!(
            "note: {origin} carries no digest (it was not written by ttx, or its digest was removed): it is scored as given"
        );
    }
    let (name, resolved) = match given {
        Given::FromHeader => (trace.header.scenario.as_str(), false),
        Given::Named(name) => (name, false),
        Given::Resolved(file) => (file, true),
    };
    let loaded = load(Some(name)).with_context(|| {
        format!(
            "{origin} was run with scenario \"{}\"; give its file with --scenario",
            trace.header.scenario
        )
    })?;
    let from_header = sets.is_empty() && !resolved;
    let sets = if from_header {
        trace.header.overrides.as_slice()
    } else {
        sets
    };
    let as_given = (from_header && !sets.is_empty()).then(|| loaded.scenario.clone());
    let origin_of_scenario = loaded.origin.clone();
    let mut loaded = with_overrides(loaded, sets)?;
    if loaded.scenario.content_hash() != trace.header.scenario_hash
        && let Some(sc) = as_given
        && sc.content_hash() == trace.header.scenario_hash
    {
        loaded.scenario = sc;
    }
    let hash = loaded.scenario.content_hash();
    if hash != trace.header.scenario_hash {
        let with = if sets.is_empty() {
            String::new()
        } else {
            format!(" with --set {}", sets.join(" --set "))
        };
        bail!(
            "{origin}: line 1: the trace was run with a different scenario than {origin_of_scenario}{with} ({} in the trace, {hash} now)\n  \
             = help: give the exact scenario file the trace was run with (--scenario FILE)",
            trace.header.scenario_hash
        );
    }
    Ok(loaded)
}
