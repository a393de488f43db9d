//! The systems of one tick, in the order they run, and the driver that runs only the steps with
//! work waiting.
//!
//! A bevy `Schedule` would evaluate every system's run condition and update every message buffer
//! at each distinct time: some 7,000 instructions of book-keeping per tick, more than half an
//! engine run, when most ticks concern one or two kinds of event. Here the kinds of message
//! waiting are one bit set. A step runs when a kind it reads is waiting, empties those buffers
//! afterwards, and marks the kinds it wrote as waiting. The order is the schedule's order, fixed
//! and total, so the trace depends only on the seed.
//!
//! Messages only flow forward in this order (every writer comes before its reader); anything that
//! must happen "because of" an earlier step goes through the agenda. A message written to a kind
//! whose reader already ran would wait for the next tick; debug builds check that nothing waits
//! unannounced at the end of a tick.

use bevy_ecs::message::{Message, Messages};
use bevy_ecs::prelude::*;
use bevy_ecs::system::{BoxedSystem, InMut};

use ttx_scenario::MessageKind;

use crate::agenda::*;
use crate::comms::{apply_sent, deliver_messages, send_messages};
use crate::components::Mailroom;
use crate::ctx::RunState;
use crate::escalation::{answer_escalation, review_escalation};
use crate::incidents::{
    StartIncident, Stop, contain_incidents, detect_incidents, investigate_incidents,
    start_incidents, stop_incidents,
};
use crate::infra::{InfraHit, update_infrastructure};
use crate::injects::{check_ack_deadlines, fire_injects, restore_pocs, write_notes};
use crate::items::{Learn, learn_items, receive_reports};
use crate::moves::{PlayMove, play_moves};
use crate::responses::{
    answer_assistance_requests, answer_clarifications, answer_information_requests,
    answer_legal_requests, answer_notifications, answer_pings, receive_assistance, track_responses,
};

/// Declares every kind of event the tick tracks: each bevy message the model uses, one bit and
/// the buffer behind it; then the kinds that wait, instead of in a buffer, in what their readers
/// are handed anyway (`RunState::due`, `Mailroom::inbound`), one bit each.
macro_rules! kinds {
    ($($msg:ident,)* ; $($due:ident,)*) => {
        /// A kind of event, named for its type.
        #[derive(Clone, Copy, Debug)]
        pub(crate) enum Kind { $($msg,)* $($due,)* }

        const ALL: &[Kind] = &[$(Kind::$msg,)* $(Kind::$due,)*];

        /// The kinds without a buffer, on their own: `due_waiting` matches them all by name, so a kind added to the list does not compile until they say where it
        /// waits.
        #[derive(Clone, Copy, Debug)]
        enum Bufferless { $($due,)* }

        impl Kinds {
            /// The kinds without a buffer. Their readers drain them as they go (sends, arrivals
            /// and sent messages from `RunState::due`), or the tick takes their mark when the
            /// writer says it (deliveries, whose list the next delivery empties): nothing is
            /// left for the tick to empty after their step, and they are most of a ping test's
            /// steps.
            const BUFFERLESS: Kinds = Kinds($(1 << Kind::$due as u32)|*);
        }

        /// The kind of a message type, known at compile time.
        pub(crate) trait Kinded: Message {
            const KIND: Kind;
        }
        $(impl Kinded for $msg { const KIND: Kind = Kind::$msg; })*

        impl Kind {
            fn waiting(self, world: &World, run: &RunState) -> bool {
                match self {
                    $(Kind::$msg => !world.resource::<Messages<$msg>>().is_empty(),)*
                    $(Kind::$due => due_waiting(run, Bufferless::$due),)*
                }
            }

            /// Empties the buffer of a kind with one. A kind without has nothing to empty: its
            /// readers drain it, and only a panic midway can leave any, after which the
            /// engine's reset replaces `RunState` and the mailroom whole.
            fn clear(self, world: &mut World) {
                match self {
                    $(Kind::$msg => world.resource_mut::<Messages<$msg>>().clear(),)*
                    $(Kind::$due => {})*
                }
            }

            fn register(self, world: &mut World) {
                match self {
                    $(Kind::$msg => {
                        bevy_ecs::message::MessageRegistry::register_message::<$msg>(world)
                    })*
                    $(Kind::$due => {})*
                }
            }
        }
    };
}

