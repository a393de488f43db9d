//! Expectations (SUCCESS / PARTIAL / FAILED / PENDING), HSEEP ratings and MSEL coverage.

mod common;
use common::*;
use ttx_scoring::objectives::{ExpStatus, Rating, rate};
use ttx_scoring::score;

const EXERCISE: &str = r#"#![enable(implicit_some)]
Scenario(
    name: "objectives", start: "2026-01-05T00:00:00Z", duration: "5d",
    states: [
        State(id: "aurelia", pocs: [Poc(level: Technical), Poc(level: Diplomatic)]),
        State(id: "borealia", pocs: [Poc(level: Technical), Poc(level: Diplomatic)]),
        State(id: "cordovia", pocs: [Poc(level: Technical)]),
    ],
    infrastructure: [
        Infra(id: "hospital", state: "aurelia", sector: Health),
        Infra(id: "grid", state: "borealia", sector: Energy),
        Infra(id: "clinic", state: "borealia", sector: Health, depends_on: ["grid"]),
        Infra(id: "ward", state: "borealia", sector: Health, depends_on: ["clinic"]),
    ],
    actors: [ThreatActor(id: "gang", kind: Criminal, operates_from: "borealia")],
    injects: [
        Inject(id: "inj-1", at: "T+1h", event: Incident(id: "inc-1", target: "hospital", by: "gang", severity: 4)),
        Inject(id: "ping-1", at: "T+0", event: Ping(from: "cordovia")),
        Inject(id: "out-1", at: "T+2h", event: Outage(infra: "grid", duration: "10h")),
        Inject(id: "rumour", at: "T+1d", event: MediaReport(text: "rumour without an incident")),
        Inject(id: "note", at: "T+1d", event: Message(text: "context for players")),
    ],
    objectives: [
        Objective(id: "o1", title: "Detect and notify"),
        Objective(id: "o2", title: "Borealia acknowledges and acts"),
        Objective(id: "o3", title: "Cordovia helps"),
        Objective(id: "o4", title: "Restore and restraint"),
        Objective(id: "o5", title: "PoC check"),
    ],
    expectations: [
        Expect(id: "e1", actor: "aurelia", does: Detect(incident: "inc-1"), within: "24h", norm: G, objective: "o1"),
        Expect(id: "e2", actor: "aurelia", does: Notify(incident: "inc-1"), within: "2h", objective: "o1"),
        Expect(id: "e3", actor: "borealia", does: Acknowledge(incident: "inc-1"), within: "24h", norm: C, objective: "o2"),
        Expect(id: "e4", actor: "borealia", does: Mitigate(incident: "inc-1"), within: "10d", objective: "o2"),
        Expect(id: "e5", actor: "cordovia", does: OfferAssistance(incident: "inc-1"), within: "48h", objective: "o3"),
        Expect(id: "e6", actor: "borealia", does: Restore(infra: "ward"), within: "1d", objective: "o4"),
        Expect(id: "e7", actor: "aurelia", does: StayBelow(level: 5), norm: B, objective: "o4"),
        Expect(id: "e8", actor: "borealia", does: ReplyPing(ping: "ping-1"), by: "T+1h", norm: A, objective: "o5"),
    ],
)"#;

