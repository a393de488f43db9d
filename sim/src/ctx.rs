//! What nearly every system needs: the clock, the prepared scenario, the agenda, the trace and the
//! random streams, bundled as every system's input with the helpers that keep conventions in one
//! place (message ids and TLP markings, PoC answer times in working hours).

use bevy_ecs::system::InMut;
use ttx_scenario::{Channel, Message, MessageKind, Name, PocLevel, Tlp, TraceEvent};

use crate::agenda::{Agenda, DueMail};
use crate::components::{Mailroom, Relations, Setup, TraceLog, Watch};
use crate::prepared::Prepared;
use crate::rng::Streams;

/// What nearly every system reads or changes. It is not a resource: the engine owns it and the
/// tick hands it to every system as the system's input (`Run`), since fetching a resource costs
/// some 70 instructions (resources are entities in bevy 0.20) and a run of a ping test runs a
/// system at nearly every one of its thousand ticks, each after fetching this to find the events
/// due. As an input it costs nothing to hand over.
pub struct RunState {
    pub setup: Setup,
    pub agenda: Agenda,
    pub trace: TraceLog,
    pub streams: Streams,
    pub watch: Watch,
    pub due: DueMail,
    pub rel: Relations,
}

/// The run's state as a system sees it.
pub type Ctx<'a> = InMut<'a, RunState>;

/// Every system's input, first among its parameters: the run's state and every message sent.
/// The mailroom is handed over beside `RunState` rather than kept in it, so that a system can
/// read a message while it records and posts through `ctx`.
pub type Run<'a> = (Ctx<'a>, InMut<'a, Mailroom>);

/// The TLP 2.0 marking a bot gives each kind of message (the vocabulary's default).
pub fn tlp_for(kind: MessageKind) -> Tlp {
    kind.default_tlp()
}

impl RunState {
    pub fn now(&self) -> i64 {
        self.agenda.now()
    }

    pub fn prep(&self) -> &Prepared {
        &self.setup.0
    }

    pub fn state_id(&self, ix: usize) -> Name {
        self.setup.0.states[ix].id
    }

    /// Whether `state`'s doctrine decides for it (a bot), rather than the control cell.
    pub fn decides(&self, state: usize) -> bool {
        self.setup.0.states[state].decides
    }

    pub fn record(&mut self, event: TraceEvent) -> u32 {
        let now = self.now();
        self.trace.push(now, event)
    }

    pub fn decision(&mut self, actor: usize, decision: &str, about: Option<Name>, detail: String) {
        let actor = self.state_id(actor);
        self.record(TraceEvent::Decision {
            actor,
            decision: decision.into(),
            about,
            detail,
        });
    }

    /// A message from state `from` to state `to` through their points of contact at `level`.
    pub fn poc_message(
        &self,
        kind: MessageKind,
        from: usize,
        to: usize,
        level: PocLevel,
    ) -> Message {
        let mut m = Message::new(
            kind,
            self.state_id(from),
            self.state_id(to),
            Channel::Poc,
            tlp_for(kind),
        );
        m.level = Some(level);
        m
    }

    /// A message between two states' CERTs.
    pub fn cert_message(&self, kind: MessageKind, from: usize, to: usize) -> Message {
        Message::new(
            kind,
            self.state_id(from),
            self.state_id(to),
            Channel::Cert,
            tlp_for(kind),
        )
    }

    /// A public statement or measure by `from` concerning `to`.
    pub fn public_message(&self, kind: MessageKind, from: usize, to: &str) -> Message {
        Message::new(
            kind,
            self.state_id(from),
            to,
            Channel::Public,
            tlp_for(kind),
        )
    }

    /// Sends `msg` once `delay` seconds of preparation have passed — and, for a message leaving
    /// through the sender's point of contact, once that desk is on duty: a note prepared on
    /// Saturday goes out on Monday morning.
    pub fn post(&mut self, delay: i64, msg: Message) {
        self.post_as(delay, msg, false);
    }

