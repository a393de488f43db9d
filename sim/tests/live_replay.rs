//! The crash-recovery contract, as a property: whatever human, facilitator and evaluator actions
//! arrive at whatever times, and however the live clock ticks in between, replaying the journal
//! of accepted actions gives the live run's trace byte for byte.

use proptest::prelude::*;
use ttx_scenario::{
    Channel, Control, Draft, Expect, Inject, MeasureKind, MessageKind, Move, Offer, PocLevel,
    Scenario, Span,
};
use ttx_sim::Simulation;
use ttx_sim::live::{Action, JournalEntry, LiveRun, Rating, replay};

/// The default scenario with two human teams (aurelia, borealia), the control cell playing
/// delmara, cordovia a bot, and one expectation for an evaluator.
fn exercise() -> Scenario {
    let mut sc = ttx_scenario::library::find("hospital-ransomware")
        .unwrap()
        .load()
        .unwrap();
    for s in &mut sc.states {
        s.control = match s.id.as_str() {
            "aurelia" | "borealia" => Control::Human,
            "delmara" => Control::Control,
            _ => Control::Bot,
        };
    }
    sc.expectations.push(Expect {
        id: "j1".into(),
        actor: "borealia".into(),
        does: ttx_scenario::Action::Judged("borealia acknowledges in the agreed template".into()),
        within: None,
        by: None,
        norm: None,
        objective: Some("o2".into()),
        note: String::new(),
    });
    sc
}

fn mv(by: &str, kind: MessageKind, to: &str, edit: impl FnOnce(&mut Draft)) -> Action {
    let mut message = Draft::new(kind, to);
    message.about = Some("inc-1".into());
    edit(&mut message);
    Action::Move(Move {
        by: by.into(),
        message,
    })
}

/// One of the things people do in the exercise, chosen by `kind`, varied by `pick`. Most are
/// valid whenever they come; some (answering a message that may not exist yet, releasing an
/// inject that may have fired) are refused at times, as they would be live.
fn action(kind: u8, pick: u32) -> Action {
    let team = if pick.is_multiple_of(2) {
        "aurelia"
    } else {
        "borealia"
    };
    let other = if team == "aurelia" {
        "borealia"
    } else {
        "aurelia"
    };
    match kind {
        0 => mv(
            "aurelia",
            MessageKind::IncidentNotification,
            "borealia",
            |d| d.level = Some(PocLevel::Technical),
        ),
        1 => mv("borealia", MessageKind::Acknowledgement, "aurelia", |d| {
            d.answers = Some(MessageKind::IncidentNotification)
        }),
        2 => mv(team, MessageKind::AssistanceRequest, "cordovia", |_| {}),
        3 => mv("borealia", MessageKind::MitigationReport, "aurelia", |_| {}),
        4 => mv("aurelia", MessageKind::PublicStatement, "borealia", |d| {
            d.attributes_to = Some("borealia".into())
        }),
        5 => mv("borealia", MessageKind::AssistanceOffer, "aurelia", |d| {
            d.offer = Some(Offer {
                nature: "forensic support".into(),
                scope: "hospital network".into(),
                terms: "no cost".into(),
                timeframe: Span::hours(pick as i64 % 48 + 1),
            })
        }),
        6 => mv("delmara", MessageKind::InformationShare, team, |d| {
            d.via = Some(Channel::Cert)
        }),
        7 => mv(team, MessageKind::Acknowledgement, other, |d| {
            d.about = None;
            d.refers_to = Some(format!("m{}", pick % 40 + 1))
        }),
        8 => mv("borealia", MessageKind::Measure, "aurelia", |d| {
            d.measure = Some(MeasureKind::Sanctions)
        }),
        9 => Action::ReleaseInject {
            inject: ["inj-2", "inj-3"][pick as usize % 2].into(),
        },
        10 => Action::AddInject(Inject {
            id: None,
            at: None,
            when: None,
            repeat: None,
            event: ttx_scenario::Event::Message {
                to: vec![team.into()],
                text: format!("the minister asks for an update ({pick})"),
                via: None,
                level: None,
            },
            note: String::new(),
            planner: Default::default(),
        }),
        11 => Action::Rate {
            expectation: "j1".into(),
            rating: [Rating::Success, Rating::Partial, Rating::Failed][pick as usize % 3],
            comment: format!("rating {pick}"),
            by: "evaluator".into(),
        },
        12 => Action::Observe {
            text: format!("observation {pick}"),
            record: Some(pick % 60 + 1),
            by: "evaluator".into(),
        },
        _ => Action::Note {
            state: team.into(),
            text: format!("note {pick}"),
            decision: pick.is_multiple_of(3),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn replaying_the_journal_gives_the_live_trace(
        seed in 0u64..1000,
        steps in prop::collection::vec((0i64..6 * 3600, 0u8..14, 0u32..10_000, 1i64..5), 1..30),
        tail in 0i64..3 * 86_400,
    ) {
        let sim = Simulation::new(&exercise()).unwrap();
        let mut run = LiveRun::start(&sim, seed);
        let mut journal = Vec::new();
        let mut accepted = 0;
        for (gap, kind, pick, ticks) in steps {
            // The clock reaches the action's time in `ticks` uneven steps, as a server's would.
            let target = run.now() + gap;
            for k in 1..=ticks {
                run.advance_to(run.now() + (target - run.now()) * k / ticks);
            }
            let a = action(kind, pick);
            if run.submit(&a).is_ok() {
                accepted += 1;
                journal.push(JournalEntry { t: run.now(), action: a });
            }
        }
        let end = (run.now() + tail).min(run.end_time());
        run.advance_to(end);
        let live = run.finish().to_jsonl();
        // Through JSON, as the server's journal stores it.
        let stored = serde_json::to_string(&journal).unwrap();
        let journal: Vec<JournalEntry> = serde_json::from_str(&stored).unwrap();
        let again = replay(&sim, seed, &journal, end).to_jsonl();
        prop_assert_eq!(live, again, "{} actions accepted", accepted);
    }
}

/// The property is not vacuous: once the incident is known, nearly every kind of generated action
/// is accepted.
#[test]
fn the_generated_actions_are_mostly_valid() {
    let sim = Simulation::new(&exercise()).unwrap();
    let mut run = LiveRun::start(&sim, 1);
    run.advance_to(6 * 3600);
    let refused: Vec<String> = (0..14)
        .filter_map(|kind| {
            run.submit(&action(kind, 3))
                .err()
                .map(|e| format!("{kind}: {e}"))
        })
        .collect();
    assert!(refused.len() <= 2, "{refused:#?}");
}
