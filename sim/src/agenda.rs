//! Next-event time advance. Everything that will happen later sits in the agenda, ordered by
//! (time, sequence number); the driver jumps from one distinct time to the next and runs the
//! tick (`tick.rs`) once there. `dispatch_due` hands the events due now to the systems that handle
//! them as typed bevy messages.

use bevy_ecs::message::Messages;
use bevy_ecs::prelude::*;
use ttx_scenario::{Message, Name, PocStatus, TraceEvent};

use crate::radix::RadixQueue;
use crate::tick::{Kind, Kinded, Kinds};

/// Something scheduled for later.
pub enum Pending {
    Inject(usize),
    /// The K-th repetition (K ≥ 1) of a repeated inject.
    Repeat(usize, u32),
    /// The K-th incident (K ≥ 1) of an incident stream.
    Arrival(usize, u32),
    /// Condition check for a `NoAcknowledgement` inject: (inject, incident, state).
    AckDeadline(usize, Name, usize),
    /// A message whose preparation ends now; it is sent (and numbered) at that moment. `true`
    /// for a move's message. Boxed when it is scheduled, as it will be in the mailroom and the
    /// trace (`Mailroom`): a message is 152 bytes where every other item is a few words.
    Send(Box<Message>, bool),
    Arrive(usize),
    Detect(Entity),
    Finding(Entity),
    Contain(Entity, u32),
    Recover(usize, Name),
    DependencyLost(usize, usize),
    OutageOver(usize, Name),
    PocBack(usize, PocStatus),
    Review(Entity),
    /// A trace record that becomes true at that time (e.g. a decision to exploit, taken quietly).
    Note(Box<TraceEvent>),
}

/// Values waiting by slot; a slot is free again once its value is taken.
struct Slots<T> {
    values: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Slots<T> {
    fn with_capacity(n: usize) -> Slots<T> {
        Slots {
            values: Vec::with_capacity(n),
            free: Vec::with_capacity(n),
        }
    }

    #[inline]
    fn put(&mut self, value: T) -> u32 {
        match self.free.pop() {
            Some(slot) => {
                self.values[slot as usize] = Some(value);
                slot
            }
            None => {
                self.values.push(Some(value));
                (self.values.len() - 1) as u32
            }
        }
    }

    #[inline]
    fn take(&mut self, slot: u32) -> Option<T> {
        self.free.push(slot);
        self.values[slot as usize].take()
    }

    fn clear(&mut self) {
        self.values.clear();
        self.free.clear();
    }

    fn reserve(&mut self, n: usize) {
        self.values.reserve(n);
        self.free.reserve(n);
    }

    fn get(&self, slot: u32) -> Option<&T> {
        self.values[slot as usize].as_ref()
    }
}

pub struct Agenda {
    /// Each item's slot in `items`, by time, in the order scheduled (the queue moves entries as
    /// time advances, and an item is up to 48 bytes where a slot is 4).
    queue: RadixQueue<u32>,
    items: Slots<Pending>,
    now: i64,
}

impl Default for Agenda {
    /// An agenda with no room: nothing allocated.
    fn default() -> Agenda {
        Agenda::with_capacity(0)
    }
}

impl Agenda {
    /// Room for `n` items waiting at once: the engine passes the most a run has had.
    pub(crate) fn with_capacity(n: usize) -> Agenda {
        Agenda {
            queue: RadixQueue::new(),
            items: Slots::with_capacity(n),
            now: -1,
        }
    }

    /// This agenda emptied for another run, keeping its room (the queue's buckets grow as a run
    /// goes, and growing them again each run was most of a small scenario's cost of them), with
    /// room for `n` items waiting at once.
    pub(crate) fn reused(mut self, n: usize) -> Agenda {
        self.queue.clear();
        self.items.clear();
        self.items.reserve(n);
        self.now = -1;
        self
    }

    /// The most items that have waited at once.
    pub(crate) fn peak(&self) -> usize {
        self.items.values.len()
    }

    pub fn now(&self) -> i64 {
        self.now
    }

    /// Schedules `item` at `t`. Nothing happens in zero time: anything due now or earlier is
    /// moved one second on, so the tick runs once per distinct time and time never goes back.
    #[inline]
    pub fn at(&mut self, t: i64, item: Pending) {
        // Never before 0: the clock starts at -1 and moves on by a second at least.
        let t = t.max(self.now + 1) as u64;
        let slot = self.items.put(item);
        self.queue.push(t, slot);
    }

    #[inline]
    pub fn after(&mut self, delay: i64, item: Pending) {
        self.at(self.now + delay, item);
    }

    /// Schedules sending `msg` after `delay`.
    #[inline]
    pub fn send_after(&mut self, delay: i64, msg: Message, scripted: bool) {
        self.after(delay, Pending::Send(Box::new(msg), scripted));
    }

    pub fn next_time(&self) -> Option<i64> {
        self.queue.peek().map(|t| t as i64)
    }

    /// The next time anything is due, if it is not after `limit`; its items are then ready to
    /// be taken.
    fn next_by(&mut self, limit: i64) -> Option<i64> {
        let limit = u64::try_from(limit).ok()?;
        self.queue.next_by(limit).map(|t| t as i64)
    }

