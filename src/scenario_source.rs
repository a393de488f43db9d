//! Finding a scenario from what the user typed: a bundled name or a path to a RON file.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::path::PathBuf;
use ttx_scenario::{Scenario, Trace, library};

/// A loaded, validated scenario and where it came from.
pub struct Loaded {
    pub scenario: Scenario,
    /// Bundled name or path, as diagnostics should name it.
    pub origin: String,
}

/// Loads `arg` as a bundled scenario name or a file path; with no argument, the default scenario.
pub fn load(arg: Option<&str>) -> Result<Loaded> {
    let name = arg.unwrap_or(library::DEFAULT);
    let path = Path::new(name);
    if path.is_file() {
        return load_path(path);
    }
    if let Some(b) = library::find(name) {
        let scenario = b.load().map_err(|d| anyhow::anyhow!("{d}"))?;
        return Ok(Loaded {
            scenario,
            origin: b.file.to_string(),
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
    let source =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {origin}: {e}"))?;
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

/// Reads a saved trace — `path` itself, or `path/trace.jsonl` for a run directory — and the
/// scenario it was run with, as [`for_trace`] finds it.
pub fn read_trace(path: &Path, scenario: Option<&str>, sets: &[String]) -> Result<(Loaded, Trace)> {
    let file: PathBuf = if path.is_dir() {
        path.join("trace.jsonl")
    } else {
        path.to_path_buf()
    };
    let origin = file.display().to_string();
    let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {origin}"))?;
    let trace = Trace::from_jsonl(&text).map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
    let loaded = for_trace(&trace, &origin, scenario, sets)?;
    Ok((loaded, trace))
}
