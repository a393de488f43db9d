//! Norms c and g on hand-written traces, and the acceptance test that removing one
//! acknowledgement turns a fulfilled norm-c verdict into a violation and adds a censored item.

mod common;
use common::*;
use ttx_scenario::Sector;
use ttx_scenario::{Trace, TraceEvent};
use ttx_scoring::latency::Step;
use ttx_scoring::norms::VerdictStatus;
use ttx_scoring::score;

/// inc-1 on aurelia's hospital from borealia's territory; aurelia notifies borealia at T+3h;
/// borealia acknowledges at T+5h through the technical PoC and reports mitigation at T+20h.
fn notified_and_mitigated() -> (Trace, [u32; 5]) {
    let sc = base();
    let mut b = Tb::new(&sc);
    b.hospital_incident(); // 1
    b.detected(2 * H, "inc-1", "aurelia"); // 2
    let note = b.send(
        3 * H,
        poc(K::IncidentNotification, "aurelia", "borealia", TECH).about("inc-1"),
    );
    let ack = poc(K::Acknowledgement, "borealia", "aurelia", TECH)
        .about("inc-1")
        .re(&note);
    let ack = b.send(5 * H, ack);
    let mit = poc(K::MitigationReport, "borealia", "aurelia", TECH)
        .about("inc-1")
        .re(&note);
    let mit = b.send(20 * H, mit);
    let ids = [note.n, note.delivered.unwrap(), ack.n, mit.n, 0];
    (b.finish(), ids)
}

#[test]
fn norm_c_fulfilled_by_acknowledging_through_the_matching_poc_then_mitigating() {
    let sc = base();
    let (trace, [note, delivered, ack, mit, _]) = notified_and_mitigated();
    let card = score(&sc, &trace);
    let v = verdict(&card, "borealia", 'c');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(
        outcomes(v),
        vec![(note, F, vec![note, delivered, ack, mit])]
    );
    assert!(v.basis.contains("norm c guidance i"));
    assert_na(verdict(&card, "cordovia", 'c'));
    assert_na(verdict(&card, "aurelia", 'c'));
}

#[test]
fn removing_one_acknowledgement_turns_norm_c_violated_and_censors_the_latency_item() {
    let sc = base();
    let (trace, [note, delivered, ..]) = notified_and_mitigated();
    let before = score(&sc, &trace);
    let ack_id = "m2";
    let stripped = without(&trace, ack_id);
    let after = score(&sc, &stripped);
    let mit = stripped
        .records
        .iter()
        .find(|r| matches!(&r.event, TraceEvent::MessageSent(m) if m.kind == K::MitigationReport))
        .map(|r| r.n)
        .unwrap();

    assert_eq!(
        verdict(&before, "borealia", 'c').status,
        VerdictStatus::Fulfilled
    );
    let v = verdict(&after, "borealia", 'c');
    assert_eq!(v.status, VerdictStatus::Violated);
    // Mitigating without acknowledging still breaches c; the mitigation is cited.
    assert_eq!(outcomes(v), vec![(note, V, vec![note, delivered, mit])]);
    assert!(
        v.evidence[0]
            .reason
            .contains("never acknowledged notification m1 about inc-1 (target 24h), though it reported mitigation (m3)"),
        "{}",
        v.evidence[0].reason
    );
    assert_eq!(v.evidence[0].t, 3 * H + 24 * H, "breached at T+27h");

    let stats = |c: &ttx_scoring::Scorecard| {
        let s = c
            .latency
            .steps
            .iter()
            .find(|s| s.step == Step::NotifyToAcknowledge)
            .unwrap();
        (s.overall.count, s.overall.censored, s.overall.breaches)
    };
    assert_eq!(stats(&before), (1, 0, 0));
    assert_eq!(stats(&after), (1, 1, 1));
    let item = after
        .latency
        .items
        .iter()
        .find(|i| i.step == Step::NotifyToAcknowledge)
        .unwrap();
    assert!(item.censored);
    assert_eq!(item.actor, "borealia");
    assert_eq!(item.exposure_hours, Some(120.0 - 3.0));
}

