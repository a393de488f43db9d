//! The PoC ping model written as a plain Rust loop, without the ECS. It is the yardstick for the
//! engine's overhead (`benches/overhead.rs`) and, since it must produce the very same trace as the
//! engine, an independent check of the engine's ping behaviour (`tests/ping_reference.rs`).
//! Shared by benches and tests through `#[path]`.
#![allow(dead_code)]

use std::fmt::Write;
use ttx_scenario::trace::{FORMAT, HeaderTag};
use ttx_scenario::{
    Channel, Event, Header, Message, MessageKind, Name, PocLevel, PocStatus, Record, Tlp, Trace,
    TraceEvent, ladder,
};
use ttx_sim::Prepared;
use ttx_sim::radix::RadixQueue;
use ttx_sim::rng::Streams;

/// A ping test among `n` states spread over the world's time zones, a tenth of them with stale
/// entries, mixed office hours and doctrines: the shape of a regional or UN-wide PoC directory.
pub fn ping_test(n: usize) -> ttx_scenario::Scenario {
    let mut states = String::new();
    for i in 0..n {
        let offset = (i as i32 * 26 / n.max(1) as i32) - 12;
        let sign = if offset < 0 { '-' } else { '+' };
        let doctrine = ["cooperative", "cooperative", "cautious", "non-responsive"][i % 4];
        let hours = if i % 3 == 0 {
            "24/7"
        } else {
            "Mon-Fri 09:00-17:00"
        };
        let status = if i % 10 == 7 { ", status: Stale" } else { "" };
        let _ = writeln!(
            states,
            r#"State(id: "s{i:03}", utc_offset: "{sign}{:02}:00", doctrine: "{doctrine}",
                pocs: [Poc(level: Technical, hours: "{hours}"{status}), Poc(level: Diplomatic, hours: "Mon-Fri 09:00-17:00")]),"#,
            offset.abs()
        );
    }
    let ron = format!(
        r#"Scenario(name: "ping-{n}", start: "2026-05-04T13:00:00Z", duration: "5d", states: [{states}],
            injects: [Inject(at: "T+0", event: Ping()), Inject(at: "T+3d", event: Ping(levels: [Technical]))])"#
    );
    ttx_scenario::load_str(&ron, "ping-model").expect("generated ping test is valid")
}

// A message is boxed when it is made, as the engine's are (`Agenda::send_after`): the trace
// holds each message in a box, and the box moves from the slab to `sent` and into the trace.
// That one allocation per message is the trace's; the loop allocates nothing else per event,
// and the slab is allocated once for the run.
enum Ev {
    Inject(usize),
    Send(Box<Message>),
    Arrive(usize),
}

struct Loop<'a> {
    prep: &'a Prepared,
    streams: Streams,
    /// Slab positions by time, in the order scheduled: the engine's agenda's queue.
    queue: RadixQueue<u32>,
    slab: Vec<Option<Ev>>,
    now: i64,
    records: Vec<Record>,
    #[allow(clippy::vec_box)] // each box moves on into the trace, as in the engine
    sent: Vec<Box<Message>>,
    /// The position in `records` of each message's record, filled in from `sent` at the end, as
    /// the engine's mailroom does.
    recorded: Vec<u32>,
}

impl Loop<'_> {
    fn at(&mut self, t: i64, ev: Ev) {
        let t = t.max(self.now + 1) as u64;
        self.slab.push(Some(ev));
        self.queue.push(t, self.slab.len() as u32 - 1);
    }

    fn record(&mut self, event: TraceEvent) {
        let n = self.records.len() as u32 + 1;
        self.records.push(Record {
            n,
            t: self.now,
            event,
        });
    }
}

/// What a run leaves for the next on its thread: the most records, messages, queued events and
/// random streams a run has needed, so the next starts with room for an eighth more, as the
/// engine's do (`engine.rs::Sizes`); and the per-tick lists, emptied but keeping their room.
/// Growing vectors would otherwise count against the loop: a yardstick that copies its trace a
/// dozen times, or allocates per event, is not a floor. (Sized to the most exactly, a run longer
/// than every earlier one copied its whole trace: a third of the loop's count on the 193-state
/// directory.)
#[derive(Default)]
struct Kept {
    records: usize,
    messages: usize,
    events: usize,
    streams: usize,
    queue: RadixQueue<u32>,
    #[allow(clippy::vec_box)]
    sends: Vec<Box<Message>>,
    arrivals: Vec<usize>,
    injects: Vec<usize>,
    inbound: Vec<usize>,
}

thread_local! {
    static KEPT: std::cell::RefCell<Kept> = std::cell::RefCell::default();
}

