//! Norms f–k end to end on the scripted scenarios of `tests/scripted/`: verdicts and the trace
//! records behind them, the criticality ruling for f and g, and what disclosure buys.

mod common;
use common::scripted::{F, V, run, run_scenario};
use ttx_scenario::MessageKind as K;
use ttx_scenario::TraceEvent;
use ttx_scenario::trace::EndReason;
use ttx_scoring::norms::VerdictStatus as S;

#[test]
fn norms_f_and_k_conducting_or_knowingly_supporting_and_restraint_in_a_dispute() {
    let r = run("norm-f-k");
    let inc = |id: &str| r.incident(id);
    assert_eq!(r.outcomes("borealia", 'f'), vec![(V, vec![inc("inc-b")])]);
    // Supporting without directing is enough: "conduct or knowingly support" (2015 ¶13 f).
    assert_eq!(r.outcomes("cordovia", 'f'), vec![(V, vec![inc("inc-c")])]);
    assert!(r.reasons("cordovia", 'f')[0].contains("knowingly supported gang-c"));
    // CERT systems are critical infrastructure by default: the strike breaches f and k.
    assert_eq!(r.outcomes("dalmatia", 'f'), vec![(V, vec![inc("inc-d")])]);
    assert_eq!(r.outcomes("dalmatia", 'k'), vec![(V, vec![inc("inc-d")])]);
    assert!(r.reasons("dalmatia", 'k')[0].contains("a national CERT's systems"));
    // A clinic marked critical: false is not critical infrastructure.
    assert_eq!(r.status("estoria", 'f'), S::NotApplicable);
    // An operation run from the state's own CERT: k, and f for the water utility it hit.
    assert_eq!(r.outcomes("fenland", 'k'), vec![(V, vec![inc("inc-f")])]);
    assert!(r.reasons("fenland", 'k')[0].contains("run from its own CERT"));
    assert_eq!(r.outcomes("fenland", 'f'), vec![(V, vec![inc("inc-f")])]);
    // gorland and aurelia exchange démarches and strike nothing: restraint, for both, cited
    // by the first step of the dispute.
    let protest = r.sent(K::Demarche, "gorland", "aurelia").0;
    for state in ["gorland", "aurelia"] {
        for norm in ['f', 'k'] {
            assert_eq!(
                r.outcomes(state, norm),
                vec![(F, vec![protest])],
                "{state} {norm}"
            );
        }
    }
    for norm in ['f', 'k'] {
        assert_eq!(r.status("hollin", norm), S::NotApplicable);
    }
}

#[test]
fn norm_g_applies_to_critical_infrastructure_cert_systems_included() {
    let r = run("norm-g");
    let case = |id: &str| vec![r.incident(id), r.detected(id), r.ended(id)];
    assert_eq!(r.outcomes("aurelia", 'g'), vec![(F, case("inc-a"))]);
    assert_eq!(r.outcomes("borealia", 'g'), vec![(V, case("inc-b"))]);
    assert!(r.reasons("borealia", 'g')[0].contains("past the 72h target"));
    // A ministry (Government) and a records system marked critical: false: no g opportunity.
    assert_eq!(r.status("cordovia", 'g'), S::NotApplicable);
    // CERT systems count as critical infrastructure for g.
    assert_eq!(r.outcomes("dalmatia", 'g'), vec![(F, case("inc-d"))]);
    // And a Government system the scenario marks critical: true does too.
    assert_eq!(r.outcomes("estoria", 'g'), vec![(V, case("inc-e"))]);
    assert_eq!(r.status("fenland", 'g'), S::NotApplicable);
}

#[test]
fn norm_h_acknowledge_answer_with_every_term_and_deliver_in_the_offered_timeframe() {
    let r = run("norm-h");
    let asked = |to: &str| r.sent_and_delivered(K::AssistanceRequest, "aurelia", to);
    let sent = |kind, from: &str| r.sent(kind, from, "aurelia").0;
    let [q, d] = asked("borealia");
    let expected = vec![
        q,
        d,
        sent(K::Acknowledgement, "borealia"),
        sent(K::AssistanceOffer, "borealia"),
        sent(K::AssistanceDelivered, "borealia"),
    ];
    assert_eq!(r.outcomes("borealia", 'h'), vec![(F, expected)]);
    assert!(r.reasons("borealia", 'h')[0].contains("within the offered 72h"));

    let [q, d] = asked("cordovia");
    assert_eq!(r.outcomes("cordovia", 'h'), vec![(V, vec![q, d])]);
    assert!(r.reasons("cordovia", 'h')[0].contains("never acknowledged"));

    let [q, d] = asked("dalmatia");
    let (ack, offer) = (
        sent(K::Acknowledgement, "dalmatia"),
        sent(K::AssistanceOffer, "dalmatia"),
    );
    assert_eq!(
        r.outcomes("dalmatia", 'h'),
        vec![(V, vec![q, d, ack, offer])]
    );
    assert!(r.reasons("dalmatia", 'h')[0].contains("does not state its terms, timeframe"));

    let [q, d] = asked("estoria");
    let expected = vec![
        q,
        d,
        sent(K::Acknowledgement, "estoria"),
        sent(K::AssistanceOffer, "estoria"),
        sent(K::AssistanceDelivered, "estoria"),
    ];
    assert_eq!(r.outcomes("estoria", 'h'), vec![(V, expected)]);
    assert!(r.reasons("estoria", 'h')[0].contains("past its own 12h timeframe"));
    assert_eq!(r.status("fenland", 'h'), S::NotApplicable);
}

