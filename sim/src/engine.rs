//! One run: build the world from the prepared scenario, then jump from event time to event time,
//! running the tick (`tick.rs`) once at each. The tick's order is fixed and total, so the order in
//! which systems see events — and hence the trace — depends only on the seed.

use bevy_ecs::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;
use ttx_scenario::trace::{FORMAT, HeaderTag, InfraStatus};
use ttx_scenario::{Header, Trace, TraceEvent};

use crate::agenda::{Agenda, DueMail};
use crate::components::*;
use crate::ctx::RunState;
use crate::prepared::Prepared;
use crate::rng::Streams;
use crate::tick::Tick;

/// A world and its tick's systems, kept per thread and reset between runs: building the systems
/// costs more than running a small scenario, and a study runs thousands.
pub(crate) struct Engine {
    pub(crate) world: World,
    tick: Tick,
    /// The run's clock, agenda, trace and streams: the tick's, handed to each system it runs.
    /// `None` until the first `reset`.
    state: Option<RunState>,
    /// Every message the run has sent, handed to each system with `state`.
    mail: Mailroom,
    /// Every entity a run spawns, to despawn before the next; built once, as building a query
    /// costs more than a small scenario's reset.
    entities: QueryState<Entity, RunEntities>,
    /// The incidents: the only entities a run of a scenario of the same shape does not reuse.
    incidents: QueryState<Entity, With<Incident>>,
    /// The desks and nodes a run of a scenario of the same shape reuses, reset in place.
    kept: QueryState<KeptParts, KeptFilter>,
    sizes: Sizes,
}

type KeptParts = (
    Option<&'static mut CertDesk>,
    Option<&'static mut InfraNode>,
);

type KeptFilter = Or<(With<CertDesk>, With<InfraNode>)>;

type RunEntities = Or<(KeptFilter, With<Incident>)>;

/// The most records, messages and random streams a run of the current scenario has needed: the
/// next run starts with room for as many, instead of growing its vectors and maps (and copying
/// them) a dozen times. The most, not the last, since runs of one scenario differ in length; it
/// starts over with another scenario, so a long scenario does not leave its sizes to a short one.
#[derive(Default)]
struct Sizes {
    scenario: usize,
    records: usize,
    messages: usize,
    streams: usize,
    agenda: usize,
}

/// Why the run's state can be missing: nothing runs before the first `reset`.
const NOT_RESET: &str = "the engine is reset before it runs";

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

impl Engine {
    pub(crate) fn new() -> Engine {
        let mut world = World::new();
        let tick = Tick::new(&mut world);
        Engine {
            entities: world.query_filtered(),
            incidents: world.query_filtered(),
            kept: world.query_filtered(),
            world,
            tick,
            state: None,
            mail: Mailroom::default(),
            sizes: Sizes::default(),
        }
    }

    /// Puts the world in the state a fresh one would have for this run: no entities of a previous
    /// run, no pending messages, fresh resources. A run of a scenario of the same shape keeps the
    /// desks and nodes and resets them in place (despawning and spawning them again was a
    /// twentieth of a 193-state run); their table rows stay in the order they were spawned in, so
    /// queries see them as a fresh world's would.
    pub(crate) fn reset(&mut self, prep: &Arc<Prepared>, seed: u64) {
        let world = &mut self.world;
        // What a kept desk or node is depends only on how many of each the scenario has (a PoC's
        // status is set from `prep` again).
        let kept = world
            .get_resource_mut::<Directory>()
            .map(|mut dir| std::mem::take(&mut *dir))
            .filter(|dir| {
                (dir.certs.len(), dir.pocs.len(), dir.infra.len())
                    == (prep.states.len(), prep.pocs.len(), prep.infra.len())
            });
        let old: Vec<Entity> = match kept {
            Some(_) => self.incidents.iter(world).collect(),
            None => self.entities.iter(world).collect(),
        };
        for e in old {
            world.despawn(e);
        }
        // Without a bevy App nobody else forgets removed components; unforgotten despawns pile up.
        world.clear_trackers();
        self.tick.reset(world);

        let dir = match kept {
            Some(mut dir) => {
                reset_in_place(world, &mut self.kept);
                dir.incidents.clear();
                for (status, p) in dir.pocs.iter_mut().zip(&prep.pocs) {
                    *status = p.status;
                }
                dir
            }
            None => spawn(world, prep),
        };
        if self.sizes.scenario != Arc::as_ptr(prep) as usize {
            self.sizes = Sizes {
                scenario: Arc::as_ptr(prep) as usize,
                ..Sizes::default()
            };
        }
        // An eighth more than the most so far: a run longer than every earlier one would copy
        // the whole trace to grow it (some 0.8 M instructions for 2,000 records).
        let room = |n: usize| n + n / 8;
        let Sizes {
            records,
            messages,
            streams,
            agenda,
            ..
        } = self.sizes;
        let (records, messages, streams) = (room(records), room(messages), room(streams));
        // The last run's agenda and due lists, emptied, keep their room: grown anew each run,
        // the due lists were a dozen reallocations of every run's first ticks.
        let (mut agenda, due) = match self.state.take() {
            Some(run) => (run.agenda.reused(room(agenda)), run.due.emptied()),
            None => (Agenda::with_capacity(room(agenda)), DueMail::default()),
        };
        let mut streams = Streams::with_capacity(seed, streams);
        crate::arrivals::schedule(prep, &mut agenda, &mut streams);
        put(world, dir);
        self.state = Some(RunState {
            setup: Setup(prep.clone()),
            agenda,
            trace: TraceLog {
                records: Vec::with_capacity(records),
            },
            streams,
            watch: Watch::default(),
            due,
            rel: Relations::default(),
        });
        self.mail = Mailroom::with_capacity(messages);
    }