    /// Like [`RunState::post`], for a message a move makes: it is sent as decided, never withdrawn
    /// because the sender's bot took a higher step meanwhile.
    pub fn post_move(&mut self, msg: Message) {
        self.post_as(0, msg, true);
    }

    /// Sends a live move's message the next second, as decided.
    pub fn post_now(&mut self, msg: Message) {
        self.agenda.send_after(0, msg, true);
    }

    fn post_as(&mut self, delay: i64, msg: Message, scripted: bool) {
        let now = self.now();
        // Split borrows instead of cloning the `Arc`: every system of every run on every thread
        // would bump one shared reference count.
        let RunState { setup, agenda, .. } = self;
        let prep = &setup.0;
        let desk = match (msg.channel, prep.try_state(msg.from), msg.level) {
            (Channel::Poc, Some(s), Some(level)) => prep.poc(s, level),
            _ => None,
        };
        let delay = match desk {
            Some(poc) => prep.poc_done_at(poc, now + delay.max(1), 0) - now,
            None => delay,
        };
        agenda.send_after(delay, msg, scripted);
    }

    /// Seconds from now until the PoC of `state` at `level` has answered, counting only its
    /// working hours. Draws the answer latency from the PoC's own stream.
    pub fn poc_answer_delay(&mut self, state: usize, level: PocLevel) -> i64 {
        let now = self.now();
        match self.desk_work(state, level) {
            Some((poc, work)) => self.setup.0.poc_done_at(poc, now, work) - now,
            None => 1,
        }
    }

    /// Posts `msg`, `state`'s answer through its PoC at `level`, once that desk has worked on
    /// it: `post(poc_answer_delay(state, level), msg)`. When the answer leaves through that
    /// same desk (a reply on the channel and level it came by), when it is done and when the
    /// desk is on duty to send it are found in one walk over the desk's hours
    /// (`Prepared::poc_sends_at`), rather than once by each: a ping test times every reply so.
    pub fn post_answer(&mut self, state: usize, level: PocLevel, msg: Message) {
        let now = self.now();
        let Some((poc, work)) = self.desk_work(state, level) else {
            return self.post(1, msg);
        };
        let RunState { setup, agenda, .. } = self;
        let prep = &setup.0;
        let same_desk = msg.channel == Channel::Poc
            && msg.level == Some(level)
            && prep.try_state(msg.from) == Some(state);
        if same_desk {
            // `work` is at least a second, so the answer is never due now (`post`'s `max(1)`).
            agenda.send_after(prep.poc_sends_at(poc, now, work) - now, msg, false);
        } else {
            let delay = prep.poc_done_at(poc, now, work) - now;
            self.post(delay, msg);
        }
    }

    /// `state`'s PoC at `level`, and the on-duty seconds it takes to answer, drawn from its own
    /// stream; `None` when the state designated no PoC at that level.
    fn desk_work(&mut self, state: usize, level: PocLevel) -> Option<(usize, i64)> {
        let RunState { setup, streams, .. } = self;
        let prep = &setup.0;
        let poc = prep.poc(state, level)?;
        let p = &prep.pocs[poc];
        Some((poc, streams.sample(&p.id, "answer", &p.latency)))
    }

    /// Samples a latency for `actor`'s decision of kind `purpose`.
    pub fn latency(&mut self, actor: usize, purpose: &str, dist: &ttx_scenario::Dist) -> i64 {
        let RunState { setup, streams, .. } = self;
        streams.sample(&setup.0.states[actor].id, purpose, dist)
    }

    /// Draws whether `actor` does something it does with probability `p`. Inlined, so that
    /// the purpose's hash, part of the stream's number, is worked out where it is a constant.
    #[inline(always)]
    pub fn chance(&mut self, actor: usize, purpose: &str, p: f64) -> bool {
        let RunState { setup, streams, .. } = self;
        streams.chance(&setup.0.states[actor].id, purpose, p)
    }
}
