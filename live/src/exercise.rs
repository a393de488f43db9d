//! The write side of an exercise: the engine stepped live, the journal and the clock, behind one
//! lock. Every change goes through here in the same order — bring the engine to the clock's
//! time, apply, commit to the journal, and only then publish to the [`Board`] that pages and
//! event streams read — so nothing is ever shown, or acknowledged, that a crash could lose.

use crate::board::{Board, ClockView, LogRow, MselRow};
use crate::clock::Clock;
use crate::journal::{Journal, SavedClock};
use crate::roles::Role;
use anyhow::{Context, Result};
use ttx_scenario::live::{Action, JournalEntry};
use ttx_scenario::{Control, Record, Scenario, Trace};
use ttx_sim::live::LiveRun;

/// Why an action was not taken; shown to the person who tried.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The role may not do this (a team acting as another state, an evaluator sending a move).
    Forbidden(String),
    /// The action makes no sense now (the engine's or the clock's reason).
    Invalid(String),
    /// The journal cannot be written: the exercise accepts nothing more.
    Halted(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Forbidden(s) | Refusal::Invalid(s) | Refusal::Halted(s) => f.write_str(s),
        }
    }
}

/// What a client hears once its action is on disk.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Ack {
    /// Position in the journal.
    pub seq: u64,
    /// Exercise time the action took effect.
    pub t: i64,
    pub notice: String,
}

/// A clock command from the console.
#[derive(Clone, Debug, PartialEq)]
pub enum ClockCommand {
    /// Start the exercise; `running` chooses real time (at the clock's speed) or facilitator-paced.
    Start {
        running: bool,
    },
    Pause,
    Resume,
    Speed(f64),
    /// Move on by a span of exercise time.
    AdvanceBy(i64),
    /// Move on to an exercise time.
    AdvanceTo(i64),
    /// Move on to the next scripted inject (facilitator-paced play).
    NextInject,
    /// Move on to the next event of any kind.
    NextEvent,
}

pub struct Exercise {
    pub scenario: Scenario,
    run: Option<LiveRun>,
    journal: Journal,
    clock: Clock,
    ended: Option<i64>,
    halted: Option<String>,
    /// The clock time last saved to the journal; records beyond it are never shown before it is.
    saved_t: i64,
    /// The trace of an exercise that had ended before a resume, until the caller takes it.
    final_trace: Option<Trace>,
}

impl Exercise {
    pub fn new(scenario: Scenario, run: LiveRun, journal: Journal, clock: Clock) -> Exercise {
        let saved_t = clock.now();
        Exercise {
            scenario,
            run: Some(run),
            journal,
            clock,
            ended: None,
            halted: None,
            saved_t,
            final_trace: None,
        }
    }

    /// Closes an exercise that had ended before a resume (the engine is already at `t`).
    pub fn set_ended_with_trace(&mut self, t: i64) {
        self.ended = Some(t);
        if let Some(run) = self.run.take() {
            self.final_trace = Some(run.finish());
        }
    }

    pub fn take_trace(&mut self) -> Option<Trace> {
        self.final_trace.take()
    }

