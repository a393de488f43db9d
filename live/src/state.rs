//! One exercise being served: set up new or resumed from its journal, its clock kept moving, and
//! the operations the routes call. Holds the write side ([`Exercise`], behind a mutex) and the
//! read side ([`Board`], behind a read-write lock) side by side.

use crate::board::Board;
use crate::clock::{Clock, Wall};
use crate::exercise::{self, Ack, ClockCommand, Exercise, Refusal};
use crate::journal::{self, Journal, Meta};
use crate::roles::{Role, Roles};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use ttx_scenario::live::Action;
use ttx_scenario::{Control, Scenario, Trace};
use ttx_sim::Simulation;

/// Writes the end-of-exercise files (trace.jsonl, scorecard.json, report.html, scenario.ron) in
/// the exercise directory, in the same formats as `ttx run`; given by the caller (the `ttx`
/// binary owns those writers). Returns the names of the files written.
pub type Outputs = Arc<dyn Fn(&Path, &Scenario, &Trace) -> Result<Vec<String>> + Send + Sync>;

/// How to set up the exercise.
pub enum Start {
    /// A new exercise of this scenario (control already resolved: `--human` applied).
    New {
        scenario: Box<Scenario>,
        scenario_ron: String,
        seed: u64,
        ttx_version: String,
    },
    /// Continue the exercise whose journal is in the directory.
    Resume,
}

pub struct Shared {
    pub scenario: Scenario,
    /// The human-played states, in scenario order.
    pub human: Vec<String>,
    pub roles: Roles,
    pub dir: PathBuf,
    pub seed: u64,
    pub board: RwLock<Board>,
    pub exercise: Mutex<Exercise>,
    /// Bumped whenever the board changed; every event stream waits on it.
    pub changed: tokio::sync::watch::Sender<u64>,
    outputs: Outputs,
    sim: Simulation,
}

/// The states people play, by who plays them.
pub fn human_states(sc: &Scenario) -> Vec<String> {
    sc.states
        .iter()
        .filter(|s| s.control == Control::Human)
        .map(|s| s.id.clone())
        .collect()
}

impl Shared {
    /// Sets up the exercise in `dir`: creates its journal, or reads it back and replays it.
    pub fn open(dir: &Path, start: Start, outputs: Outputs) -> Result<Arc<Shared>> {
        Shared::open_reading(dir, start, outputs, Wall::system())
    }

