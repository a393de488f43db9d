//! Finding a scenario from what the user typed: a bundled name, a path to a RON file, or a run or
//! study directory (its `scenario.ron`); and finding the scenario a saved trace was run with.
//!
//! A run directory is self-contained: `ttx run --out DIR` writes the scenario it ran, `--set`
//! overrides applied, as `DIR/scenario.ron` beside the trace, so `ttx score DIR/trace.jsonl`,
//! `ttx report DIR` and `ttx export-msel DIR` work anywhere, for any scenario, bundled or not.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::path::PathBuf;
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

/// Applies `--set PATH=VALUE` overrides to a loaded scenario.
pub fn with_overrides(mut loaded: Loaded, sets: &[String]) -> Result<Loaded> {
    if sets.is_empty() {
        return Ok(loaded);
    }
    let overrides = sets
        .iter()
        .map(|s| ttx_scenario::overrides::Override::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("--set {e}"))?;
    loaded.scenario =
        ttx_scenario::overrides::apply(&loaded.scenario, &overrides).map_err(anyhow::Error::msg)?;
    Ok(loaded)
}

/// Writes `scenario` into `dir` as `file`, in the RON it was read from (resolved: overrides
/// applied, bundled doctrines named), so the directory can be scored, reported and re-run alone.
pub fn write_beside(dir: &Path, file: &str, scenario: &Scenario) -> Result<()> {
    write_atomic(&dir.join(file), ttx_scenario::to_ron(scenario).as_bytes())
}

/// A saved trace and the scenario it was run with: `scenario` if given, else the `scenario.ron`
/// beside the trace, else the bundled scenario its header names; `sets` applied and the content
/// hash checked (see [`for_trace`]).
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
    let loaded = for_trace(&trace, &origin, scenario.or(beside.as_deref()), sets)?;
    Ok((trace, loaded))
}

/// The scenario a saved trace was run with: `scenario` if given, else the bundled one named in
/// the trace header, with `sets` applied; refused unless its content hash is the trace's, so a
/// trace is never scored (or reported) against a scenario it was not run with. `origin` names
/// the trace in messages.
pub fn for_trace(
    trace: &Trace,
    origin: &str,
    scenario: Option<&str>,
    sets: &[String],
) -> Result<Loaded> {
    let name = scenario.unwrap_or(&trace.header.scenario);
    let loaded = load(Some(name)).with_context(|| {
        format!(
            "{origin} was run with scenario \"{}\"; give its file with --scenario",
            trace.header.scenario
        )
    })?;
    let loaded = with_overrides(loaded, sets)?;
    let hash = loaded.scenario.content_hash();
    if hash != trace.header.scenario_hash {
        bail!(
            "{origin}: line 1: the trace was run with a different scenario than {} ({} in the trace, {hash} now)\n  \
             = help: give the exact scenario file and --set overrides the trace was run with",
            loaded.origin,
            trace.header.scenario_hash
        );
    }
    Ok(loaded)
}