#[test]
fn expectations_rated_success_partial_failed_pending_with_evidence() {
    let sc = scenario(EXERCISE);
    let mut b = Tb::new(&sc);
    let ping = b.send(
        0,
        poc(K::Ping, "cordovia", "borealia", TECH).about("ping-1"),
    ); // 1, 2
    let reply = b.send(
        H / 2,
        poc(K::PingReply, "borealia", "cordovia", TECH).re(&ping),
    ); // 3, 4
    b.hospital_incident(); // 5
    let det = b.detected(2 * H, "inc-1", "aurelia"); // 6
    let down = b.infra(3 * H, "ward", Infra::Degraded); // 7
    let note = poc(K::IncidentNotification, "aurelia", "borealia", TECH).about("inc-1");
    let note = b.send(7 * H, note); // 8, 9
    let up = b.infra(12 * H, "ward", Infra::Restored); // 10
    let blame = public(K::PublicStatement, "aurelia", "borealia")
        .about("inc-1")
        .attributes("borealia", 0.9);
    let blame = b.send(50 * H, blame);
    let card = score(&sc, &b.finish());
    let e = |id: &str| {
        card.objectives
            .expectations
            .iter()
            .find(|x| x.id == id)
            .unwrap()
    };
    let status = |id: &str| (e(id).status, e(id).evidence.clone());
    assert_eq!(status("e1"), (ExpStatus::Success, vec![5, det]));
    assert_eq!(
        status("e2"),
        (ExpStatus::Partial, vec![det, note.n]),
        "5h after detection, 2h allowed"
    );
    let nd = note.delivered.unwrap();
    assert_eq!(status("e3"), (ExpStatus::Failed, vec![nd]));
    assert_eq!(e("e3").deadline_t, Some(7 * H + 24 * H));
    assert_eq!(
        status("e4"),
        (ExpStatus::Pending, vec![nd]),
        "deadline after the end"
    );
    assert_eq!(
        status("e5"),
        (ExpStatus::Pending, vec![]),
        "never triggered: nobody asked"
    );
    assert!(e("e5").reason.contains("never triggered"));
    assert_eq!(status("e6"), (ExpStatus::Success, vec![down, up]));
    assert_eq!(status("e7"), (ExpStatus::Failed, vec![blame.n]));
    assert_eq!(status("e8"), (ExpStatus::Success, vec![ping.n, reply.n]));
    assert_eq!(e("e3").norm.as_deref(), Some("c"));
    assert_eq!(e("e6").does, "restore ward");

    let ratings: Vec<(&str, Option<Rating>, Option<f64>)> = card
        .objectives
        .objectives
        .iter()
        .map(|o| (o.id.as_str(), o.rating, o.score))
        .collect();
    assert_eq!(
        ratings,
        vec![
            ("o1", Some(Rating::S), Some(0.75)),
            ("o2", Some(Rating::U), Some(0.0)),
            ("o3", None, None),
            ("o4", Some(Rating::M), Some(0.5)),
            ("o5", Some(Rating::P), Some(1.0)),
        ]
    );
    assert_eq!(card.objectives.objectives[1].pending, 1);
}

#[test]
fn stay_below_succeeds_without_a_step_at_that_level() {
    let sc = scenario(EXERCISE);
    let mut b = Tb::new(&sc);
    b.send(H, poc(K::Demarche, "aurelia", "borealia", DIPL));
    let card = score(&sc, &b.finish());
    let e7 = card
        .objectives
        .expectations
        .iter()
        .find(|x| x.id == "e7")
        .unwrap();
    assert_eq!(e7.status, ExpStatus::Success);
}

#[test]
fn hseep_rating_thresholds() {
    use ExpStatus::*;
    assert_eq!(
        rate(&[Success, Success, Pending]),
        (Some(Rating::P), Some(1.0))
    );
    assert_eq!(
        rate(&[Success, Success, Success, Failed]),
        (Some(Rating::S), Some(0.75))
    );
    assert_eq!(
        rate(&[Success, Partial, Failed]),
        (Some(Rating::M), Some(0.5))
    );
    assert_eq!(rate(&[Partial, Failed]), (Some(Rating::M), Some(0.25)));
    assert_eq!(
        rate(&[Partial, Failed, Failed]),
        (Some(Rating::U), Some(0.167))
    );
    assert_eq!(rate(&[Pending, Pending]), (None, None));
    assert_eq!(rate(&[]), (None, None));
}

