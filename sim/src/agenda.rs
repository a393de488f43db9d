//! Next-event time advance. Everything that will happen later sits in the agenda, ordered by
//! (time, sequence number); the driver jumps from one distinct time to the next and runs the
//! schedule once there. `dispatch_due` hands the events due now to the systems that handle them as
//! typed bevy messages.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use ttx_scenario::{Message, PocStatus, TraceEvent};

/// Something scheduled for later.
pub enum Pending {
    Inject(usize),
    /// The K-th repetition (K ≥ 1) of a repeated inject.
    Repeat(usize, u32),
    /// The K-th incident (K ≥ 1) of an incident stream.
    Arrival(usize, u32),
    /// Condition check for a `NoAcknowledgement` inject: (inject, incident, state).
    AckDeadline(usize, String, usize),
    /// A message whose preparation ends now; it is sent (and numbered) at that moment. `true`
    /// for a move's message.
    Send(Box<Message>, bool),
    Arrive(usize),
    Detect(Entity),
    Finding(Entity),
    Contain(Entity, u32),
    Recover(usize, String),
    DependencyLost(usize, usize),
    OutageOver(usize, String),
    PocBack(usize, PocStatus),
    Review(Entity),
    /// A trace record that becomes true at that time (e.g. a decision to exploit, taken quietly).
    Note(Box<TraceEvent>),
}

struct Entry {
    t: i64,
    seq: u64,
    item: Pending,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        (self.t, self.seq) == (o.t, o.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    // Reversed: BinaryHeap is a max-heap and we want the earliest first.
    fn cmp(&self, o: &Self) -> Ordering {
        (o.t, o.seq).cmp(&(self.t, self.seq))
    }
}

pub struct Agenda {
    heap: BinaryHeap<Entry>,
    seq: u64,
    now: i64,
}

impl Agenda {
    pub fn new() -> Agenda {
        Agenda {
            heap: BinaryHeap::new(),
            seq: 0,
            now: -1,
        }
    }

    pub fn now(&self) -> i64 {
        self.now
    }

    /// Schedules `item` at `t`. Nothing happens in zero time: anything due now or earlier is
    /// moved one second on, so the schedule runs once per distinct time and time never goes back.
    pub fn at(&mut self, t: i64, item: Pending) {
        let t = t.max(self.now + 1);
        self.seq += 1;
        self.heap.push(Entry {
            t,
            seq: self.seq,
            item,
        });
    }

    pub fn after(&mut self, delay: i64, item: Pending) {
        self.at(self.now + delay, item);
    }

    pub fn next_time(&self) -> Option<i64> {
        self.heap.peek().map(|e| e.t)
    }

    /// The earliest time an inject is due, leaving out those `skip` says have fired already.
    pub fn next_inject(&self, skip: impl Fn(usize) -> bool) -> Option<i64> {
        self.heap
            .iter()
            .filter(|e| matches!(e.item, Pending::Inject(i) if !skip(i)))
            .map(|e| e.t)
            .min()
    }

    pub(crate) fn advance_to(&mut self, t: i64) {
        self.now = t;
    }

    fn pop_due(&mut self) -> Option<Pending> {
        if self.heap.peek().is_some_and(|e| e.t == self.now) {
            self.heap.pop().map(|e| e.item)
        } else {
            None
        }
    }
}

/// Defines one bevy message type per kind of due event, the writers `dispatch_due` needs, and
/// their registration.
macro_rules! due_messages {
    ($($name:ident($($ty:ty),*) => $field:ident;)*) => {
        $(#[derive(Message)] pub struct $name($(pub $ty),*);)*

        #[derive(SystemParam)]
        pub struct DueWriters<'w> {
            $($field: MessageWriter<'w, $name>,)*
        }

        pub fn register_due_messages(world: &mut World) {
            $(bevy_ecs::message::MessageRegistry::register_message::<$name>(world);)*
            bevy_ecs::message::MessageRegistry::register_message::<Inbound>(world);
        }

        /// Empties every buffer between runs of a reused world.
        pub fn clear_due_messages(world: &mut World) {
            $(world.resource_mut::<Messages<$name>>().clear();)*
            world.resource_mut::<Messages<Inbound>>().clear();
        }
    };
}

due_messages! {
    InjectDue(usize) => inject;
    RepeatDue(usize, u32) => repeat;
    ArrivalDue(usize, u32) => arrival;
    AckDeadlineDue(usize, String, usize) => ack_deadline;
    SendDue(Box<Message>, bool) => send;
    ArriveDue(usize) => arrive;
    DetectDue(Entity) => detect;
    FindingDue(Entity) => finding;
    ContainDue(Entity, u32) => contain;
    RecoverDue(usize, String) => recover;
    DependencyLostDue(usize, usize) => dependency_lost;
    OutageOverDue(usize, String) => outage_over;
    PocBackDue(usize, PocStatus) => poc_back;
    ReviewDue(Entity) => review;
    NoteDue(Box<TraceEvent>) => note;
}

/// A message just delivered to its receiver, by its index in the mailroom.
#[derive(Message, Clone, Copy)]
pub struct Inbound(pub usize);

/// First system of every tick: moves the events due now out of the agenda, in agenda order.
pub fn dispatch_due(mut run: ResMut<crate::ctx::RunState>, mut w: DueWriters) {
    while let Some(item) = run.agenda.pop_due() {
        match item {
            Pending::Inject(i) => {
                w.inject.write(InjectDue(i));
            }
            Pending::Repeat(i, k) => {
                w.repeat.write(RepeatDue(i, k));
            }
            Pending::Arrival(s, k) => {
                w.arrival.write(ArrivalDue(s, k));
            }
            Pending::AckDeadline(i, inc, s) => {
                w.ack_deadline.write(AckDeadlineDue(i, inc, s));
            }
            Pending::Send(m, scripted) => {
                w.send.write(SendDue(m, scripted));
            }
            Pending::Arrive(n) => {
                w.arrive.write(ArriveDue(n));
            }
            Pending::Detect(e) => {
                w.detect.write(DetectDue(e));
            }
            Pending::Finding(e) => {
                w.finding.write(FindingDue(e));
            }
            Pending::Contain(e, g) => {
                w.contain.write(ContainDue(e, g));
            }
            Pending::Recover(x, cause) => {
                w.recover.write(RecoverDue(x, cause));
            }
            Pending::DependencyLost(x, dep) => {
                w.dependency_lost.write(DependencyLostDue(x, dep));
            }
            Pending::OutageOver(x, cause) => {
                w.outage_over.write(OutageOverDue(x, cause));
            }
            Pending::PocBack(p, s) => {
                w.poc_back.write(PocBackDue(p, s));
            }
            Pending::Review(e) => {
                w.review.write(ReviewDue(e));
            }
            Pending::Note(ev) => {
                w.note.write(NoteDue(ev));
            }
        }
    }
}
