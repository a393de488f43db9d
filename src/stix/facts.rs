//! What a bundle is made from, read once from the trace: each message with whether it arrived
//! and what it is about, and each case a CERT holds — an incident it detected, a vulnerability
//! its researchers found — with who holds it, how it ended and the service it cost. Ground truth
//! (who really ran an incident, from where, planted evidence) is never read.

use std::collections::HashMap;
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{Message, Record, Trace, TraceEvent};

/// A message sent, with its fate.
pub struct Exchange<'a> {
    /// Its `message_sent` record.
    pub record: &'a Record,
    pub m: &'a Message,
    /// Whether it reached its addressee before the exercise ended.
    pub delivered: bool,
    /// The case it concerns: its own `about`, or that of the message it answers.
    pub subject: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseKind {
    Incident,
    Vulnerability,
}

/// A state that holds a case, and the record where it came to hold it (a detection, a finding).
pub struct Holder<'a> {
    pub state: &'a str,
    pub record: &'a Record,
}

/// Service an incident cost one infrastructure.
pub struct Impact<'a> {
    pub infra: &'a str,
    /// The first `infra_changed` record the incident caused there.
    pub from: &'a Record,
    pub worst: InfraStatus,
    /// When service came back, if it did.
    pub until: Option<&'a Record>,
}

pub struct Case<'a> {
    pub kind: CaseKind,
    pub id: &'a str,
    /// `incident_started` or the first `vulnerability_found`.
    pub record: &'a Record,
    /// States that hold it, in the order they came to (its owners in the bundle).
    pub holders: Vec<Holder<'a>>,
    pub ended: Option<&'a Record>,
    pub impacts: Vec<Impact<'a>>,
}

pub struct Facts<'a> {
    pub exchanges: Vec<Exchange<'a>>,
    pub cases: Vec<Case<'a>>,
    /// Exercise time of the `end` record.
    pub end: i64,
    by_msg: HashMap<&'a str, usize>,
    by_case: HashMap<&'a str, usize>,
}

impl<'a> Facts<'a> {
    pub fn read(trace: &'a Trace) -> Facts<'a> {
        let mut f = Facts {
            exchanges: Vec::new(),
            cases: Vec::new(),
            end: trace.header.duration,
            by_msg: HashMap::new(),
            by_case: HashMap::new(),
        };
        for r in &trace.records {
            match &r.event {
                TraceEvent::MessageSent(m) => {
                    let subject = m.about.as_deref().or_else(|| {
                        let answered = f.by_msg.get(m.refers_to.as_deref()?)?;
                        f.exchanges[*answered].subject
                    });
                    f.by_msg.entry(m.msg.as_str()).or_insert(f.exchanges.len());
                    f.exchanges.push(Exchange {
                        record: r,
                        m,
                        delivered: false,
                        subject,
                    });
                }
                TraceEvent::MessageDelivered { msg, .. } => {
                    if let Some(&i) = f.by_msg.get(msg.as_str()) {
                        f.exchanges[i].delivered = true;
                    }
                }
                TraceEvent::IncidentStarted { incident, .. } => {
                    f.open(CaseKind::Incident, incident, r);
                }
                TraceEvent::Detected { incident, state } => {
                    f.hold(incident, state, r);
                }
                TraceEvent::VulnerabilityFound { item, state, .. } => {
                    f.open(CaseKind::Vulnerability, item, r);
                    f.hold(item, state, r);
                }
                TraceEvent::IncidentEnded { incident, .. } => {
                    if let Some(c) = f.case_mut(incident) {
                        c.ended.get_or_insert(r);
                    }
                }
                TraceEvent::InfraChanged {
                    infra,
                    status,
                    cause,
                } => f.infra_changed(r, infra, *status, cause.as_deref()),
                TraceEvent::End { .. } => f.end = r.t,
                _ => {}
            }
        }
        f
    }

    fn open(&mut self, kind: CaseKind, id: &'a str, r: &'a Record) {
        if !self.by_case.contains_key(id) {
            self.by_case.insert(id, self.cases.len());
            self.cases.push(Case {
                kind,
                id,
                record: r,
                holders: Vec::new(),
                ended: None,
                impacts: Vec::new(),
            });
        }
    }

    fn hold(&mut self, id: &str, state: &'a str, r: &'a Record) {
        if let Some(c) = self.case_mut(id)
            && !c.holders.iter().any(|h| h.state == state)
        {
            c.holders.push(Holder { state, record: r });
        }
    }

    fn case_mut(&mut self, id: &str) -> Option<&mut Case<'a>> {
        let i = *self.by_case.get(id)?;
        Some(&mut self.cases[i])
    }

    fn infra_changed(
        &mut self,
        r: &'a Record,
        infra: &'a str,
        status: InfraStatus,
        cause: Option<&str>,
    ) {
        match status {
            InfraStatus::Degraded | InfraStatus::Disrupted => {
                let Some(c) = cause.and_then(|c| self.case_mut(c)) else {
                    return;
                };
                match c
                    .impacts
                    .iter_mut()
                    .find(|i| i.infra == infra && i.until.is_none())
                {
                    Some(open) => open.worst = open.worst.max(status),
                    None => c.impacts.push(Impact {
                        infra,
                        from: r,
                        worst: status,
                        until: None,
                    }),
                }
            }
            InfraStatus::Operational | InfraStatus::Restored => {
                for c in &mut self.cases {
                    for i in &mut c.impacts {
                        if i.infra == infra && i.until.is_none() {
                            i.until = Some(r);
                        }
                    }
                }
            }
        }
    }

    pub fn case_index(&self, id: &str) -> Option<usize> {
        self.by_case.get(id).copied()
    }

    pub fn exchange_index(&self, msg: &str) -> Option<usize> {
        self.by_msg.get(msg).copied()
    }
}