kinds! {
    InjectDue, RepeatDue, ArrivalDue, AckDeadlineDue, DetectDue, FindingDue,
    ContainDue, RecoverDue, DependencyLostDue, OutageOverDue, PocBackDue, ReviewDue, NoteDue,
    StartIncident, Stop, InfraHit, PlayMove, Learn,
    ;
    SendDue, ArriveDue, Sent, Inbound,
}

/// Whether sends, arrivals or world-changing sent messages wait in `RunState` (`Kind::SendDue`,
/// `Kind::ArriveDue`, `Kind::Sent`), or deliveries in the mailroom (`Kind::Inbound`).
fn due_waiting(run: &RunState, kind: Bufferless) -> bool {
    match kind {
        Bufferless::SendDue => !run.due.sends.is_empty(),
        Bufferless::ArriveDue => !run.due.arrivals.is_empty(),
        Bufferless::Sent => !run.due.sent.is_empty(),
        // Said by `deliver_messages` (`Wrote::Mail`), its only writer: the list itself is kept
        // until the next delivery step.
        Bufferless::Inbound => false,
    }
}

/// A set of kinds, one bit each.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct Kinds(u32);

impl Kinds {
    pub(crate) const NONE: Kinds = Kinds(0);

    pub(crate) fn of(kinds: &[Kind]) -> Kinds {
        Kinds(kinds.iter().fold(0, |bits, &k| bits | 1 << k as u32))
    }

    pub(crate) fn insert(&mut self, kind: Kind) {
        self.0 |= 1 << kind as u32;
    }

    #[cfg(debug_assertions)]
    fn contains(self, kind: Kind) -> bool {
        self.0 & (1 << kind as u32) != 0
    }

    fn meets(self, other: Kinds) -> bool {
        self.0 & other.0 != 0
    }

    fn iter(self) -> impl Iterator<Item = Kind> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            let k = *ALL.get(bits.trailing_zeros() as usize)?;
            bits &= bits - 1;
            Some(k)
        })
    }
}

/// The kinds of mail (`MessageKind`s, one bit each) delivered this tick, and one bit for
/// escalation steps of level 3 and above. Ten systems answer deliveries and each acts on one or
/// two kinds, so a ping test would run all ten at every delivery for one of them to work.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct Mail(u32);

impl Mail {
    /// Any mail at all: what a system that is not gated by mail waits for.
    const ANY: Mail = Mail(!0);
    pub(crate) const NONE: Mail = Mail(0);
    const STEP: u32 = 1 << 31;

    fn of(kinds: &[MessageKind]) -> Mail {
        Mail(kinds.iter().fold(0, |bits, &k| bits | 1 << k as u32))
    }

    /// Escalation steps that call for an answer (level 3 and above: `answer_escalation`).
    fn steps() -> Mail {
        Mail(Mail::STEP)
    }

    /// Notes a delivered message.
    pub(crate) fn note(&mut self, m: &ttx_scenario::Message) {
        debug_assert!(
            (m.kind as u32) < 31,
            "MessageKind has outgrown the mail bits"
        );
        self.0 |= 1 << m.kind as u32;
        if m.step.is_some_and(|s| s >= 3) {
            self.0 |= Mail::STEP;
        }
    }
}