#[test]
fn coverage_lists_injects_no_expectation_checks() {
    let sc = scenario(EXERCISE);
    let card = score(&sc, &Tb::new(&sc).finish());
    let c = &card.objectives.coverage;
    // inj-1 (incident, e1–e5), ping-1 (e8), out-1 (grid: ward depends on it through the clinic,
    // e6) are covered; the media report names no incident; the control message is not counted.
    assert_eq!((c.total, c.covered, c.ratio), (4, 3, Some(0.75)));
    assert_eq!(c.uncovered, vec!["rumour".to_string()]);
    let row = |id: &str| c.injects.iter().find(|i| i.inject == id).unwrap();
    assert_eq!(row("out-1").checked_by, vec!["e6".to_string()]);
    assert_eq!(row("ping-1").checked_by, vec!["e8".to_string()]);
    assert_eq!(row("inj-1").checked_by.len(), 5);
    assert!(!row("note").counted);
}

const JUDGED: &str = r#"#![enable(implicit_some)]
Scenario(
    name: "judged", start: "2026-01-05T00:00:00Z", duration: "1d",
    states: [State(id: "aurelia", control: Human), State(id: "borealia")],
    objectives: [Objective(id: "o1", title: "Brief and coordinate")],
    expectations: [
        Expect(id: "j1", actor: "aurelia", does: Judged("aurelia briefs its minister before going public"), objective: "o1"),
        Expect(id: "j2", actor: "aurelia", does: Judged("aurelia acknowledges through its technical PoC"), objective: "o1"),
        Expect(id: "stay", actor: "aurelia", does: StayBelow(level: 5), objective: "o1"),
    ],
)"#;

fn rating(
    expectation: &str,
    rating: ttx_scenario::live::Rating,
    by: &str,
) -> ttx_scenario::TraceEvent {
    ttx_scenario::TraceEvent::Rating {
        expectation: expectation.into(),
        rating,
        comment: "seen at the table".into(),
        by: by.into(),
    }
}

#[test]
fn free_text_expectations_need_an_evaluator_until_rated() {
    use ttx_scenario::live::Rating as R;
    let sc = scenario(JUDGED);
    let unrated = score(&sc, &Tb::new(&sc).finish());
    let e = &unrated.objectives.expectations;
    assert_eq!(e[0].status, ExpStatus::NeedsEvaluator);
    assert_eq!(e[0].does, "aurelia briefs its minister before going public");
    assert!(
        e[0].reason.contains("needs an evaluator"),
        "{}",
        e[0].reason
    );
    // Only what the trace decides counts: StayBelow is met, so P until someone rates.
    let o = &unrated.objectives.objectives[0];
    assert_eq!(
        (o.needs_evaluator, o.success, o.rating),
        (2, 1, Some(Rating::P))
    );

    let mut b = Tb::new(&sc);
    b.push(H, rating("j1", R::Failed, "evaluator 1"));
    let revised = b.push(2 * H, rating("j1", R::Success, "evaluator 1"));
    let partial = b.push(3 * H, rating("j2", R::Partial, "evaluator 2"));
    let card = score(&sc, &b.finish());
    let e = &card.objectives.expectations;
    // The latest rating stands, and it is the evidence.
    assert_eq!(
        (e[0].status, e[0].evidence.clone()),
        (ExpStatus::Success, vec![revised])
    );
    assert_eq!(
        (e[1].status, e[1].done_n),
        (ExpStatus::Partial, Some(partial))
    );
    assert!(
        e[1].reason.contains("PARTIAL by evaluator 2"),
        "{}",
        e[1].reason
    );
    // Ratings feed the HSEEP rating: 1, ½, 1 → S.
    let o = &card.objectives.objectives[0];
    assert_eq!(
        (o.needs_evaluator, o.partial, o.rating),
        (0, 1, Some(Rating::S))
    );
    let json = serde_json::to_string(&card).unwrap();
    assert!(!json.contains("needs_evaluator"), "left out when zero");
    assert!(
        serde_json::to_string(&unrated)
            .unwrap()
            .contains("NEEDS_EVALUATOR")
    );
}
