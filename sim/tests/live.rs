//! The live stepping API: a human-played state's doctrine decides nothing, teams' moves become
//! traffic bots answer, facilitator and evaluator actions become records, and replaying the
//! journal gives the live trace.

use ttx_scenario::{Draft, MessageKind, Move, Record, TraceEvent};
use ttx_sim::Simulation;
use ttx_sim::live::{Action, JournalEntry, LiveRun, Rating, replay};

const SCENARIO: &str = r#"
Scenario(
    name: "live-test",
    start: "2026-03-02T08:00:00Z",
    duration: "2d",
    states: [
        State(id: "aurelia", control: Human,
              cert: Cert(detect: Fixed("30m"), investigate: Fixed("1h"), contain: Fixed("1d"), accuracy: 1.0)),
        State(id: "borealia",
              cert: Cert(detect: Fixed("30m"), investigate: Fixed("1h"), contain: Fixed("1d"), accuracy: 1.0),
              pocs: [Poc(level: Technical, latency: Fixed("20m"), hours: "24/7")]),
        State(id: "cordovia", control: Control),
    ],
    infrastructure: [Infra(id: "aurelia-hospital", state: "aurelia", sector: Health, recovery: Fixed("12h"))],
    actors: [ThreatActor(id: "gang", kind: Criminal, operates_from: "borealia")],
    injects: [
        Inject(id: "attack", at: "T+1h", event: Incident(id: "inc-1", target: "aurelia-hospital", by: "gang", severity: 3)),
        Inject(id: "check", at: "T+6h", event: Ping(to: ["aurelia", "borealia"], levels: [Technical])),
        Inject(id: "leak", at: "T+1d", event: MediaReport(incident: "inc-1", claims: "borealia", text: "press names borealia")),
    ],
    expectations: [
        Expect(id: "ack", actor: "borealia", does: Acknowledge(incident: "inc-1"), within: "4h"),
        Expect(id: "brief", actor: "aurelia", does: Judged("aurelia briefs its minister before going public")),
    ],
)
"#;

fn sim() -> Simulation {
    let sc = ttx_scenario::load_str(SCENARIO, "live-test.ron").expect("valid test scenario");
    Simulation::new(&sc).unwrap()
}

fn sent(records: &[Record]) -> Vec<(i64, &ttx_scenario::Message)> {
    records
        .iter()
        .filter_map(|r| match &r.event {
            TraceEvent::MessageSent(m) => Some((r.t, &**m)),
            _ => None,
        })
        .collect()
}

fn team_move(by: &str, kind: MessageKind, to: &str, edit: impl FnOnce(&mut Draft)) -> Action {
    let mut message = Draft::new(kind, to);
    edit(&mut message);
    Action::Move(Move {
        by: by.into(),
        message,
    })
}

#[test]
fn a_live_run_without_actions_is_the_simulated_run() {
    for name in ["hospital-ransomware", "false-flag", "poc-ping-test"] {
        let sc = ttx_scenario::library::find(name).unwrap().load().unwrap();
        let sim = Simulation::new(&sc).unwrap();
        let mut run = LiveRun::start(&sim, 7);
        let mut seen = Vec::new();
        // An hour at a time, as a clock would tick, then a jump past the end.
        while run.now() < run.end_time() {
            seen.extend(run.advance_to(run.now() + 3600));
        }
        seen.extend(run.advance_to(run.end_time() + 10));
        assert_eq!(seen, run.records(), "{name}: every record returned once");
        let live = run.finish();
        assert_eq!(live.to_jsonl(), sim.run(7).to_jsonl(), "{name}");
    }
}

#[test]
fn a_human_played_state_decides_nothing_but_its_cert_works() {
    let sim = sim();
    let mut run = LiveRun::start(&sim, 1);
    run.advance_to(run.end_time());
    let trace = run.finish();
    let detected = trace.records.iter().any(|r| {
        matches!(&r.event, TraceEvent::Detected { incident, state } if incident == "inc-1" && state == "aurelia")
    });
    assert!(detected, "aurelia's CERT still detects");
    let contained = trace
        .records
        .iter()
        .any(|r| matches!(&r.event, TraceEvent::IncidentEnded { state, .. } if state == "aurelia"));
    assert!(contained, "aurelia's CERT still contains");
    let from: Vec<&str> = sent(&trace.records)
        .iter()
        .map(|(_, m)| m.from.as_str())
        .collect();
    assert!(
        !from.contains(&"aurelia"),
        "the team's state sends nothing on its own: {from:?}"
    );
    assert!(
        from.contains(&"borealia"),
        "the bot answers the ping: {from:?}"
    );
}

