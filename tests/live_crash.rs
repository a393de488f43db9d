//! Nothing lost: a scripted exercise is played against a real `ttx serve`, killed with SIGKILL
//! at random moments (at least 20 times) and resumed with `--resume` each time. The script's
//! client retries what it did not hear acknowledged (with the same client id, so nothing is
//! applied twice). At the end every action the client saw acknowledged is in the trace, and
//! the trace is byte for byte the one of the same script played without interruption.

mod common;
mod live;

use common::TempDir;
use live::{Server, request};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// One step of the script: who posts what where.
struct Step {
    role: &'static str,
    path: String,
    body: Value,
}

fn script() -> Vec<Step> {
    let mut steps = vec![Step {
        role: "facilitator",
        path: "/console/clock".into(),
        body: json!({"do": "start", "running": false}),
    }];
    let mut t = 0;
    for i in 0..48 {
        t += 900 + 300 * (i % 3);
        steps.push(Step {
            role: "facilitator",
            path: "/console/clock".into(),
            body: json!({"do": "advance", "to": t}),
        });
        let (role, path, body) = match i % 6 {
            0 => (
                "team aurelia",
                "/team/aurelia/move".to_string(),
                json!({"kind": "information_share", "to": "borealia", "about": "inc-1", "text": format!("ACT-{i} share")}),
            ),
            1 => (
                "team borealia",
                "/team/borealia/move".to_string(),
                json!({"kind": "information_request", "to": "aurelia", "about": "inc-1", "text": format!("ACT-{i} request")}),
            ),
            2 => (
                "team aurelia",
                "/team/aurelia/note".to_string(),
                json!({"text": format!("ACT-{i} note"), "decision": i % 4 == 2}),
            ),
            3 => (
                "evaluator",
                "/evaluator/observe".to_string(),
                json!({"text": format!("ACT-{i} observation"), "by": "eve"}),
            ),
            4 => (
                "facilitator",
                "/console/inject".to_string(),
                json!({"to": ["aurelia", "borealia"], "text": format!("ACT-{i} control cell message")}),
            ),
            _ => (
                "team borealia",
                "/team/borealia/move".to_string(),
                json!({"kind": "public_statement", "to": "public", "text": format!("ACT-{i} statement")}),
            ),
        };
        steps.push(Step { role, path, body });
    }
    steps.push(Step {
        role: "facilitator",
        path: "/console/clock".into(),
        body: json!({"do": "advance", "to": t + 3600}),
    });
    for (i, s) in steps.iter_mut().enumerate() {
        s.body["client"] = json!(format!("step-{i}"));
    }
    steps
}

/// Joins every role of a (re)started server.
fn cookies(server: &Server) -> Option<Vec<(String, String)>> {
    ["facilitator", "team aurelia", "team borealia", "evaluator"]
        .iter()
        .map(|r| Some((r.to_string(), server.try_join(r)?)))
        .collect()
}

fn cookie<'a>(cs: &'a [(String, String)], role: &str) -> &'a str {
    &cs.iter().find(|(r, _)| r == role).unwrap().1
}

/// Plays steps from `from` until done or the server dies; returns the next step to play and
/// the texts of acknowledged actions.
fn play(server: &Server, steps: &[Step], from: usize, acked: &mut Vec<String>) -> usize {
    let Some(cs) = cookies(server) else {
        return from;
    };
    for (i, step) in steps.iter().enumerate().skip(from) {
        let body = step.body.to_string();
        match request(
            &server.addr,
            "POST",
            &step.path,
            Some(cookie(&cs, step.role)),
            Some(&body),
        ) {
            Ok(r) if r.status == 200 => {
                if let Some(text) = step.body.get("text").and_then(Value::as_str) {
                    acked.push(text.to_string());
                }
            }
            Ok(r) => panic!(
                "step {i} ({} {}) refused: {} {}",
                step.role, step.path, r.status, r.body
            ),
            Err(_) => return i,
        }
    }
    steps.len()
}

fn end(server: &Server, dir: &Path) -> String {
    let fac = server.join("facilitator");
    let r = request(&server.addr, "POST", "/console/end", Some(&fac), Some("{}")).unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    std::fs::read_to_string(dir.join("trace.jsonl")).unwrap()
}

/// A small deterministic generator for the kill moments (no dependency needed).
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn killed_at_random_moments_and_resumed_the_exercise_loses_nothing() {
    let tmp = TempDir::new("live-crash");
    let args = |dir: &Path| {
        vec![
            "hospital-ransomware".to_string(),
            "--human".into(),
            "aurelia,borealia".into(),
            "--seed".into(),
            "7".into(),
            "--dir".into(),
            dir.to_str().unwrap().to_string(),
        ]
    };
    let steps = script();

    // Uninterrupted.
    let calm = tmp.path().join("calm");
    let a = args(&calm);
    let server = Server::start(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let mut acked = Vec::new();
    assert_eq!(play(&server, &steps, 0, &mut acked), steps.len());
    let reference = end(&server, &calm);
    drop(server);

    // Killed and resumed.
    let rough = tmp.path().join("rough");
    let a = args(&rough);
    let mut server = Server::start(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let mut acked = Vec::new();
    let mut at = 0;
    let mut kills = 0;
    let mut interrupted = 0;
    let mut progress = Vec::new();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    // Until 20 kills have landed mid-script: how many steps a life plays before its kill depends
    // on the machine's load, so the count of kills is not fixed (capped, so a server that never
    // dies mid-script still fails below).
    while interrupted < 20 && kills < 100 {
        // Kill while the client is in the middle of the script, at a random moment.
        let delay = Duration::from_micros(next(&mut rng) % 10_000);
        let pid = server.child.id();
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            // SIGKILL: no chance to flush or clean up.
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        });
        let from = at;
        at = play(&server, &steps, at, &mut acked);
        killer.join().unwrap();
        if at < steps.len() {
            interrupted += 1;
        }
        progress.push((from, at));
        server.kill();
        kills += 1;
        server = Server::resume(&rough);
        if at == steps.len() {
            // Played to the end before the kill: start over the kills on a replay of the last
            // steps (all idempotent) so every kill still lands on a live server.
            at = steps
                .len()
                .saturating_sub(1 + (next(&mut rng) % 6) as usize);
        }
    }
    at = play(&server, &steps, at, &mut acked);
    assert_eq!(at, steps.len(), "the script finishes after the last resume");
    let trace = end(&server, &rough);
    for text in &acked {
        assert!(
            trace.contains(text.as_str()),
            "acknowledged action \"{text}\" is missing from the trace"
        );
    }
    assert!(
        acked.len() >= 48,
        "every action was acknowledged at least once"
    );
    eprintln!("steps played per life (from, to): {progress:?}");
    assert!(
        interrupted >= 20,
        "at least 20 kills landed in the middle of the script ({interrupted}): {progress:?}"
    );
    assert_eq!(
        trace, reference,
        "the resumed exercise's trace equals the uninterrupted one"
    );
}