    /// The earliest time an inject is due, leaving out those `skip` says have fired already.
    pub fn next_inject(&self, skip: impl Fn(usize) -> bool) -> Option<i64> {
        self.queue
            .iter()
            .filter(
                |&(_, &slot)| matches!(self.items.get(slot), Some(&Pending::Inject(i)) if !skip(i)),
            )
            .map(|(t, _)| t as i64)
            .min()
    }

    pub(crate) fn advance_to(&mut self, t: i64) {
        self.now = t;
    }

    #[inline]
    fn pop_due(&mut self) -> Option<Pending> {
        let slot = self.queue.pop_at(u64::try_from(self.now).ok()?)?;
        self.items.take(slot)
    }
}

/// Defines one bevy message type per kind of due event (their buffers and bits are in `tick.rs`).
macro_rules! due_messages {
    ($($name:ident($($ty:ty),*);)*) => {
        $(#[derive(Message)] pub struct $name($(pub $ty),*);)*
    };
}

/// The sends and arrivals due this tick: most of a ping test's events. They wait here, in
/// `RunState`, which `dispatch_due`, `send_messages` and `deliver_messages` are handed anyway,
/// rather than in bevy message buffers, which cost a fetch and a write per tick and a
/// parameter of each system (a sixth of the engine). The tick still knows them by a bit each
/// (`Kind::SendDue`, `Kind::ArriveDue`).
#[derive(Default)]
pub struct DueMail {
    /// Each message to send, and whether it is scripted, in agenda order.
    pub sends: Vec<(Box<Message>, bool)>,
    /// The position in the mailroom of each message arriving, in agenda order.
    pub arrivals: Vec<usize>,
    /// The position in the mailroom of each message just sent whose sending changes the world
    /// (`comms.rs::apply_sent`), in sending order: written by `send_messages`, which holds
    /// `RunState` anyway, at every sending tick (`Kind::Sent`).
    pub sent: Vec<usize>,
}

impl DueMail {
    /// Empty, keeping the room (a run that panicked midway may have left some).
    pub(crate) fn emptied(mut self) -> DueMail {
        self.sends.clear();
        self.arrivals.clear();
        self.sent.clear();
        self
    }
}

due_messages! {
    InjectDue(usize);
    RepeatDue(usize, u32);
    ArrivalDue(usize, u32);
    AckDeadlineDue(usize, Name, usize);
    DetectDue(Entity);
    FindingDue(Entity);
    ContainDue(Entity, u32);
    RecoverDue(usize, Name);
    DependencyLostDue(usize, usize);
    OutageOverDue(usize, Name);
    PocBackDue(usize, PocStatus);
    ReviewDue(Entity);
    NoteDue(Box<TraceEvent>);
}

/// Moves the clock to the agenda's next time, unless that is after `limit` (then `None`), and the
/// events due then out of the agenda, in agenda order, into the messages of their kinds; returns
/// the kinds now waiting. `due` is scratch space kept between ticks.
pub(crate) fn dispatch_due(
    world: &mut World,
    run: &mut crate::ctx::RunState,
    due: &mut Vec<Pending>,
    limit: i64,
) -> Option<Kinds> {
    let mut waiting = Kinds::NONE;
    {
        let t = run.agenda.next_by(limit)?;
        run.agenda.advance_to(t);
        while let Some(item) = run.agenda.pop_due() {
            match item {
                Pending::Send(m, scripted) => {
                    run.due.sends.push((m, scripted));
                    waiting.insert(Kind::SendDue);
                }
                Pending::Arrive(n) => {
                    run.due.arrivals.push(n);
                    waiting.insert(Kind::ArriveDue);
                }
                other => due.push(other),
            }
        }
    }
    for item in due.drain(..) {
        let kind = match item {
            Pending::Send(..) | Pending::Arrive(_) => unreachable!("handed over above"),
            Pending::Inject(i) => write(world, InjectDue(i)),
            Pending::Repeat(i, k) => write(world, RepeatDue(i, k)),
            Pending::Arrival(s, k) => write(world, ArrivalDue(s, k)),
            Pending::AckDeadline(i, inc, s) => write(world, AckDeadlineDue(i, inc, s)),
            Pending::Detect(e) => write(world, DetectDue(e)),
            Pending::Finding(e) => write(world, FindingDue(e)),
            Pending::Contain(e, g) => write(world, ContainDue(e, g)),
            Pending::Recover(x, cause) => write(world, RecoverDue(x, cause)),
            Pending::DependencyLost(x, dep) => write(world, DependencyLostDue(x, dep)),
            Pending::OutageOver(x, cause) => write(world, OutageOverDue(x, cause)),
            Pending::PocBack(p, s) => write(world, PocBackDue(p, s)),
            Pending::Review(e) => write(world, ReviewDue(e)),
            Pending::Note(ev) => write(world, NoteDue(ev)),
        };
        waiting.insert(kind);
    }
    Some(waiting)
}

fn write<M: Kinded>(world: &mut World, message: M) -> Kind {
    world.resource_mut::<Messages<M>>().write(message);
    M::KIND
}
