//! The board: everything pages and event streams read, in one place behind one read-write lock.
//! The exercise (the write side, [`crate::exercise`]) updates it after each change and bumps a
//! version that every open event stream watches.

use crate::clock::Clock;
use crate::feed::Feed;
use serde::Serialize;

/// The clock as clients see it.
#[derive(Clone, Debug)]
pub struct ClockView {
    pub clock: Clock,
    pub ended: Option<i64>,
    /// The exercise time the engine has run to: the records are complete up to here. A running
    /// clock is a tick ahead of it, so what is judged "so far" is judged as of this time.
    pub reached: i64,
}

/// What the browser needs to show and tick the clock itself between updates.
#[derive(Clone, Debug, Serialize)]
pub struct ClockJson {
    pub t: i64,
    pub running: bool,
    pub speed: f64,
    pub end: i64,
    /// `waiting`, `running`, `paused` or `ended` (a CSS class and a `data-when` word).
    pub state: &'static str,
    pub label: String,
}

impl ClockView {
    pub fn state(&self) -> &'static str {
        if self.ended.is_some() {
            "ended"
        } else if !self.clock.started() {
            "waiting"
        } else if self.clock.running() {
            "running"
        } else {
            "paused"
        }
    }

    pub fn json(&self) -> ClockJson {
        let wall = self.clock.wall_now();
        let state = self.state();
        let speed = self.clock.speed();
        let label = match state {
            "ended" => "Ended".to_string(),
            "waiting" => "Not started".to_string(),
            "running" => format!("Running · {}×", speed_text(speed)),
            _ => "Paused".to_string(),
        };
        ClockJson {
            t: self.ended.unwrap_or(self.clock.at(wall)),
            running: state == "running",
            speed,
            end: self.clock.end(),
            state,
            label,
        }
    }
}

/// A speed factor without a useless fraction: `60`, `0.5`.
pub fn speed_text(speed: f64) -> String {
    if speed.fract() == 0.0 {
        format!("{speed:.0}")
    } else {
        format!("{speed}")
    }
}

/// One scripted inject as the facilitator's MSEL shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MselRow {
    pub id: String,
    pub kind: String,
    /// What the control cell says or shows when it fires.
    pub title: String,
    /// Scheduled time, for injects at an instant.
    pub due: Option<i64>,
    /// The condition, for injects that wait for one.
    pub condition: Option<String>,
    pub released_at: Option<i64>,
    /// The states it is released to (empty: the control cell only, or it reaches players as a
    /// message).
    pub to: Vec<String>,
}

/// One journal entry, summarised for the console's action log.
#[derive(Clone, Debug)]
pub struct LogRow {
    pub seq: u64,
    pub t: i64,
    pub role: String,
    pub summary: String,
}

/// Where the exercise stands, beyond the clock.
#[derive(Clone, Debug, Default)]
pub struct Standing {
    /// Files written at the end or on demand, with the time they were written.
    pub files: Vec<String>,
    pub files_at: Option<i64>,
    /// The journal cannot be written: nothing more is accepted (the reason says why).
    pub halted: Option<String>,
    /// Said once to everyone, e.g. "resumed after an interruption".
    pub notice: Option<String>,
}

pub struct Board {
    pub feed: Feed,
    pub clock: ClockView,
    pub msel: Vec<MselRow>,
    pub log: Vec<LogRow>,
    pub standing: Standing,
    /// Bumped whenever something a panel shows changed (MSEL, log, scores, standing).
    pub panels: u64,
}

impl Board {
    pub fn new(clock: Clock) -> Board {
        Board {
            feed: Feed::new(),
            clock: ClockView {
                clock,
                ended: None,
                reached: 0,
            },
            msel: Vec::new(),
            log: Vec::new(),
            standing: Standing::default(),
            panels: 0,
        }
    }
}
