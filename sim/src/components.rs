//! Components (per-entity state that changes during a run) and the resources systems share.
//! Static facts about actors (doctrine, capacity, time zone) stay in
//! [`Prepared`](crate::prepared::Prepared), shared by every run; entities exist for what a run
//! changes: CERT desks, points of contact, infrastructure nodes and incidents.

use bevy_ecs::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{Message, Name, PocStatus, Record, TraceEvent};

use crate::prepared::Prepared;

/// The prepared scenario, shared read-only.
#[derive(Clone)]
pub struct Setup(pub Arc<Prepared>);

/// A national CERT: analysts handle incidents one each; the rest wait in the queue.
#[derive(Component)]
pub struct CertDesk {
    pub busy: u32,
    pub queue: VecDeque<Entity>,
}

/// How hard a cause hits an infrastructure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Hit {
    Degraded,
    Disrupted,
}

/// A critical-infrastructure node. Its status follows from what currently hits it: its own
/// incidents and outages (`causes`, by id) and the dependencies it has lost after its backup ran out.
#[derive(Component)]
pub struct InfraNode {
    pub status: InfraStatus,
    pub causes: BTreeMap<Name, Hit>,
    pub lost: BTreeSet<usize>,
}

/// The facts of a malicious incident and its physical course.
#[derive(Component)]
pub struct Incident {
    pub id: Name,
    pub target: usize,
    pub victim: usize,
    pub territory: usize,
    pub directed_by: Option<usize>,
    pub criminal: bool,
    pub severity: u8,
    /// Harm continues while active: until contained by the victim or mitigated at the origin.
    pub active: bool,
    pub detected: bool,
    pub handling: bool,
    pub contain_gen: u32,
    pub contain_at: Option<i64>,
    pub assisted: bool,
    /// The state of origin has reported (or is preparing) its mitigation: it reports once.
    pub mitigation_posted: bool,
    /// The vulnerability or compromise it relies on.
    pub exploits: Option<Name>,
}

/// The victim's investigation: what its findings point to.
#[derive(Component, Default)]
pub struct Investigation {
    pub findings: u32,
    /// Findings per hypothesis (`None` = no state behind it), in first-seen order.
    pub tally: Vec<(Option<usize>, u32)>,
    pub attributed: Option<usize>,
}

impl Investigation {
    /// The leading hypothesis and the investigator's confidence in it. Confidence is the share of
    /// findings that support it with one phantom dissenting finding, so a single finding never
    /// gives more than 0.5 and certainty needs many agreeing findings.
    pub fn leading(&self) -> (Option<usize>, f64) {
        let mut best: Option<(Option<usize>, u32)> = None;
        for &(h, n) in &self.tally {
            if best.is_none_or(|(_, b)| n > b) {
                best = Some((h, n));
            }
        }
        match best {
            Some((h, n)) => (h, n as f64 / (self.findings as f64 + 1.0)),
            None => (None, 0.0),
        }
    }

    /// Confidence in one hypothesis, on the same scale as [`Investigation::leading`].
    pub fn confidence_in(&self, h: Option<usize>) -> f64 {
        let n = self
            .tally
            .iter()
            .find(|(k, _)| *k == h)
            .map_or(0, |(_, n)| *n);
        n as f64 / (self.findings as f64 + 1.0)
    }

    pub fn add(&mut self, h: Option<usize>) {
        self.findings += 1;
        match self.tally.iter_mut().find(|(k, _)| *k == h) {
            Some((_, n)) => *n += 1,
            None => self.tally.push((h, 1)),
        }
    }
}

/// The victim's diplomatic handling of an incident: whom it notified, what came back, how far up
/// the ladder it has gone.
#[derive(Component, Default)]
pub struct Case {
    pub notified_at: Option<i64>,
    pub acked: bool,
    pub clarification_asked: Option<(usize, i64)>,
    pub clarified: bool,
}

/// Every record of the run, in order.
#[derive(Default)]
pub struct TraceLog {
    pub records: Vec<Record>,
}

impl TraceLog {
    pub fn push(&mut self, t: i64, event: TraceEvent) -> u32 {
        let n = self.records.len() as u32 + 1;
        self.records.push(Record { n, t, event });
        n
    }

    /// Records, at `t`, that a message was sent, leaving its record to be filled from the
    /// mailroom (`Mailroom::settle`); the position of the record. Until then the record holds
    /// `UNFILLED`, which no run records before its end.
    fn push_unfilled(&mut self, t: i64) -> u32 {
        let at = self.records.len() as u32;
        self.push(t, UNFILLED);
        at
    }
}

/// What a message's record holds until the mailroom fills it in.
const UNFILLED: TraceEvent = TraceEvent::End { records: 0 };

/// Every message sent, indexed by number − 1 (message `m7` is at index 6), and whether each has
/// reached its receiver. The engine's, handed to every system beside `RunState` (`ctx::Run`).
///
/// A message is boxed once, when it is scheduled (`Agenda::send_after`), and the box moves from
/// the agenda to here and, when the run ends, into its record in the trace (`settle`): copying
/// each message into the trace as it went out was some 230 instructions a message (the clone
/// and six `memcpy` calls of its 152 bytes on the way from its letter to the trace and the
/// mailroom), a twentieth of a directory exercise's batch row.
#[derive(Default)]
pub struct Mailroom {
    /// Boxed, though a `Vec` is on the heap already: each box moves on into the trace whole.
    #[allow(clippy::vec_box)]
    pub sent: Vec<Box<Message>>,
    pub arrived: Vec<bool>,
    /// (receiver, sender) state indices of each message, looked up once when it is sent: every
    /// system that answers a delivery needs them, and id lookups were a tenth of a ping test.
    pub parties: Vec<(Option<usize>, Option<usize>)>,
    /// The messages delivered this tick, by position in `sent`, in delivery order: read by the
    /// systems that answer deliveries, which are handed the mailroom anyway (a bevy message
    /// buffer cost each of them a parameter). `deliver_messages` empties it before it delivers
    /// again and tells the tick which kinds it delivered (`Wrote::Mail`), so the tick need not
    /// look.
    pub(crate) inbound: Vec<usize>,
    /// The position in the trace of each message's record.
    recorded: Vec<u32>,
    /// How many messages' records are filled in.
    settled: usize,
}

