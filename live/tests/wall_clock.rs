//! The real-time clock of a served exercise, driven by a wall clock the test moves by hand: the
//! exercise time the facilitator's commands answer with, what the pages show and how far the
//! engine has run follow real time times the speed exactly, and a paused clock stands still
//! whatever real time passes. No timed assertion: nothing here depends on the machine's speed.

use std::sync::Arc;
use std::time::Duration;
use ttx_live::clock::Wall;
use ttx_live::exercise::ClockCommand;
use ttx_live::{Outputs, Shared, Start};
use ttx_scenario::TraceEvent;

struct Dir(std::path::PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_clock_runs_at_its_speed_and_stands_still_when_paused() {
    let dir = Dir(std::env::temp_dir().join(format!("ttx-wall-clock-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    let sc = ttx_scenario::library::find("live-hospital-ransomware")
        .unwrap()
        .load()
        .unwrap();
    let start = Start::New {
        scenario_ron: ttx_scenario::to_ron(&sc),
        scenario: Box::new(sc),
        seed: 1,
        ttx_version: "test".into(),
    };
    let outputs: Outputs = Arc::new(|_, _, _| Ok(Vec::new()));
    let (wall, hand) = Wall::manual();
    let s = Shared::open_reading(&dir.0, start, outputs, wall).unwrap();
    let t = |cmd| s.command(cmd).unwrap().t;
    let reached = || s.board.read().unwrap().clock.reached;
    let minutes = |m: u64| Duration::from_secs(60 * m);

    // Running at the default 60×: one real minute is one exercise hour, and the engine follows.
    assert_eq!(t(ClockCommand::Start { running: true }), 0);
    hand.advance(minutes(1));
    assert_eq!(t(ClockCommand::Speed(60.0)), 3600);
    assert_eq!(reached(), 3600);
    let ping = s.board.read().unwrap().feed.records().iter().any(|r| {
        matches!(&r.event, TraceEvent::MessageSent(m) if m.kind == ttx_scenario::MessageKind::Ping)
    });
    assert!(ping, "the communication check at T+00:15 was sent");

    // Paused: real time passes, the exercise does not, whatever the speed.
    assert_eq!(t(ClockCommand::Pause), 3600);
    hand.advance(minutes(90));
    assert_eq!(t(ClockCommand::Speed(120.0)), 3600);
    assert_eq!(reached(), 3600);
    let page = s.board.read().unwrap().clock.json();
    assert_eq!((page.t, page.state), (3600, "paused"));

    // Resumed at 120×: thirty real seconds are an exercise hour.
    assert_eq!(t(ClockCommand::Resume), 3600);
    hand.advance(Duration::from_secs(30));
    assert_eq!(t(ClockCommand::Speed(3600.0)), 7200);
    // At 3600×, ten real seconds are ten exercise hours.
    hand.advance(Duration::from_secs(10));
    assert_eq!(t(ClockCommand::Pause), 7200 + 36_000);
    assert_eq!(reached(), 7200 + 36_000);

    // Running past the scenario's end, the clock stops there.
    t(ClockCommand::Resume);
    hand.advance(minutes(600));
    let end = s.board.read().unwrap().clock.clock.end();
    assert_eq!(t(ClockCommand::Speed(60.0)), end);
    assert!(!s.board.read().unwrap().clock.clock.running());
}
