//! The exercise clock. Exercise time either flows with real time multiplied by a speed factor
//! (60× plays one exercise hour per minute) or stands still while the facilitator moves it —
//! to the next inject, the next event, or on by a chosen span ("facilitator-paced"). Both can
//! be mixed during one exercise: pausing a running clock makes it facilitator-paced.
//!
//! The clock only says what time the exercise *should* have reached; the exercise advances the
//! engine to it. Time never goes backwards and stops at the scenario's end.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Speeds the console offers, exercise seconds per real second, with how a facilitator reads them.
pub const SPEEDS: &[(f64, &str)] = &[
    (1.0, "1× real time"),
    (10.0, "10×"),
    (60.0, "60× · 1 hour per minute"),
    (360.0, "360× · 6 hours per minute"),
    (1440.0, "1440× · 1 day per minute"),
    (3600.0, "3600× · 1 hour per second"),
];

/// The default speed: an exercise hour per minute.
pub const DEFAULT_SPEED: f64 = 60.0;

/// The fastest speed accepted; beyond it a five-day scenario would end in a blink.
pub const MAX_SPEED: f64 = 86_400.0;

/// Where the exercise reads real time: the system's monotonic clock, or one a test moves by
/// hand ([`Wall::manual`]), so the real-time clock can be tested at the server level without
/// any timed assertion.
#[derive(Clone)]
pub struct Wall(Arc<dyn Fn() -> Instant + Send + Sync>);

impl Wall {
    pub fn system() -> Wall {
        Wall(Arc::new(Instant::now))
    }

    /// A wall clock that stands still until its handle moves it on.
    pub fn manual() -> (Wall, ManualWall) {
        let origin = Instant::now();
        let offset = Arc::new(Mutex::new(Duration::ZERO));
        let o = offset.clone();
        let wall = Wall(Arc::new(move || {
            origin + *o.lock().unwrap_or_else(|p| p.into_inner())
        }));
        (wall, ManualWall(offset))
    }

    pub fn now(&self) -> Instant {
        (self.0)()
    }
}

impl std::fmt::Debug for Wall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Wall")
    }
}

/// Moves a [`Wall::manual`] on.
#[derive(Clone, Debug)]
pub struct ManualWall(Arc<Mutex<Duration>>);

impl ManualWall {
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }
}

#[derive(Clone, Debug)]
pub struct Clock {
    /// Exercise time at `anchor` (when running) or now (when stopped).
    t: i64,
    /// When the clock last started running; `None` while it stands still.
    anchor: Option<Instant>,
    speed: f64,
    started: bool,
    end: i64,
    wall: Wall,
}

impl Clock {
    pub fn new(end: i64) -> Clock {
        Clock {
            t: 0,
            anchor: None,
            speed: DEFAULT_SPEED,
            started: false,
            end,
            wall: Wall::system(),
        }
    }

    /// The same clock reading real time from `wall`.
    pub fn reading(mut self, wall: Wall) -> Clock {
        self.wall = wall;
        self
    }

    /// Real time now, as this clock reads it.
    pub fn wall_now(&self) -> Instant {
        self.wall.now()
    }

    /// The exercise time the clock shows now.
    pub fn now(&self) -> i64 {
        self.at(self.wall_now())
    }

    /// A clock restored at `t` (stopped: after a restart the facilitator resumes it).
    pub fn restored(end: i64, t: i64, started: bool, speed: f64) -> Clock {
        Clock {
            t: t.clamp(0, end),
            anchor: None,
            speed: if speed.is_finite() && speed > 0.0 {
                speed.min(MAX_SPEED)
            } else {
                DEFAULT_SPEED
            },
            started,
            end,
            wall: Wall::system(),
        }
    }

    /// The exercise time the clock shows at `wall`.
    pub fn at(&self, wall: Instant) -> i64 {
        match self.anchor {
            Some(a) => {
                let run = wall.saturating_duration_since(a).as_secs_f64() * self.speed;
                (self.t + run.floor() as i64).min(self.end)
            }
            None => self.t,
        }
    }

    pub fn started(&self) -> bool {
        self.started
    }

