//! Norms a–e end to end: each scripted scenario of `tests/scripted/` runs through the simulator
//! and scoring, and every case asserts its verdict and the trace records that decided it. The
//! rule each test reaches is listed in docs/scorecard.md ("Which test reaches which rule").

mod common;
use common::scripted::{F, V, run, run_scenario};
use ttx_scenario::MessageKind as K;
use ttx_scenario::TraceEvent;
use ttx_scoring::norms::VerdictStatus as S;

#[test]
fn norm_a_answers_to_pings_information_and_clarification_requests_and_reachable_pocs() {
    let r = run("norm-a");
    // borealia answers all three kinds of request in time.
    let ping = r.sent_and_delivered(K::Ping, "control", "borealia");
    let pong = r.sent(K::PingReply, "borealia", "control").0;
    let info = r.sent_and_delivered(K::InformationRequest, "aurelia", "borealia");
    let share = r.sent(K::InformationShare, "borealia", "aurelia").0;
    let why = r.sent_and_delivered(K::ClarificationRequest, "aurelia", "borealia");
    let because = r.sent(K::Clarification, "borealia", "aurelia").0;
    assert_eq!(r.status("borealia", 'a'), S::Fulfilled);
    assert_eq!(
        r.outcomes("borealia", 'a'),
        vec![
            (F, vec![ping[0], ping[1], pong]),
            (F, vec![info[0], info[1], share]),
            (F, vec![why[0], why[1], because]),
        ]
    );
    // cordovia: an information request never answered, a clarification answered after 72h, and
    // a request that bounced at the stale diplomatic PoC it designated.
    let info = r.sent_and_delivered(K::InformationRequest, "aurelia", "cordovia");
    let (late_q, late_id) = r.sent(K::ClarificationRequest, "aurelia", "cordovia");
    let late_a = r.sent(K::Clarification, "cordovia", "aurelia").0;
    let bounced = r
        .trace
        .records
        .iter()
        .find_map(|x| match &x.event {
            TraceEvent::DeliveryFailed { msg, to, .. } if to == "cordovia" => Some((msg, x.n)),
            _ => None,
        })
        .unwrap();
    let bounced_sent = r.record(|e| matches!(e, TraceEvent::MessageSent(m) if m.msg == *bounced.0));
    assert_eq!(r.status("cordovia", 'a'), S::Violated);
    assert_eq!(
        r.outcomes("cordovia", 'a'),
        vec![
            (V, vec![info[0], info[1]]),
            (V, vec![late_q, r.delivered(&late_id), late_a]),
            (V, vec![bounced_sent, bounced.1]),
        ]
    );
    let reasons = r.reasons("cordovia", 'a');
    assert!(reasons[0].contains("never answered information request"));
    assert!(reasons[1].contains("past the 48h target"));
    assert!(reasons[2].contains("bounced at its diplomatic PoC"));
    // estoria was asked nothing; aurelia only received answers.
    assert_eq!(r.status("estoria", 'a'), S::NotApplicable);
    assert_eq!(r.status("aurelia", 'a'), S::NotApplicable);
    assert_eq!(r.verdict("estoria", 'a').opportunities, 0);
}

