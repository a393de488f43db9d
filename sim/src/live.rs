//! A live exercise: the engine stepped by a clock someone else runs, with human teams, the
//! facilitator and evaluators acting between steps. Nothing of bevy shows in this API and a
//! [`LiveRun`] is `Send`, so an exercise server can keep one behind a mutex.
//!
//! The trace is a pure function of (scenario, seed, journal): every action goes through
//! [`LiveRun::submit`] at [`LiveRun::now`], and stepping is path-independent — advancing to 5 and
//! then to 10 gives what advancing to 10 gives — so [`replay`] of the journal rebuilds the live
//! trace byte for byte whatever clock ticks the server made in between.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;
use ttx_scenario::diagnostic::suggest;
use ttx_scenario::live::{check_inject, move_inject};
use ttx_scenario::{At, Control, Diagnostic, Inject, Move, Record, Span, Trace, TraceEvent};

pub use ttx_scenario::live::{Action, InjectStatus, Journal, JournalEntry, Rating, Seconds};

use crate::Simulation;
use crate::agenda::{Agenda, Pending};
use crate::components::Setup;
use crate::engine::{self, Engine};
use crate::moves::play_live;
use crate::prepared::Prepared;

/// One exercise in progress.
pub struct LiveRun {
    engine: Engine,
    /// The scenario as prepared before the exercise: the trace header's hash is its.
    base: Arc<Prepared>,
    /// The scenario with the facilitator's ad-hoc injects appended.
    prep: Arc<Prepared>,
    seed: u64,
    now: Seconds,
    /// Whether the events due at `now` have run (false only before the first step).
    started: bool,
    /// Injects released by the facilitator, by index.
    released: BTreeSet<usize>,
}

/// Why the engine refused an action, in words fit for the person who tried it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionError {
    pub message: String,
    /// The field of the action at fault (`message.to`), when one is.
    pub field: Option<String>,
    pub help: Option<String>,
}

impl ActionError {
    fn new(message: impl Into<String>) -> ActionError {
        ActionError {
            message: message.into(),
            field: None,
            help: None,
        }
    }

    fn field(mut self, field: &str) -> ActionError {
        self.field = Some(field.to_string());
        self
    }

    fn help(mut self, help: Option<String>) -> ActionError {
        self.help = help;
        self
    }

