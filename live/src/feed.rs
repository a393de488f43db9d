//! The read side of an exercise: every trace record produced so far, with the lookups the views
//! need (a message by id, whether it arrived, the incident a detection is about). Writers append
//! under the exercise's lock; pages and event streams read it concurrently, so a page load or a
//! reconnecting client never waits for the engine.
//!
//! Record numbers (`n`, 1-based) are the event ids of the live stream: the trace is a pure
//! function of the journal, so after a crash and a resume the same record has the same number,
//! and a client catching up from the last id it saw gets exactly what it missed.

use std::collections::{HashMap, HashSet};
use ttx_scenario::{Message, Record, TraceEvent};

/// How a message fared so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    InTransit,
    Delivered,
    Bounced,
}

#[derive(Default)]
pub struct Feed {
    records: Vec<Record>,
    /// Message id → index of its `message_sent` record. Lookup only, never iterated.
    messages: HashMap<String, usize>,
    delivered: HashSet<String>,
    bounced: HashSet<String>,
    /// Incident id → index of its `incident_started` record.
    incidents: HashMap<String, usize>,
    /// Ad-hoc inject id → its event (they are not in the scenario).
    ad_hoc: HashMap<String, ttx_scenario::Event>,
}

impl Feed {
    pub fn new() -> Feed {
        Feed::default()
    }

    /// Appends records in trace order (their `n` continue the sequence).
    pub fn extend(&mut self, records: impl IntoIterator<Item = Record>) {
        for r in records {
            debug_assert_eq!(r.n as usize, self.records.len() + 1, "records in order");
            let i = self.records.len();
            match &r.event {
                TraceEvent::MessageSent(m) => {
                    self.messages.insert(m.msg.to_string(), i);
                }
                TraceEvent::MessageDelivered { msg, .. } => {
                    self.delivered.insert(msg.to_string());
                }
                TraceEvent::DeliveryFailed { msg, .. } => {
                    self.bounced.insert(msg.to_string());
                }
                TraceEvent::IncidentStarted { incident, .. } => {
                    self.incidents.insert(incident.to_string(), i);
                }
                TraceEvent::InjectAdded { inject } => {
                    if let Some(id) = &inject.id {
                        self.ad_hoc.insert(id.clone(), inject.event.clone());
                    }
                }
                _ => {}
            }
            self.records.push(r);
        }
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Number of the last record, 0 when there is none.
    pub fn last(&self) -> u32 {
        self.records.len() as u32
    }

    /// Records after number `n`.
    pub fn after(&self, n: u32) -> &[Record] {
        &self.records[(n as usize).min(self.records.len())..]
    }

    pub fn record(&self, n: u32) -> Option<&Record> {
        n.checked_sub(1).and_then(|i| self.records.get(i as usize))
    }

    pub fn message(&self, id: &str) -> Option<&Message> {
        match &self.records[*self.messages.get(id)?].event {
            TraceEvent::MessageSent(m) => Some(m),
            _ => None,
        }
    }

    /// The `message_sent` record of a message.
    pub fn sent_record(&self, id: &str) -> Option<&Record> {
        self.messages.get(id).map(|&i| &self.records[i])
    }

    /// Exercise time a message was sent.
    pub fn sent_at(&self, id: &str) -> Option<i64> {
        self.messages.get(id).map(|&i| self.records[i].t)
    }

    pub fn fate(&self, id: &str) -> Fate {
        if self.delivered.contains(id) {
            Fate::Delivered
        } else if self.bounced.contains(id) {
            Fate::Bounced
        } else {
            Fate::InTransit
        }
    }

    /// The event of an ad-hoc inject the facilitator added.
    pub fn ad_hoc(&self, id: &str) -> Option<&ttx_scenario::Event> {
        self.ad_hoc.get(id)
    }

    /// The `incident_started` record of an incident (ground truth: for the control cell only).
    pub fn incident(&self, id: &str) -> Option<&Record> {
        self.incidents.get(id).map(|&i| &self.records[i])
    }
}
