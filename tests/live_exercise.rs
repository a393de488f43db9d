//! The bundled live scenario played through the engine's live API by scripted teams, a
//! facilitator and an evaluator: the scorecard judges the teams' messages by the same norm rules
//! and latency chains as bots', the evaluator's ratings feed the objectives, and `ttx report` and
//! `ttx score` work on the exercise directory.

mod common;
use common::*;
use ttx_scenario::{
    Draft, Message, MessageKind, Move, Name, PocLevel, Scenario, Trace, TraceEvent,
};
use ttx_scoring::latency::Step;
use ttx_scoring::norms::VerdictStatus;
use ttx_scoring::objectives::ExpStatus;
use ttx_sim::Simulation;
use ttx_sim::live::{Action, JournalEntry, LiveRun, Rating, replay};

const SCENARIO: &str = "live-hospital-ransomware";
/// A seed whose simulated detection comes within hours, so the scripted teams act before the
/// press story's scheduled time (T+1d) and the facilitator can still release it early, and whose
/// bot partner (Cordovia) answers in time for every expectation to succeed.
const SEED: u64 = 8;

/// A live exercise being played, with its journal.
struct Table {
    run: LiveRun,
    journal: Vec<JournalEntry>,
}

impl Table {
    fn act(&mut self, action: Action) {
        self.run
            .submit(&action)
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        self.journal.push(JournalEntry {
            t: self.run.now(),
            action,
        });
    }

    /// Advances ten minutes at a time until `find` matches a message that reached its receiver.
    fn wait_for(&mut self, find: impl Fn(&Message) -> bool) -> Message {
        loop {
            let delivered: Vec<ttx_scenario::Name> = self
                .run
                .records()
                .iter()
                .filter_map(|r| match &r.event {
                    TraceEvent::MessageDelivered { msg, .. } => Some(*msg),
                    _ => None,
                })
                .collect();
            let hit = self.run.records().iter().find_map(|r| match &r.event {
                TraceEvent::MessageSent(m) if find(m) && delivered.contains(&m.msg) => {
                    Some((**m).clone())
                }
                _ => None,
            });
            if let Some(m) = hit {
                return m;
            }
            assert!(self.run.now() < self.run.end_time(), "never arrived");
            self.run.advance_to(self.run.now() + 600);
        }
    }

    fn wait(&mut self, span: i64) {
        self.run.advance_to(self.run.now() + span);
    }
}

fn send(by: &str, kind: MessageKind, to: &str, edit: impl FnOnce(&mut Draft)) -> Action {
    let mut message = Draft::new(kind, to);
    edit(&mut message);
    Action::Move(Move {
        by: by.into(),
        message,
    })
}

fn scenario() -> Scenario {
    ttx_scenario::library::find(SCENARIO)
        .unwrap()
        .load()
        .unwrap()
}

