//! Escalation: dyad levels, peak, time at or above public attribution, the escalation index
//! computed by hand on a fixed trace, spirals and misattributions.

mod common;
use common::*;
use ttx_scenario::Trace;
use ttx_scoring::escalation::{LevelChange, Spiral};
use ttx_scoring::score;

/// Two days, three states. Ground truth: cordovia directed inc-1; aurelia will blame borealia.
const TRACE: &str = r#"{"type":"header","format":"ttx-trace/1","ttx_version":"test","scenario":"unit","scenario_hash":"sha256:test","seed":3,"start":"2026-01-05T00:00:00Z","duration":172800}
{"n":1,"t":0,"type":"incident_started","incident":"inc-1","target":"hospital","target_state":"aurelia","sector":"Health","by":"ember","actor_kind":"StateProxy","territory":"borealia","directed_by":"cordovia","technique":"Botnet","rsit":"availability","severity":4}
{"n":2,"t":3600,"type":"message_sent","msg":"m1","kind":"incident_notification","from":"aurelia","to":"borealia","channel":"poc","level":"Technical","tlp":"TLP:AMBER","step":1,"about":"inc-1"}
{"n":3,"t":7200,"type":"message_sent","msg":"m2","kind":"acknowledgement","from":"borealia","to":"aurelia","channel":"poc","level":"Technical","tlp":"TLP:AMBER","step":0,"refers_to":"m1","about":"inc-1"}
{"n":4,"t":10800,"type":"message_sent","msg":"m3","kind":"clarification_request","from":"aurelia","to":"borealia","channel":"poc","level":"Diplomatic","tlp":"TLP:AMBER+STRICT","step":2,"about":"inc-1"}
{"n":5,"t":20000,"type":"message_sent","msg":"m4","kind":"demarche","from":"borealia","to":"aurelia","channel":"poc","level":"Diplomatic","tlp":"TLP:AMBER+STRICT","step":3,"refers_to":"m3","about":"inc-1"}
{"n":6,"t":90000,"type":"message_sent","msg":"m5","kind":"public_statement","from":"aurelia","to":"borealia","channel":"public","tlp":"TLP:CLEAR","step":5,"about":"inc-1","attributes_to":"borealia","confidence":0.6}
{"n":7,"t":100000,"type":"message_sent","msg":"m6","kind":"measure","from":"borealia","to":"aurelia","channel":"public","tlp":"TLP:CLEAR","step":6,"about":"inc-1","measure":"sanctions"}
{"n":8,"t":110000,"type":"message_sent","msg":"m7","kind":"information_share","from":"cordovia","to":"aurelia","channel":"cert","tlp":"TLP:GREEN","step":0,"about":"inc-1"}
{"n":9,"t":120000,"type":"message_sent","msg":"m8","kind":"control","from":"control","to":"aurelia","channel":"control","tlp":"TLP:CLEAR","text":"allies ask for the evidence"}
{"n":10,"t":172800,"type":"end","records":10}
"#;

