//! The live exercise server under load, as the issue asks: 50 team clients, each with its own
//! event stream open, send actions at once while the facilitator's stream watches.
//!
//! - **Actions per second held.** Criterion times a round in which all 50 clients send one
//!   action each and wait for its answer (throughput 50 elements per round). An action is a
//!   decision-log entry: like every action it goes through the engine, is committed to the
//!   SQLite journal with a full sync before the answer, and wakes all 51 streams, each of which
//!   filters the new record for its viewer. (A message a team sends leaves at the next second
//!   of exercise time and reaches another team only after its simulated delivery, which is
//!   exercise time, not server time; a note shows what the server itself costs.)
//! - **Latency.** From the moment a client posts an action to the moment it appears on another
//!   client's stream — the facilitator's, the one stream that sees every team's actions — over
//!   1,000 actions sent 50 at a time; printed as median, p99 and max, with any action that never
//!   appeared counted rather than dropped.
//!
//! `cargo bench --bench live` (add `-- --quick` while iterating).

#[path = "../tests/live/mod.rs"]
mod live;

use criterion::{Criterion, criterion_group, criterion_main};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};
use ttx_scenario::Control;

/// As the `ttx` binary, so that what is measured is what users run.
#[global_allocator]
static ALLOCATOR: ttx::MiMalloc = ttx::MiMalloc;

const TEAMS: usize = 50;
/// Rounds of the latency measurement: 20 × 50 = 1,000 actions.
const ROUNDS: usize = 20;

struct Bench {
    addr: String,
    teams: Vec<(String, String)>,
    facilitator: String,
    dir: std::path::PathBuf,
}

impl Drop for Bench {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn cookie_of(addr: &str, link: &str) -> String {
    let r = live::get(addr, link, None);
    r.header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

fn start() -> Bench {
    let mut sc = ttx_scenario::library::find("un-poc-directory")
        .unwrap()
        .load()
        .unwrap();
    for s in sc.states.iter_mut().take(TEAMS) {
        s.control = Control::Human;
    }
    let dir = std::env::temp_dir().join(format!("ttx-live-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ron = ttx_scenario::to_ron(&sc);
    let (tx, rx) = mpsc::channel();
    let d = dir.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let start = ttx_live::Start::New {
                scenario: Box::new(sc),
                scenario_ron: ron,
                seed: 1,
                ttx_version: "bench".into(),
            };
            let outputs: ttx_live::Outputs = Arc::new(|_, _, _| Ok(Vec::new()));
            let running =
                ttx_live::Running::open(&d, start, outputs, "127.0.0.1:0".parse().unwrap())
                    .await
                    .unwrap();
            let links = running.shared.links(&running.base());
            tx.send((running.addr.to_string(), links)).unwrap();
            running.serve().await.unwrap();
        });
    });
    let (addr, links) = rx.recv().unwrap();
    let path = |u: &str| u.split_once(&addr).unwrap().1.to_string();
    let mut teams = Vec::new();
    let mut facilitator = String::new();
    for (role, url) in links {
        let c = cookie_of(&addr, &path(&url));
        match role {
            ttx_live::roles::Role::Team(s) => teams.push((s, c)),
            ttx_live::roles::Role::Facilitator => facilitator = c,
            _ => {}
        }
    }
    let r = live::post(
        &addr,
        "/console/clock",
        Some(&facilitator),
        serde_json::json!({"do": "start", "running": false}),
    );
    assert_eq!(r.status, 200);
    Bench {
        addr,
        teams,
        facilitator,
        dir,
    }
}

/// Opens an event stream and calls `seen` with each data line as it arrives.
fn open_stream(addr: &str, path: &str, cookie: &str, seen: impl Fn(&str) + Send + 'static) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if line.starts_with("data:") {
                seen(&line);
            }
        }
    });
}

/// Every client sends one note at once; returns when all were acknowledged.
fn round(b: &Bench, tag: &str) {
    std::thread::scope(|scope| {
        for (state, cookie) in &b.teams {
            let addr = b.addr.clone();
            scope.spawn(move || {
                let body = serde_json::json!({"text": format!("{tag}-{state}")});
                let r = live::post(&addr, &format!("/team/{state}/note"), Some(cookie), body);
                assert_eq!(r.status, 200, "{}", r.body);
            });
        }
    });
}

fn bench(c: &mut Criterion) {
    let b = start();
    // Every team's stream stays open and is woken by every change, as in an exercise.
    for (state, cookie) in &b.teams {
        open_stream(&b.addr, &format!("/team/{state}/events"), cookie, |_| {});
    }
    // Latency: when each tagged note appears on the facilitator's stream.
    let arrivals: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let a = arrivals.clone();
    open_stream(&b.addr, "/console/events", &b.facilitator, move |line| {
        if let Some(i) = line.find("lat-") {
            let tag: String = line[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            a.lock().unwrap().push((tag, Instant::now()));
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    let mut latencies = Vec::new();
    let mut missing = 0;
    for k in 0..ROUNDS {
        let sent: Vec<(String, Instant)> = std::thread::scope(|scope| {
            let handles: Vec<_> = b
                .teams
                .iter()
                .map(|(state, cookie)| {
                    let addr = b.addr.clone();
                    scope.spawn(move || {
                        let tag = format!("lat-{k}-{state}");
                        let t0 = Instant::now();
                        let r = live::post(
                            &addr,
                            &format!("/team/{state}/note"),
                            Some(cookie),
                            serde_json::json!({"text": tag}),
                        );
                        assert_eq!(r.status, 200);
                        (tag, t0)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        // Wait for every action of the round to appear (or give up on it after 10 s), so a
        // slow arrival is measured, not left out.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let seen = arrivals.lock().unwrap();
            let all = sent
                .iter()
                .all(|(tag, _)| seen.iter().any(|(t, _)| t == tag));
            if all || Instant::now() >= deadline {
                for (tag, t0) in &sent {
                    match seen.iter().find(|(t, _)| t == tag) {
                        Some((_, t1)) => latencies.push(t1.duration_since(*t0)),
                        None => missing += 1,
                    }
                }
                break;
            }
            drop(seen);
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    latencies.sort();
    if !latencies.is_empty() {
        let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        eprintln!(
            "live: {} actions by {TEAMS} clients, {TEAMS} at a time; action → the facilitator's stream: median {:.1} ms, p99 {:.1} ms, max {:.1} ms; never appeared: {missing}",
            latencies.len(),
            ms(pct(0.5)),
            ms(pct(0.99)),
            ms(*latencies.last().unwrap()),
        );
    }
    let mut g = c.benchmark_group("live");
    g.sample_size(10);
    g.throughput(criterion::Throughput::Elements(TEAMS as u64));
    let mut n = 0u64;
    g.bench_function("50 clients, one action each (time per round)", |bench| {
        bench.iter(|| {
            n += 1;
            round(&b, &format!("round{n}"));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
