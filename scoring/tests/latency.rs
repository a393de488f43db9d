//! Response latency with censoring: unanswered items are counted, ranked above every answer,
//! and breach their target once their exposure reaches it.

mod common;
use common::*;
use ttx_scenario::{Name, PocLevel, Sector};
use ttx_scoring::latency::{LatencyItem, Step, StepStats};
use ttx_scoring::stats::{Quantile, Stats};
use ttx_scoring::{Scorecard, score};

fn step(card: &Scorecard, s: Step) -> &StepStats {
    card.latency.steps.iter().find(|x| x.step == s).unwrap()
}

fn items(card: &Scorecard, s: Step) -> Vec<&LatencyItem> {
    card.latency.items.iter().filter(|i| i.step == s).collect()
}

fn q(hours: f64) -> Quantile {
    Quantile {
        hours: Some(hours),
        censored_above: false,
    }
}

const CENSORED: Quantile = Quantile {
    hours: None,
    censored_above: true,
};

#[test]
fn incident_chain_with_censored_detection_and_acknowledgement() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let i1 = b.hospital_incident();
    b.incident(
        2 * H,
        "inc-2",
        "grid",
        "borealia",
        Sector::Energy,
        "aurelia",
        None,
    );
    let d1 = b.detected(3 * H, "inc-1", "aurelia");
    let note = b.send(
        5 * H,
        poc(K::IncidentNotification, "aurelia", "borealia", TECH).about("inc-1"),
    );
    let mit = b.send(
        50 * H,
        poc(K::MitigationReport, "borealia", "aurelia", TECH).about("inc-1"),
    );
    b.incident(
        110 * H,
        "inc-3",
        "clinic",
        "borealia",
        Sector::Health,
        "aurelia",
        None,
    );
    let card = score(&sc, &b.finish());

    // start → detect: 2h answered; inc-2 censored for 118h (a breach of the 24h target); inc-3
    // censored for only 10h, which is not yet a breach.
    let s = step(&card, Step::StartToDetect);
    assert_eq!(
        (s.overall.count, s.overall.answered, s.overall.censored),
        (3, 1, 2)
    );
    assert_eq!(s.overall.breaches, 1);
    // Nearest rank over [2h, +inf, +inf]: the median falls on a censored item.
    assert_eq!(s.overall.p50, CENSORED);
    assert_eq!(s.overall.max, CENSORED);
    assert_eq!(s.target_hours, Some(24.0));
    let it = items(&card, Step::StartToDetect);
    assert_eq!(
        (it[0].from_n, it[0].to_n, it[0].hours),
        (i1, Some(d1), Some(2.0))
    );
    assert_eq!((it[1].exposure_hours, it[1].breach), (Some(118.0), true));
    assert_eq!((it[2].exposure_hours, it[2].breach), (Some(10.0), false));

    // detect → notify only for the detected incident: a step whose predecessor never happened
    // is not an item.
    let it = items(&card, Step::DetectToNotify);
    assert_eq!(it.len(), 1);
    assert_eq!(
        (it[0].from_n, it[0].to_n, it[0].hours),
        (d1, Some(note.n), Some(2.0))
    );

    // notify → acknowledge never happened: censored, exposure 115h, by borealia at the
    // technical level.
    let it = items(&card, Step::NotifyToAcknowledge);
    assert_eq!(it.len(), 1);
    assert!(it[0].censored && it[0].breach);
    assert_eq!(
        (it[0].actor.as_str(), it[0].level),
        ("borealia", Some(PocLevel::Technical))
    );
    assert_eq!(it[0].exposure_hours, Some(115.0));
    let s = step(&card, Step::NotifyToAcknowledge);
    assert_eq!(s.by_actor[&Name::new("borealia")].censored, 1);
    assert_eq!(s.by_level[&PocLevel::Technical].censored, 1);

    // acknowledge → mitigate measured from the notification when there was no acknowledgement.
    let it = items(&card, Step::AcknowledgeToMitigate);
    assert_eq!(
        (it[0].from_n, it[0].to_n, it[0].hours),
        (note.n, Some(mit.n), Some(45.0))
    );
    assert!(!it[0].breach);
}