#[test]
fn a_team_move_leaves_the_next_second_and_the_bot_answers_it() {
    let sim = sim();
    let mut run = LiveRun::start(&sim, 1);
    run.advance_to(2 * 3600);
    let t = run.now();
    let out = run
        .submit(&team_move(
            "aurelia",
            MessageKind::IncidentNotification,
            "borealia",
            |d| d.about = Some("inc-1".into()),
        ))
        .unwrap();
    assert!(out.is_empty(), "the message is sent later: {out:?}");
    let next = run.advance_to(t + 1);
    let notes = sent(&next);
    assert_eq!(notes.len(), 1, "{next:?}");
    assert_eq!(notes[0].0, t + 1);
    assert_eq!(notes[0].1.from, "aurelia");
    let id = notes[0].1.msg;
    // The bot acknowledges the team's notification as it would a bot's.
    let later = run.advance_to(t + 6 * 3600);
    let ack = sent(&later).into_iter().find(|(_, m)| {
        m.kind == MessageKind::Acknowledgement
            && m.from == "borealia"
            && m.refers_to.as_deref() == Some(id.as_str())
    });
    assert!(ack.is_some(), "{later:#?}");
}

#[test]
fn a_team_answers_the_ping_drill_by_referring_to_the_ping() {
    let sim = sim();
    let mut run = LiveRun::start(&sim, 1);
    let records = run.advance_to(7 * 3600);
    let ping = sent(&records)
        .into_iter()
        .find(|(_, m)| m.kind == MessageKind::Ping && m.to == "aurelia")
        .expect("the ping reaches the team")
        .1
        .msg;
    run.submit(&team_move(
        "aurelia",
        MessageKind::PingReply,
        "control",
        |d| d.refers_to = Some(ping.to_string()),
    ))
    .unwrap();
    let next = run.advance_to(run.now() + 1);
    let reply = sent(&next)[0].1;
    assert_eq!(reply.kind, MessageKind::PingReply);
    assert_eq!(reply.refers_to.as_deref(), Some(ping.as_str()));
    assert_eq!(reply.level, Some(ttx_scenario::PocLevel::Technical));
}

#[test]
fn the_engine_refuses_what_makes_no_sense() {
    let sim = sim();
    let mut run = LiveRun::start(&sim, 1);
    run.advance_to(3 * 3600);
    let before = run.records().len();
    let refuse = |run: &mut LiveRun, a: Action| run.submit(&a).unwrap_err().to_string();

    let bot = refuse(
        &mut run,
        team_move("borealia", MessageKind::Acknowledgement, "aurelia", |_| {}),
    );
    assert!(bot.contains("played by its doctrine"), "{bot}");
    let typo = refuse(
        &mut run,
        team_move(
            "aurelia",
            MessageKind::IncidentNotification,
            "borelia",
            |_| {},
        ),
    );
    assert!(typo.contains("did you mean \"borealia\""), "{typo}");
    let unknown_msg = refuse(
        &mut run,
        team_move("aurelia", MessageKind::Acknowledgement, "borealia", |d| {
            d.refers_to = Some("m999".into())
        }),
    );
    assert!(unknown_msg.contains("no message m999"), "{unknown_msg}");
    let inject = refuse(
        &mut run,
        Action::ReleaseInject {
            inject: "lek".into(),
        },
    );
    assert!(inject.contains("did you mean \"leak\""), "{inject}");
    let fired = refuse(
        &mut run,
        Action::ReleaseInject {
            inject: "attack".into(),
        },
    );
    assert!(fired.contains("already fired"), "{fired}");
    let note = refuse(
        &mut run,
        Action::Note {
            state: "cordovia".into(),
            text: "x".into(),
            decision: false,
        },
    );
    assert!(note.contains("control cell"), "{note}");
    let rate = refuse(
        &mut run,
        Action::Rate {
            expectation: "akc".into(),
            rating: Rating::Success,
            comment: String::new(),
            by: "eval".into(),
        },
    );
    assert!(rate.contains("did you mean \"ack\""), "{rate}");
    let traced = refuse(
        &mut run,
        Action::Rate {
            expectation: "ack".into(),
            rating: Rating::Success,
            comment: String::new(),
            by: "eval".into(),
        },
    );
    assert!(traced.contains("judged from the trace"), "{traced}");
    assert_eq!(
        run.records().len(),
        before,
        "refused actions leave no trace"
    );
}

