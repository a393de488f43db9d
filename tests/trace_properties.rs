//! Invariants of every trace, checked over random seeds and every bundled scenario.

use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use ttx_scenario::{Event, Scenario, Trace, TraceEvent, library};
use ttx_sim::Simulation;

fn simulations() -> Vec<Simulation> {
    library::all()
        .iter()
        .map(|b| Simulation::new(&b.load().unwrap()).unwrap())
        .collect()
}

/// Every id a scenario defines, plus the endpoints that are not actors.
fn known_ids(sc: &Scenario) -> HashSet<String> {
    let mut ids: HashSet<String> = ["control", "public", "all"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for s in &sc.states {
        ids.insert(s.id.clone());
        for p in &s.pocs {
            ids.insert(p.id_for(&s.id));
        }
    }
    ids.extend(sc.organisations.iter().map(|o| o.id.clone()));
    ids.extend(sc.infrastructure.iter().map(|x| x.id.clone()));
    ids.extend(sc.actors.iter().map(|a| a.id.clone()));
    for (i, inj) in sc.injects.iter().enumerate() {
        ids.insert(inj.id_at(i));
        match &inj.event {
            Event::Incident { id, .. }
            | Event::Vulnerability { id, .. }
            | Event::SupplyChain { id, .. }
            | Event::Disinformation { id, .. } => {
                ids.insert(id.clone());
            }
            _ => {}
        }
    }
    ids
}

fn check(sc: &Scenario, trace: &Trace) -> Result<(), TestCaseError> {
    let mut ids = known_ids(sc);
    let mut sent: HashMap<&str, i64> = HashMap::new();
    let mut last = i64::MIN;
    for r in &trace.records {
        prop_assert!(r.t >= last, "time went backwards at record {}", r.n);
        prop_assert!(r.t <= trace.header.duration, "record {} after the end", r.n);
        last = r.t;
        let mut refs: Vec<&str> = Vec::new();
        match &r.event {
            TraceEvent::MessageSent(m) => {
                sent.insert(&m.msg, r.t);
                refs.extend([m.from.as_str(), m.to.as_str()]);
                refs.extend(m.about.as_deref());
                refs.extend(m.attributes_to.as_deref());
                refs.extend(m.target.as_deref());
                if let Some(prev) = &m.refers_to {
                    prop_assert!(
                        sent.contains_key(prev.as_str()),
                        "{} answers unsent {}",
                        m.msg,
                        prev
                    );
                }
            }
            TraceEvent::MessageDelivered { msg, to, poc } => {
                let at = sent.get(msg.as_str()).copied();
                prop_assert!(
                    at.is_some_and(|s| s <= r.t),
                    "{msg} delivered at {} but not sent before",
                    r.t
                );
                refs.push(to);
                refs.extend(poc.as_deref());
            }
            TraceEvent::DeliveryFailed { msg, to, .. } => {
                prop_assert!(
                    sent.get(msg.as_str()).is_some_and(|&s| s <= r.t),
                    "{msg} bounced but never sent"
                );
                refs.push(to);
            }
            TraceEvent::IncidentStarted {
                incident,
                target,
                target_state,
                by,
                territory,
                directed_by,
                supported_by,
                launched_by,
                exploits,
                ..
            } => {
                refs.extend(supported_by.as_deref());
                refs.extend(exploits.as_deref());
                if let Some(m) = launched_by {
                    // Operations launched as escalation steps get their id from the message.
                    prop_assert!(sent.contains_key(m.as_str()));
                    ids.insert(incident.to_string());
                    ids.insert(by.to_string());
                }
                refs.extend([incident.as_str(), target, target_state, by, territory]);
                refs.extend(directed_by.as_deref());
            }
            TraceEvent::InjectFired { inject, .. } => refs.push(inject),
            TraceEvent::Detected { incident, state }
            | TraceEvent::Queued { incident, state }
            | TraceEvent::Dequeued { incident, state } => refs.extend([incident.as_str(), state]),
            TraceEvent::Finding {
                incident,
                state,
                points_to,
                leading,
                ..
            } => {
                refs.extend([incident.as_str(), state]);
                refs.extend(points_to.as_deref());
                refs.extend(leading.as_deref());
            }
            TraceEvent::IncidentEnded {
                incident, state, ..
            } => refs.extend([incident.as_str(), state]),
            TraceEvent::InfraChanged { infra, cause, .. } => {
                refs.push(infra);
                refs.extend(cause.as_deref());
            }
            TraceEvent::PocChanged { poc, state, .. } => refs.extend([poc.as_str(), state]),
            TraceEvent::OutageReported {
                infra,
                state,
                cause,
            } => refs.extend([infra.as_str(), state, cause]),
            TraceEvent::Decision { actor, about, .. } => {
                refs.push(actor);
                refs.extend(about.as_deref());
            }
            TraceEvent::VulnerabilityFound {
                item,
                state,
                vendor_state,
                ..
            } => refs.extend([item.as_str(), state, vendor_state]),
            TraceEvent::CompromiseStarted {
                item,
                vendor_state,
                affected,
                by,
                directed_by,
                ..
            } => {
                refs.extend([item.as_str(), vendor_state, by]);
                refs.extend(affected.iter().map(|a| a.as_str()));
                refs.extend(directed_by.as_deref());
            }
            TraceEvent::CompromiseFound { item, state } | TraceEvent::Exploited { item, state } => {
                refs.extend([item.as_str(), state])
            }
            TraceEvent::DisinformationStarted {
                item,
                target,
                by,
                directed_by,
            } => {
                refs.extend([item.as_str(), target, by]);
                refs.extend(directed_by.as_deref());
            }
            TraceEvent::InjectReleased { inject } => refs.push(inject),
            TraceEvent::InjectAdded { inject } => {
                ids.extend(inject.id.clone());
            }
            TraceEvent::Rating { .. } => {}
            TraceEvent::Note { state, .. } => refs.push(state),
            TraceEvent::Observation { record, .. } => {
                prop_assert!(
                    record.is_none_or(|n| n < r.n),
                    "observation of a later record"
                )
            }
            TraceEvent::End { records } => prop_assert_eq!(*records as usize, trace.records.len()),
        }
        for id in refs {
            prop_assert!(
                ids.contains(id) || sent.contains_key(id),
                "record {} names unknown id {id:?}",
                r.n
            );
        }
    }
    let ends = matches!(
        trace.records.last().map(|r| &r.event),
        Some(TraceEvent::End { .. })
    );
    prop_assert!(ends, "the trace must finish with an end record");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn traces_keep_their_invariants(seed in any::<u64>()) {
        for sim in simulations() {
            let trace = sim.run(seed);
            check(sim.scenario(), &trace)?;
        }
    }

    #[test]
    fn traces_round_trip_through_json_lines(seed in any::<u64>()) {
        for sim in simulations() {
            let trace = sim.run(seed);
            let back = Trace::from_jsonl(&trace.to_jsonl()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, trace);
        }
    }
}

/// The scripted scenarios of tests/scripted/ (moves, control-cell states, the new effects) keep
/// the same invariants and round-trip through JSON Lines.
#[test]
fn scripted_traces_keep_their_invariants() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripted");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let sc = ttx_scenario::load_str(&text, &f.display().to_string()).unwrap();
        let trace = Simulation::new(&sc).unwrap().run(5);
        check(&sc, &trace).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(Trace::from_jsonl(&trace.to_jsonl()).unwrap(), trace);
    }
}

