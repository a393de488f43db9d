//! Lookups over one trace, built once so every rule reads the same facts the same way: which
//! message answers which (`refers_to`), when a message was delivered or bounced, what each
//! incident's ground truth is. Hash maps here are for lookup only; nothing iterates them into
//! output, so scorecards stay deterministic.

use std::collections::HashMap;
use ttx_scenario::trace::EndReason;
use ttx_scenario::{Message, MessageKind, Record, Sector, Trace, TraceEvent};

/// A trace record's number and time: what evidence cites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    pub n: u32,
    pub t: i64,
}

/// A sent message with its fate.
pub struct Sent<'a> {
    pub m: &'a Message,
    /// What it is about: its own `about`, or, lacking one, that of the message it answers — a
    /// hand-recorded reply that only sets `refers_to` still counts for the right incident.
    pub subject: Option<&'a str>,
    /// The `message_sent` record.
    pub at: At,
    pub delivered: Option<At>,
    pub failed: Option<(At, &'a str)>,
}

impl<'a> Sent<'a> {
    pub fn about(&self) -> Option<&'a str> {
        self.subject
    }
    pub fn is(&self, kind: MessageKind) -> bool {
        self.m.kind == kind
    }
}

/// Ground truth of an incident, from its `incident_started` record.
pub struct IncidentFacts<'a> {
    pub at: At,
    pub id: &'a str,
    pub target: &'a str,
    pub target_state: &'a str,
    pub sector: Sector,
    /// The threat actor (or state unit) that carried it out.
    pub by: &'a str,
    pub territory: &'a str,
    pub directed_by: Option<&'a str>,
    pub supported_by: Option<&'a str>,
    pub uses_cert: bool,
    pub launched_by: Option<&'a str>,
}

pub struct Ended<'a> {
    pub at: At,
    pub state: &'a str,
    pub how: EndReason,
}

pub struct Index<'a> {
    pub trace: &'a Trace,
    /// Exercise end, seconds since T+0.
    pub end: i64,
    /// Every message in send order.
    pub msgs: Vec<Sent<'a>>,
    by_id: HashMap<&'a str, usize>,
    replies: HashMap<&'a str, Vec<usize>>,
    /// Incidents in start order.
    pub incidents: Vec<IncidentFacts<'a>>,
    incident_ix: HashMap<&'a str, usize>,
    /// First detection per (incident, state).
    detections: HashMap<(&'a str, &'a str), At>,
    /// First end per incident.
    ends: HashMap<&'a str, Ended<'a>>,
}

impl<'a> Index<'a> {
    pub fn new(trace: &'a Trace) -> Index<'a> {
        let end = trace
            .records
            .iter()
            .rev()
            .find(|r| matches!(r.event, TraceEvent::End { .. }))
            .map_or(trace.header.duration, |r| r.t.max(trace.header.duration));
        let mut ix = Index {
            trace,
            end,
            msgs: Vec::new(),
            by_id: HashMap::new(),
            replies: HashMap::new(),
            incidents: Vec::new(),
            incident_ix: HashMap::new(),
            detections: HashMap::new(),
            ends: HashMap::new(),
        };
        for r in &trace.records {
            let at = At { n: r.n, t: r.t };
            match &r.event {
                TraceEvent::MessageSent(m) => {
                    let i = ix.msgs.len();
                    let subject = m.about.as_deref().or_else(|| {
                        let re = m.refers_to.as_deref()?;
                        ix.by_id.get(re).and_then(|&j| ix.msgs[j].subject)
                    });
                    ix.by_id.entry(m.msg.as_str()).or_insert(i);
                    if let Some(re) = m.refers_to.as_deref() {
                        ix.replies.entry(re).or_default().push(i);
                    }
                    ix.msgs.push(Sent {
                        m,
                        subject,
                        at,
                        delivered: None,
                        failed: None,
                    });
                }
                TraceEvent::MessageDelivered { msg, .. } => {
                    if let Some(&i) = ix.by_id.get(msg.as_str()) {
                        ix.msgs[i].delivered.get_or_insert(at);
                    }
                }
                TraceEvent::DeliveryFailed { msg, reason, .. } => {
                    if let Some(&i) = ix.by_id.get(msg.as_str()) {
                        ix.msgs[i].failed.get_or_insert((at, reason.as_str()));
                    }
                }
                TraceEvent::IncidentStarted {
                    incident,
                    target,
                    target_state,
                    sector,
                    by,
                    territory,
                    directed_by,
                    supported_by,
                    uses_cert,
                    launched_by,
                    ..
                } => {
                    ix.incident_ix
                        .entry(incident.as_str())
                        .or_insert(ix.incidents.len());
                    ix.incidents.push(IncidentFacts {
                        at,
                        id: incident,
                        target,
                        target_state,
                        sector: *sector,
                        by,
                        territory,
                        directed_by: directed_by.as_deref(),
                        supported_by: supported_by.as_deref(),
                        uses_cert: *uses_cert,
                        launched_by: launched_by.as_deref(),
                    });
                }
                TraceEvent::Detected { incident, state } => {
                    ix.detections
                        .entry((incident.as_str(), state.as_str()))
                        .or_insert(at);
                }
                TraceEvent::IncidentEnded {
                    incident,
                    state,
                    how,
                } => {
                    ix.ends.entry(incident.as_str()).or_insert(Ended {
                        at,
                        state,
                        how: *how,
                    });
                }
                _ => {}
            }
        }
        ix
    }

    pub fn records(&self) -> impl Iterator<Item = &'a Record> + 'a {
        self.trace.records.iter()
    }

    pub fn msg(&self, id: &str) -> Option<&Sent<'a>> {
        self.by_id.get(id).map(|&i| &self.msgs[i])
    }

    /// Messages of `kind` that answer message `id`, in send order.
    pub fn replies(&self, id: &str, kind: MessageKind) -> impl Iterator<Item = &Sent<'a>> + '_ {
        self.replies
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.msgs[i])
            .filter(move |s| s.m.kind == kind)
    }

    /// The first message of `kind` from `from` answering `id`.
    pub fn first_reply(&self, id: &str, kind: MessageKind, from: &str) -> Option<&Sent<'a>> {
        self.replies(id, kind).find(|s| s.m.from == from)
    }

    pub fn sent(&self, kind: MessageKind) -> impl Iterator<Item = &Sent<'a>> + '_ {
        self.msgs.iter().filter(move |s| s.m.kind == kind)
    }

    /// First message of `kind` from `from` about `about`, optionally only after record `after`.
    pub fn first_about(
        &self,
        kind: MessageKind,
        from: &str,
        about: &str,
        after: u32,
    ) -> Option<&Sent<'a>> {
        self.sent(kind)
            .find(|s| s.m.from == from && s.about() == Some(about) && s.at.n > after)
    }

    pub fn incident(&self, id: &str) -> Option<&IncidentFacts<'a>> {
        self.incident_ix.get(id).map(|&i| &self.incidents[i])
    }

    pub fn detection(&self, incident: &str, state: &str) -> Option<At> {
        self.detections.get(&(incident, state)).copied()
    }

    pub fn ended(&self, incident: &str) -> Option<&Ended<'a>> {
        self.ends.get(incident)
    }
}
