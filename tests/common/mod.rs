//! Helpers for end-to-end tests that run the real `ttx` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn ttx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .output()
        .expect("ttx runs")
}

pub fn ttx_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("ttx runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh, empty directory under the target directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub mod scripted;

// Traces of bundled scenarios, for the library tests.

use ttx_scenario::{Message, MessageKind, Scenario, Trace, TraceEvent, library};
use ttx_sim::Simulation;

pub fn scenario(name: &str) -> Scenario {
    library::find(name)
        .unwrap_or_else(|| panic!("{name} is not bundled"))
        .load()
        .unwrap_or_else(|d| panic!("{d}"))
}

/// One trace per seed, with its seed.
pub fn runs(name: &str, seeds: std::ops::Range<u64>) -> Vec<(u64, Trace)> {
    let sim = Simulation::new(&scenario(name)).expect("bundled scenarios are valid");
    seeds.map(|s| (s, sim.run(s))).collect()
}

/// Every message sent, with the time it left.
pub fn sent(trace: &Trace) -> impl Iterator<Item = (i64, &Message)> {
    trace.records.iter().filter_map(|r| match &r.event {
        TraceEvent::MessageSent(m) => Some((r.t, m)),
        _ => None,
    })
}

pub fn sent_kind(trace: &Trace, kind: MessageKind) -> Vec<(i64, &Message)> {
    sent(trace).filter(|(_, m)| m.kind == kind).collect()
}

pub fn events(trace: &Trace) -> impl Iterator<Item = (i64, &TraceEvent)> {
    trace.records.iter().map(|r| (r.t, &r.event))
}

// ---------------------------------------------------------------------------------------------
// The library as a whole.
