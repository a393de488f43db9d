//! One run: build the world from the prepared scenario, then jump from event time to event time,
//! running the schedule once at each. The schedule is single-threaded and totally ordered, so the
//! order in which systems see events — and hence the trace — depends only on the seed.

use bevy_ecs::message::Messages;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;
use ttx_scenario::trace::{FORMAT, HeaderTag, InfraStatus};
use ttx_scenario::{Header, Trace, TraceEvent};

use crate::agenda::{
    AckDeadlineDue, Agenda, ArrivalDue, ArriveDue, ContainDue, DependencyLostDue, DetectDue,
    FindingDue, Inbound, InjectDue, NoteDue, OutageOverDue, PocBackDue, RecoverDue, RepeatDue,
    ReviewDue, SendDue, clear_due_messages, dispatch_due, register_due_messages,
};
use crate::comms::{deliver_messages, send_messages};
use crate::components::*;
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
use crate::prepared::Prepared;
use crate::responses::{
    answer_assistance_requests, answer_clarifications, answer_information_requests,
    answer_legal_requests, answer_notifications, answer_pings, receive_assistance, track_responses,
};
use crate::rng::Streams;
use bevy_ecs::schedule::SystemCondition;
use bevy_ecs::schedule::common_conditions::on_message;

/// The systems of one tick, in the order they run. Within a tick, bevy messages only flow forward
/// in this order; anything that must happen "because of" a later system goes through the agenda.
fn schedule() -> Schedule {
    // Each system runs only when a message it handles is waiting: most ticks concern one or two
    // kinds of event, and an idle system still costs its parameter fetch. The answering systems
    // share one condition, checked once for all ten.
    let mut s = Schedule::default();
    s.set_executor(SingleThreadedExecutor::new());
    s.add_systems(
        (
            (
                bevy_ecs::message::message_update_system,
                dispatch_due,
                restore_pocs.run_if(on_message::<PocBackDue>),
                write_notes.run_if(on_message::<NoteDue>),
                check_ack_deadlines.run_if(on_message::<AckDeadlineDue>),
            )
                .chain(),
            (
                detect_incidents.run_if(on_message::<DetectDue>),
                investigate_incidents.run_if(on_message::<FindingDue>),
                contain_incidents.run_if(on_message::<ContainDue>),
                review_escalation.run_if(on_message::<ReviewDue>),
            )
                .chain(),
            (
                send_messages.run_if(on_message::<SendDue>),
                deliver_messages.run_if(on_message::<ArriveDue>),
            )
                .chain(),
            (
                answer_pings,
                answer_notifications,
                answer_assistance_requests,
                receive_assistance,
                answer_clarifications,
                answer_legal_requests,
                answer_information_requests,
                answer_escalation,
                track_responses,
                receive_reports,
            )
                .chain()
                .run_if(on_message::<Inbound>),
            (
                crate::arrivals::fire_arrivals
                    .run_if(on_message::<ArrivalDue>.or_eager(on_message::<RepeatDue>)),
                fire_injects.run_if(on_message::<InjectDue>),
                play_moves.run_if(on_message::<PlayMove>),
                learn_items.run_if(on_message::<Learn>),
                start_incidents.run_if(on_message::<StartIncident>),
                stop_incidents.run_if(on_message::<Stop>),
                update_infrastructure.run_if(
                    on_message::<InfraHit>
                        .or_eager(on_message::<RecoverDue>)
                        .or_eager(on_message::<OutageOverDue>)
                        .or_eager(on_message::<DependencyLostDue>),
                ),
            )
                .chain(),
        )
            .chain(),
    );
    s
}

/// A world and its schedule, kept per thread and reset between runs: building a bevy schedule
/// costs more than running a small scenario, and a study runs thousands.
pub(crate) struct Engine {
    pub(crate) world: World,
    pub(crate) schedule: Schedule,
    /// Records and messages of the last run: the next run of a study starts with room for as
    /// many, instead of growing its vectors (and copying them) a dozen times.
    sizes: (usize, usize),
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

impl Engine {
    pub(crate) fn new() -> Engine {
        let mut world = World::new();
        register_due_messages(&mut world);
        bevy_ecs::message::MessageRegistry::register_message::<StartIncident>(&mut world);
        bevy_ecs::message::MessageRegistry::register_message::<Stop>(&mut world);
        bevy_ecs::message::MessageRegistry::register_message::<InfraHit>(&mut world);
        bevy_ecs::message::MessageRegistry::register_message::<PlayMove>(&mut world);
        bevy_ecs::message::MessageRegistry::register_message::<Learn>(&mut world);
        Engine {
            world,
            schedule: schedule(),
            sizes: (0, 0),
        }
    }