/// The teams play the exercise well; `acknowledge` false leaves Borealia silent.
fn play(acknowledge: bool) -> (Trace, Vec<JournalEntry>) {
    let sim = Simulation::new(&scenario()).unwrap();
    let mut table = Table {
        run: LiveRun::start(&sim, SEED),
        journal: Vec::new(),
    };
    // The communication check reaches both teams' technical PoCs; they answer it.
    for team in ["aurelia", "borealia"] {
        let ping = table.wait_for(|m| m.kind == MessageKind::Ping && m.to == team);
        table.wait(300);
        table.act(send(team, MessageKind::PingReply, "control", |d| {
            d.refers_to = Some(ping.msg.to_string())
        }));
    }
    // Aurelia's CERT detects the attack (simulated latency); the team notifies Borealia.
    while !table
        .run
        .records()
        .iter()
        .any(|r| matches!(&r.event, TraceEvent::Detected { state, .. } if state == "aurelia"))
    {
        table.wait(600);
    }
    table.wait(1800);
    table.act(Action::Note {
        state: "aurelia".into(),
        text: "Notify Borealia before any public line; ask Cordovia for forensics.".into(),
        decision: true,
    });
    table.act(send(
        "aurelia",
        MessageKind::IncidentNotification,
        "borealia",
        |d| {
            d.about = Some("inc-1".into());
            d.level = Some(PocLevel::Technical);
            d.text = "Ransomware on our hospital network from servers in your territory.".into();
        },
    ));
    table.act(send(
        "aurelia",
        MessageKind::AssistanceRequest,
        "cordovia",
        |d| {
            d.about = Some("inc-1".into());
            d.text = "Forensic support for the hospital network within 24 hours.".into();
        },
    ));
    let note = table.wait_for(|m| m.kind == MessageKind::IncidentNotification);
    if acknowledge {
        table.wait(1200);
        table.act(Action::Note {
            state: "borealia".into(),
            text: "Acknowledge at once; police to seize the servers.".into(),
            decision: true,
        });
        table.act(send(
            "borealia",
            MessageKind::Acknowledgement,
            "aurelia",
            |d| {
                d.refers_to = Some(note.msg.to_string());
                d.text = "Received; our national police will act. Contact: duty officer.".into();
            },
        ));
        table.wait(3 * 3600);
        table.act(send(
            "borealia",
            MessageKind::MitigationReport,
            "aurelia",
            |d| d.about = Some("inc-1".into()),
        ));
    }
    table.act(Action::Note {
        state: "borealia".into(),
        text: "Private: the minister is worried about the press.".into(),
        decision: false,
    });
    // The evaluator rates what the trace cannot decide; the facilitator raises the pressure.
    table.act(Action::Rate {
        expectation: "j1".into(),
        rating: if acknowledge {
            Rating::Success
        } else {
            Rating::Failed
        },
        comment: "named the duty officer".into(),
        by: "evaluator 1".into(),
    });
    table.act(Action::Observe {
        text: "Aurelia notified before it briefed its minister.".into(),
        record: Some(3),
        by: "evaluator 1".into(),
    });
    table.act(Action::ReleaseInject {
        inject: "press".into(),
    });
    table.run.advance_to(table.run.end_time());
    (table.run.finish(), table.journal)
}

#[test]
fn the_teams_are_judged_by_the_rules_bots_are_judged_by() {
    let sc = scenario();
    let (trace, journal) = play(true);
    let card = ttx_scoring::score(&sc, &trace);
    let status = |id: &str| {
        card.objectives
            .expectations
            .iter()
            .find(|e| e.id == id)
            .unwrap()
            .status
    };
    for id in ["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "j1"] {
        assert_eq!(status(id), ExpStatus::Success, "{id}");
    }
    assert_eq!(status("j2"), ExpStatus::NeedsEvaluator);
    // Norm c for the team that acknowledged and mitigated, from the team's own messages.
    let c = &card.norms[&Name::new("borealia")][&Name::new("c")];
    assert_eq!(c.status, VerdictStatus::Fulfilled, "{c:?}");
    // The acknowledgement latency and the PoC check replies are measured as for bots.
    let by_team = |step: Step, actor: &str| {
        let item = card
            .latency
            .items
            .iter()
            .find(|i| i.step == step && i.actor == actor)
            .unwrap_or_else(|| panic!("no {step:?} item for {actor}"));
        let answer = &trace.records[item.to_n.expect("answered") as usize - 1];
        match &answer.event {
            TraceEvent::MessageSent(m) => assert_eq!(m.from, actor),
            other => panic!("{other:?}"),
        }
        assert!(answer.t > item.from_t);
    };
    by_team(Step::NotifyToAcknowledge, "borealia");
    for team in ["aurelia", "borealia"] {
        by_team(Step::PingToReply, team);
    }
    let latency = |step: Step, actor: &str| {
        card.latency
            .items
            .iter()
            .find(|i| i.step == step && i.actor == actor)
            .and_then(|i| Some(i.to_t? - i.from_t))
    };
    // The bot partner answered the team's request for assistance.
    assert!(latency(Step::RequestToAnswer, "cordovia").is_some());
    // The trace is the journal's: replaying it gives the same bytes.
    let sim = Simulation::new(&sc).unwrap();
    assert_eq!(
        replay(&sim, SEED, &journal, trace.header.duration).to_jsonl(),
        trace.to_jsonl()
    );

    // A silent Borealia team breaches norm c as a silent bot would.
    let (silent, _) = play(false);
    let card = ttx_scoring::score(&sc, &silent);
    assert_eq!(
        card.norms[&Name::new("borealia")][&Name::new("c")].status,
        VerdictStatus::Violated
    );
    let j1 = card.objectives.expectations.iter().find(|e| e.id == "j1");
    assert_eq!(j1.unwrap().status, ExpStatus::Failed);
}