    pub fn running(&self) -> bool {
        self.anchor.is_some()
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn end(&self) -> i64 {
        self.end
    }

    /// Starts the exercise; `run` says whether real time flows or the facilitator paces it.
    pub fn start(&mut self, wall: Instant, run: bool) {
        self.started = true;
        if run {
            self.resume(wall);
        }
    }

    pub fn pause(&mut self, wall: Instant) {
        self.t = self.at(wall);
        self.anchor = None;
    }

    pub fn resume(&mut self, wall: Instant) {
        if self.at(wall) < self.end {
            self.t = self.at(wall);
            self.anchor = Some(wall);
        }
    }

    /// Changes the speed without a jump in the time shown.
    pub fn set_speed(&mut self, wall: Instant, speed: f64) {
        self.t = self.at(wall);
        if self.anchor.is_some() {
            self.anchor = Some(wall);
        }
        self.speed = speed;
    }

    /// Moves the clock on to `t` (never back, never past the end), keeping it running if it was.
    pub fn jump_to(&mut self, wall: Instant, t: i64) {
        let now = self.at(wall);
        self.t = t.clamp(now, self.end);
        if self.anchor.is_some() {
            self.anchor = Some(wall);
        }
    }

    /// Stops the clock for good when it reached the end; returns whether it did now.
    pub fn stop_at_end(&mut self, wall: Instant) -> bool {
        if self.anchor.is_some() && self.at(wall) >= self.end {
            self.t = self.end;
            self.anchor = None;
            return true;
        }
        false
    }

    /// How long, in real time, until the running clock shows `t`; `None` when stopped.
    pub fn wall_until(&self, wall: Instant, t: i64) -> Option<Duration> {
        let a = self.anchor?;
        let due = a + Duration::from_secs_f64(((t - self.t).max(0) as f64) / self.speed);
        Some(due.saturating_duration_since(wall))
    }
}

/// Checks a speed a facilitator asked for.
pub fn check_speed(speed: f64) -> Result<f64, String> {
    if speed.is_finite() && speed > 0.0 && speed <= MAX_SPEED {
        Ok(speed)
    } else {
        Err(format!(
            "speed {speed} is not accepted: give a factor above 0 and at most {MAX_SPEED} (exercise seconds per real second; 60 plays an hour per minute)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_clock_moves_at_its_speed_and_a_paused_one_stands_still() {
        let w0 = Instant::now();
        let mut c = Clock::new(86_400);
        assert_eq!(c.at(w0 + Duration::from_secs(10)), 0, "not started");
        c.start(w0, true);
        assert_eq!(c.at(w0 + Duration::from_secs(2)), 120);
        c.pause(w0 + Duration::from_secs(2));
        assert_eq!(c.at(w0 + Duration::from_secs(100)), 120);
        c.resume(w0 + Duration::from_secs(100));
        c.set_speed(w0 + Duration::from_secs(101), 3600.0);
        assert_eq!(c.at(w0 + Duration::from_secs(101)), 180);
        assert_eq!(c.at(w0 + Duration::from_secs(102)), 3780);
    }

    #[test]
    fn the_clock_never_goes_back_nor_past_the_end() {
        let w0 = Instant::now();
        let mut c = Clock::new(1000);
        c.start(w0, false);
        c.jump_to(w0, 600);
        c.jump_to(w0, 300);
        assert_eq!(c.at(w0), 600);
        c.jump_to(w0, 5000);
        assert_eq!(c.at(w0), 1000);
        let mut r = Clock::new(1000);
        r.start(w0, true);
        assert_eq!(r.at(w0 + Duration::from_secs(3600)), 1000);
        assert!(r.stop_at_end(w0 + Duration::from_secs(3600)));
        assert!(!r.running());
        r.resume(w0 + Duration::from_secs(3601));
        assert!(!r.running(), "a clock at the end does not run again");
    }

    #[test]
    fn wall_until_says_when_a_time_will_be_shown() {
        let w0 = Instant::now();
        let mut c = Clock::new(100_000);
        assert_eq!(c.wall_until(w0, 10), None);
        c.start(w0, true);
        let d = c.wall_until(w0, 120).unwrap();
        assert!((d.as_secs_f64() - 2.0).abs() < 1e-6, "{d:?}");
    }

    #[test]
    fn odd_speeds_are_refused_with_the_range() {
        assert!(check_speed(60.0).is_ok());
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
            assert!(check_speed(bad).unwrap_err().contains("at most"));
        }
    }
}