/// Runs a ping-only scenario (pings from control or an organisation, no incidents).
pub fn run(prep: &Prepared, seed: u64) -> Trace {
    let mut kept = KEPT.take();
    let room = |n: usize| n + n / 8;
    let (records, messages, events) = (kept.records, kept.messages, kept.events);
    let mut l = Loop {
        prep,
        streams: Streams::with_capacity(seed, room(kept.streams)),
        queue: {
            let mut q = std::mem::take(&mut kept.queue);
            q.clear();
            q
        },
        slab: Vec::with_capacity(room(events)),
        now: -1,
        records: Vec::with_capacity(room(records)),
        sent: Vec::with_capacity(room(messages)),
        recorded: Vec::with_capacity(room(messages)),
    };
    for (i, inj) in prep.injects.iter().enumerate() {
        if let Some(at) = inj.at {
            l.at(at, Ev::Inject(i));
        }
    }
    let transit = prep.scenario.channels.poc.0;
    let no_reply = Name::new("no-reply");
    let Kept {
        sends,
        arrivals,
        injects,
        inbound,
        ..
    } = &mut kept;
    while let Some(due) = l.queue.next_by(prep.duration as u64) {
        let t = due as i64;
        l.now = t;
        while let Some(seq) = l.queue.pop_at(due) {
            match l.slab[seq as usize].take() {
                Some(Ev::Send(m)) => sends.push(m),
                Some(Ev::Arrive(n)) => arrivals.push(n),
                Some(Ev::Inject(i)) => injects.push(i),
                None => {}
            }
        }
        // The engine's system order within a tick: send, deliver, answer, fire injects.
        for mut m in sends.drain(..) {
            let n = l.sent.len();
            m.msg = Message::id_for(n + 1);
            if prep.try_state(m.from).is_some() && prep.try_state(m.to).is_some() {
                m.step = ladder::level_of(&m);
            }
            l.recorded.push(l.records.len() as u32);
            l.record(TraceEvent::End { records: 0 });
            l.at(t + transit, Ev::Arrive(n));
            l.sent.push(m);
        }
        for n in arrivals.drain(..) {
            let m = &l.sent[n];
            let poc = prep
                .try_state(m.to)
                .zip(m.level)
                .and_then(|(s, level)| prep.poc(s, level));
            let status = poc.map_or(PocStatus::Active, |p| prep.pocs[p].status);
            match (status, poc) {
                (PocStatus::Active, _) => {
                    let delivered = TraceEvent::MessageDelivered {
                        msg: m.msg,
                        to: m.to,
                        poc: poc.map(|p| prep.pocs[p].id),
                    };
                    l.record(delivered);
                    inbound.push(n);
                }
                (s, Some(p)) => {
                    let reason = prep.bounce(p, s).expect("a PoC that is not active bounces");
                    let failed = TraceEvent::DeliveryFailed {
                        msg: m.msg,
                        to: m.to,
                        reason,
                    };
                    l.record(failed);
                }
                _ => unreachable!("a non-active status comes from a PoC"),
            }
        }
        for n in inbound.drain(..) {
            let m = &l.sent[n];
            let Some(me) = prep.try_state(m.to) else {
                continue;
            };
            if m.kind != MessageKind::Ping {
                continue;
            }
            let doctrine = &prep.states[me].doctrine;
            if l.streams
                .chance(&prep.states[me].id, "ping", doctrine.ping_reply_probability)
            {
                let level = m.level.unwrap_or(PocLevel::Technical);
                let p = prep.poc(me, level).expect("delivered through a PoC");
                let work = l
                    .streams
                    .sample(&prep.pocs[p].id, "answer", &prep.pocs[p].latency);
                let done = prep.poc_done_at(p, t, work);
                let mut r = Message::new(
                    MessageKind::PingReply,
                    prep.states[me].id,
                    m.from,
                    m.channel,
                    Tlp::Green,
                );
                r.level = m.level;
                r.refers_to = Some(m.msg);
                r.about = m.about;
                l.at(done, Ev::Send(Box::new(r)));
            } else {
                let detail = prep.let_go(me, m.msg, "left unanswered");
                let decision = TraceEvent::Decision {
                    actor: prep.states[me].id,
                    decision: no_reply,
                    about: m.about,
                    detail,
                };
                l.record(decision);
            }
        }
        for i in injects.drain(..) {
            let inj = &prep.injects[i];
            let note = (!inj.note.is_empty()).then(|| inj.note.clone());
            l.record(TraceEvent::InjectFired {
                inject: inj.id,
                kind: inj.event.kind().into(),
                note,
            });
            let Event::Ping { from, to, levels } = &inj.event else {
                panic!("the ping model only runs pings")
            };
            let sender = Name::new(from.as_deref().unwrap_or("control"));
            for (s, state) in prep.states.iter().enumerate() {
                if !to.is_empty() && !to.iter().any(|t| *t == state.id) {
                    continue;
                }
                for level in PocLevel::ALL {
                    if (!levels.is_empty() && !levels.contains(&level))
                        || prep.poc(s, level).is_none()
                        || sender == state.id
                    {
                        continue;
                    }
                    let mut m = Message::new(
                        MessageKind::Ping,
                        sender,
                        state.id,
                        Channel::Poc,
                        Tlp::Green,
                    );
                    m.level = Some(level);
                    m.about = Some(inj.id);
                    l.at(t, Ev::Send(Box::new(m)));
                }
            }
        }
    }
    l.now = prep.duration;
    kept.messages = messages.max(l.sent.len());
    for (m, &at) in l.sent.drain(..).zip(&l.recorded) {
        l.records[at as usize].event = TraceEvent::MessageSent(m);
    }
    let n = l.records.len() as u32 + 1;
    l.record(TraceEvent::End { records: n });
    kept.records = records.max(l.records.len());
    kept.events = events.max(l.slab.len());
    kept.queue = std::mem::take(&mut l.queue);
    kept.streams = kept.streams.max(l.streams.opened());
    KEPT.set(kept);
    Trace {
        header: Header {
            tag: HeaderTag::Header,
            format: FORMAT.to_string(),
            ttx_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: prep.scenario.name.clone(),
            scenario_hash: prep.hash.clone(),
            seed,
            start: prep.scenario.start,
            duration: prep.duration,
            overrides: Vec::new(),
            digest: None,
        },
        records: l.records,
    }
}