#[test]
fn the_exercise_directory_is_scored_and_reported() {
    let (trace, _) = play(true);
    let dir = exercise_dir("live-exercise", &trace);
    let trace_path = dir.path().join("trace.jsonl");
    let score = ttx(&["score", trace_path.to_str().unwrap()]);
    assert!(score.status.success(), "{}", stderr(&score));
    assert!(
        stdout(&score).contains("NEEDS EVALUATOR"),
        "{}",
        stdout(&score)
    );
    let report = ttx(&["report", dir.path().to_str().unwrap()]);
    assert!(report.status.success(), "{}", stderr(&report));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    for expected in [
        "After-action report · live exercise",
        "Who played",
        "bot (doctrine cooperative)",
        "control cell",
        "Decision log",
        "Acknowledge at once; police to seize the servers.",
        "Private: the minister is worried about the press.",
        "rated SUCCESS by evaluator 1",
        "Aurelia notified before it briefed its minister.",
        "released press early",
        "Improvement plan",
    ] {
        assert!(html.contains(expected), "report lacks {expected:?}");
    }
    // A decision note is in the decision log, a private note among the notes.
    let log = html.find("<h4>Decision log</h4>").unwrap();
    let notes = html.find("<h4>Notes</h4>").unwrap();
    let private = html.rfind("Private: the minister").unwrap();
    assert!(log < notes && notes < private);
    // The Markdown report has the same live sections.
    let md = ttx(&["report", dir.path().to_str().unwrap(), "--format", "md"]);
    assert!(md.status.success(), "{}", stderr(&md));
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    for expected in [
        "## Who played",
        "| borealia | team |",
        "### borealia",
        "Acknowledge at once; police to seize the servers.",
        "rated SUCCESS by evaluator 1",
        "Aurelia notified before it briefed its minister.",
    ] {
        assert!(md.contains(expected), "report.md lacks {expected:?}\n{md}");
    }
}

/// Writes a live exercise directory as the server does at the end: trace and scenario.
fn exercise_dir(name: &str, trace: &Trace) -> TempDir {
    let dir = TempDir::new(name);
    std::fs::write(dir.path().join("trace.jsonl"), trace.to_jsonl()).unwrap();
    std::fs::write(
        dir.path().join("scenario.ron"),
        ttx_scenario::to_ron(&scenario()),
    )
    .unwrap();
    dir
}

#[test]
fn compare_plays_the_exercise_again_with_bots_in_the_teams_place() {
    let (trace, _) = play(true);
    let dir = exercise_dir("live-compare", &trace);
    let d = dir.path().to_str().unwrap();
    let o = ttx(&["compare", d, "--runs", "12", "-j", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("TEAMS (aurelia, borealia) AGAINST BOTS"),
        "{text}"
    );
    let versus: Vec<ttx::batch::versus::Versus> = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("bots/versus.json")).unwrap(),
    )
    .unwrap();
    let row = |m: &str| versus.iter().find(|v| v.metric == m).unwrap();
    // The teams answered the PoC check; bots in their place are judged on the same metric.
    assert_eq!(row("norm:borealia:c").teams, 1.0);
    assert!(row("norm:borealia:c").bots_n > 0);
    for v in &versus {
        assert!(v.bots_n <= 12);
        if let Some((lo, hi)) = v.bots_ci {
            assert!(lo <= v.bots_mean && v.bots_mean <= hi, "{v:?}");
        }
    }
    // The bots' scenario: teams replaced by bots, the control cell's state still its own.
    let bots = std::fs::read_to_string(dir.path().join("bots/scenario.ron")).unwrap();
    assert!(!bots.contains("Human"), "{bots}");
    assert!(bots.contains("control: Control"), "{bots}");
    assert!(dir.path().join("bots/report.html").is_file());
    // Deterministic: the same comparison gives the same numbers.
    let again = TempDir::new("live-compare-again");
    let out = again.path().join("bots");
    let o = ttx(&[
        "compare",
        d,
        "--runs",
        "12",
        "-j",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.join("versus.csv")).unwrap(),
        std::fs::read(dir.path().join("bots/versus.csv")).unwrap()
    );
}