/// The record at which `state` learns of supply-chain compromise `item`.
fn found(r: &common::scripted::Run, item: &str, state: &str) -> u32 {
    r.record(
        |e| matches!(e, TraceEvent::CompromiseFound { item: i, state: s } if i == item && s == state),
    )
}

#[test]
fn norm_i_inform_users_of_a_compromise_and_informed_users_are_protected() {
    let r = run("norm-i");
    let started = |item: &str| {
        r.record(|e| matches!(e, TraceEvent::CompromiseStarted { item: i, .. } if i == item))
    };
    let warn = r.sent(K::VulnerabilityReport, "borealia", "aurelia").0;
    assert_eq!(
        r.outcomes("borealia", 'i'),
        vec![(
            F,
            vec![started("sc-b"), found(&r, "sc-b", "borealia"), warn]
        )]
    );
    assert_eq!(
        r.outcomes("cordovia", 'i'),
        vec![(V, vec![started("sc-c"), found(&r, "sc-c", "cordovia")])]
    );
    assert!(r.reasons("cordovia", 'i')[0].contains("stayed silent about sc-c"));
    assert_eq!(
        r.outcomes("dalmatia", 'i'),
        vec![(V, vec![started("sc-d")])]
    );
    assert!(r.reasons("dalmatia", 'i')[0].contains("directed the compromise"));
    assert_eq!(r.status("estoria", 'i'), S::NotApplicable);

    // Warned, aurelia had protected its bank: the attack relying on sc-b fails at once. Nobody
    // warned it about sc-c: the grid goes down.
    let how = |id: &str| {
        r.trace.records.iter().find_map(|x| match &x.event {
            TraceEvent::IncidentEnded { incident, how, .. } if incident == id => Some(*how),
            _ => None,
        })
    };
    assert_eq!(how("inc-bank"), Some(EndReason::Prevented));
    assert_eq!(r.service_hours_lost("aurelia-bank"), 0.0);
    assert!(r.service_hours_lost("aurelia-grid") > 24.0);
    // Without borealia's warning the bank goes down too.
    let mut silent = r.scenario.clone();
    silent.injects.retain(|i| i.id.as_deref() != Some("warn"));
    let silent = run_scenario(silent);
    assert!(silent.service_hours_lost("aurelia-bank") > 24.0);
    assert_eq!(silent.status("borealia", 'i'), S::Violated);
}

#[test]
fn norm_j_disclose_to_the_vendor_and_the_certs_and_disclosure_protects_before_the_second_wave() {
    let r = run("norm-j");
    let found = |item: &str| {
        r.record(|e| matches!(e, TraceEvent::VulnerabilityFound { item: i, .. } if i == item))
    };
    let vendor = r.sent(K::VulnerabilityReport, "aurelia", "borealia").0;
    let cert = r.sent(K::VulnerabilityReport, "aurelia", "cordovia").0;
    assert_eq!(
        r.outcomes("aurelia", 'j'),
        vec![(F, vec![found("vuln-1"), vendor, cert])]
    );
    // To the vendor's state only: the other users stay exposed (guidance ii).
    let vendor_only = r.sent(K::VulnerabilityReport, "dalmatia", "borealia").0;
    assert_eq!(
        r.outcomes("dalmatia", 'j'),
        vec![(V, vec![found("vuln-2"), vendor_only])]
    );
    assert!(r.reasons("dalmatia", 'j')[0].contains("never to another state's CERT"));
    // A bot whose doctrine keeps what it finds exploits it instead.
    let exploited = r.record(
        |e| matches!(e, TraceEvent::Exploited { item, state } if item == "vuln-3" && state == "fenland"),
    );
    assert_eq!(
        r.outcomes("fenland", 'j'),
        vec![(V, vec![found("vuln-3"), exploited])]
    );
    assert_eq!(r.status("estoria", 'j'), S::NotApplicable);

    // Told on day one, cordovia patches: the first wave is contained faster, the second fails.
    let patched =
        r.record(|e| matches!(e, TraceEvent::Decision { decision, .. } if decision == "patch"));
    assert!(patched > r.incident("inc-1"));
    let mut undisclosed = r.scenario.clone();
    undisclosed
        .injects
        .retain(|i| !matches!(i.id.as_deref(), Some("tell-vendor" | "tell-certs")));
    let undisclosed = run_scenario(undisclosed);
    let total = |run: &common::scripted::Run| run.card.service.total_service_hours_lost;
    assert!(
        total(&r) < total(&undisclosed) / 2.0,
        "CI service-hours lost: {} disclosed, {} undisclosed",
        total(&r),
        total(&undisclosed)
    );
    assert_eq!(r.service_hours_lost("cordovia-hospital"), 0.0);
    assert!(undisclosed.service_hours_lost("cordovia-hospital") > 24.0);
    assert!(
        r.service_hours_lost("cordovia-grid") < undisclosed.service_hours_lost("cordovia-grid"),
        "learning of vuln-1 mid-incident speeds containment"
    );
}