#[test]
fn ping_quantiles_per_actor_and_level_never_improved_by_silence() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let p1 = b.send(0, poc(K::Ping, "control", "aurelia", TECH).about("ping-1"));
    let p2 = b.send(0, poc(K::Ping, "control", "aurelia", DIPL).about("ping-1"));
    let p3 = b.send(0, poc(K::Ping, "control", "borealia", TECH).about("ping-1"));
    let (p4, _) = b.bounce(0, poc(K::Ping, "control", "borealia", DIPL).about("ping-1"));
    b.send(H, poc(K::PingReply, "aurelia", "control", TECH).re(&p1));
    b.send(
        2 * H,
        poc(K::PingReply, "borealia", "control", TECH).re(&p3),
    );
    b.send(
        30 * H,
        poc(K::PingReply, "aurelia", "control", DIPL).re(&p2),
    );
    let card = score(&sc, &b.finish());
    let s = step(&card, Step::PingToReply);
    // Overall [1h, 2h, 30h, +inf]: p50 = rank 2 = 2h; p90 = rank 4 = censored.
    assert_eq!(
        s.overall,
        Stats {
            count: 4,
            answered: 3,
            censored: 1,
            p50: q(2.0),
            p90: CENSORED,
            max: CENSORED,
            breaches: 2,
        }
    );
    assert_eq!(s.by_level[&PocLevel::Technical].p50, q(1.0));
    assert_eq!(s.by_level[&PocLevel::Technical].max, q(2.0));
    assert_eq!(s.by_level[&PocLevel::Diplomatic].p50, q(30.0));
    assert_eq!(s.by_level[&PocLevel::Diplomatic].max, CENSORED);
    assert_eq!(s.by_actor[&Name::new("aurelia")].p50, q(1.0));
    assert_eq!(s.by_actor[&Name::new("aurelia")].breaches, 1);
    assert_eq!(s.by_actor[&Name::new("borealia")].max, CENSORED);
    // The bounced ping is censored for the whole exercise.
    let bounced = items(&card, Step::PingToReply)
        .into_iter()
        .find(|i| i.msg.as_deref() == Some(p4.id.as_str()))
        .unwrap();
    assert_eq!(
        (bounced.censored, bounced.exposure_hours),
        (true, Some(120.0))
    );
}

#[test]
fn assistance_chain_and_offer_timeframe_as_target() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let req = b.send(
        H,
        poc(K::AssistanceRequest, "aurelia", "cordovia", TECH).about("inc-1"),
    );
    b.send(
        2 * H,
        poc(K::Acknowledgement, "cordovia", "aurelia", TECH).re(&req),
    );
    let offer = poc(K::AssistanceOffer, "cordovia", "aurelia", TECH)
        .re(&req)
        .offer("team", "inc-1", "free", 24);
    let offer = b.send(5 * H, offer);
    let done = b.send(
        40 * H,
        poc(K::AssistanceDelivered, "cordovia", "aurelia", TECH).re(&req),
    );
    // A second request nobody answers.
    let req2 = b.send(
        41 * H,
        poc(K::AssistanceRequest, "aurelia", "borealia", TECH).about("inc-1"),
    );
    let card = score(&sc, &b.finish());
    let hours = |s| {
        items(&card, s)
            .iter()
            .map(|i| (i.actor, i.hours, i.breach))
            .collect::<Vec<_>>()
    };
    let c = Name::new("cordovia");
    let bo = Name::new("borealia");
    assert_eq!(
        hours(Step::RequestToAcknowledge),
        vec![(c, Some(1.0), false), (bo, None, true)]
    );
    assert_eq!(
        hours(Step::RequestToAnswer),
        vec![(c, Some(4.0), false), (bo, None, true)]
    );
    // Delivered 35h after an offer that promised 24h: a breach of its own timeframe.
    assert_eq!(hours(Step::OfferToDeliver), vec![(c, Some(35.0), true)]);
    let it = &items(&card, Step::OfferToDeliver)[0];
    assert_eq!(
        (it.from_n, it.to_n, it.target_hours),
        (offer.n, Some(done.n), Some(24.0))
    );
    assert_eq!(step(&card, Step::OfferToDeliver).target_hours, None);
    assert_eq!(items(&card, Step::RequestToAnswer)[1].from_n, req2.n);
}

#[test]
fn clarification_and_legal_chains() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let ask = b.send(
        H,
        poc(K::ClarificationRequest, "aurelia", "borealia", DIPL).about("inc-1"),
    );
    let legal = b.send(
        H,
        poc(K::LegalRequest, "aurelia", "borealia", TECH).about("inc-1"),
    );
    b.send(
        11 * H,
        poc(K::Clarification, "borealia", "aurelia", DIPL).re(&ask),
    );
    let card = score(&sc, &b.finish());
    let s = step(&card, Step::RequestToClarification);
    assert_eq!((s.overall.answered, s.overall.p50.clone()), (1, q(10.0)));
    let s = step(&card, Step::RequestToLegalReply);
    assert_eq!((s.overall.censored, s.overall.breaches), (1, 1));
    assert_eq!(items(&card, Step::RequestToLegalReply)[0].from_n, legal.n);
    // Every step is always present, in a fixed order, so the JSON shape never changes.
    let order: Vec<Step> = card.latency.steps.iter().map(|s| s.step).collect();
    assert_eq!(order, Step::ALL.to_vec());
    assert_eq!(step(&card, Step::StartToDetect).overall, Stats::default());
}