    fn from_diagnostic(d: &Diagnostic, strip: &str) -> ActionError {
        let field = d
            .path
            .as_deref()
            .map(|p| p.strip_prefix(strip).unwrap_or(p).to_string());
        ActionError {
            message: d.message.clone(),
            field,
            help: d.help.clone(),
        }
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ActionError {}

impl LiveRun {
    /// A new exercise of `sim`'s scenario with `seed`, at T+0, nothing run yet.
    pub fn start(sim: &Simulation, seed: u64) -> LiveRun {
        let mut engine = Engine::new();
        engine.reset(&sim.prepared, seed);
        LiveRun {
            engine,
            base: sim.prepared.clone(),
            prep: sim.prepared.clone(),
            seed,
            now: 0,
            started: false,
            released: BTreeSet::new(),
        }
    }

    /// Exercise time reached so far.
    pub fn now(&self) -> Seconds {
        self.now
    }

    /// The scenario's duration: the clock stops there.
    pub fn end_time(&self) -> Seconds {
        self.base.duration
    }

    /// When the next event of any kind is due, for "jump to the next event".
    pub fn next_event(&self) -> Option<Seconds> {
        self.agenda().next_time().filter(|&t| t <= self.end_time())
    }

    /// When the next inject is due, for "jump to the next inject". Injects on a condition count
    /// once their condition has held.
    pub fn next_inject(&self) -> Option<Seconds> {
        let done = &self.engine.state().watch.done;
        self.agenda()
            .next_inject(|i| done.contains(&i))
            .filter(|&t| t <= self.end_time())
    }

    /// Runs every event up to and including `t` (clamped to `now()`…`end_time()`) and returns
    /// the records it produced.
    pub fn advance_to(&mut self, t: Seconds) -> Vec<Record> {
        let target = t.min(self.end_time()).max(self.now);
        if self.started && target == self.now {
            return Vec::new();
        }
        let before = self.records().len();
        self.engine.run_until(target);
        let agenda = &mut self.engine.state_mut().agenda;
        if agenda.now() < target {
            agenda.advance_to(target);
        }
        self.now = target;
        self.started = true;
        self.records()[before..].to_vec()
    }

    /// Applies `action` at `now()` and returns the records it produced at once (with those of
    /// any event still due at `now()`, which run first). Its effects that take time are
    /// scheduled: a move's message is sent, and a released or added inject fires, at now + 1 s.
    /// An action the engine refuses changes nothing.
    pub fn submit(&mut self, action: &Action) -> Result<Vec<Record>, ActionError> {
        let before = self.records().len();
        self.advance_to(self.now);
        match action {
            Action::Move(mv) => self.play(mv)?,
            Action::ReleaseInject { inject } => self.release(inject)?,
            Action::AddInject(inject) => self.add(inject)?,
            Action::Rate {
                expectation,
                rating,
                comment,
                by,
            } => {
                self.expectation(expectation)?;
                nonempty(by, "by", "who rates")?;
                self.record(TraceEvent::Rating {
                    expectation: expectation.into(),
                    rating: *rating,
                    comment: comment.clone(),
                    by: by.clone(),
                });
            }
            Action::Observe { text, record, by } => {
                nonempty(text, "text", "the observation")?;
                nonempty(by, "by", "who observes")?;
                let count = self.records().len() as u32;
                if let Some(n) = record
                    && !(1..=count).contains(n)
                {
                    return Err(ActionError::new(format!(
                        "there is no record {n} (the trace has {count} so far)"
                    ))
                    .field("record"));
                }
                self.record(TraceEvent::Observation {
                    text: text.clone(),
                    record: *record,
                    by: by.clone(),
                });
            }
            Action::Note {
                state,
                text,
                decision,
            } => {
                let control = self.control(state, "state")?;
                if control != Control::Human {
                    return Err(ActionError::new(format!(
                        "notes belong to a team, and {state} is played by the {}",
                        control.label()
                    ))
                    .field("state"));
                }
                nonempty(text, "text", "the note")?;
                self.record(TraceEvent::Note {
                    state: state.into(),
                    text: text.clone(),
                    decision: *decision,
                });
            }
        }
        Ok(self.records()[before..].to_vec())
    }

    /// Everything recorded so far, in order.
    pub fn records(&self) -> &[Record] {
        &self.engine.state().trace.records
    }

    /// The MSEL as it stands: every scripted and ad-hoc inject, with when it fired.
    pub fn injects(&self) -> Vec<InjectStatus> {
        let mut fired: BTreeMap<&str, Seconds> = BTreeMap::new();
        for r in self.records() {
            if let TraceEvent::InjectFired { inject, .. } = &r.event {
                fired.entry(inject.as_str()).or_insert(r.t);
            }
        }
        let sc = &self.prep.scenario;
        let scripted = self.base.injects.len();
        sc.injects
            .iter()
            .enumerate()
            .map(|(i, inj)| {
                let mut row = InjectStatus::of(sc, i, inj);
                row.released_at = fired.get(row.id.as_str()).copied();
                row.ad_hoc = i >= scripted;
                row
            })
            .collect()
    }

    /// Ends the exercise at `now()` and returns the whole trace: the header a simulated run has
    /// (its `duration` the time reached) and the `end` record. What was scheduled later (a
    /// message still being prepared) never happens.
    pub fn finish(mut self) -> Trace {
        self.advance_to(self.now);
        let records = std::mem::take(&mut self.engine.state_mut().trace.records);
        engine::finish(&self.base, self.seed, records, self.now)
    }

    fn agenda(&self) -> &Agenda {
        &self.engine.state().agenda
    }

    fn record(&mut self, event: TraceEvent) {
        let now = self.now;
        self.engine.state_mut().trace.push(now, event);
    }

    fn schedule_inject(&mut self, i: usize) {
        self.engine.state_mut().agenda.after(0, Pending::Inject(i));
    }

    fn control(&self, state: &str, field: &str) -> Result<Control, ActionError> {
        let sc = &self.prep.scenario;
        match sc.state(state) {
            Some(s) => Ok(s.control),
            None => {
                let known: Vec<&str> = sc.states.iter().map(|s| s.id.as_str()).collect();
                Err(ActionError::new(format!("unknown state \"{state}\""))
                    .field(field)
                    .help(suggest(state, &known, "states")))
            }
        }
    }

    /// Evaluators rate the expectations written in free text; the others are judged from the
    /// trace, and an observation is the way to comment on them.
    fn expectation(&self, id: &str) -> Result<(), ActionError> {
        let sc = &self.prep.scenario;
        if let Some(e) = sc.expectations.iter().find(|e| e.id == id) {
            if e.does.judged().is_some() {
                return Ok(());
            }
            return Err(ActionError::new(format!(
                "expectation {id} ({} {}) is judged from the trace, not by an evaluator",
                e.actor,
                e.does.verb()
            ))
            .field("expectation")
            .help(Some(
                "evaluators rate expectations written in free text, `does: Judged(\"…\")`; add an observation instead".into(),
            )));
        }
        let known: Vec<&str> = sc.expectations.iter().map(|e| e.id.as_str()).collect();
        Err(ActionError::new(format!("unknown expectation \"{id}\""))
            .field("expectation")
            .help(suggest(id, &known, "expectations")))
    }

    fn play(&mut self, mv: &Move) -> Result<(), ActionError> {
        let control = self.control(&mv.by, "by")?;
        if !control.moves_live() {
            return Err(ActionError::new(format!(
                "{} is played by its doctrine (a bot); only a state played by a team or the control cell makes moves",
                mv.by
            ))
            .field("by"));
        }
        let problems = check_inject(&self.prep.scenario, &move_inject(mv, self.now));
        if let Some(d) = problems.first() {
            return Err(ActionError::from_diagnostic(d, "event."));
        }
        if let Some(id) = &mv.message.refers_to {
            let mail = self.engine.mail();
            if !mail.sent.iter().any(|m| &m.msg == id) {
                return Err(ActionError::new(format!("no message {id} has been sent"))
                    .field("message.refers_to"));
            }
        }
        let (world, run, mail) = self.engine.parts();
        play_live(world, run, mail, mv)
            .map_err(|e| ActionError::new(format!("the engine could not play the move: {e}")))
    }

    fn release(&mut self, id: &str) -> Result<(), ActionError> {
        let Some(i) = self.prep.injects.iter().position(|x| x.id == id) else {
            let known: Vec<&str> = self.prep.injects.iter().map(|x| x.id.as_str()).collect();
            return Err(ActionError::new(format!("unknown inject \"{id}\""))
                .field("inject")
                .help(suggest(id, &known, "injects")));
        };
        if self.released.contains(&i) {
            return Err(
                ActionError::new(format!("inject {id} is already released")).field("inject")
            );
        }
        if self.engine.state().watch.done.contains(&i) {
            return Err(ActionError::new(format!("inject {id} has already fired")).field("inject"));
        }
        self.released.insert(i);
        self.record(TraceEvent::InjectReleased { inject: id.into() });
        self.schedule_inject(i);
        Ok(())
    }

    fn add(&mut self, inject: &Inject) -> Result<(), ActionError> {
        if inject.when.is_some() {
            return Err(
                ActionError::new("an ad-hoc inject fires now; it takes no condition")
                    .field("when")
                    .help(Some("leave `when` out".into())),
            );
        }
        if inject.repeat.is_some() {
            return Err(ActionError::new("an ad-hoc inject fires once, now")
                .field("repeat")
                .help(Some(
                    "leave `repeat` out; add it again when it should fire again".into(),
                )));
        }
        if inject
            .at
            .as_ref()
            .is_some_and(|a| a.fixed().map(|f| f.secs()) != Some(self.now))
        {
            return Err(ActionError::new("an ad-hoc inject fires now")
                .field("at")
                .help(Some("leave `at` out".into())));
        }
        let mut inj = inject.clone();
        inj.at = Some(ttx_scenario::InjectAt::Fixed(At(Span(self.now))));
        let sc = &self.prep.scenario;
        if inj.id.is_none() {
            let taken: BTreeSet<String> =
                self.prep.injects.iter().map(|x| x.id.to_string()).collect();
            let id = (1..)
                .map(|k| format!("adhoc-{k}"))
                .find(|id| !taken.contains(id))
                .expect("an unused id");
            inj.id = Some(id);
        }
        if let Some(d) = check_inject(sc, &inj).first() {
            return Err(ActionError::from_diagnostic(d, ""));
        }
        let mut sc = sc.clone();
        sc.injects.push(inj.clone());
        let prep = Prepared::new(&sc).map_err(|problems| {
            problems
                .first()
                .map(|d| ActionError::from_diagnostic(d, ""))
                .unwrap_or_else(|| ActionError::new("the inject does not fit the scenario"))
        })?;
        self.prep = Arc::new(prep);
        self.engine.state_mut().setup = Setup(self.prep.clone());
        self.record(TraceEvent::InjectAdded {
            inject: Box::new(inj),
        });
        self.schedule_inject(sc.injects.len() - 1);
        Ok(())
    }
}

fn nonempty(text: &str, field: &str, what: &str) -> Result<(), ActionError> {
    if text.trim().is_empty() {
        Err(ActionError::new(format!("{what} is empty")).field(field))
    } else {
        Ok(())
    }
}

/// Rebuilds a live exercise from its journal: each action at its time, in order, then the clock
/// to `end`. An action the engine refused during the exercise is refused again and changes
/// nothing, so a journal that kept it still replays to the same trace.
pub fn replay(sim: &Simulation, seed: u64, journal: &[JournalEntry], end: Seconds) -> Trace {
    let mut run = LiveRun::start(sim, seed);
    for entry in journal {
        run.advance_to(entry.t);
        let _ = run.submit(&entry.action);
    }
    run.advance_to(end);
    run.finish()
}