#[test]
fn norm_c_one_opportunity_when_a_bounced_notification_is_resent_diplomatically() {
    let sc = base();
    let mut b = Tb::new(&sc);
    b.hospital_incident();
    let note = poc(K::IncidentNotification, "aurelia", "borealia", TECH).about("inc-1");
    let (first, bounce) = b.bounce(3 * H, note);
    let again = poc(K::IncidentNotification, "aurelia", "borealia", DIPL)
        .about("inc-1")
        .re(&first);
    let again = b.send(4 * H, again);
    let ack = poc(K::Acknowledgement, "borealia", "aurelia", DIPL)
        .about("inc-1")
        .re(&again);
    let ack = b.send(6 * H, ack);
    let help = poc(K::AssistanceRequest, "borealia", "cordovia", TECH).about("inc-1");
    let help = b.send(6 * H, help);
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "borealia", 'c');
    let d = again.delivered.unwrap();
    assert_eq!(
        outcomes(v),
        vec![(again.n, F, vec![again.n, d, ack.n, help.n])]
    );
    assert!(v.evidence[0].reason.contains("guidance c ii"));
    assert_ne!(bounce, 0);
}

#[test]
fn norm_c_violated_by_wrong_level_or_no_mitigation_and_a_directing_state_breaches_once() {
    let sc = base();
    let mut b = Tb::new(&sc);
    b.hospital_incident(); // 1
    let inc2 = b.incident(
        H,
        "inc-2",
        "ministry",
        "aurelia",
        Sector::Government,
        "cordovia",
        Some("cordovia"),
    );
    let n1 = b.send(
        2 * H,
        poc(K::IncidentNotification, "aurelia", "borealia", TECH).about("inc-1"),
    );
    let n2 = b.send(
        2 * H,
        poc(K::IncidentNotification, "aurelia", "cordovia", TECH).about("inc-2"),
    );
    // Borealia acknowledges through the diplomatic desk a notification that came technically.
    let a1 = b.send(
        3 * H,
        poc(K::Acknowledgement, "borealia", "aurelia", DIPL)
            .about("inc-1")
            .re(&n1),
    );
    // Cordovia acknowledges properly but never acts.
    let a2 = b.send(
        3 * H,
        poc(K::Acknowledgement, "cordovia", "aurelia", TECH)
            .about("inc-2")
            .re(&n2),
    );
    let card = score(&sc, &b.finish());

    let v = verdict(&card, "borealia", 'c');
    assert_eq!(
        outcomes(v),
        vec![(n1.n, V, vec![n1.n, n1.delivered.unwrap(), a1.n])]
    );
    assert!(v.evidence[0].reason.contains("through the diplomatic PoC"));
    let v = verdict(&card, "cordovia", 'c');
    assert_eq!(v.status, VerdictStatus::Violated);
    // Cordovia directs inc-2 from its own territory: one c opportunity, its notification
    // (directing is judged under f and k, not as a second c breach).
    let _ = inc2;
    assert_eq!(
        outcomes(v),
        vec![(n2.n, V, vec![n2.n, n2.delivered.unwrap(), a2.n])]
    );
    assert!(v.evidence[0].reason.contains("neither reported mitigation"));
    assert_eq!(v.evidence[0].t, 3 * H + 72 * H);
}

#[test]
fn norm_g_fulfilled_when_detected_and_ended_in_time() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let inc = b.hospital_incident();
    let det = b.detected(2 * H, "inc-1", "aurelia");
    let end = b.ended(30 * H, "inc-1", "aurelia", End::Contained);
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "aurelia", 'g');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(outcomes(v), vec![(inc, F, vec![inc, det, end])]);
    assert_na(verdict(&card, "borealia", 'g'));
}

#[test]
fn norm_g_violated_by_late_detection_or_no_containment_and_pending_near_the_end() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let i1 = b.hospital_incident();
    let i2 = b.incident(
        H,
        "inc-2",
        "grid",
        "borealia",
        Sector::Energy,
        "aurelia",
        None,
    );
    let d2 = b.detected(2 * H, "inc-2", "borealia");
    let d1 = b.detected(40 * H, "inc-1", "aurelia");
    let i3 = b.incident(
        110 * H,
        "inc-3",
        "clinic",
        "borealia",
        Sector::Health,
        "aurelia",
        None,
    );
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "aurelia", 'g');
    assert_eq!(outcomes(v), vec![(i1, V, vec![i1, d1])]);
    assert!(v.evidence[0].reason.contains("only after 39h"));
    let v = verdict(&card, "borealia", 'g');
    assert_eq!(v.status, VerdictStatus::Violated);
    assert_eq!(outcomes(v), vec![(i2, V, vec![i2, d2]), (i3, P, vec![i3])]);
    assert!(v.evidence[0].reason.contains("not contained within 72h"));
    assert_eq!(v.evidence[0].t, 2 * H + 72 * H);
}