#[test]
fn adding_an_unrelated_state_does_not_change_the_others_random_draws() {
    // Common random numbers: streams are keyed by actor and item ids, not by processing order. A
    // bystander state with its own incident draws random numbers interleaved with everyone else's,
    // yet every record not about it stays exactly the same. With one shared generator this fails.
    let base = library::find("hospital-ransomware")
        .unwrap()
        .load()
        .unwrap();
    // The bystander keeps to itself: a victim asks its partners for assistance and shares
    // indicators with them, and a partner's answer draws from the partner's own streams. (With
    // trace format 1's draws, seeds 1-3 happened to hide that zembla's request reached borealia.)
    let extra = r#"Scenario(name: "x", start: "2026-03-06T16:00:00Z", duration: "5d",
        doctrines: [Doctrine(name: "alone", base: "cooperative",
                             request_assistance_probability: 0.0, share_probability: 0.0)],
        states: [State(id: "zembla", doctrine: "alone")],
        infrastructure: [Infra(id: "zembla-water", state: "zembla", sector: Water)],
        actors: [ThreatActor(id: "zgang", kind: Criminal, operates_from: "zembla")],
        injects: [Inject(id: "zinj", at: "T+1h", event: Incident(id: "zinc", target: "zembla-water", by: "zgang", severity: 3))])"#;
    let extra = ttx_scenario::load_str(extra, "extra.ron").unwrap();
    let mut bigger = base.clone();
    bigger.doctrines.extend(extra.doctrines);
    bigger.states.extend(extra.states);
    bigger.infrastructure.extend(extra.infrastructure);
    bigger.actors.extend(extra.actors);
    bigger.injects.extend(extra.injects);
    let strip = |t: &Trace| -> Vec<(i64, String)> {
        t.records
            .iter()
            .filter(|r| {
                !matches!(
                    r.event,
                    TraceEvent::MessageSent(_)
                        | TraceEvent::MessageDelivered { .. }
                        | TraceEvent::DeliveryFailed { .. }
                        | TraceEvent::End { .. }
                )
            })
            .map(|r| {
                (
                    r.t,
                    without_message_numbers(&serde_json::to_string(&r.event).unwrap()),
                )
            })
            .filter(|(_, json)| {
                !json.contains("zembla") && !json.contains("zinc") && !json.contains("zinj")
            })
            .collect()
    };
    for seed in [1, 2, 3] {
        let a = Simulation::new(&base).unwrap().run(seed);
        let b = Simulation::new(&bigger).unwrap().run(seed);
        assert!(b.records.iter().any(
            |r| matches!(&r.event, TraceEvent::Detected { incident, .. } if incident == "zinc")
        ));
        assert_eq!(strip(&a), strip(&b), "seed {seed}");
    }
}

/// Message ids number messages across the whole run, so a bystander's messages shift them;
/// replace `m<digits>` with `m#` to compare what happened rather than how it was numbered.
fn without_message_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        if boundary && chars[i] == 'm' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            out.push_str("m#");
            i += 1;
            while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}