    /// Puts the world in the state a fresh one would have for this run: no entities of a previous
    /// run, no pending messages, fresh resources.
    pub(crate) fn reset(&mut self, prep: &Arc<Prepared>, seed: u64) {
        let world = &mut self.world;
        let mut old = world.query_filtered::<Entity, Or<(
            With<CertDesk>,
            With<PocDesk>,
            With<InfraNode>,
            With<Incident>,
        )>>();
        let old: Vec<Entity> = old.iter(world).collect();
        for e in old {
            world.despawn(e);
        }
        // Without a bevy App nobody else forgets removed components; unforgotten despawns pile up.
        world.clear_trackers();
        clear_due_messages(world);
        world.resource_mut::<Messages<StartIncident>>().clear();
        world.resource_mut::<Messages<Stop>>().clear();
        world.resource_mut::<Messages<InfraHit>>().clear();
        world.resource_mut::<Messages<PlayMove>>().clear();
        world.resource_mut::<Messages<Learn>>().clear();

        let mut dir = Directory::default();
        for _ in &prep.states {
            dir.certs.push(
                world
                    .spawn(CertDesk {
                        busy: 0,
                        queue: VecDeque::new(),
                    })
                    .id(),
            );
        }
        for p in &prep.pocs {
            dir.pocs
                .push(world.spawn(PocDesk { status: p.status }).id());
        }
        for _ in &prep.infra {
            let node = InfraNode {
                status: InfraStatus::Operational,
                causes: BTreeMap::new(),
                lost: BTreeSet::new(),
            };
            dir.infra.push(world.spawn(node).id());
        }
        let mut agenda = Agenda::new();
        let mut streams = Streams::new(seed);
        crate::arrivals::schedule(prep, &mut agenda, &mut streams);
        world.insert_resource(dir);
        let (records, messages) = self.sizes;
        world.insert_resource(RunState {
            setup: Setup(prep.clone()),
            agenda,
            trace: TraceLog {
                records: Vec::with_capacity(records),
            },
            streams,
            watch: Watch::default(),
        });
        world.insert_resource(Mailroom::with_capacity(messages));
        world.insert_resource(Relations::default());
    }

    fn run(&mut self, prep: &Arc<Prepared>, seed: u64) -> Vec<ttx_scenario::Record> {
        self.reset(prep, seed);
        self.run_until(prep.duration);
        let records = std::mem::take(&mut self.world.resource_mut::<RunState>().trace.records);
        // One more for the `end` record `finish` adds.
        self.sizes = (
            records.len() + 1,
            self.world.resource::<Mailroom>().sent.len(),
        );
        records
    }

    /// Runs every event due at or before `limit`, one tick per distinct time.
    pub(crate) fn run_until(&mut self, limit: i64) {
        while let Some(t) = self.world.resource::<RunState>().agenda.next_time() {
            if t > limit {
                break;
            }
            self.world.resource_mut::<RunState>().agenda.advance_to(t);
            self.schedule.run(&mut self.world);
        }
    }
}

/// Runs the scenario once with `seed` and returns its trace.
pub fn run(prep: &Arc<Prepared>, seed: u64) -> Trace {
    let records = ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        slot.get_or_insert_with(Engine::new).run(prep, seed)
    });
    finish(prep, seed, records, prep.duration)
}

/// The trace of a run whose records are `records`, ended at `end`: the header, then the records
/// and the `end` record.
pub(crate) fn finish(
    prep: &Prepared,
    seed: u64,
    records: Vec<ttx_scenario::Record>,
    end: i64,
) -> Trace {
    let mut log = TraceLog { records };
    let n = log.records.len() as u32 + 1;
    log.push(end, TraceEvent::End { records: n });
    Trace {
        header: Header {
            tag: HeaderTag::Header,
            format: FORMAT.to_string(),
            ttx_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: prep.scenario.name.clone(),
            scenario_hash: prep.hash.clone(),
            seed,
            start: prep.scenario.start,
            duration: end,
            overrides: Vec::new(),
            digest: None,
        },
        records: log.records,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a reused world holds after a run: entities and buffered removal records. Neither may
    /// grow from run to run, or a study's memory grows with its length.
    fn footprint(engine: &Engine) -> (usize, usize) {
        let world = &engine.world;
        let removed: usize = world
            .removed_components()
            .iter()
            .map(|(_, m)| m.len())
            .sum();
        (world.iter_entities().count(), removed)
    }

    #[test]
    fn a_reused_world_does_not_grow() {
        let prep = Arc::new(
            Prepared::new(
                &ttx_scenario::library::find("false-flag")
                    .unwrap()
                    .load()
                    .unwrap(),
            )
            .unwrap(),
        );
        let mut engine = Engine::new();
        let mut sizes = Vec::new();
        for seed in 0..40 {
            engine.run(&prep, seed);
            engine.reset(&prep, seed);
            sizes.push(footprint(&engine));
        }
        // Entities are exactly reused; removal records hold at most the last run's (bevy keeps one
        // generation), so they stay bounded instead of adding up run after run.
        let most = sizes.iter().map(|s| s.1).max().unwrap_or(0);
        assert!(sizes.iter().all(|s| s.0 == sizes[0].0), "{sizes:?}");
        assert!(most < 300, "removal records pile up: {sizes:?}");
    }

    /// A reused engine gives what a fresh one gives, whatever ran on it before.
    #[test]
    fn reusing_the_engine_changes_nothing() {
        let scenarios: Vec<Arc<Prepared>> = ttx_scenario::library::all()
            .iter()
            .take(5)
            .map(|b| Arc::new(Prepared::new(&b.load().unwrap()).unwrap()))
            .collect();
        let fresh = |prep: &Arc<Prepared>, seed: u64| {
            let prep = prep.clone();
            std::thread::spawn(move || run(&prep, seed)).join().unwrap()
        };
        let reference: Vec<Trace> = scenarios.iter().map(|p| fresh(p, 7)).collect();
        // Interleave scenarios and seeds on this thread's one engine.
        for round in 0..2 {
            for (p, expected) in scenarios.iter().zip(&reference) {
                let _ = run(&scenarios[(round + 1) % scenarios.len()], 3);
                assert_eq!(&run(p, 7), expected, "{}", p.scenario.name);
            }
        }
    }
}
