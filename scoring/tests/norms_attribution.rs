//! Norm b on hand-written traces: steps at or above public attribution need evidence at the
//! scenario's threshold and a clarification sought first; misattributions always violate.

mod common;
use common::*;
use ttx_scenario::{MeasureKind, Sector};
use ttx_scoring::norms::VerdictStatus;
use ttx_scoring::score;

#[test]
fn norm_b_fulfilled_with_enough_evidence_and_a_clarification_sought_first() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let inc = b.incident(
        H,
        "inc-1",
        "hospital",
        "aurelia",
        Sector::Health,
        "cordovia",
        Some("borealia"),
    );
    let ask = poc(K::ClarificationRequest, "aurelia", "borealia", DIPL).about("inc-1");
    let ask = b.send(5 * H, ask);
    let blame = public(K::PublicStatement, "aurelia", "borealia")
        .about("inc-1")
        .attributes("borealia", 0.8);
    let blame = b.send(30 * H, blame);
    let sanction = public(K::Measure, "aurelia", "borealia")
        .about("inc-1")
        .measure(MeasureKind::Sanctions);
    let sanction = b.send(40 * H, sanction);
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "aurelia", 'b');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(
        outcomes(v),
        vec![
            (blame.n, F, vec![ask.n, blame.n]),
            (sanction.n, F, vec![ask.n, blame.n, sanction.n])
        ]
    );
    assert_eq!(card.escalation.correct_attributions.len(), 1);
    assert!(card.escalation.misattributions.is_empty());
    assert!(inc < ask.n);
    assert_na(verdict(&card, "borealia", 'b'));
    assert_na(verdict(&card, "cordovia", 'b'));
}

#[test]
fn norm_b_violated_without_clarification_or_evidence_but_not_by_a_careful_misattribution() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let inc = b.incident(
        H,
        "inc-1",
        "hospital",
        "aurelia",
        Sector::Health,
        "cordovia",
        Some("borealia"),
    );
    // Right state, strong evidence, but no clarification sought.
    let blame = public(K::PublicStatement, "aurelia", "borealia")
        .about("inc-1")
        .attributes("borealia", 0.9);
    let blame = b.send(10 * H, blame);
    // Clarification sought, strong claimed evidence, wrong state: a misattribution.
    let ask = poc(K::ClarificationRequest, "aurelia", "cordovia", DIPL).about("inc-1");
    let ask = b.send(11 * H, ask);
    let wrong = public(K::PublicStatement, "aurelia", "cordovia")
        .about("inc-1")
        .attributes("cordovia", 0.9);
    let wrong = b.send(20 * H, wrong);
    // An answering sanction with no attribution of its own: confidence 0.
    let answer = public(K::Measure, "cordovia", "aurelia")
        .about("inc-1")
        .measure(MeasureKind::Sanctions);
    let answer = b.send(25 * H, answer);
    let card = score(&sc, &b.finish());

    let v = verdict(&card, "aurelia", 'b');
    assert_eq!(v.status, VerdictStatus::Mixed);
    // The misattribution followed a proper process: b is judged on what the state could see,
    // and the misattribution is listed beside the verdict instead.
    assert_eq!(
        outcomes(v),
        vec![
            (blame.n, V, vec![blame.n]),
            (wrong.n, F, vec![inc, ask.n, wrong.n])
        ]
    );
    assert_eq!(v.misattributions, vec![wrong.n]);
    assert!(
        v.evidence[0]
            .reason
            .contains("no clarification was sought from borealia")
    );
    assert!(
        v.evidence[1]
            .reason
            .contains("a misattribution (borealia directed it), counted separately")
    );
    let v = verdict(&card, "cordovia", 'b');
    assert_eq!(outcomes(v), vec![(answer.n, V, vec![answer.n])]);
    assert!(v.evidence[0].reason.contains("confidence 0"));

    let mis = &card.escalation.misattributions;
    assert_eq!(mis.len(), 1);
    assert_eq!((mis[0].n, mis[0].incident_n), (wrong.n, inc));
    assert_eq!(mis[0].directed_by.as_deref(), Some("borealia"));
}

#[test]
fn norm_b_threshold_comes_from_the_scenario() {
    let strict = BASE.replace(
        r#"duration: "5d","#,
        r#"duration: "5d", scoring: Scoring(evidence_threshold: 0.95),"#,
    );
    let sc = scenario(&strict);
    let mut b = Tb::new(&sc);
    b.incident(
        H,
        "inc-1",
        "hospital",
        "aurelia",
        Sector::Health,
        "cordovia",
        Some("borealia"),
    );
    b.send(
        2 * H,
        poc(K::ClarificationRequest, "aurelia", "borealia", DIPL).about("inc-1"),
    );
    let blame = public(K::PublicStatement, "aurelia", "borealia")
        .about("inc-1")
        .attributes("borealia", 0.9);
    b.send(10 * H, blame);
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "aurelia", 'b');
    assert_eq!(v.status, VerdictStatus::Violated);
    assert!(
        v.evidence[0]
            .reason
            .contains("below the scenario's evidence threshold 0.95")
    );
}