#[test]
fn compare_refuses_a_directory_without_teams() {
    let dir = TempDir::new("live-compare-bots");
    run_into(dir.path(), "hospital-ransomware", 1);
    let o = ttx(&["compare", dir.path().to_str().unwrap(), "--runs", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no state of its scenario is `control: Human`"),
        "{}",
        stderr(&o)
    );
}

/// An incident the facilitator writes during the exercise is not in the scenario file: the trace
/// carries it, and scoring, the report and the comparison take it in their stride.
#[test]
fn an_ad_hoc_incident_is_scored_and_reported() {
    let sim = Simulation::new(&scenario()).unwrap();
    let mut run = LiveRun::start(&sim, 2);
    run.advance_to(3 * 3600);
    let inject = second_wave();
    run.submit(&Action::AddInject(inject)).unwrap();
    run.advance_to(run.end_time());
    let trace = run.finish();
    assert!(trace.records.iter().any(|r| matches!(
        &r.event,
        TraceEvent::IncidentStarted { incident, .. } if incident == "inc-2"
    )));
    let dir = exercise_dir("live-adhoc", &trace);
    let d = dir.path().to_str().unwrap();
    let trace_path = dir.path().join("trace.jsonl");
    for args in [
        vec!["score", trace_path.to_str().unwrap()],
        vec!["report", d],
        vec!["compare", d, "--runs", "3", "-j", "1"],
    ] {
        let o = ttx(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("added adhoc-1 (incident): A second wave hits the grid."));
}

/// The facilitator's ad-hoc incident: a second wave on Aurelia's grid.
fn second_wave() -> ttx_scenario::Inject {
    ttx_scenario::Inject {
        id: None,
        at: None,
        when: None,
        repeat: None,
        event: ttx_scenario::Event::Incident {
            id: "inc-2".into(),
            target: "aurelia-grid".into(),
            by: "lockbit-like".into(),
            territory: None,
            technique: ttx_scenario::Technique::Wiper,
            rsit: "malicious-code".into(),
            severity: 3,
            exploits: None,
            indicators: Vec::new(),
        },
        note: "A second wave hits the grid.".into(),
        planner: Default::default(),
    }
}

/// When each inject first fired in `trace`.
fn fired(trace: &str) -> std::collections::BTreeMap<String, i64> {
    let mut out = std::collections::BTreeMap::new();
    for line in trace.lines().skip(1) {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        if r["type"] == "inject_fired" {
            out.entry(r["inject"].as_str().unwrap().to_string())
                .or_insert(r["t"].as_i64().unwrap());
        }
    }
    out
}

/// The bots face the exercise the teams faced: the facilitator's ad-hoc inject and early
/// release fire in the bots' runs when they fired in the exercise.
#[test]
fn compare_replays_the_facilitators_injects_for_the_bots() {
    let sim = Simulation::new(&scenario()).unwrap();
    let mut run = LiveRun::start(&sim, 2);
    run.advance_to(3 * 3600);
    run.submit(&Action::AddInject(second_wave())).unwrap();
    run.advance_to(5 * 3600);
    run.submit(&Action::ReleaseInject {
        inject: "press".into(),
    })
    .unwrap();
    run.advance_to(run.end_time());
    let trace = run.finish();
    let dir = exercise_dir("live-compare-replay", &trace);
    let d = dir.path().to_str().unwrap();
    let o = ttx(&["compare", d, "--runs", "2", "-j", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("faced the facilitator's 2 early releases and ad-hoc injects"),
        "{}",
        stdout(&o)
    );
    let live = fired(&trace.to_jsonl());
    assert_eq!(live.get("adhoc-1"), Some(&(3 * 3600 + 1)), "{live:?}");
    assert_eq!(live.get("press"), Some(&(5 * 3600 + 1)), "{live:?}");
    // A bot run of the bots' scenario.
    let out = TempDir::new("live-compare-replay-run");
    let bots = dir.path().join("bots/scenario.ron");
    let o = ttx(&[
        "run",
        bots.to_str().unwrap(),
        "--seed",
        "7",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bot_trace = std::fs::read_to_string(out.path().join("trace.jsonl")).unwrap();
    let bot = fired(&bot_trace);
    for inject in ["adhoc-1", "press"] {
        assert_eq!(bot.get(inject), live.get(inject), "{inject}: {bot:?}");
    }
    assert!(
        bot_trace.contains("\"incident\":\"inc-2\""),
        "the ad-hoc incident happens to the bots too"
    );
}
