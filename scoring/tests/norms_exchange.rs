//! Norms a, d and h on hand-written traces: fulfilled, violated and n/a, with evidence records.

mod common;
use common::*;
use ttx_scoring::norms::VerdictStatus;
use ttx_scoring::score;

#[test]
fn norm_a_fulfilled_when_pings_and_clarification_requests_are_answered_in_time() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let ping = b.send(H, poc(K::Ping, "control", "borealia", TECH).about("ping-1")); // 1, 2
    let reply = b.send(
        3 * H,
        poc(K::PingReply, "borealia", "control", TECH).re(&ping),
    ); // 3, 4
    let ask = b.send(
        4 * H,
        poc(K::ClarificationRequest, "aurelia", "borealia", DIPL),
    ); // 5, 6
    let answer = b.send(
        40 * H,
        poc(K::Clarification, "borealia", "aurelia", DIPL).re(&ask),
    );
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "borealia", 'a');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(
        outcomes(v),
        vec![
            (ping.n, F, vec![1, 2, reply.n]),
            (ask.n, F, vec![5, 6, answer.n])
        ]
    );
    assert_eq!(v.rate, Some(1.0));
    assert!(v.basis.contains("norm a guidance"));
    // Aurelia was asked nothing and cordovia neither: no opportunity, not 100%.
    assert_na(verdict(&card, "aurelia", 'a'));
    assert_na(verdict(&card, "cordovia", 'a'));
}

#[test]
fn norm_a_violated_by_silence_lateness_and_a_bounced_designated_poc() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let silent = b.send(H, poc(K::Ping, "control", "borealia", TECH).about("ping-1")); // 1, 2
    let late = b.send(
        2 * H,
        poc(K::Ping, "control", "aurelia", TECH).about("ping-1"),
    ); // 3, 4
    let (stale, bounce) = b.bounce(2 * H, poc(K::Ping, "control", "borealia", DIPL)); // 5, 6
    // Cordovia designated no diplomatic PoC: a bounce there is not a broken designated PoC.
    b.bounce(2 * H, poc(K::Ping, "control", "cordovia", DIPL)); // 7, 8
    let reply = b.send(
        30 * H,
        poc(K::PingReply, "aurelia", "control", TECH).re(&late),
    ); // 9, 10
    // A ping two hours before the end is neither answered nor overdue: pending, not counted.
    let open = b.send(118 * H, poc(K::Ping, "control", "cordovia", TECH)); // 11, 12
    let card = score(&sc, &b.finish());

    let v = verdict(&card, "borealia", 'a');
    assert_eq!(v.status, VerdictStatus::Violated);
    assert_eq!(
        outcomes(v),
        vec![
            (silent.n, V, vec![1, 2]),
            (bounce, V, vec![stale.n, bounce])
        ]
    );
    // The silent ping was breached when its 24h target passed, at T+25h.
    assert_eq!(v.evidence[0].t, 25 * H);
    assert!(
        v.evidence[1]
            .reason
            .contains("bounced at its diplomatic PoC")
    );

    let v = verdict(&card, "aurelia", 'a');
    assert_eq!(outcomes(v), vec![(late.n, V, vec![3, 4, reply.n])]);
    assert!(v.evidence[0].reason.contains("only after 28h"), "{v:?}");

    let v = verdict(&card, "cordovia", 'a');
    assert_eq!(v.status, VerdictStatus::Pending);
    assert_eq!((v.opportunities, v.pending, v.rate), (1, 1, None));
    assert_eq!(outcomes(v), vec![(open.n, P, vec![11, 12])]);
}

#[test]
fn norm_d_legal_requests_answered_in_time_or_not() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let req1 = b.send(
        H,
        poc(K::LegalRequest, "aurelia", "borealia", TECH).about("inc-1"),
    );
    let req2 = b.send(
        2 * H,
        poc(K::LegalRequest, "aurelia", "cordovia", TECH).about("inc-1"),
    );
    let reply = b.send(
        50 * H,
        poc(K::LegalReply, "borealia", "aurelia", TECH).re(&req1),
    );
    let card = score(&sc, &b.finish());

    let v = verdict(&card, "borealia", 'd');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(outcomes(v), vec![(req1.n, F, vec![1, 2, reply.n])]);
    let v = verdict(&card, "cordovia", 'd');
    assert_eq!(v.status, VerdictStatus::Violated);
    assert_eq!(
        outcomes(v),
        vec![(req2.n, V, vec![req2.n, req2.delivered.unwrap()])]
    );
    assert_eq!(
        v.evidence[0].t,
        2 * H + 72 * H,
        "breached when the 72h target passed"
    );
    assert_na(verdict(&card, "aurelia", 'd'));
}

