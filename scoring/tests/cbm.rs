//! CBM indicators per state: PoCs designated, ping response, acknowledgement through the
//! matching PoC, incident information shared, reachability — each with a good case, a bad case
//! and a "nothing to measure" case (null rates, never 100%).

mod common;
use common::*;
use ttx_scenario::{Name, PocLevel, PocStatus};
use ttx_scoring::score;
use ttx_scoring::stats::Quantile;

#[test]
fn pocs_designated_per_level_with_directory_status_and_bounces() {
    let sc = base();
    let mut b = Tb::new(&sc);
    b.bounce(H, poc(K::Ping, "control", "borealia", DIPL));
    let card = score(&sc, &b.finish());
    let levels = |s: &str| {
        card.cbm[&Name::new(s)]
            .pocs
            .iter()
            .map(|p| (p.level, p.id, p.status, p.bounced))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        levels("borealia"),
        vec![
            (
                PocLevel::Technical,
                "borealia/technical".into(),
                PocStatus::Active,
                0
            ),
            (
                PocLevel::Diplomatic,
                "borealia/diplomatic".into(),
                PocStatus::Stale,
                1
            ),
        ]
    );
    assert_eq!(
        levels("cordovia").len(),
        1,
        "cordovia designated only a technical PoC"
    );
    assert_eq!(card.cbm[&Name::new("aurelia")].pocs[1].hours, "24/7");
}

#[test]
fn ping_response_rate_and_latency_per_level() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let p1 = b.send(0, poc(K::Ping, "control", "aurelia", TECH).about("ping-1"));
    let p2 = b.send(0, poc(K::Ping, "control", "aurelia", DIPL).about("ping-1"));
    let p3 = b.send(0, poc(K::Ping, "control", "borealia", TECH).about("ping-1"));
    b.send(H, poc(K::PingReply, "aurelia", "control", TECH).re(&p1));
    b.send(3 * H, poc(K::PingReply, "aurelia", "control", DIPL).re(&p2));
    let card = score(&sc, &b.finish());

    let a = &card.cbm[&Name::new("aurelia")].pings;
    assert_eq!(
        (a.overall.received, a.overall.answered, a.overall.rate),
        (2, 2, Some(1.0))
    );
    assert_eq!(a.overall.p50.hours, Some(1.0));
    assert_eq!(a.by_level[&PocLevel::Diplomatic].p50.hours, Some(3.0));
    assert!(a.unanswered.is_empty());

    let bo = &card.cbm[&Name::new("borealia")].pings;
    assert_eq!(
        (bo.overall.received, bo.overall.answered, bo.overall.rate),
        (1, 0, Some(0.0))
    );
    assert_eq!(
        bo.overall.p50,
        Quantile {
            hours: None,
            censored_above: true
        }
    );
    assert_eq!(bo.unanswered, vec![p3.n]);

    let c = &card.cbm[&Name::new("cordovia")].pings;
    assert_eq!(
        (c.overall.received, c.overall.rate),
        (0, None),
        "never pinged is not 100%"
    );
    assert_eq!(c.overall.p50, Quantile::default());
    assert!(c.by_level.is_empty());
}

#[test]
fn acknowledgements_through_the_matching_poc() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let n1 = b.send(
        H,
        poc(K::IncidentNotification, "aurelia", "borealia", TECH).about("inc-1"),
    );
    let n2 = b.send(
        H,
        poc(K::IncidentNotification, "aurelia", "borealia", TECH).about("inc-2"),
    );
    let r = b.send(
        H,
        poc(K::AssistanceRequest, "aurelia", "cordovia", TECH).about("inc-1"),
    );
    b.send(
        2 * H,
        poc(K::Acknowledgement, "borealia", "aurelia", TECH)
            .about("inc-1")
            .re(&n1),
    );
    let wrong = poc(K::Acknowledgement, "borealia", "aurelia", DIPL)
        .about("inc-2")
        .re(&n2);
    let wrong = b.send(2 * H, wrong);
    b.send(
        2 * H,
        poc(K::Acknowledgement, "cordovia", "aurelia", TECH).re(&r),
    );
    let card = score(&sc, &b.finish());
    let a = &card.cbm[&Name::new("borealia")].acknowledgements;
    assert_eq!((a.total, a.matching, a.rate), (2, 1, Some(0.5)));
    assert_eq!(a.mismatched, vec![wrong.n]);
    let a = &card.cbm[&Name::new("cordovia")].acknowledgements;
    assert_eq!((a.total, a.matching, a.rate), (1, 1, Some(1.0)));
    let a = &card.cbm[&Name::new("aurelia")].acknowledgements;
    assert_eq!((a.total, a.rate), (0, None));
}

#[test]
fn incident_information_shared() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let s1 = b.send(
        H,
        cert(K::InformationShare, "aurelia", "borealia").about("inc-2"),
    );
    let s2 = b.send(
        H,
        cert(K::InformationShare, "aurelia", "cordovia").about("inc-1"),
    );
    let s3 = b.send(
        H,
        cert(K::InformationShare, "aurelia", "borealia").about("inc-1"),
    );
    let card = score(&sc, &b.finish());
    let s = &card.cbm[&Name::new("aurelia")].sharing;
    assert_eq!(s.messages, 3);
    assert_eq!(s.incidents, vec!["inc-1".to_string(), "inc-2".to_string()]);
    assert_eq!(s.records, vec![s1.n, s2.n, s3.n]);
    let s = &card.cbm[&Name::new("borealia")].sharing;
    assert_eq!((s.messages, s.incidents.len()), (0, 0));
}

#[test]
fn reachability_of_a_states_pocs() {
    let sc = base();
    let mut b = Tb::new(&sc);
    b.send(H, poc(K::Ping, "control", "borealia", TECH));
    b.send(H, poc(K::IncidentNotification, "aurelia", "borealia", TECH));
    let (_, bounce) = b.bounce(H, poc(K::ClarificationRequest, "aurelia", "borealia", DIPL));
    // Public and CERT-to-CERT traffic does not go through PoCs.
    b.send(H, cert(K::InformationShare, "aurelia", "cordovia"));
    // Still in transit when the exercise ends: not decided, not counted.
    b.send_only(119 * H, poc(K::Ping, "control", "borealia", TECH));
    let card = score(&sc, &b.finish());
    let r = &card.cbm[&Name::new("borealia")].reachability;
    assert_eq!((r.attempted, r.delivered, r.rate), (3, 2, Some(0.667)));
    assert_eq!(r.failed, vec![bounce]);
    let r = &card.cbm[&Name::new("cordovia")].reachability;
    assert_eq!((r.attempted, r.rate), (0, None));
}