/// What a system says it wrote, so that the tick need not fetch a buffer to look. The systems
/// of most ticks of a ping test (`send_messages`, `deliver_messages`) say; the others return
/// nothing, and the tick looks at every kind their step declares.
#[derive(Clone, Copy)]
pub(crate) enum Wrote {
    /// Look at the kinds the step declares.
    Unknown,
    /// Exactly these kinds.
    Kinds(Kinds),
    /// Deliveries of these kinds of mail (`Kind::Inbound` if a system answers any of them).
    Mail(Mail),
}

impl Wrote {
    /// `kind` if `wrote`, nothing otherwise.
    pub(crate) fn kind_if(kind: Kind, wrote: bool) -> Wrote {
        Wrote::Kinds(if wrote {
            Kinds::of(&[kind])
        } else {
            Kinds::NONE
        })
    }
}

/// Every system's input: the run's state and mailroom, which the engine owns (`ctx.rs::Run`).
type Input = (InMut<'static, RunState>, InMut<'static, Mailroom>);

/// A system, and the mail that must have arrived this tick for it to have anything to do.
/// The gate must cover every kind the system acts on: a gated system that does not run never
/// sees the skipped messages (the buffer is emptied after its step), which is what it would
/// have done with them.
struct Gated {
    system: BoxedSystem<Input, Wrote>,
    mail: Mail,
    /// What it may write, of what its step declares: after a step, only the kinds the systems
    /// that ran may have written are looked at (each look fetches a buffer).
    writes: Kinds,
}

/// Systems that run together, in order, when a kind they read is waiting.
struct Step {
    systems: Vec<Gated>,
    reads: Kinds,
    /// What the systems may write; looked at after they ran.
    writes: Kinds,
}

/// The tick's steps and the kinds waiting between them. One per engine, reused run after run.
pub(crate) struct Tick {
    steps: Vec<Step>,
    /// For each kind, the steps that read it, one bit per step: a tick visits only the steps
    /// with work instead of testing all twenty-odd (most ticks of a run have one or two).
    readers: Vec<u32>,
    waiting: Kinds,
    /// The kinds of mail delivered this tick, as `deliver_messages` said (`Wrote::Mail`).
    mail: Mail,
    /// The kinds of mail some answering system acts on: a tick that delivered only others (ping
    /// replies, in a ping test) skips the answering step.
    answered: Mail,
    /// The events due now, moved out of the agenda before they become messages (reused).
    due: Vec<Pending>,
    /// Set while a tick runs.
    midway: bool,
}

fn sys<M>(system: impl IntoSystem<Input, (), M>) -> Gated {
    saying(system.map(|()| Wrote::Unknown))
}

/// A system that says what it wrote.
fn saying<M>(system: impl IntoSystem<Input, Wrote, M>) -> Gated {
    Gated {
        system: Box::new(IntoSystem::into_system(system)),
        mail: Mail::ANY,
        writes: Kinds(!0),
    }
}

/// A system that answers deliveries of the kinds in `mail` only, and writes no message.
fn gated<M>(system: impl IntoSystem<Input, (), M>, mail: Mail) -> Gated {
    gated_writing(system, mail, &[])
}

/// A gated system that may write messages of the kinds in `writes`.
fn gated_writing<M>(system: impl IntoSystem<Input, (), M>, mail: Mail, writes: &[Kind]) -> Gated {
    Gated {
        mail,
        writes: Kinds::of(writes),
        ..sys(system)
    }
}

