//! Norms e, f and k on hand-written traces.

mod common;
use common::*;
use ttx_scenario::{MeasureKind, Sector, TraceEvent};
use ttx_scoring::norms::VerdictStatus;
use ttx_scoring::score;

fn campaign(b: &mut Tb, t: i64, item: &str, target: &str) -> u32 {
    b.push(
        t,
        TraceEvent::DisinformationStarted {
            item: item.into(),
            target: target.into(),
            by: "trolls".into(),
            directed_by: None,
        },
    )
}

#[test]
fn norm_e_campaigns_answered_with_or_without_rights_restrictions() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let c1 = campaign(&mut b, H, "dis-1", "aurelia");
    let c2 = campaign(&mut b, H, "dis-2", "borealia");
    let cut = public(K::Measure, "borealia", "public")
        .about("dis-2")
        .measure(MeasureKind::InternetShutdown);
    let cut = b.send(3 * H, cut);
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "aurelia", 'e');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(outcomes(v), vec![(c1, F, vec![c1])]);
    let v = verdict(&card, "borealia", 'e');
    assert_eq!(v.status, VerdictStatus::Violated);
    assert_eq!(outcomes(v), vec![(c2, V, vec![c2, cut.n])]);
    assert!(v.evidence[0].reason.contains("InternetShutdown"));
    assert_na(verdict(&card, "cordovia", 'e'));
    // Nobody was in dispute or directed anything: f and k have no opportunity anywhere.
    for s in ["aurelia", "borealia", "cordovia"] {
        assert_na(verdict(&card, s, 'f'));
        assert_na(verdict(&card, s, 'k'));
    }
}

#[test]
fn norm_e_any_rights_restricting_measure_is_a_violation() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let block = public(K::Measure, "cordovia", "public").measure(MeasureKind::BlanketBlocking);
    let block = b.send(2 * H, block);
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "cordovia", 'e');
    assert_eq!(outcomes(v), vec![(block.n, V, vec![block.n])]);
}

#[test]
fn norm_f_violated_by_directing_operations_against_foreign_ci_fulfilled_by_restraint_in_dispute() {
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
    // Against government systems, not critical infrastructure under the norm f guidance.
    b.incident(
        H,
        "inc-2",
        "ministry",
        "aurelia",
        Sector::Government,
        "borealia",
        Some("borealia"),
    );
    let protest = poc(K::Demarche, "aurelia", "borealia", DIPL).about("inc-1");
    let protest = b.send(10 * H, protest);
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "borealia", 'f');
    assert_eq!(v.status, VerdictStatus::Violated);
    assert_eq!(outcomes(v), vec![(inc, V, vec![inc])]);
    assert!(
        v.evidence[0]
            .reason
            .contains("Health is critical infrastructure")
    );
    let v = verdict(&card, "aurelia", 'f');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(outcomes(v), vec![(protest.n, F, vec![protest.n])]);
    assert_na(verdict(&card, "cordovia", 'f'));
}

#[test]
fn norm_f_counts_operations_launched_as_escalation_steps() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let mut op = public(K::Measure, "aurelia", "borealia").measure(MeasureKind::CyberOperation);
    op.target = Some("grid".into());
    let op = b.send(5 * H, op);
    let inc = b.incident(
        5 * H,
        "op-m1",
        "grid",
        "borealia",
        Sector::Energy,
        "aurelia",
        Some("aurelia"),
    );
    if let TraceEvent::IncidentStarted { launched_by, .. } =
        &mut b.records.last_mut().unwrap().event
    {
        *launched_by = Some(op.id.as_str().into());
    }
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "aurelia", 'f');
    assert_eq!(outcomes(v), vec![(inc, V, vec![op.n, inc])]);
    assert!(
        v.evidence[0]
            .reason
            .contains("launched by its escalation step m1")
    );
    // Borealia was on the receiving end of a level-8 step and struck nothing: restraint.
    let v = verdict(&card, "borealia", 'f');
    assert_eq!(outcomes(v), vec![(op.n, F, vec![op.n])]);
    // Directing an operation is judged under f (and the ladder), not also under c: nobody
    // notified aurelia about it.
    assert_na(verdict(&card, "aurelia", 'c'));
}

#[test]
fn norm_k_violated_by_targeting_cert_systems_or_using_own_cert() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let hit = b.incident(
        H,
        "inc-1",
        "cert-net",
        "aurelia",
        Sector::CertSystems,
        "cordovia",
        Some("cordovia"),
    );
    let misuse = b.incident(
        H,
        "inc-2",
        "ministry",
        "aurelia",
        Sector::Government,
        "borealia",
        Some("borealia"),
    );
    if let TraceEvent::IncidentStarted { uses_cert, .. } = &mut b.records.last_mut().unwrap().event
    {
        *uses_cert = true;
    }
    let protest = b.send(
        10 * H,
        poc(K::Demarche, "aurelia", "cordovia", DIPL).about("inc-1"),
    );
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "cordovia", 'k');
    assert_eq!(outcomes(v), vec![(hit, V, vec![hit])]);
    assert!(v.evidence[0].reason.contains("national CERT's systems"));
    let v = verdict(&card, "borealia", 'k');
    assert_eq!(outcomes(v), vec![(misuse, V, vec![misuse])]);
    assert!(v.evidence[0].reason.contains("run from its own CERT"));
    let v = verdict(&card, "aurelia", 'k');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(outcomes(v), vec![(protest.n, F, vec![protest.n])]);
    // CERT systems are critical infrastructure too (norm f), government systems are not.
    assert_eq!(
        verdict(&card, "cordovia", 'f').status,
        VerdictStatus::Violated
    );
    assert_na(verdict(&card, "borealia", 'f'));
}
