//! Small hand-written traces for scoring tests. The builder numbers records and messages the way
//! the simulator does (records 1-based in trace order, messages `m1`, `m2`, … in send order, a
//! ladder `step` only on messages between two states) so tests read like the traces they mimic.
#![allow(dead_code)]

use ttx_scenario::trace::{EndReason, FindingSource, HeaderTag, InfraStatus};
use ttx_scenario::{
    ActorKind, Channel, Header, MeasureKind, Message, MessageKind, Name, Offer, PocLevel, Record,
    Scenario, Sector, Span, Technique, Timestamp, Tlp, Trace, TraceEvent, ladder,
};
use ttx_scoring::Scorecard;
use ttx_scoring::norms::{NormVerdict, Outcome, VerdictStatus};

pub const H: i64 = 3600;
pub const TECH: PocLevel = PocLevel::Technical;
pub const DIPL: PocLevel = PocLevel::Diplomatic;

/// Three states with technical and diplomatic PoCs (borealia's diplomatic PoC listed stale),
/// aurelian infrastructure in three sectors, default targets (acknowledge 24h, ping 24h,
/// clarification 48h, assistance answer 48h, mitigate 72h, detect 24h, contain 72h, legal 72h,
/// disclose 7d) and evidence threshold 0.75; 5 days long.
pub const BASE: &str = r#"#![enable(implicit_some)]
Scenario(
    name: "unit", start: "2026-01-05T00:00:00Z", duration: "5d",
    states: [
        State(id: "aurelia", pocs: [Poc(level: Technical), Poc(level: Diplomatic)]),
        State(id: "borealia", pocs: [Poc(level: Technical), Poc(level: Diplomatic, status: Stale)]),
        State(id: "cordovia", pocs: [Poc(level: Technical)]),
    ],
    infrastructure: [
        Infra(id: "hospital", state: "aurelia", sector: Health),
        Infra(id: "cert-net", state: "aurelia", sector: CertSystems),
        Infra(id: "ministry", state: "aurelia", sector: Government),
        Infra(id: "grid", state: "borealia", sector: Energy),
        Infra(id: "clinic", state: "borealia", sector: Health, depends_on: ["grid"]),
    ],
)"#;

pub fn base() -> Scenario {
    scenario(BASE)
}

pub fn scenario(ron: &str) -> Scenario {
    ttx_scenario::load_str(ron, "unit.ron").unwrap_or_else(|d| panic!("{d}"))
}

/// A sent message: its `message_sent` record, its id, and its delivery record if delivered.
#[derive(Clone, Debug)]
pub struct Sent {
    pub n: u32,
    pub id: String,
    pub delivered: Option<u32>,
}

pub struct Tb {
    states: Vec<String>,
    pub records: Vec<Record>,
    pub sent: Vec<Message>,
    duration: i64,
    hash: String,
}

impl Tb {
    pub fn new(sc: &Scenario) -> Tb {
        Tb {
            states: sc.states.iter().map(|s| s.id.clone()).collect(),
            records: Vec::new(),
            sent: Vec::new(),
            duration: sc.duration.0,
            hash: sc.content_hash(),
        }
    }

    pub fn push(&mut self, t: i64, event: TraceEvent) -> u32 {
        if let Some(last) = self.records.last() {
            assert!(t >= last.t, "test trace goes back in time at t={t}");
        }
        let n = self.records.len() as u32 + 1;
        self.records.push(Record { n, t, event });
        n
    }

    /// Sends `m` at `t`; not delivered.
    pub fn send_only(&mut self, t: i64, mut m: Message) -> Sent {
        m.msg = Message::id_for(self.sent.len() + 1);
        let is_state = |s: &str| self.states.iter().any(|x| x == s);
        if is_state(&m.from) && is_state(&m.to) && m.step.is_none() {
            m.step = ladder::level_of(&m);
        }
        self.sent.push(m.clone());
        let id = m.msg.to_string();
        let n = self.push(t, TraceEvent::MessageSent(Box::new(m)));
        Sent {
            n,
            id,
            delivered: None,
        }
    }