    fn run(&mut self, prep: &Arc<Prepared>, seed: u64) -> Vec<ttx_scenario::Record> {
        self.reset(prep, seed);
        self.ticks_until(prep.duration);
        let run = self.state.as_mut().expect("reset above");
        let sizes = &mut self.sizes;
        sizes.messages = sizes.messages.max(self.mail.sent.len());
        self.mail.settle(&mut run.trace, Settle::End);
        let records = std::mem::take(&mut run.trace.records);
        // One more for the `end` record `finish` adds.
        sizes.records = sizes.records.max(records.len() + 1);
        sizes.streams = sizes.streams.max(run.streams.opened());
        sizes.agenda = sizes.agenda.max(run.agenda.peak());
        records
    }

    /// Runs every event due at or before `limit`, one tick per distinct time, and fills in the
    /// records of the messages sent, for a live exercise to read the trace between ticks.
    pub(crate) fn run_until(&mut self, limit: i64) {
        self.ticks_until(limit);
        let run = self.state.as_mut().expect(NOT_RESET);
        self.mail.settle(&mut run.trace, Settle::Copies);
    }

    /// Runs every event due at or before `limit`; the messages sent are in the mailroom, their
    /// records not yet filled in.
    fn ticks_until(&mut self, limit: i64) {
        let run = self.state.as_mut().expect(NOT_RESET);
        while self.tick.run(&mut self.world, run, &mut self.mail, limit) {}
    }

    /// The run's state, for a live exercise to read between ticks.
    pub(crate) fn state(&self) -> &RunState {
        self.state.as_ref().expect(NOT_RESET)
    }

    /// The run's state, for a live exercise to change between ticks: a record at `now`, an
    /// inject scheduled, the clock moved on, the prepared scenario swapped for one with an
    /// ad-hoc inject.
    pub(crate) fn state_mut(&mut self) -> &mut RunState {
        self.state.as_mut().expect(NOT_RESET)
    }

    /// The world and the run's state, to run a one-shot step between ticks (a live move).
    pub(crate) fn parts(&mut self) -> (&mut World, &mut RunState, &Mailroom) {
        let state = self.state.as_mut().expect(NOT_RESET);
        (&mut self.world, state, &self.mail)
    }

    /// Every message the run has sent so far.
    pub(crate) fn mail(&self) -> &Mailroom {
        &self.mail
    }
}

/// Sets resource `R` to `value`: in place when a run before left one, which costs a fetch where
/// inserting it again costs what inserting a component does (resources are entities in bevy
/// 0.20; three of them were a twentieth of a ping test's run).
fn put<R: Resource<Mutability = bevy_ecs::component::Mutable>>(world: &mut World, value: R) {
    match world.get_resource_mut::<R>() {
        Some(mut r) => *r = value,
        None => world.insert_resource(value),
    }
}

/// A CERT desk for every state, a node for every infrastructure, and the PoC directory, as a
/// run starts.
fn spawn(world: &mut World, prep: &Prepared) -> Directory {
    let mut dir = Directory::default();
    for _ in &prep.states {
        dir.certs.push(world.spawn(fresh_cert()).id());
    }
    dir.pocs = prep.pocs.iter().map(|p| p.status).collect();
    for _ in &prep.infra {
        dir.infra.push(world.spawn(fresh_node()).id());
    }
    dir
}

/// The last run's desks and nodes, set back to how `spawn` makes them: by one walk over them
/// (looking each up by entity was a twentieth of a small scenario's run). Order does not
/// matter: every desk and every node starts alike.
fn reset_in_place(world: &mut World, kept: &mut QueryState<KeptParts, KeptFilter>) {
    for (cert, node) in kept.iter_mut(world) {
        if let Some(mut cert) = cert {
            cert.busy = 0;
            cert.queue.clear();
        }
        if let Some(mut node) = node {
            node.status = InfraStatus::Operational;
            node.causes.clear();
            node.lost.clear();
        }
    }
}

fn fresh_cert() -> CertDesk {
    CertDesk {
        busy: 0,
        queue: VecDeque::new(),
    }
}

fn fresh_node() -> InfraNode {
    InfraNode {
        status: InfraStatus::Operational,
        causes: BTreeMap::new(),
        lost: BTreeSet::new(),
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

    /// A reused engine gives what a fresh one gives, whatever ran on it before: another scenario
    /// (everything respawned) or the same one (desks and nodes kept).
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
                // Desks and nodes kept from a run of the same scenario, reset in place.
                let _ = run(p, 3);
                assert_eq!(&run(p, 7), expected, "{} after itself", p.scenario.name);
            }
        }
    }
}