/// The order of a tick. A system's reads and writes are declared here from its parameters
/// (`MessageReader` / `MessageWriter`); a writer left out here is caught by the debug check at the
/// end of every tick.
fn steps() -> Vec<Step> {
    use Kind::*;
    use MessageKind as M;
    let step = |systems: Vec<Gated>, reads: &[Kind], writes: &[Kind]| Step {
        systems,
        reads: Kinds::of(reads),
        writes: Kinds::of(writes),
    };
    vec![
        step(vec![sys(restore_pocs)], &[PocBackDue], &[]),
        step(vec![sys(write_notes)], &[NoteDue], &[Learn]),
        step(vec![sys(check_ack_deadlines)], &[AckDeadlineDue], &[]),
        step(vec![sys(detect_incidents)], &[DetectDue], &[]),
        step(vec![sys(investigate_incidents)], &[FindingDue], &[]),
        step(vec![sys(contain_incidents)], &[ContainDue], &[Stop]),
        step(vec![sys(review_escalation)], &[ReviewDue], &[]),
        step(vec![saying(send_messages)], &[SendDue], &[Sent]),
        step(
            vec![sys(apply_sent)],
            &[Sent],
            &[Stop, StartIncident, InfraHit],
        ),
        step(vec![saying(deliver_messages)], &[ArriveDue], &[Inbound]),
        step(
            vec![
                gated(answer_pings, Mail::of(&[M::Ping])),
                gated(answer_notifications, Mail::of(&[M::IncidentNotification])),
                gated(
                    answer_assistance_requests,
                    Mail::of(&[M::AssistanceRequest]),
                ),
                gated(receive_assistance, Mail::of(&[M::AssistanceDelivered])),
                gated(answer_clarifications, Mail::of(&[M::ClarificationRequest])),
                gated(answer_legal_requests, Mail::of(&[M::LegalRequest])),
                gated(
                    answer_information_requests,
                    Mail::of(&[M::InformationRequest]),
                ),
                gated(answer_escalation, Mail::steps()),
                gated(
                    track_responses,
                    Mail::of(&[M::Acknowledgement, M::Clarification]),
                ),
                gated_writing(
                    receive_reports,
                    Mail::of(&[M::VulnerabilityReport]),
                    &[Learn],
                ),
            ],
            &[Inbound],
            &[Learn],
        ),
        step(
            vec![sys(crate::arrivals::fire_arrivals)],
            &[ArrivalDue, RepeatDue],
            &[StartIncident, InjectDue],
        ),
        step(
            vec![sys(fire_injects)],
            &[InjectDue],
            &[StartIncident, InfraHit, PlayMove, Learn],
        ),
        step(vec![sys(play_moves)], &[PlayMove], &[]),
        step(vec![sys(learn_items)], &[Learn], &[]),
        step(vec![sys(start_incidents)], &[StartIncident], &[InfraHit]),
        step(vec![sys(stop_incidents)], &[Stop], &[]),
        step(
            vec![sys(update_infrastructure)],
            &[InfraHit, RecoverDue, OutageOverDue, DependencyLostDue],
            &[],
        ),
    ]
}

impl Tick {
    /// Registers every message buffer in `world` and readies the systems for it.
    pub(crate) fn new(world: &mut World) -> Tick {
        for kind in ALL {
            kind.register(world);
        }
        let mut steps = steps();
        for step in &mut steps {
            for s in &mut step.systems {
                s.system.initialize(world);
            }
        }
        assert!(steps.len() <= 32, "a step is one bit of a u32");
        let readers = ALL
            .iter()
            .map(|&kind| {
                let bit = Kinds::of(&[kind]);
                (0..steps.len())
                    .filter(|&i| steps[i].reads.meets(bit))
                    .fold(0, |bits, i| bits | 1 << i)
            })
            .collect();
        let inbound = Kinds::of(&[Kind::Inbound]);
        let answered = steps
            .iter()
            .filter(|step| step.reads.meets(inbound))
            .flat_map(|step| &step.systems)
            .fold(Mail::NONE, |all, s| Mail(all.0 | s.mail.0));
        Tick {
            steps,
            readers,
            waiting: Kinds::NONE,
            mail: Mail::NONE,
            answered,
            due: Vec::new(),
            midway: false,
        }
    }