#[test]
fn norm_b_judges_the_process_and_counts_a_careful_misattribution_beside_it() {
    let r = run("norm-b");
    let attribution = |by: &str, to: &str| r.sent(K::PublicStatement, by, to).0;
    // aurelia: clarification sought, confidence from its own eight findings (8/9) ≥ 0.75.
    let ask = r.sent(K::ClarificationRequest, "aurelia", "borealia").0;
    let blame = attribution("aurelia", "borealia");
    let confidence = r.trace.records.iter().find_map(|x| match &x.event {
        TraceEvent::MessageSent(m) if x.n == blame => m.confidence,
        _ => None,
    });
    assert_eq!(
        confidence,
        Some(0.889),
        "the move states its author's evidence"
    );
    assert_eq!(r.status("aurelia", 'b'), S::Fulfilled);
    assert_eq!(r.outcomes("aurelia", 'b'), vec![(F, vec![ask, blame])]);
    assert!(r.verdict("aurelia", 'b').misattributions.is_empty());

    // estoria: the same careful process on planted evidence. b is fulfilled; the
    // misattribution is counted beside the verdict and in the escalation section.
    let ask = r.sent(K::ClarificationRequest, "estoria", "cordovia").0;
    let blame = attribution("estoria", "cordovia");
    let truth = r.incident("inc-2");
    assert_eq!(r.status("estoria", 'b'), S::Fulfilled);
    assert_eq!(
        r.outcomes("estoria", 'b'),
        vec![(F, vec![truth, ask, blame])]
    );
    assert_eq!(r.verdict("estoria", 'b').misattributions, vec![blame]);
    assert!(r.reasons("estoria", 'b')[0].contains("a misattribution (no state directed it)"));
    let mis: Vec<u32> = r
        .card
        .escalation
        .misattributions
        .iter()
        .map(|m| m.n)
        .collect();
    assert_eq!(mis, vec![blame]);

    // dalmatia: attributes on one finding without asking, then sanctions (a step ≥ 5).
    let rush = attribution("dalmatia", "borealia");
    let sanction = r.sent(K::Measure, "dalmatia", "borealia").0;
    assert_eq!(r.status("dalmatia", 'b'), S::Violated);
    assert_eq!(
        r.outcomes("dalmatia", 'b'),
        vec![(V, vec![rush]), (V, vec![rush, sanction])]
    );
    for reason in r.reasons("dalmatia", 'b') {
        assert!(reason.contains("below the scenario's evidence threshold 0.75"));
        assert!(reason.contains("no clarification was sought from borealia"));
    }
    // cordovia took no step ≥ 5.
    assert_eq!(r.status("cordovia", 'b'), S::NotApplicable);
}

#[test]
fn norm_c_is_judged_on_the_response_to_a_notification() {
    let r = run("norm-c");
    let note = |to: &str| r.sent_and_delivered(K::IncidentNotification, "aurelia", to);
    let sent = |kind, from: &str| r.sent(kind, from, "aurelia").0;
    // Acknowledged through the matching PoC, then mitigated — on the PoC and on the CERT channel.
    for state in ["borealia", "hollin"] {
        let [n, d] = note(state);
        let ack = sent(K::Acknowledgement, state);
        let mit = sent(K::MitigationReport, state);
        assert_eq!(r.status(state, 'c'), S::Fulfilled, "{state}");
        assert_eq!(r.outcomes(state, 'c'), vec![(F, vec![n, d, ack, mit])]);
    }
    assert!(r.reasons("hollin", 'c')[0].contains("through the matching cert channel"));
    // estoria, an advanced state, asks for assistance instead of mitigating (guidance c ii).
    let [n, d] = note("estoria");
    let ack = sent(K::Acknowledgement, "estoria");
    let help = r.sent(K::AssistanceRequest, "estoria", "borealia").0;
    assert_eq!(r.outcomes("estoria", 'c'), vec![(F, vec![n, d, ack, help])]);
    assert!(r.reasons("estoria", 'c')[0].contains("guidance c ii"));
    // dalmatia directed that operation, but through estoria's territory: notified, no c
    // opportunity (its direction is judged under f).
    note("dalmatia");
    assert_eq!(r.status("dalmatia", 'c'), S::NotApplicable);
    assert_eq!(r.status("dalmatia", 'f'), S::Violated);
    // cordovia acknowledges a technical notification through its diplomatic PoC.
    let [n, d] = note("cordovia");
    let ack = sent(K::Acknowledgement, "cordovia");
    assert_eq!(r.outcomes("cordovia", 'c'), vec![(V, vec![n, d, ack])]);
    assert!(r.reasons("cordovia", 'c')[0].contains(
        "through the diplomatic PoC, but the notification came through the technical PoC"
    ));
    // fenland mitigates without ever acknowledging.
    let [n, d] = note("fenland");
    let mit = sent(K::MitigationReport, "fenland");
    assert_eq!(r.outcomes("fenland", 'c'), vec![(V, vec![n, d, mit])]);
    assert!(r.reasons("fenland", 'c')[0].contains("never acknowledged"));
    assert!(r.reasons("fenland", 'c')[0].contains("though it reported mitigation"));
    // gorland directs an operation from its own territory and ignores the notification: one
    // breach of c, not two; the operation itself breaches f.
    let [n, d] = note("gorland");
    assert_eq!(r.verdict("gorland", 'c').opportunities, 1);
    assert_eq!(r.outcomes("gorland", 'c'), vec![(V, vec![n, d])]);
    assert_eq!(
        r.outcomes("gorland", 'f'),
        vec![(V, vec![r.incident("inc-g")])]
    );
    // aurelia, the victim, was notified of nothing.
    assert_eq!(r.status("aurelia", 'c'), S::NotApplicable);
}

