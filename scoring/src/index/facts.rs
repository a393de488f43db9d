//! What the index answers with: a record's number and time, a sent message with its fate, an
//! incident's ground truth and end, and one notified state's view of an incident.

use ttx_scenario::trace::EndReason;
use ttx_scenario::{Message, MessageKind, Name, Record, Sector};

/// A trace record's number and time: what evidence cites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    pub n: u32,
    pub t: i64,
}

impl At {
    pub(super) fn of(r: &Record) -> At {
        At { n: r.n, t: r.t }
    }
}

/// A sent message with its fate.
pub struct Sent<'a> {
    pub m: &'a Message,
    /// Position of the first message with this id, under which answers to the id are filed.
    pub(super) filed: u32,
    /// What it is about: its own `about`, or, lacking one, that of the message it answers — a
    /// hand-recorded reply that only sets `refers_to` still counts for the right incident.
    pub subject: Option<Name>,
    /// The `message_sent` record.
    pub at: At,
    pub delivered: Option<At>,
    pub failed: Option<(At, &'a str)>,
}

impl<'a> Sent<'a> {
    pub fn about(&self) -> Option<&'a str> {
        self.subject.map(|s| s.as_str())
    }
    pub fn is(&self, kind: MessageKind) -> bool {
        self.m.kind == kind
    }
}

/// Ground truth of an incident, from its `incident_started` record. Its ids are the trace's
/// names, so the scorecard entries that cite them copy them instead of allocating.
pub struct IncidentFacts {
    pub at: At,
    pub id: Name,
    pub target: Name,
    pub target_state: Name,
    pub sector: Sector,
    /// The threat actor (or state unit) that carried it out.
    pub by: Name,
    pub territory: Name,
    pub directed_by: Option<Name>,
    pub uses_cert: bool,
    pub launched_by: Option<Name>,
}

pub struct Ended {
    pub at: At,
    pub state: Name,
    pub how: EndReason,
}

/// One notified state's view of an incident: the notifications it was sent, the one that counts,
/// its acknowledgement and its mitigation report.
pub(crate) struct Notified<'i, 'a> {
    pub to: Name,
    /// The first notification delivered to it; the first sent if none got through. A bounced
    /// technical notification re-sent through the diplomatic PoC is one opportunity, not two.
    pub chosen: &'i Sent<'a>,
    /// First acknowledgement from it answering any of `all`.
    pub ack: Option<&'i Sent<'a>>,
    /// First mitigation report from it about the incident after the chosen notification.
    pub mitigation: Option<&'i Sent<'a>>,
}

/// Messages listed under one key, in send order.
pub struct Msgs<'i, 'a> {
    pub(super) msgs: &'i [Sent<'a>],
    pub(super) at: super::lists::Iter<'i>,
}

impl<'i, 'a> Iterator for Msgs<'i, 'a> {
    type Item = &'i Sent<'a>;

    fn next(&mut self) -> Option<&'i Sent<'a>> {
        self.at.next().map(|i| &self.msgs[i])
    }
}

/// Incidents listed under one state, in start order.
pub struct Incidents<'i> {
    pub(super) all: &'i [IncidentFacts],
    pub(super) at: std::slice::Iter<'i, usize>,
}

impl<'i> Iterator for Incidents<'i> {
    type Item = &'i IncidentFacts;

    fn next(&mut self) -> Option<&'i IncidentFacts> {
        self.at.next().map(|&i| &self.all[i])
    }
}

/// Non-message records listed under one party, in trace order.
pub type Records<'i, 'a> = std::iter::Copied<std::slice::Iter<'i, &'a Record>>;