    /// The journal as the engine replays it.
    pub fn journal_entries(&self) -> Result<Vec<JournalEntry>> {
        self.journal
            .read()?
            .entries
            .iter()
            .map(|e| {
                Ok(JournalEntry {
                    t: e.t,
                    action: serde_json::from_str(&e.action)
                        .with_context(|| format!("journal entry {} cannot be read", e.seq))?,
                })
            })
            .collect()
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn ended(&self) -> Option<i64> {
        self.ended
    }

    pub fn run(&self) -> Option<&LiveRun> {
        self.run.as_ref()
    }

    fn refuse_if_closed(&self) -> Result<(), Refusal> {
        if let Some(h) = &self.halted {
            return Err(Refusal::Halted(h.clone()));
        }
        if self.ended.is_some() {
            return Err(Refusal::Invalid("the exercise has ended".into()));
        }
        Ok(())
    }

    fn saved(&self) -> SavedClock {
        let now = self.clock.wall_now();
        SavedClock {
            t: self.clock.at(now),
            started: self.clock.started(),
            running: self.clock.running(),
            speed: self.clock.speed(),
        }
    }

    /// Saves the clock, halting the exercise if the journal cannot be written.
    fn save_clock(&mut self) -> Result<(), Refusal> {
        let s = self.saved();
        if let Err(e) = self.journal.save_clock(&s) {
            let why = format!("{e:#}");
            self.halted = Some(why.clone());
            return Err(Refusal::Halted(why));
        }
        self.saved_t = s.t;
        Ok(())
    }

    /// Brings the engine to the clock's time; returns the new records. The clock is saved first,
    /// so a resumed exercise never shows less than a client has seen.
    pub fn catch_up(&mut self) -> Result<Vec<Record>, Refusal> {
        let now = self.clock.wall_now();
        self.clock.stop_at_end(now);
        let t = self.clock.at(now);
        let Some(run) = self.run.as_ref() else {
            return Ok(Vec::new());
        };
        if t <= run.now() {
            return Ok(Vec::new());
        }
        // Saved before anything past the saved time can be shown; a stretch with no event in
        // it shows nothing, and needs no disk write (a running clock ticks many times a second).
        if t > self.saved_t && run.next_event().is_some_and(|n| n <= t) {
            self.save_clock()?;
        }
        Ok(self.run.as_mut().expect("run present").advance_to(t))
    }

    /// Whether `role` may take `action`; the engine then judges whether it makes sense.
    pub fn permitted(&self, role: &Role, action: &Action) -> Result<(), Refusal> {
        let sc = &self.scenario;
        let control_played = |s: &str| sc.state(s).is_some_and(|x| x.control == Control::Control);
        let ok = match (role, action) {
            (Role::Team(own), Action::Move(m)) => &m.by == own,
            (Role::Team(own), Action::Note { state, .. }) => state == own,
            (Role::Facilitator, Action::Move(m)) => control_played(&m.by),
            (Role::Facilitator, Action::ReleaseInject { .. } | Action::AddInject(_)) => true,
            (Role::Evaluator, Action::Rate { .. } | Action::Observe { .. }) => true,
            _ => false,
        };
        if ok {
            return Ok(());
        }
        Err(Refusal::Forbidden(match (role, action) {
            (Role::Team(own), Action::Move(m)) => {
                format!(
                    "team {own} cannot send as {}: a team speaks for its own state only",
                    m.by
                )
            }
            (Role::Team(own), Action::Note { state, .. }) => {
                format!("team {own} cannot write in {state}'s log")
            }
            (Role::Facilitator, Action::Move(m)) => format!(
                "{} is not played by the control cell: only a control-cell state's moves are the facilitator's to send",
                m.by
            ),
            (r, _) => format!("the {} cannot do that", r.label()),
        }))
    }

    /// Takes `action` for `role` at the clock's current time: engine, then journal, then board.
    /// `client` is the client's own id for the action; a retried action (the client did not hear
    /// the answer) gets the first answer again and is not applied twice.
    pub fn act(
        &mut self,
        board: &std::sync::RwLock<Board>,
        role: &Role,
        action: &Action,
        client: Option<&str>,
    ) -> Result<Ack, Refusal> {
        self.refuse_if_closed()?;
        self.permitted(role, action)?;
        if let Some(c) = client
            && let Some((seq, t)) = self
                .journal
                .by_client(c)
                .map_err(|e| Refusal::Halted(format!("{e:#}")))?
        {
            return Ok(Ack {
                seq,
                t,
                notice: format!("already recorded at {}", crate::pages::when(t)),
            });
        }
        let before = self.catch_up()?;
        let json = serde_json::to_string(action)
            .map_err(|e| Refusal::Invalid(format!("the action cannot be written: {e}")))?;
        let run = self.run.as_mut().expect("open exercise has a run");
        let t = run.now();
        let result = run.submit(action);
        let records = match result {
            Ok(r) => r,
            Err(e) => {
                publish(board, self, before, None);
                return Err(Refusal::Invalid(e.to_string()));
            }
        };
        let seq = match self
            .journal
            .append(t, &role.key(), &json, &wall_now(), client)
        {
            Ok(seq) => seq,
            Err(e) => {
                // The engine took an action the journal does not hold: nothing more may happen.
                let why = format!(
                    "the exercise journal cannot be written ({e:#}); nothing more is accepted — restart with --resume"
                );
                self.halted = Some(why.clone());
                return Err(Refusal::Halted(why));
            }
        };
        let mut all = before;
        all.extend(records);
        let row = LogRow {
            seq,
            t,
            role: role.label(),
            summary: crate::summary::action(action),
        };
        publish(board, self, all, Some(row));
        Ok(Ack {
            seq,
            t,
            notice: format!("recorded at {}", crate::pages::when(t)),
        })
    }

    /// Runs a clock command.
    pub fn command(
        &mut self,
        board: &std::sync::RwLock<Board>,
        cmd: ClockCommand,
    ) -> Result<Ack, Refusal> {
        self.refuse_if_closed()?;
        let before = self.catch_up()?;
        let now = self.clock.wall_now();
        let run = self.run.as_ref().expect("open exercise has a run");
        let mut started_now = false;
        match cmd {
            ClockCommand::Start { running } => {
                if self.clock.started() {
                    // A retried start (the answer was lost) changes nothing.
                    publish(board, self, before, None);
                    let t = self.clock.at(now);
                    return Ok(Ack {
                        seq: 0,
                        t,
                        notice: format!(
                            "the exercise had already started; clock at {}",
                            crate::pages::when(t)
                        ),
                    });
                }
                self.clock.start(now, running);
                started_now = true;
            }
            ClockCommand::Pause => self.clock.pause(now),
            ClockCommand::Resume => self.clock.resume(now),
            ClockCommand::Speed(s) => {
                let s = crate::clock::check_speed(s).map_err(Refusal::Invalid)?;
                self.clock.set_speed(now, s)
            }
            ClockCommand::AdvanceBy(d) => {
                let t = self.clock.at(now) + d.max(0);
                self.clock.jump_to(now, t)
            }
            ClockCommand::AdvanceTo(t) => self.clock.jump_to(now, t),
            ClockCommand::NextInject | ClockCommand::NextEvent => {
                let next = if cmd == ClockCommand::NextInject {
                    run.next_inject()
                } else {
                    run.next_event()
                };
                match next {
                    Some(t) => self.clock.jump_to(now, t),
                    None => {
                        publish(board, self, before, None);
                        let what = if cmd == ClockCommand::NextInject {
                            "inject"
                        } else {
                            "event"
                        };
                        return Err(Refusal::Invalid(format!(
                            "no {what} is left before the end of the exercise"
                        )));
                    }
                }
            }
        }
        if !self.clock.started() && !started_now {
            publish(board, self, before, None);
            return Err(Refusal::Invalid("start the exercise first".into()));
        }
        self.save_clock()?;
        let mut all = before;
        all.extend(self.catch_up()?);
        publish(board, self, all, None);
        let t = self.clock.now();
        Ok(Ack {
            seq: 0,
            t,
            notice: format!("clock at {}", crate::pages::when(t)),
        })
    }

    /// Ends the exercise at the clock's time and returns the whole trace.
    pub fn end(&mut self, board: &std::sync::RwLock<Board>) -> Result<Trace, Refusal> {
        self.refuse_if_closed()?;
        let mut records = self.catch_up()?;
        let now = self.clock.wall_now();
        self.clock.pause(now);
        let t = self.run.as_ref().expect("run").now();
        if let Err(e) = self.journal.end(t) {
            let why = format!("{e:#}");
            self.halted = Some(why.clone());
            return Err(Refusal::Halted(why));
        }
        self.ended = Some(t);
        let trace = self.run.take().expect("run").finish();
        let shown = board.read().expect("board").feed.last() as usize;
        records.extend(trace.records.iter().skip(shown + records.len()).cloned());
        publish(board, self, records, None);
        Ok(trace)
    }

    /// The MSEL as the console shows it.
    pub fn msel(&self) -> Vec<MselRow> {
        let Some(run) = self.run.as_ref() else {
            return Vec::new();
        };
        run.injects()
            .into_iter()
            .map(|i| MselRow {
                id: i.id.clone(),
                kind: i.kind.clone(),
                title: i.description.clone(),
                due: i.due,
                condition: i.condition.clone(),
                released_at: i.released_at,
                to: if i.ad_hoc {
                    i.to.clone()
                } else {
                    crate::view::inject_audience(&self.scenario, &i.id)
                },
            })
            .collect()
    }
}

/// Publishes new records and the clock to the board and wakes every event stream.
pub fn publish(
    board: &std::sync::RwLock<Board>,
    ex: &Exercise,
    records: Vec<Record>,
    row: Option<LogRow>,
) {
    let mut b = board.write().expect("board lock");
    b.feed.extend(records);
    b.clock = ClockView {
        clock: ex.clock.clone(),
        ended: ex.ended,
        reached: ex
            .ended
            .or(ex.run.as_ref().map(|r| r.now()))
            .unwrap_or(b.clock.reached),
    };
    if ex.run.is_some() {
        b.msel = ex.msel();
    }
    if let Some(r) = row {
        b.log.push(r);
    }
    b.standing.halted = ex.halted.clone();
    b.panels += 1;
}

/// Wall-clock time for people (the action log), never for the trace.
pub fn wall_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    ttx_scenario::Timestamp(secs).to_string()
}

/// Rebuilds an exercise from its journal: the same actions at the same times give the same
/// records (the trace is a pure function of scenario, seed and journal).
pub fn rebuild(
    sim: &ttx_sim::Simulation,
    seed: u64,
    entries: &[crate::journal::Entry],
) -> Result<LiveRun> {
    let mut run = LiveRun::start(sim, seed);
    for e in entries {
        let action: Action = serde_json::from_str(&e.action)
            .with_context(|| format!("journal entry {} cannot be read", e.seq))?;
        run.advance_to(e.t);
        run.submit(&action)
            .map_err(|err| anyhow::anyhow!("journal entry {} no longer applies: {err}", e.seq))?;
    }
    Ok(run)
}