    /// Sends `m` at `t` and delivers it at once.
    pub fn send(&mut self, t: i64, m: Message) -> Sent {
        let mut s = self.send_only(t, m);
        s.delivered = Some(self.deliver(t, &s.id));
        s
    }

    pub fn deliver(&mut self, t: i64, msg: &str) -> u32 {
        let m = self
            .sent
            .iter()
            .find(|m| m.msg == msg)
            .expect("sent")
            .clone();
        let poc = match (m.channel, m.level) {
            (Channel::Poc, Some(l)) => Some(format!("{}/{}", m.to, l.as_str()).into()),
            _ => None,
        };
        self.push(
            t,
            TraceEvent::MessageDelivered {
                msg: msg.into(),
                to: m.to,
                poc,
            },
        )
    }

    /// Sends `m` at `t` and has it bounce at once.
    pub fn bounce(&mut self, t: i64, m: Message) -> (Sent, u32) {
        let s = self.send_only(t, m);
        let to = self.sent.last().unwrap().to;
        let f = self.push(
            t,
            TraceEvent::DeliveryFailed {
                msg: s.id.as_str().into(),
                to,
                reason: "stale contact details in the PoC directory".into(),
            },
        );
        (s, f)
    }

    /// The incident most tests start from: criminal ransomware at T+1h on Aurelia's hospital,
    /// from Borealia's territory, directed by no state.
    pub fn hospital_incident(&mut self) -> u32 {
        self.incident(
            H,
            "inc-1",
            "hospital",
            "aurelia",
            Sector::Health,
            "borealia",
            None,
        )
    }

    /// An incident by a criminal gang unless `directed_by` is given.
    #[allow(clippy::too_many_arguments)]
    pub fn incident(
        &mut self,
        t: i64,
        id: &str,
        target: &str,
        target_state: &str,
        sector: Sector,
        territory: &str,
        directed_by: Option<&str>,
    ) -> u32 {
        self.push(
            t,
            TraceEvent::IncidentStarted {
                incident: id.into(),
                target: target.into(),
                target_state: target_state.into(),
                sector,
                by: "gang".into(),
                actor_kind: if directed_by.is_some() {
                    ActorKind::StateProxy
                } else {
                    ActorKind::Criminal
                },
                territory: territory.into(),
                directed_by: directed_by.map(Into::into),
                supported_by: None,
                uses_cert: false,
                technique: Technique::Intrusion,
                rsit: "malicious-code".into(),
                severity: 4,
                launched_by: None,
                exploits: None,
            },
        )
    }

    pub fn detected(&mut self, t: i64, incident: &str, state: &str) -> u32 {
        self.push(
            t,
            TraceEvent::Detected {
                incident: incident.into(),
                state: state.into(),
            },
        )
    }

    pub fn ended(&mut self, t: i64, incident: &str, state: &str, how: EndReason) -> u32 {
        self.push(
            t,
            TraceEvent::IncidentEnded {
                incident: incident.into(),
                state: state.into(),
                how,
            },
        )
    }

    pub fn finding(&mut self, t: i64, incident: &str, state: &str, points_to: &str) -> u32 {
        self.push(
            t,
            TraceEvent::Finding {
                incident: incident.into(),
                state: state.into(),
                source: FindingSource::Forensic,
                points_to: Some(points_to.into()),
                planted: false,
                leading: Some(points_to.into()),
                confidence: 0.5,
            },
        )
    }

    pub fn infra(&mut self, t: i64, infra: &str, status: InfraStatus) -> u32 {
        self.push(
            t,
            TraceEvent::InfraChanged {
                infra: infra.into(),
                status,
                cause: None,
            },
        )
    }

    pub fn finish(mut self) -> Trace {
        let n = self.records.len() as u32 + 1;
        self.push(self.duration, TraceEvent::End { records: n });
        Trace {
            header: Header {
                tag: HeaderTag::Header,
                format: ttx_scenario::trace::FORMAT.into(),
                ttx_version: "test".into(),
                scenario: "unit".into(),
                scenario_hash: self.hash,
                seed: 7,
                start: Timestamp::parse("2026-01-05T00:00:00Z").unwrap(),
                duration: self.duration,
                overrides: Vec::new(),
                digest: None,
            },
            records: self.records,
        }
    }
}