    /// [`Shared::open`] with the exercise clock reading real time from `wall`.
    pub fn open_reading(
        dir: &Path,
        start: Start,
        outputs: Outputs,
        wall: Wall,
    ) -> Result<Arc<Shared>> {
        let path = dir.join(journal::FILE);
        let (scenario, seed, roles, journal, entries, clock, ended) = match start {
            Start::New {
                scenario,
                scenario_ron,
                seed,
                ttx_version,
            } => {
                std::fs::create_dir_all(dir).with_context(|| {
                    format!("cannot create the exercise directory {}", dir.display())
                })?;
                let roles = Roles::generate(&human_states(&scenario))?;
                let meta = Meta {
                    scenario_ron,
                    scenario_hash: scenario.content_hash(),
                    seed,
                    ttx_version,
                    created: exercise::wall_now(),
                };
                let journal = Journal::create(&path, &meta, &roles.to_stored())?;
                let clock = Clock::new(scenario.duration.0).reading(wall.clone());
                (*scenario, seed, roles, journal, Vec::new(), clock, None)
            }
            Start::Resume => {
                let (journal, stored) = Journal::open(&path)?;
                let origin = path.display().to_string();
                let scenario =
                    ttx_scenario::load_str(&stored.meta.scenario_ron, &origin).map_err(|d| {
                        anyhow::anyhow!("the scenario stored in the journal no longer loads:\n{d}")
                    })?;
                if scenario.content_hash() != stored.meta.scenario_hash {
                    bail!(
                        "the scenario stored in {} does not match its recorded hash: the journal was altered",
                        path.display()
                    );
                }
                let roles = Roles::from_stored(&stored.roles)?;
                let end = scenario.duration.0;
                let last_action = stored.entries.last().map_or(0, |e| e.t);
                let clock = match stored.clock {
                    Some(c) => Clock::restored(end, c.t.max(last_action), c.started, c.speed),
                    None => Clock::restored(
                        end,
                        last_action,
                        !stored.entries.is_empty(),
                        crate::clock::DEFAULT_SPEED,
                    ),
                }
                .reading(wall.clone());
                (
                    scenario,
                    stored.meta.seed,
                    roles,
                    journal,
                    stored.entries,
                    clock,
                    stored.ended,
                )
            }
        };
        let sim = Simulation::new(&scenario).map_err(|d| {
            anyhow::anyhow!(
                "the scenario cannot be played: {}",
                d.iter()
                    .map(|x| x.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
        let mut run = exercise::rebuild(&sim, seed, &entries)?;
        let resumed = !entries.is_empty() || clock.started();
        let upto = ended.unwrap_or(clock.now());
        if upto > run.now() {
            run.advance_to(upto);
        }
        let records = run.records().to_vec();
        let mut ex = Exercise::new(scenario.clone(), run, journal, clock.clone());
        let board = RwLock::new(Board::new(clock));
        if resumed {
            board.write().expect("board").standing.notice = Some(
                "The exercise was resumed after an interruption: the clock is paused until the facilitator resumes it.".into(),
            );
        }
        board.write().expect("board").log = entries
            .iter()
            .map(|e| crate::board::LogRow {
                seq: e.seq,
                t: e.t,
                role: Role::from_key(&e.role).map_or(e.role.clone(), |r| r.label()),
                summary: serde_json::from_str::<Action>(&e.action)
                    .map(|a| crate::summary::action(&a))
                    .unwrap_or_default(),
            })
            .collect();
        let mut trace = None;
        if ended.is_some() {
            // Ended before the interruption: close it again the same way.
            ex.set_ended_with_trace(ended.unwrap_or(0));
            trace = ex.take_trace();
        }
        exercise::publish(&board, &ex, records, None);
        if let Some(t) = &trace {
            let shown = board.read().expect("board").feed.last() as usize;
            let rest = t.records.iter().skip(shown).cloned().collect();
            exercise::publish(&board, &ex, rest, None);
        }
        let shared = Arc::new(Shared {
            human: human_states(&scenario),
            scenario,
            roles,
            dir: dir.to_path_buf(),
            seed,
            board,
            exercise: Mutex::new(ex),
            changed: tokio::sync::watch::Sender::new(0),
            outputs,
            sim,
        });
        if let Some(t) = trace {
            shared.write_files(&t).ok();
        }
        Ok(shared)
    }

    fn wake(&self) {
        self.changed.send_modify(|v| *v += 1);
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, Exercise> {
        self.exercise.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn act(&self, role: &Role, action: &Action, client: Option<&str>) -> Result<Ack, Refusal> {
        let r = self.locked().act(&self.board, role, action, client);
        self.wake();
        r
    }

    pub fn command(&self, cmd: ClockCommand) -> Result<Ack, Refusal> {
        let r = self.locked().command(&self.board, cmd);
        self.wake();
        r
    }

    /// Ends the exercise and writes its files.
    pub fn end(&self) -> Result<Ack, Refusal> {
        let trace = self.locked().end(&self.board);
        self.wake();
        let trace = trace?;
        let t = trace.records.last().map_or(0, |r| r.t);
        let notice = match self.write_files(&trace) {
            Ok(files) => format!(
                "exercise ended at {}; written: {}",
                crate::pages::when(t),
                files.join(", ")
            ),
            Err(e) => format!(
                "exercise ended at {}, but the files could not be written: {e:#}",
                crate::pages::when(t)
            ),
        };
        Ok(Ack { seq: 0, t, notice })
    }

    /// Writes the files of the exercise so far (the journal replayed to now), on demand.
    pub fn write_files_now(&self) -> Result<Ack, Refusal> {
        let (entries, t) = {
            let ex = self.locked();
            if ex.ended().is_some() {
                drop(ex);
                let b = self.board.read().expect("board");
                let t = b.clock.ended.unwrap_or(0);
                drop(b);
                return Err(Refusal::Invalid(format!(
                    "the exercise has ended; its files were written at {}",
                    crate::pages::when(t)
                )));
            }
            (
                ex.journal_entries()
                    .map_err(|e| Refusal::Halted(format!("{e:#}")))?,
                ex.run().map_or(0, |r| r.now()),
            )
        };
        let trace = ttx_sim::live::replay(&self.sim, self.seed, &entries, t);
        let files = self
            .write_files(&trace)
            .map_err(|e| Refusal::Invalid(format!("the files could not be written: {e:#}")))?;
        Ok(Ack {
            seq: 0,
            t,
            notice: format!(
                "written as of {}: {}",
                crate::pages::when(t),
                files.join(", ")
            ),
        })
    }

    fn write_files(&self, trace: &Trace) -> Result<Vec<String>> {
        let files = (self.outputs)(&self.dir, &self.scenario, trace)?;
        let mut b = self.board.write().expect("board");
        b.standing.files = files.clone();
        b.standing.files_at = trace.records.last().map(|r| r.t);
        b.panels += 1;
        drop(b);
        self.wake();
        Ok(files)
    }

    /// Moves the engine along with a running clock. Runs until the process ends.
    pub async fn keep_time(self: Arc<Self>) {
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let me = self.clone();
            let moved = tokio::task::spawn_blocking(move || {
                let mut ex = me.locked();
                if ex.ended().is_some() || !ex.clock().running() {
                    return false;
                }
                let was_running = ex.clock().running();
                match ex.catch_up() {
                    Ok(records) => {
                        let stopped = was_running && !ex.clock().running();
                        if records.is_empty() && !stopped {
                            return false;
                        }
                        exercise::publish(&me.board, &ex, records, None);
                        true
                    }
                    Err(_) => {
                        exercise::publish(&me.board, &ex, Vec::new(), None);
                        true
                    }
                }
            })
            .await
            .unwrap_or(false);
            if moved {
                self.wake();
            }
        }
    }

    /// The join links, one per role, for `base` (e.g. `http://127.0.0.1:8080`).
    pub fn links(&self, base: &str) -> Vec<(Role, String)> {
        self.roles
            .iter()
            .map(|c| (c.role.clone(), format!("{base}/join/{}", c.link.to_hex())))
            .collect()
    }
}