#[test]
fn norm_d_legal_requests_through_any_poc_level_and_resent_when_bounced() {
    let r = run("norm-d");
    let req = r.sent_and_delivered(K::LegalRequest, "aurelia", "borealia");
    let reply = r.sent(K::LegalReply, "borealia", "aurelia").0;
    assert_eq!(
        r.outcomes("borealia", 'd'),
        vec![(F, vec![req[0], req[1], reply])]
    );
    // Through the policy PoC, never answered.
    let req = r.sent_and_delivered(K::LegalRequest, "aurelia", "cordovia");
    assert_eq!(r.outcomes("cordovia", 'd'), vec![(V, vec![req[0], req[1]])]);
    assert!(r.reasons("cordovia", 'd')[0].contains("never answered"));
    // estoria's bot: its request bounces at fenland's stale technical PoC and is resent through
    // the diplomatic one, which fenland answers. One d opportunity, on the resend.
    let resends: Vec<_> = r
        .trace
        .records
        .iter()
        .filter_map(|x| match &x.event {
            TraceEvent::MessageSent(m) if m.kind == K::LegalRequest && m.from == "estoria" => {
                Some((x.n, m.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(resends.len(), 2);
    let (first, again) = (&resends[0].1, &resends[1]);
    assert_eq!(first.level, Some(ttx_scenario::PocLevel::Technical));
    assert_eq!(again.1.level, Some(ttx_scenario::PocLevel::Diplomatic));
    assert_eq!(again.1.refers_to.as_deref(), Some(first.msg.as_str()));
    let reply = r.sent(K::LegalReply, "fenland", "estoria").0;
    assert_eq!(
        r.outcomes("fenland", 'd'),
        vec![(F, vec![again.0, r.delivered(&again.1.msg), reply])]
    );
    // The bounce itself is fenland's norm a breach: a designated PoC that cannot be reached.
    assert!(r.reasons("fenland", 'a')[0].contains("bounced at its technical PoC"));
    assert_eq!(r.status("dalmatia", 'd'), S::NotApplicable);
}

#[test]
fn norm_e_rights_restricting_measures_and_what_a_shutdown_costs() {
    let r = run("norm-e");
    let campaign = |id: &str| {
        r.record(|e| matches!(e, TraceEvent::DisinformationStarted { item, .. } if item == id))
    };
    let shutdown = r.sent(K::Measure, "borealia", "public").0;
    assert_eq!(
        r.outcomes("borealia", 'e'),
        vec![(V, vec![campaign("dis-b"), shutdown])]
    );
    assert!(r.reasons("borealia", 'e')[0].contains("InternetShutdown"));
    assert_eq!(
        r.outcomes("cordovia", 'e'),
        vec![(F, vec![campaign("dis-c")])]
    );
    // Blanket blocking, and a shutdown, that answer a ransomware incident, not a campaign: each a
    // breach of its own.
    let measures: Vec<u32> = r
        .trace
        .records
        .iter()
        .filter(|x| matches!(&x.event, TraceEvent::MessageSent(m) if m.from == "estoria" && m.kind == K::Measure))
        .map(|x| x.n)
        .collect();
    assert_eq!(
        r.outcomes("estoria", 'e'),
        vec![(V, vec![measures[0]]), (V, vec![measures[1]])]
    );
    assert!(r.reasons("estoria", 'e')[0].contains("BlanketBlocking"));
    assert!(r.reasons("estoria", 'e')[1].contains("InternetShutdown"));
    assert_eq!(r.status("dalmatia", 'e'), S::NotApplicable);

    // The shutdown degrades borealia's own telecom and internet core for its 24 hours, and the
    // bank that depends on mobile data once its 2h backup runs out: 12h + 12h + 11h lost.
    assert_eq!(r.service_hours_lost("borealia-mobile"), 12.0);
    assert_eq!(r.service_hours_lost("borealia-ixp"), 12.0);
    assert_eq!(r.service_hours_lost("borealia-bank"), 11.0);
    let mut calm = r.scenario.clone();
    calm.injects.retain(|i| i.id.as_deref() != Some("shutdown"));
    let calm = run_scenario(calm);
    for x in ["borealia-mobile", "borealia-ixp", "borealia-bank"] {
        assert_eq!(calm.service_hours_lost(x), 0.0, "{x} without the shutdown");
    }
    assert_eq!(calm.status("borealia", 'e'), S::Fulfilled);
}
