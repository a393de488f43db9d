//! `ttx export-stix` and `ttx import-stix`.

use anyhow::{Context, Result, anyhow, bail};
use std::path::PathBuf;
use ttx_scenario::injects::Technique;
use ttx_scenario::tlp::Viewer;
use ttx_scenario::{At, Event, Inject};

use crate::cli::{ExportStixArgs, ImportStixArgs};
use crate::output::write_atomic;
use crate::{scenario_source, stix};

pub fn export(args: &ExportStixArgs) -> Result<()> {
    let (trace, loaded) =
        scenario_source::load_trace(&args.dir, args.scenario.as_deref(), &args.set)?;
    let viewer = match args.for_party.as_deref() {
        Some(p) => Viewer::Party(p),
        None => Viewer::Control,
    };
    let json = stix::export(&loaded.scenario, &trace, viewer)?;
    let path = args.output.clone().unwrap_or_else(|| {
        let dir = if args.dir.is_dir() {
            args.dir.clone()
        } else {
            args.dir.parent().map(PathBuf::from).unwrap_or_default()
        };
        dir.join(format!(
            "stix-{}.json",
            args.for_party.as_deref().unwrap_or("control")
        ))
    });
    if path.as_os_str() == "-" {
        print!("{json}");
        return Ok(());
    }
    write_atomic(&path, json.as_bytes())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

pub fn import(args: &ImportStixArgs) -> Result<()> {
    let origin = args.bundle.display().to_string();
    let text =
        std::fs::read_to_string(&args.bundle).with_context(|| format!("cannot read {origin}"))?;
    let imported = stix::read_indicators(&text).map_err(|e| anyhow!("{origin}: {e}"))?;
    for s in &imported.skipped {
        eprintln!("note: {origin}: left out {}: {}", s.id, s.reason);
    }
    let at = At::parse(&args.at).map_err(|e| anyhow!("--at: {e}"))?;
    if args.severity > 5 {
        bail!("--severity {}: outside the PPD-41 scale 0–5", args.severity);
    }
    let technique: Technique = serde_json::from_value(serde_json::Value::from(args.technique.as_str()))
        .map_err(|_| {
            anyhow!(
                "--technique {}: expected one of Ransomware, Wiper, Ddos, Intrusion, DataTheft, Defacement, SupplyChain, Botnet",
                args.technique
            )
        })?;
    let base = match &args.scenario {
        Some(s) => Some(scenario_source::load(Some(s))?),
        None => None,
    };
    let taken = |id: &str| {
        base.as_ref().is_some_and(|b| {
            b.scenario.injects.iter().enumerate().any(|(i, inj)| {
                inj.id_at(i) == id || matches!(&inj.event, Event::Incident { id: x, .. } if x == id)
            })
        })
    };
    let id = match &args.id {
        Some(id) => id.clone(),
        None => (1..)
            .map(|n| format!("stix-{n}"))
            .find(|c| !taken(c))
            .expect("some stix-N is free"),
    };
    let count = imported.indicators.len();
    let inject = Inject {
        id: None,
        at: Some(at.into()),
        when: None,
        repeat: None,
        event: Event::Incident {
            id: id.clone(),
            target: args.target.clone(),
            by: args.by.clone(),
            territory: None,
            technique,
            rsit: "malicious-code".into(),
            severity: args.severity,
            exploits: None,
            indicators: imported.indicators,
        },
        note: format!("Incident built from the {count} indicators of {origin} (ttx import-stix)"),
        planner: Default::default(),
    };
    let text = match base {
        Some(mut loaded) => {
            let sc = &loaded.scenario;
            known(
                "--target",
                &args.target,
                "infrastructure",
                sc.infrastructure.iter().map(|i| i.id.as_str()),
                &loaded.origin,
            )?;
            known(
                "--by",
                &args.by,
                "threat actor",
                sc.actors.iter().map(|a| a.id.as_str()),
                &loaded.origin,
            )?;
            loaded.scenario.injects.push(inject);
            let ron = ttx_scenario::to_ron(&loaded.scenario);
            let origin = format!("{} with the imported incident", loaded.origin);
            ttx_scenario::load_str(&ron, &origin)
                .map_err(|d| anyhow!("{d}\nnothing was written"))?;
            ron
        }
        None => ttx_scenario::fragment_to_ron(&inject) + "\n",
    };
    match &args.output {
        Some(path) => {
            write_atomic(path, text.as_bytes())?;
            eprintln!(
                "wrote {} (incident {id} with {count} indicators)",
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// Refuses an id the scenario does not have, suggesting the nearest one.
fn known<'a>(
    flag: &str,
    id: &str,
    what: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
    origin: &str,
) -> Result<()> {
    if ids.clone().any(|x| x == id) {
        return Ok(());
    }
    let hint = match ttx_scenario::did_you_mean(id, ids.clone()) {
        Some(m) => format!("did you mean \"{m}\"?"),
        None => format!("it has: {}", ids.collect::<Vec<_>>().join(", ")),
    };
    bail!("{flag} {id}: {origin} has no {what} with that id\n  = help: {hint}\nnothing was written")
}
