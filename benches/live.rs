//! The live exercise server under load: 50 team clients, each with its event stream open,
//! record actions (decision-log notes, committed to the SQLite journal with a full sync before
//! the answer) while the facilitator's stream watches. Criterion measures the time per action
//! with all 50 clients sending at once (actions per second = 50 / time of one round); the
//! latency from one client's action to its appearance on another client's stream (the
//! facilitator's) is measured over 1,000 actions and printed as median and p99.

#[path = "../tests/live/mod.rs"]
mod live;

use criterion::{Criterion, criterion_group, criterion_main};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};
use ttx_scenario::Control;

const TEAMS: usize = 50;

struct Bench {
    addr: String,
    teams: Vec<(String, String)>,
    facilitator: String,
    _dir: std::path::PathBuf,
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
        _dir: dir,
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
    for k in 0..20 {
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
        std::thread::sleep(Duration::from_millis(100));
        let seen = arrivals.lock().unwrap();
        for (tag, t0) in sent {
            if let Some((_, t1)) = seen.iter().find(|(t, _)| *t == tag) {
                latencies.push(t1.duration_since(t0));
            }
        }
    }
    latencies.sort();
    if !latencies.is_empty() {
        let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        eprintln!(
            "live: {} actions by {TEAMS} clients; action → another client's stream: median {:.1} ms, p99 {:.1} ms",
            latencies.len(),
            pct(0.5).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3
        );
    }
    let mut g = c.benchmark_group("live");
    g.sample_size(10);
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