#[test]
fn a_released_inject_fires_now_and_not_again() {
    let sim = sim();
    let mut run = LiveRun::start(&sim, 1);
    run.advance_to(3 * 3600);
    assert_eq!(run.next_inject(), Some(6 * 3600));
    let release = Action::ReleaseInject {
        inject: "leak".into(),
    };
    run.submit(&release).unwrap();
    let again = run.submit(&release).unwrap_err();
    assert!(again.message.contains("already released"), "{again}");
    run.advance_to(run.end_time());
    let fired: Vec<i64> = run
        .records()
        .iter()
        .filter(|r| matches!(&r.event, TraceEvent::InjectFired { inject, .. } if inject == "leak"))
        .map(|r| r.t)
        .collect();
    assert_eq!(fired, vec![3 * 3600 + 1]);
    let msel = run.injects();
    let leak = msel.iter().find(|i| i.id == "leak").unwrap();
    assert_eq!(
        (leak.due, leak.released_at),
        (Some(86_400), Some(3 * 3600 + 1))
    );
}

#[test]
fn an_ad_hoc_inject_fires_now_and_appears_in_the_msel() {
    let sim = sim();
    let mut run = LiveRun::start(&sim, 1);
    run.advance_to(600);
    let inject: ttx_scenario::Inject = ron::from_str(
        r#"Inject(event: Message(to: ["aurelia"], text: "the minister wants a briefing"))"#,
    )
    .unwrap();
    let out = run.submit(&Action::AddInject(inject.clone())).unwrap();
    assert!(matches!(&out[0].event, TraceEvent::InjectAdded { .. }));
    let next = run.advance_to(601);
    assert!(next.iter().any(
        |r| matches!(&r.event, TraceEvent::InjectFired { inject, .. } if inject == "adhoc-1")
    ));
    let row = run.injects().into_iter().find(|i| i.ad_hoc).unwrap();
    assert_eq!(row.id, "adhoc-1");
    assert_eq!(row.to, vec!["aurelia".to_string()]);
    // A broken one is refused with the validator's words.
    let bad: ttx_scenario::Inject =
        ron::from_str(r#"Inject(event: Message(to: ["atlantis"], text: "x"))"#).unwrap();
    let err = run.submit(&Action::AddInject(bad)).unwrap_err();
    assert!(err.to_string().contains("atlantis"), "{err}");
}

fn journal() -> Vec<JournalEntry> {
    vec![
        JournalEntry {
            t: 2 * 3600,
            action: team_move(
                "aurelia",
                MessageKind::IncidentNotification,
                "borealia",
                |d| d.about = Some("inc-1".into()),
            ),
        },
        JournalEntry {
            t: 2 * 3600,
            action: Action::Note {
                state: "aurelia".into(),
                text: "we notify before attributing".into(),
                decision: true,
            },
        },
        JournalEntry {
            t: 5 * 3600,
            action: Action::ReleaseInject {
                inject: "leak".into(),
            },
        },
        JournalEntry {
            t: 8 * 3600,
            action: Action::Rate {
                expectation: "brief".into(),
                rating: Rating::Partial,
                comment: "acknowledged, not through the PoC".into(),
                by: "evaluator".into(),
            },
        },
        JournalEntry {
            t: 9 * 3600,
            action: Action::Observe {
                text: "the team waited for the ministry".into(),
                record: Some(3),
                by: "evaluator".into(),
            },
        },
    ]
}

#[test]
fn replaying_the_journal_gives_the_live_trace() {
    let sim = sim();
    let journal = journal();
    let mut run = LiveRun::start(&sim, 3);
    // The live clock ticks every ten minutes, acting in between.
    let mut pending = journal.iter().peekable();
    let end = 20 * 3600;
    while run.now() < end {
        while let Some(e) = pending.next_if(|e| e.t <= run.now()) {
            run.submit(&e.action).unwrap();
        }
        run.advance_to(run.now() + 600);
    }
    let live = run.finish();
    let again = replay(&sim, 3, &journal, end);
    assert_eq!(live.to_jsonl(), again.to_jsonl());
    assert_eq!(live.header.duration, end);
    for kind in [
        "\"note\"",
        "\"rating\"",
        "\"observation\"",
        "\"inject_released\"",
    ] {
        assert!(live.to_jsonl().contains(kind), "{kind}");
    }
    // And it reads back as a trace.
    ttx_scenario::Trace::from_jsonl(&live.to_jsonl()).unwrap();
}

#[test]
fn a_live_run_can_live_in_another_thread() {
    fn is_send<T: Send>() {}
    is_send::<LiveRun>();
    let sim = sim();
    let run = std::sync::Mutex::new(LiveRun::start(&sim, 1));
    std::thread::scope(|s| {
        s.spawn(|| run.lock().unwrap().advance_to(3600));
    });
    assert_eq!(run.lock().unwrap().now(), 3600);
}
