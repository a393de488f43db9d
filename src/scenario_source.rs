//! Finding a scenario from what the user typed: a bundled name or a path to a RON file.

use anyhow::{Context, Result, bail};
use std::path::Path;
use ttx_scenario::overrides::Override;
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

/// The scenario a saved trace was run with: `scenario` if given, else the bundled one named in
/// the trace header, with the `--set` overrides applied — `sets` if any were typed, else those
/// the header records — and refused unless its content hash is the trace's, so a trace is never
/// scored (or reported) against a scenario it was not run with. A scenario file that already
/// holds the overrides (a resolved scenario saved beside the trace) is accepted as it is.
/// `origin` names the trace in messages; a trace without a digest gets a note that it is
/// scored as given.
pub fn for_trace(
    trace: &Trace,
    origin: &str,
    scenario: Option<&str>,
    sets: &[String],
) -> Result<Loaded> {
    if trace.header.digest.is_none() {
        eprintln!(
            "note: {origin} carries no digest (it was not written by ttx, or its digest was removed): it is scored as given"
        );
    }
    let name = scenario.unwrap_or(&trace.header.scenario);
    let loaded = load(Some(name)).with_context(|| {
        format!(
            "{origin} was run with scenario \"{}\"; give its file with --scenario",
            trace.header.scenario
        )
    })?;
    let from_header = sets.is_empty();
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