#[test]
fn norm_h_fulfilled_by_a_complete_offer_delivered_in_its_timeframe_or_a_decline() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let req = b.send(
        H,
        poc(K::AssistanceRequest, "aurelia", "cordovia", TECH).about("inc-1"),
    );
    let ack = b.send(
        2 * H,
        poc(K::Acknowledgement, "cordovia", "aurelia", TECH).re(&req),
    );
    let offer = poc(K::AssistanceOffer, "cordovia", "aurelia", TECH)
        .re(&req)
        .offer("forensics team", "inc-1 at aurelia", "no cost", 24);
    let offer = b.send(10 * H, offer);
    let done = b.send(
        30 * H,
        poc(K::AssistanceDelivered, "cordovia", "aurelia", TECH).re(&req),
    );
    let req2 = b.send(
        31 * H,
        poc(K::AssistanceRequest, "aurelia", "borealia", TECH),
    );
    let ack2 = b.send(
        32 * H,
        poc(K::Acknowledgement, "borealia", "aurelia", TECH).re(&req2),
    );
    let no = b.send(
        33 * H,
        poc(K::AssistanceDecline, "borealia", "aurelia", TECH).re(&req2),
    );
    let card = score(&sc, &b.finish());

    let v = verdict(&card, "cordovia", 'h');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    let rd = req.delivered.unwrap();
    assert_eq!(
        outcomes(v),
        vec![(req.n, F, vec![req.n, rd, ack.n, offer.n, done.n])]
    );
    let v = verdict(&card, "borealia", 'h');
    let rd2 = req2.delivered.unwrap();
    assert_eq!(
        outcomes(v),
        vec![(req2.n, F, vec![req2.n, rd2, ack2.n, no.n])]
    );
    assert_na(verdict(&card, "aurelia", 'h'));
}

#[test]
fn norm_h_violated_by_an_incomplete_offer_an_undelivered_one_or_silence() {
    let sc = base();
    let mut b = Tb::new(&sc);
    // To cordovia: offer without scope, then nothing delivered within its 24h timeframe.
    let req = b.send(H, poc(K::AssistanceRequest, "aurelia", "cordovia", TECH));
    let ack = b.send(
        2 * H,
        poc(K::Acknowledgement, "cordovia", "aurelia", TECH).re(&req),
    );
    let offer = poc(K::AssistanceOffer, "cordovia", "aurelia", TECH)
        .re(&req)
        .offer("forensics team", " ", "no cost", 24);
    let offer = b.send(3 * H, offer);
    // To borealia: never acknowledged nor answered.
    let req2 = b.send(
        4 * H,
        poc(K::AssistanceRequest, "aurelia", "borealia", TECH),
    );
    // To aurelia, late in the exercise: a complete offer whose delivery falls due after the end.
    let req3 = b.send(
        100 * H,
        poc(K::AssistanceRequest, "borealia", "aurelia", TECH),
    );
    let ack3 = b.send(
        100 * H,
        poc(K::Acknowledgement, "aurelia", "borealia", TECH).re(&req3),
    );
    let offer3 = poc(K::AssistanceOffer, "aurelia", "borealia", TECH)
        .re(&req3)
        .offer("experts", "grid", "no cost", 48);
    let offer3 = b.send(101 * H, offer3);
    let card = score(&sc, &b.finish());

    let v = verdict(&card, "cordovia", 'h');
    assert_eq!(v.status, VerdictStatus::Violated);
    let rd = req.delivered.unwrap();
    assert_eq!(
        outcomes(v),
        vec![(req.n, V, vec![req.n, rd, ack.n, offer.n])]
    );
    let why = &v.evidence[0].reason;
    assert!(why.contains("does not state its scope"), "{why}");
    assert!(why.contains("never delivered"), "{why}");
    assert_eq!(
        v.evidence[0].t,
        3 * H,
        "the incomplete offer is the first breach"
    );

    let v = verdict(&card, "borealia", 'h');
    assert_eq!(
        outcomes(v),
        vec![(req2.n, V, vec![req2.n, req2.delivered.unwrap()])]
    );
    assert!(v.evidence[0].reason.contains("never acknowledged"));

    let v = verdict(&card, "aurelia", 'h');
    assert_eq!(v.status, VerdictStatus::Pending);
    let rd3 = req3.delivered.unwrap();
    assert_eq!(
        outcomes(v),
        vec![(req3.n, P, vec![req3.n, rd3, ack3.n, offer3.n])]
    );
}