    /// Empties every buffer, for the next run of a reused world, and ages the systems' change
    /// ticks as a schedule would (a study runs millions of systems on one world). Only waiting
    /// kinds can hold messages: every write sets its kind's bit (checked at each tick's end).
    pub(crate) fn reset(&mut self, world: &mut World) {
        // A tick that never finished (a panic caught by the caller) may have left writes unmarked.
        let left = if self.midway { Kinds(!0) } else { self.waiting };
        for kind in left.iter() {
            kind.clear(world);
        }
        self.midway = false;
        self.waiting = Kinds::NONE;
        self.mail = Mail::NONE;
        if let Some(check) = world.check_change_ticks() {
            for step in &mut self.steps {
                for s in &mut step.systems {
                    s.system.check_change_tick(check);
                }
            }
        }
    }

    /// Moves the clock to the agenda's next time, if that is not after `limit`, and runs the
    /// events due then: they become messages, then every step with a message waiting runs, in
    /// order. False when nothing is due by `limit`.
    pub(crate) fn run(
        &mut self,
        world: &mut World,
        run: &mut RunState,
        mailroom: &mut Mailroom,
        limit: i64,
    ) -> bool {
        let Some(due) = dispatch_due(world, run, &mut self.due, limit) else {
            return false;
        };
        self.midway = true;
        self.waiting = Kinds(self.waiting.0 | due.0);
        let readers = |kinds: Kinds| kinds.iter().fold(0, |b, k| b | self.readers[k as usize]);
        let mut todo: u32 = readers(self.waiting);
        while todo != 0 {
            let i = todo.trailing_zeros() as usize;
            todo &= todo - 1;
            let step = &mut self.steps[i];
            // A kind two steps read is emptied by the first.
            if !self.waiting.meets(step.reads) {
                continue;
            }
            let mail = if step.reads.meets(Kinds::of(&[Kind::Inbound])) {
                std::mem::take(&mut self.mail)
            } else {
                Mail::ANY
            };
            // The kinds to look at, of systems that did not say what they wrote; and those said.
            let mut ran = Kinds::NONE;
            let mut said = Kinds::NONE;
            for Gated {
                system,
                mail: gate,
                writes,
            } in &mut step.systems
            {
                if gate.0 & mail.0 == 0 {
                    continue;
                }
                // Every parameter is a resource `Engine::reset` inserts or a message buffer
                // `Tick::new` registers, so a system cannot be skipped for a missing one.
                match system.run((&mut *run, &mut *mailroom), world) {
                    Ok(Wrote::Unknown) => ran.0 |= writes.0,
                    Ok(Wrote::Kinds(kinds)) => said.0 |= kinds.0,
                    Ok(Wrote::Mail(mail)) => {
                        self.mail = mail;
                        if mail.0 & self.answered.0 != 0 {
                            said.insert(Kind::Inbound);
                        }
                    }
                    Err(e) => panic!("{} could not run: {e}", system.name()),
                }
            }
            debug_assert!(
                said.0 & !step.writes.0 == 0,
                "a system said it wrote {said:?}, more than tick.rs::steps declares"
            );
            // Only waiting kinds can hold messages (every write sets its kind's bit).
            for kind in Kinds(step.reads.0 & self.waiting.0 & !Kinds::BUFFERLESS.0).iter() {
                kind.clear(world);
            }
            self.waiting = Kinds(self.waiting.0 & !step.reads.0);
            let mut wrote = said;
            for kind in Kinds(step.writes.0 & ran.0).iter() {
                if kind.waiting(world, run) {
                    wrote.insert(kind);
                }
            }
            self.waiting = Kinds(self.waiting.0 | wrote.0);
            // Messages flow forward: a kind written here is read by a later step this tick; a
            // reader that already ran would see it next tick, as before.
            let later = u32::MAX.checked_shl(i as u32 + 1).unwrap_or(0);
            todo |= readers(wrote) & later;
        }
        self.midway = false;
        #[cfg(debug_assertions)]
        for &kind in ALL {
            assert!(
                self.waiting.contains(kind) || !kind.waiting(world, run),
                "a step wrote {kind:?} without declaring it in tick.rs::steps"
            );
        }
        true
    }
}
