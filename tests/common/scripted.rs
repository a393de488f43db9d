//! The scripted scenarios of `tests/scripted/`: control-cell states and moves make every case
//! happen exactly as written, so a test can name the records a verdict must cite.
#![allow(dead_code)]

use std::path::PathBuf;
use ttx_scenario::{MessageKind, Name, Scenario, Trace, TraceEvent};
use ttx_scoring::Scorecard;
use ttx_scoring::norms::{NormVerdict, Outcome, VerdictStatus};
use ttx_sim::Simulation;

pub fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scripted")
        .join(format!("{name}.ron"))
}

pub fn load(name: &str) -> Scenario {
    let p = path(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    ttx_scenario::load_str(&text, &p.display().to_string()).unwrap_or_else(|d| panic!("{d}"))
}

/// A run of a scenario with its scorecard.
pub struct Run {
    pub scenario: Scenario,
    pub trace: Trace,
    pub card: Scorecard,
}

pub fn run(name: &str) -> Run {
    run_scenario(load(name))
}

pub fn run_scenario(scenario: Scenario) -> Run {
    let trace = Simulation::new(&scenario).expect("valid").run(1);
    let card = ttx_scoring::score(&scenario, &trace);
    Run {
        scenario,
        trace,
        card,
    }
}

impl Run {
    pub fn verdict(&self, state: &str, norm: char) -> &NormVerdict {
        &self.card.norms[&Name::new(state)][&Name::new(&norm.to_string())]
    }

    /// (outcome, records) of each opportunity, in order.
    pub fn outcomes(&self, state: &str, norm: char) -> Vec<(Outcome, Vec<u32>)> {
        self.verdict(state, norm)
            .evidence
            .iter()
            .map(|e| (e.outcome, e.records.clone()))
            .collect()
    }

    pub fn status(&self, state: &str, norm: char) -> VerdictStatus {
        self.verdict(state, norm).status
    }

    pub fn reasons(&self, state: &str, norm: char) -> Vec<String> {
        self.verdict(state, norm)
            .evidence
            .iter()
            .map(|e| e.reason.clone())
            .collect()
    }

    /// The `message_sent` record of the first message of `kind` from `from` to `to`, and its id.
    pub fn sent(&self, kind: MessageKind, from: &str, to: &str) -> (u32, String) {
        self.trace
            .records
            .iter()
            .find_map(|r| match &r.event {
                TraceEvent::MessageSent(m) if m.kind == kind && m.from == from && m.to == to => {
                    Some((r.n, m.msg.to_string()))
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("no {kind:?} from {from} to {to}"))
    }

    /// The `message_sent` record of `kind` from `from` to `to`, then its delivery record.
    pub fn sent_and_delivered(&self, kind: MessageKind, from: &str, to: &str) -> [u32; 2] {
        let (n, id) = self.sent(kind, from, to);
        [n, self.delivered(&id)]
    }

    pub fn delivered(&self, msg: &str) -> u32 {
        self.record(|e| matches!(e, TraceEvent::MessageDelivered { msg: m, .. } if m == msg))
    }

    /// The first record matching `pred`.
    pub fn record(&self, pred: impl Fn(&TraceEvent) -> bool) -> u32 {
        self.trace
            .records
            .iter()
            .find(|r| pred(&r.event))
            .map(|r| r.n)
            .expect("the trace has the record")
    }

    pub fn incident(&self, id: &str) -> u32 {
        self.record(|e| matches!(e, TraceEvent::IncidentStarted { incident, .. } if incident == id))
    }

    pub fn ended(&self, id: &str) -> u32 {
        self.record(|e| matches!(e, TraceEvent::IncidentEnded { incident, .. } if incident == id))
    }

    pub fn detected(&self, id: &str) -> u32 {
        self.record(|e| matches!(e, TraceEvent::Detected { incident, .. } if incident == id))
    }

    pub fn service_hours_lost(&self, infra: &str) -> f64 {
        self.card.service.by_infra[&Name::new(infra)].service_hours_lost
    }
}

pub const F: Outcome = Outcome::Fulfilled;
pub const V: Outcome = Outcome::Violated;

/// Sorted, as evidence lists them.
pub fn recs(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}
