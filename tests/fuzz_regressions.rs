//! Replays what the fuzzers check (`ttx::fuzzing`) on the seed inputs of every target and on
//! every input a fuzzer ever found (`tests/fuzz/<target>/`, one file each, named for what it
//! broke), so each finding stays fixed. See docs/testing.md for running the fuzzers.
//!
//! With `TTX_WRITE_FUZZ_SEEDS=DIR` set, the seeds are also written to `DIR/<target>/`: this is
//! how `fuzz/run` seeds its corpora, so the fuzzers always start from the current scenarios.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// A watchdog, not a speed test: an input that takes this long is a hang.
const LIMIT: Duration = Duration::from_secs(30);

fn regression_inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            let name = format!(
                "tests/fuzz/{target}/{}",
                p.file_name().unwrap().to_string_lossy()
            );
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Runs `check` on `input` in its own thread; the failure, if any, in words.
fn outcome(check: fn(&[u8]), input: Vec<u8>) -> Option<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| check(&input));
        let _ = tx.send(result.err().map(|p| {
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into())
        }));
    });
    match rx.recv_timeout(LIMIT) {
        Ok(failure) => failure,
        Err(_) => Some(format!("did not finish within {LIMIT:?}")),
    }
}

#[test]
fn every_seed_and_every_past_finding_keeps_its_promises() {
    let write_to = std::env::var_os("TTX_WRITE_FUZZ_SEEDS").map(PathBuf::from);
    let mut failures = Vec::new();
    let mut seen = 0;
    for &(target, check) in ttx::fuzzing::TARGETS {
        let seeds = ttx::fuzzing::seeds(target);
        assert!(!seeds.is_empty(), "{target} has seeds");
        if let Some(dir) = &write_to {
            let dir = dir.join(target);
            std::fs::create_dir_all(&dir).unwrap();
            for (name, bytes) in &seeds {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
        }
        let named_seeds = seeds
            .into_iter()
            .map(|(name, bytes)| (format!("seed {target}/{name}"), bytes));
        for (name, input) in named_seeds.chain(regression_inputs(target)) {
            seen += 1;
            if let Some(why) = outcome(check, input) {
                failures.push(format!("{name}: {why}"));
            }
        }
    }
    assert!(seen > 50, "{seen} inputs");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