fn two_days(extra: &str) -> ttx_scenario::Scenario {
    scenario(&BASE.replace(r#"duration: "5d","#, &format!(r#"duration: "2d", {extra}"#)))
}

#[test]
fn escalation_index_matches_the_hand_computation() {
    let trace = Trace::from_jsonl(TRACE).unwrap();
    let card = score(&two_days(""), &trace);
    let e = &card.escalation;
    // Default weights: level 0 → −2, 1 → 0, 2 → 1, 3 → 2, 5 → 8, 6 → 12.
    // Day 0 (t < 86400): m1 (1) 0 + m2 (0) −2 + m3 (2) 1 + m4 (3) 2 = 1   → 1 / 3 states = 0.333
    // Day 1:             m5 (5) 8 + m6 (6) 12 + m7 (0) −2          = 18  → 18 / 3 = 6
    // The control message has no step and does not count.
    // Index = mean over the 2 days = (1 + 18) / 3 / 2 = 19 / 6 = 3.1667 → 3.167.
    assert_eq!(e.daily, vec![0.333, 6.0]);
    assert_eq!(e.index, 3.167);
    assert_eq!(
        e.weights,
        vec![-2.0, 0.0, 1.0, 2.0, 4.0, 8.0, 12.0, 20.0, 28.0, 60.0]
    );
}

#[test]
fn ladder_weights_are_overridden_by_the_scenario() {
    let trace = Trace::from_jsonl(TRACE).unwrap();
    let sc = two_days("scoring: Scoring(ladder: [LadderWeight(level: 0, weight: 0.0)]),");
    let e = score(&sc, &trace).escalation;
    // Cooperation now weighs 0: day 0 = 0 + 0 + 1 + 2 = 3, day 1 = 8 + 12 + 0 = 20;
    // index = 23 / 3 / 2 = 3.8333.
    assert_eq!(e.daily, vec![1.0, 6.667]);
    assert_eq!(e.index, 3.833);
    assert_eq!(e.weights[0], 0.0);
}

#[test]
fn dyads_peak_time_at_or_above_five_spirals_and_misattribution() {
    let trace = Trace::from_jsonl(TRACE).unwrap();
    let e = score(&two_days(""), &trace).escalation;
    let pairs: Vec<(&str, &str, u8)> = e
        .dyads
        .iter()
        .map(|d| (d.from.as_str(), d.to.as_str(), d.peak))
        .collect();
    // Cooperation alone (cordovia's information share) does not make a dyad.
    assert_eq!(
        pairs,
        vec![("aurelia", "borealia", 5), ("borealia", "aurelia", 6)]
    );
    let lc = |n, t, level| LevelChange { n, t, level };
    assert_eq!(
        e.dyads[0].series,
        vec![lc(2, 3600, 1), lc(4, 10800, 2), lc(6, 90000, 5)]
    );
    assert_eq!((e.peak, e.peak_n), (6, Some(7)));
    // From the attribution at t = 90000 to the end at 172800: 82800 s = 23h.
    assert_eq!(
        (e.at_or_above_5_from_n, e.hours_at_or_above_5),
        (Some(6), 23.0)
    );
    let sp = |first: &str, first_n, first_level, answer: &str, answer_n, answer_level| Spiral {
        first: first.into(),
        first_n,
        first_level,
        answer: answer.into(),
        answer_n,
        answer_level,
    };
    assert_eq!(
        e.spirals,
        vec![
            sp("aurelia", 4, 2, "borealia", 5, 3),
            sp("borealia", 5, 3, "aurelia", 6, 5),
            sp("aurelia", 6, 5, "borealia", 7, 6),
        ]
    );
    assert_eq!(e.misattributions.len(), 1);
    let m = &e.misattributions[0];
    assert_eq!((m.n, m.incident_n), (6, 1));
    assert_eq!(
        (m.by.as_str(), m.attributed_to.as_str()),
        ("aurelia", "borealia")
    );
    assert_eq!(m.directed_by.as_deref(), Some("cordovia"));
    assert!(e.correct_attributions.is_empty());
}

#[test]
fn a_calm_run_has_no_peak_and_a_negative_index() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let p = b.send(H, poc(K::Ping, "aurelia", "borealia", TECH));
    b.send(2 * H, poc(K::PingReply, "borealia", "aurelia", TECH).re(&p));
    let e = score(&sc, &b.finish()).escalation;
    assert_eq!((e.peak, e.peak_n, e.hours_at_or_above_5), (0, None, 0.0));
    assert!(e.dyads.is_empty() && e.spirals.is_empty());
    // Two cooperation steps of −2 on day 0 of 5, three states: −4 / 3 / 5 = −0.267.
    assert_eq!(e.index, -0.267);
    assert_eq!(e.daily, vec![-1.333, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn a_step_answered_lower_is_not_a_spiral() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let d = b.send(H, poc(K::Demarche, "aurelia", "borealia", DIPL));
    b.send(
        2 * H,
        poc(K::ClarificationRequest, "borealia", "aurelia", DIPL).re(&d),
    );
    // A level-1 step answered by a level-3 step: the first step was below a diplomatic inquiry.
    let n = b.send(
        3 * H,
        poc(K::IncidentNotification, "cordovia", "aurelia", TECH),
    );
    b.send(4 * H, poc(K::Demarche, "aurelia", "cordovia", DIPL).re(&n));
    assert!(score(&sc, &b.finish()).escalation.spirals.is_empty());
}
