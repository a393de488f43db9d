//! A generated year-long exercise at the scale of a UN-wide study: 200 states, 400 infrastructure
//! nodes, 20 threat actors and `injects` injects spread evenly over 365 days — incidents, false
//! flags, PoC checks, media claims, vulnerabilities, disinformation and outages — with an
//! acknowledgement expectation for every fourth incident. Scoring its trace is the yardstick for
//! "scoring is linear in the trace" (`benches/scoring.rs`, README). Shared by benches and tests
//! through `#[path]`.
#![allow(dead_code)]

use std::fmt::Write;

/// States in the generated exercise.
pub const STATES: usize = 200;
const ACTORS: usize = 20;

/// The exercise with `injects` injects (at least 20, so every kind appears).
pub fn year(injects: usize) -> ttx_scenario::Scenario {
    let ron = year_ron(injects);
    ttx_scenario::load_str(&ron, "year-model").unwrap_or_else(|d| panic!("{d}"))
}

/// The RON text of [`year`].
pub fn year_ron(injects: usize) -> String {
    let mut states = String::new();
    let mut infra = String::new();
    for i in 0..STATES {
        let offset = (i as i32 * 26 / STATES as i32) - 12;
        let sign = if offset < 0 { '-' } else { '+' };
        let doctrine = ["cooperative", "cautious", "non-responsive", "hawkish"][i % 4];
        let capacity = ["Developing", "Emerging", "Advanced"][i % 3];
        let hours = if i % 3 == 0 {
            "24/7"
        } else {
            "Mon-Fri 09:00-17:00"
        };
        let _ = writeln!(
            states,
            r#"State(id: "s{i:03}", utc_offset: "{sign}{:02}:00", capacity: {capacity}, doctrine: "{doctrine}",
                pocs: [Poc(level: Technical, hours: "{hours}"), Poc(level: Diplomatic, hours: "Mon-Fri 09:00-17:00")]),"#,
            offset.abs()
        );
        let _ = writeln!(
            infra,
            r#"Infra(id: "s{i:03}-health", state: "s{i:03}", sector: Health),
               Infra(id: "s{i:03}-grid", state: "s{i:03}", sector: Energy, depends_on: []),"#
        );
    }
    let mut actors = String::new();
    for a in 0..ACTORS {
        let home = (a * 10) % STATES;
        let directed = if a % 2 == 1 {
            format!(
                r#", kind: StateProxy, directed_by: "s{:03}""#,
                (home + 5) % STATES
            )
        } else {
            ", kind: Criminal".to_string()
        };
        let _ = writeln!(
            actors,
            r#"ThreatActor(id: "a{a:02}", operates_from: "s{home:03}"{directed}),"#
        );
    }
    let year_secs: u64 = 365 * 86_400;
    let mut list = String::new();
    let mut expectations = String::new();
    let mut last_incident = None;
    for k in 0..injects {
        let at = (k as u64 * year_secs) / injects as u64 + 3_600;
        let victim = (k * 37) % STATES;
        let other = (k * 53 + 11) % STATES;
        let event = match (k % 20, last_incident) {
            (14, Some(inc)) => format!(
                r#"FalseFlag(incident: "inc-{inc}", points_to: "s{other:03}", strength: 0.5)"#
            ),
            (15, _) => {
                let to: Vec<String> = (0..8)
                    .map(|j| format!("\"s{:03}\"", (victim + j * 25) % STATES))
                    .collect();
                format!("Ping(to: [{}])", to.join(", "))
            }
            (16, Some(inc)) => {
                format!(
                    r#"MediaReport(incident: "inc-{inc}", claims: "s{other:03}", text: "A claim")"#
                )
            }
            (17, _) => format!(
                r#"Vulnerability(id: "vuln-{k}", found_by: "s{victim:03}", vendor_state: "s{other:03}")"#
            ),
            (18, _) => format!(
                r#"Disinformation(id: "dis-{k}", target: "s{victim:03}", by: "a{:02}")"#,
                k % ACTORS
            ),
            (19, _) => format!(r#"Outage(infra: "s{victim:03}-grid", duration: "6h")"#),
            _ => {
                let target = if k % 2 == 0 { "health" } else { "grid" };
                last_incident = Some(k);
                if k % 4 == 0 {
                    let by = (k % ACTORS * 10) % STATES;
                    let _ = writeln!(
                        expectations,
                        r#"Expect(id: "e{k}", actor: "s{by:03}", does: Acknowledge(incident: "inc-{k}"), within: "24h", norm: C, objective: "o{}"),"#,
                        k % 3 + 1
                    );
                }
                format!(
                    r#"Incident(id: "inc-{k}", target: "s{victim:03}-{target}", by: "a{:02}", severity: {})"#,
                    k % ACTORS,
                    1 + k % 5
                )
            }
        };
        let _ = writeln!(list, r#"Inject(at: "T+{at}s", event: {event}),"#);
    }
    format!(
        r#"#![enable(implicit_some)]
Scenario(name: "year-{injects}", start: "2026-01-05T08:00:00Z", duration: "366d",
    states: [{states}], infrastructure: [{infra}], actors: [{actors}], injects: [{list}],
    objectives: [
        Objective(id: "o1", title: "Notified states acknowledge (first group)"),
        Objective(id: "o2", title: "Notified states acknowledge (second group)"),
        Objective(id: "o3", title: "Notified states acknowledge (third group)"),
    ],
    expectations: [{expectations}])"#
    )
}
