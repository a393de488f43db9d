//! TLP is enforced, not just labelled: over random runs of bundled scenarios — with every
//! message re-marked at random and some re-addressed to an organisation — no object marked
//! TLP:RED or TLP:AMBER+STRICT appears in the bundle of a state (or organisation) that was not
//! its recipient. The check is written from the trace alone, independently of the rule in
//! `ttx_scenario::tlp`, and it also asks the converse (every RED message a state sent or
//! received is in its bundle), so an empty bundle cannot pass.

mod common;
use common::*;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use ttx_scenario::tlp::Viewer;
use ttx_scenario::{Channel, Scenario, Tlp, Trace, TraceEvent};
use ttx_sim::Simulation;

const SCENARIOS: [&str; 7] = [
    "hospital-ransomware",
    "false-flag",
    "backdoored-firmware",
    "election-vote-count",
    "cis-critical-resources",
    "cert-under-attack",
    "itu-capacity-assistance",
];

/// What the trace says about each message and case, read here without the exporter's help.
struct Truth {
    /// Message id → (from, to, tlp, delivered, subject).
    msgs: HashMap<String, (String, String, Tlp, bool, Option<String>)>,
    /// Case id → states that detected or found it.
    holders: HashMap<String, BTreeSet<String>>,
}

impl Truth {
    fn of(trace: &Trace) -> Truth {
        let mut msgs: HashMap<String, (String, String, Tlp, bool, Option<String>)> = HashMap::new();
        let mut holders: HashMap<String, BTreeSet<String>> = HashMap::new();
        for r in &trace.records {
            match &r.event {
                TraceEvent::MessageSent(m) => {
                    let subject = m
                        .about
                        .map(String::from)
                        .or_else(|| msgs.get(m.refers_to.as_deref()?).and_then(|x| x.4.clone()));
                    msgs.insert(
                        m.msg.to_string(),
                        (m.from.to_string(), m.to.to_string(), m.tlp, false, subject),
                    );
                }
                TraceEvent::MessageDelivered { msg, .. } => {
                    if let Some(x) = msgs.get_mut(msg.as_str()) {
                        x.3 = true;
                    }
                }
                TraceEvent::Detected { incident, state } => {
                    holders
                        .entry(incident.to_string())
                        .or_default()
                        .insert(state.to_string());
                }
                TraceEvent::VulnerabilityFound { item, state, .. } => {
                    holders
                        .entry(item.to_string())
                        .or_default()
                        .insert(state.to_string());
                }
                _ => {}
            }
        }
        Truth { msgs, holders }
    }

    /// `party` sent the message, or it reached `party` by name.
    fn named(&self, sc: &Scenario, party: &str, msg: &str) -> bool {
        let (from, to, _, delivered, _) = &self.msgs[msg];
        from == party || (*delivered && (to == party || (to == "all" && sc.state(party).is_some())))
    }
}

fn remark(trace: &mut Trace, sc: &Scenario, marks: &[usize], reroute: &[bool]) {
    let orgs: Vec<String> = sc.organisations.iter().map(|o| o.id.clone()).collect();
    let mut i = 0;
    for r in &mut trace.records {
        if let TraceEvent::MessageSent(m) = &mut r.event {
            m.tlp = Tlp::ALL[marks[i % marks.len()]];
            if !orgs.is_empty() && reroute[i % reroute.len()] {
                m.to = orgs[i % orgs.len()].as_str().into();
                m.channel = Channel::Regional;
            }
            i += 1;
        }
    }
}

fn check(sc: &Scenario, truth: &Truth, party: &str, bundle: &str) {
    let objects = stix_objects(bundle);
    for o in &objects {
        let Some(tlp) = tlp_of(o).filter(|t| *t >= Tlp::AmberStrict) else {
            continue;
        };
        let id = o["id"].as_str().unwrap();
        let kind = o["type"].as_str().unwrap();
        let Some(origin) = ttx_ref(o) else {
            // Only the bundle's own report has no ttx origin: the recipient's own copy.
            assert_eq!(kind, "report", "{party}: {id} comes from nowhere");
            assert_eq!(tlp, Tlp::AmberStrict, "{party}: its bundle report is RED");
            continue;
        };
        if truth.msgs.contains_key(origin) {
            assert!(
                truth.named(sc, party, origin),
                "{party} sees {kind} {id} of message {origin} marked {} without being its sender or named recipient",
                tlp.label()
            );
        } else {
            let holds = truth.holders.get(origin).is_some_and(|h| h.contains(party));
            let told = truth.msgs.iter().any(|(m, x)| {
                x.4.as_deref() == Some(origin) && x.2 >= tlp && truth.named(sc, party, m)
            });
            assert!(
                holds || (kind != "sighting" && told),
                "{party} sees {kind} {id} of case {origin} marked {} though it neither holds the case nor was named in a message as strict about it",
                tlp.label()
            );
        }
    }
    // The converse: what a party sent or was named in reaches it.
    let seen: BTreeSet<&str> = objects
        .iter()
        .filter(|o| o["type"] == "report" || o["type"] == "note")
        .filter_map(ttx_ref)
        .collect();
    for (m, x) in &truth.msgs {
        if x.2 == Tlp::Red && truth.named(sc, party, m) {
            assert!(
                seen.contains(m.as_str()),
                "{party} misses its RED message {m}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn red_and_amber_strict_reach_only_their_recipients(
        pick in 0..SCENARIOS.len(),
        seed in 0u64..10_000,
        marks in proptest::collection::vec(0usize..5, 1..64),
        reroute in proptest::collection::vec(proptest::bool::weighted(0.2), 1..64),
    ) {
        let sc = scenario(SCENARIOS[pick]);
        let mut trace = Simulation::new(&sc).unwrap().run(seed);
        remark(&mut trace, &sc, &marks, &reroute);
        let truth = Truth::of(&trace);
        let full = ttx::stix::export(&sc, &trace, Viewer::Control).unwrap();
        let all: Vec<Value> = stix_objects(&full);
        let by_id: HashMap<&str, &Value> = all.iter().map(|o| (o["id"].as_str().unwrap(), o)).collect();
        let messages = all.iter().filter(|o| matches!(o["type"].as_str(), Some("report" | "note")) && ttx_ref(o).is_some_and(|r| truth.msgs.contains_key(r))).count();
        prop_assert_eq!(messages, truth.msgs.len(), "the control cell's bundle holds every message");
        for party in ttx_scenario::tlp::parties(&sc) {
            let bundle = ttx::stix::export(&sc, &trace, Viewer::Party(party)).unwrap();
            check(&sc, &truth, party, &bundle);
            // An object reads the same in every bundle it appears in.
            for o in stix_objects(&bundle) {
                if let Some(same) = by_id.get(o["id"].as_str().unwrap()) {
                    prop_assert_eq!(*same, &o);
                }
            }
        }
    }
}