impl Mailroom {
    pub fn with_capacity(n: usize) -> Mailroom {
        Mailroom {
            sent: Vec::with_capacity(n),
            arrived: Vec::with_capacity(n),
            parties: Vec::with_capacity(n),
            inbound: Vec::new(),
            recorded: Vec::with_capacity(n),
            settled: 0,
        }
    }

    /// Sends `m`: records that it was sent at `t` (the record filled in by `settle`) and keeps
    /// it. Its position here is its number − 1.
    pub(crate) fn post(&mut self, trace: &mut TraceLog, t: i64, m: Box<Message>) {
        self.recorded.push(trace.push_unfilled(t));
        self.sent.push(m);
    }

    /// Fills in the records of the messages sent since the last call: with copies while the run
    /// goes on (a live exercise reads the trace between ticks), or, when it has ended
    /// (`Settle::End`), with the messages themselves, leaving the mailroom empty of them.
    pub(crate) fn settle(&mut self, trace: &mut TraceLog, how: Settle) {
        let from = self.settled;
        let mut fill = |at: u32, m: Box<Message>| {
            let event = &mut trace.records[at as usize].event;
            debug_assert!(
                matches!(*event, UNFILLED),
                "a message's record is filled once"
            );
            *event = TraceEvent::MessageSent(m);
        };
        match how {
            Settle::Copies => {
                for (m, &at) in self.sent[from..].iter().zip(&self.recorded[from..]) {
                    fill(at, m.clone());
                }
                self.settled = self.sent.len();
            }
            Settle::End => {
                for (m, &at) in self.sent.drain(from..).zip(&self.recorded[from..]) {
                    fill(at, m);
                }
            }
        }
    }
}

/// How [`Mailroom::settle`] fills in messages' records.
#[derive(Clone, Copy)]
pub(crate) enum Settle {
    /// With copies: the run goes on.
    Copies,
    /// With the messages: the run has ended.
    End,
}

/// Highest escalation level each state has used against each other state (from, to). Kept in
/// `RunState`: `send_messages` needs it at every sending tick, and a resource of its own would
/// be a fetch each time.
#[derive(Default)]
pub struct Relations {
    pub level: BTreeMap<(usize, usize), u8>,
    /// Steps decided but still being prepared, so no second step is decided meanwhile.
    pub planned: BTreeMap<(usize, usize), u8>,
    /// Dyads in which a cyber operation against critical infrastructure was already launched.
    pub operations: BTreeSet<(usize, usize)>,
}

impl Relations {
    pub fn get(&self, from: usize, to: usize) -> u8 {
        self.level.get(&(from, to)).copied().unwrap_or(0)
    }

    pub fn planned(&self, from: usize, to: usize) -> u8 {
        self.planned.get(&(from, to)).copied().unwrap_or(0)
    }

    pub fn plan(&mut self, from: usize, to: usize, level: u8) {
        let e = self.planned.entry((from, to)).or_insert(0);
        *e = (*e).max(level);
    }
}

/// Entities by scenario index, incidents by id, and the PoC directory.
#[derive(Resource, Default)]
pub struct Directory {
    pub certs: Vec<Entity>,
    /// Whether each point of contact can be reached right now, by position in `Prepared::pocs`:
    /// the directory a PoC drill tests. Kept here rather than on a desk entity per PoC, since
    /// `deliver_messages` reads it at every delivery and already holds the directory, where a
    /// query of desks cost it a query's update per delivering tick (with the case flag below,
    /// 3.6% of a ping test's engine).
    pub pocs: Vec<PocStatus>,
    pub infra: Vec<Entity>,
    pub incidents: HashMap<Name, Entity>,
}

/// Book-keeping for injects that fire on a condition, and evidence planted before its incident.
#[derive(Default)]
pub struct Watch {
    /// Condition injects whose condition has held (each fires once).
    pub fired: HashSet<usize>,
    /// Injects that have fired: one the facilitator released early does not fire again at its
    /// time or condition.
    pub done: HashSet<usize>,
    /// `NoAcknowledgement` injects whose deadline is already scheduled.
    pub deadlines: HashSet<usize>,
    /// (incident, state) pairs that have acknowledged a notification.
    pub acks: HashSet<(Name, usize)>,
    /// Incidents whose notification bounced at a technical PoC and was sent again through the
    /// diplomatic one, which the sender's bot does once per incident (`comms.rs::fall_back`):
    /// kept here, not on the incident's `Case`, so that delivering runs no query of cases.
    pub failed_over: HashSet<Name>,
    /// False flags: incident id → (state it points to, strength).
    pub flags: HashMap<Name, (usize, f64)>,
    /// (vulnerability or compromise, state) pairs: the state knows of the item — it found it or
    /// was told — and has protected its systems against it.
    pub known: HashSet<(Name, usize)>,
}