/// A PoC-channel message at `level`.
pub fn poc(kind: MessageKind, from: &str, to: &str, level: PocLevel) -> Message {
    let mut m = Message::new(kind, from, to, Channel::Poc, Tlp::Amber);
    m.level = Some(level);
    m
}

pub fn cert(kind: MessageKind, from: &str, to: &str) -> Message {
    Message::new(kind, from, to, Channel::Cert, Tlp::Green)
}

pub fn public(kind: MessageKind, from: &str, to: &str) -> Message {
    Message::new(kind, from, to, Channel::Public, Tlp::Clear)
}

pub trait With {
    fn about(self, about: &str) -> Self;
    fn re(self, msg: &Sent) -> Self;
    fn attributes(self, to: &str, confidence: f64) -> Self;
    fn measure(self, m: MeasureKind) -> Self;
    fn offer(self, nature: &str, scope: &str, terms: &str, timeframe_h: i64) -> Self;
}

impl With for Message {
    fn about(mut self, about: &str) -> Message {
        self.about = Some(about.into());
        self
    }
    fn re(mut self, msg: &Sent) -> Message {
        self.refers_to = Some(msg.id.as_str().into());
        self
    }
    fn attributes(mut self, to: &str, confidence: f64) -> Message {
        self.attributes_to = Some(to.into());
        self.confidence = Some(confidence);
        self
    }
    fn measure(mut self, m: MeasureKind) -> Message {
        self.measure = Some(m);
        self
    }
    fn offer(mut self, nature: &str, scope: &str, terms: &str, timeframe_h: i64) -> Message {
        self.offer = Some(Box::new(Offer {
            nature: nature.into(),
            scope: scope.into(),
            terms: terms.into(),
            timeframe: Span::hours(timeframe_h),
        }));
        self
    }
}

pub fn verdict<'c>(card: &'c Scorecard, state: &str, norm: char) -> &'c NormVerdict {
    &card.norms[&Name::new(state)][&Name::new(&norm.to_string())]
}

/// The (opportunity record, outcome) pairs of a verdict, and the records each cites.
pub fn outcomes(v: &NormVerdict) -> Vec<(u32, Outcome, Vec<u32>)> {
    v.evidence
        .iter()
        .map(|e| (e.n, e.outcome, e.records.clone()))
        .collect()
}

pub fn assert_na(v: &NormVerdict) {
    assert_eq!(v.status, VerdictStatus::NotApplicable, "{v:#?}");
    assert_eq!((v.opportunities, v.rate), (0, None), "n/a is never 100%");
}

pub const F: Outcome = Outcome::Fulfilled;
pub const V: Outcome = Outcome::Violated;
pub const P: Outcome = Outcome::Pending;

#[allow(unused_imports)]
pub use ttx_scenario::MessageKind as K;
#[allow(unused_imports)]
pub use ttx_scenario::trace::EndReason as End;
#[allow(unused_imports)]
pub use ttx_scenario::trace::InfraStatus as Infra;

/// The trace with message `msg` removed — its `message_sent` record and its delivery or bounce —
/// and the remaining records renumbered, as if it had never been sent.
pub fn without(trace: &Trace, msg: &str) -> Trace {
    let keep = |r: &Record| match &r.event {
        TraceEvent::MessageSent(m) => m.msg != msg,
        TraceEvent::MessageDelivered { msg: x, .. } | TraceEvent::DeliveryFailed { msg: x, .. } => {
            x != msg
        }
        _ => true,
    };
    let mut records: Vec<Record> = trace.records.iter().filter(|r| keep(r)).cloned().collect();
    let total = records.len() as u32;
    for (i, r) in records.iter_mut().enumerate() {
        r.n = i as u32 + 1;
        if let TraceEvent::End { records } = &mut r.event {
            *records = total;
        }
    }
    Trace {
        header: trace.header.clone(),
        records,
    }
}
