//! The scorecard as a whole: its stable JSON shape, determinism, warnings, and the service-hours
//! lost that the batch runner reads.

mod common;
use common::*;
use ttx_scenario::{Name, Trace, TraceEvent};
use ttx_scoring::{FORMAT, Scorecard, score};

fn busy_trace() -> (ttx_scenario::Scenario, Trace) {
    let sc = base();
    let mut b = Tb::new(&sc);
    b.hospital_incident();
    b.infra(H, "hospital", Infra::Disrupted);
    b.detected(2 * H, "inc-1", "aurelia");
    let note = b.send(
        3 * H,
        poc(K::IncidentNotification, "aurelia", "borealia", TECH).about("inc-1"),
    );
    b.send(
        4 * H,
        poc(K::Acknowledgement, "borealia", "aurelia", TECH).re(&note),
    );
    let p = b.send(
        5 * H,
        poc(K::Ping, "control", "cordovia", TECH).about("ping-1"),
    );
    b.send(6 * H, poc(K::PingReply, "cordovia", "control", TECH).re(&p));
    b.ended(20 * H, "inc-1", "aurelia", End::Contained);
    b.infra(30 * H, "hospital", Infra::Restored);
    (sc, b.finish())
}

#[test]
fn json_shape_starts_with_format_and_round_trips() {
    let (sc, trace) = busy_trace();
    let card = score(&sc, &trace);
    let json = serde_json::to_string(&card).unwrap();
    assert!(json.starts_with(&format!(
        r#"{{"format":"{FORMAT}","scenario":"unit","scenario_hash":"sha256:"#
    )));
    assert_eq!((card.seed, card.duration_hours), (7, 120.0));
    assert_eq!(card.states, vec!["aurelia", "borealia", "cordovia"]);
    let back: Scorecard = serde_json::from_str(&json).unwrap();
    assert_eq!(back, card);
    // Norm verdicts are keyed by state then by lower-case letter; n/a is spelled "n/a".
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["norms"]["cordovia"]["c"]["status"], "n/a");
    assert_eq!(v["norms"]["borealia"]["c"]["status"], "violated");
    assert_eq!(v["latency"]["steps"][2]["step"], "notify_to_acknowledge");
    assert_eq!(
        v["latency"]["steps"][7]["by_level"]["Technical"]["count"],
        1
    );
    assert!(card.warnings.is_empty(), "{:?}", card.warnings);
}

#[test]
fn scoring_is_deterministic() {
    let (sc, trace) = busy_trace();
    let a = serde_json::to_string(&score(&sc, &trace)).unwrap();
    let b = serde_json::to_string(&score(&sc, &trace)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn warnings_name_what_could_not_be_judged() {
    let (sc, mut trace) = busy_trace();
    trace.header.scenario_hash = "sha256:other".into();
    // An attribution naming no incident cannot be checked against ground truth.
    let mut blame = public(K::PublicStatement, "aurelia", "borealia").attributes("borealia", 0.9);
    blame.msg = "m99".into();
    let end = trace.records.pop().unwrap();
    let n = trace.records.len() as u32 + 1;
    trace.records.push(ttx_scenario::Record {
        n,
        t: 100 * H,
        event: TraceEvent::MessageSent(Box::new(blame)),
    });
    trace.records.push(ttx_scenario::Record {
        n: n + 1,
        t: end.t,
        event: TraceEvent::End { records: n + 1 },
    });
    let card = score(&sc, &trace);
    assert_eq!(card.warnings.len(), 2, "{:?}", card.warnings);
    assert!(card.warnings[0].contains("differs from the scenario given for scoring"));
    assert!(card.warnings[1].contains("names no known incident"));
    assert!(card.escalation.misattributions.is_empty());
}

#[test]
fn service_hours_lost_weigh_degraded_hours_half() {
    let sc = base();
    let mut b = Tb::new(&sc);
    b.infra(2 * H, "grid", Infra::Disrupted);
    b.infra(3 * H, "clinic", Infra::Degraded);
    b.infra(4 * H, "grid", Infra::Degraded);
    b.infra(6 * H, "grid", Infra::Restored);
    let s = score(&sc, &b.finish()).service;
    // grid: 2h disrupted + 2h degraded = 3 service-hours; clinic degraded from T+3h to the end
    // (T+120h): 117h × ½ = 58.5.
    assert_eq!(s.by_infra[&Name::new("grid")].service_hours_lost, 3.0);
    assert_eq!(s.by_infra[&Name::new("grid")].disrupted_hours, 2.0);
    assert_eq!(s.by_infra[&Name::new("grid")].degraded_hours, 2.0);
    assert_eq!(s.by_infra[&Name::new("clinic")].service_hours_lost, 58.5);
    assert_eq!(s.by_infra[&Name::new("hospital")].service_hours_lost, 0.0);
    assert_eq!(s.total_service_hours_lost, 61.5);
    assert_eq!(
        s.by_infra.len(),
        5,
        "every scenario infrastructure is listed"
    );
}
