use anyhow::{Result, bail};
use std::path::PathBuf;

use crate::output::write_atomic;

/// A starter scenario that validates and runs as written, commented so that each part can be
/// changed with the scenario-format guide at hand.
const TEMPLATE: &str = r#"// NAME: a starter scenario written by `ttx init`. Edit it, then `ttx validate FILE` and `ttx run FILE`.
// The full format is in docs/scenario-format.md.
#![enable(implicit_some)]
Scenario(
    name: "NAME",
    title: "A ransomware incident launched from abroad",
    start: "2026-06-01T08:00:00Z",      // T+0 in UTC; a Monday morning here
    duration: "3d",                     // durations: "90m", "4h", "2d", "1d6h"
    states: [
        // Doctrines drive bot-played states: cooperative, cautious, non-responsive, hawkish.
        State(id: "aurelia", utc_offset: "-05:00", capacity: Emerging, doctrine: "cautious",
              pocs: [Poc(level: Technical, hours: "24/7"), Poc(level: Diplomatic, hours: "Mon-Fri 09:00-17:00")]),
        State(id: "borealia", utc_offset: "+01:00", capacity: Advanced, doctrine: "cooperative"),
    ],
    infrastructure: [
        Infra(id: "aurelia-grid", state: "aurelia", sector: Energy),
        Infra(id: "aurelia-hospital", state: "aurelia", sector: Health, depends_on: ["aurelia-grid"], backup: "8h"),
    ],
    actors: [
        ThreatActor(id: "gang", kind: Criminal, operates_from: "borealia"),
    ],
    injects: [
        // The MSEL: what happens when. `at` an instant, or `when` a condition holds.
        Inject(id: "inj-1", at: "T+2h",
               event: Incident(id: "inc-1", target: "aurelia-hospital", by: "gang", technique: Ransomware, severity: 4),
               note: "Hospital systems encrypted; ransom note on screens."),
        Inject(id: "inj-2", when: NoAcknowledgement(incident: "inc-1", by: "borealia", within: "24h"),
               event: Message(to: ["aurelia"], text: "No answer from Borealia yet. What next?")),
    ],
    objectives: [
        Objective(id: "o1", title: "The notified state acknowledges and acts (norm c)"),
    ],
    expectations: [
        Expect(id: "e1", actor: "borealia", does: Acknowledge(incident: "inc-1"), within: "24h", norm: C, objective: "o1"),
        Expect(id: "e2", actor: "borealia", does: Mitigate(incident: "inc-1"), within: "72h", norm: C, objective: "o1"),
    ],
)
"#;

pub fn init(name: &str, force: bool) -> Result<()> {
    let path = if name.ends_with(".ron") {
        PathBuf::from(name)
    } else {
        PathBuf::from(format!("{name}.ron"))
    };
    if path.exists() && !force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        );
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = TEMPLATE.replace("NAME", &stem);
    // What ttx writes must load: check before writing.
    if let Err(d) = ttx_scenario::load_str(&text, &path.display().to_string()) {
        bail!("the starter scenario for \"{stem}\" does not validate:\n{d}");
    }
    write_atomic(&path, text.as_bytes())?;
    println!("wrote {}; try `ttx run {}`", path.display(), path.display());
    Ok(())
}
