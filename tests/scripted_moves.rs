//! Scripted moves and control-cell states, from the scenario file to the trace: a move is treated
//! like a message a bot produced, a control-cell state decides nothing on its own, infrastructure
//! that serves other states makes its outages known to them, and `ttx validate --deterministic`
//! tells an author which draws keep a drill from repeating exactly.

mod common;
use common::scripted::{self, run, run_scenario};
use common::{stderr, stdout, ttx_in};
use std::path::Path;
use ttx_scenario::trace::EndReason;
use ttx_scenario::{
    At, Channel, Control, Draft, Event, Inject, MessageKind as K, Name, PocLevel, Timestamp,
    TraceEvent,
};

#[test]
fn a_move_is_answered_by_the_receivers_bot_like_any_message() {
    let r = run("move-to-bot");
    let (note, note_id) = r.sent(K::IncidentNotification, "aurelia", "borealia");
    let m = |n: u32| {
        r.trace.records.iter().find_map(|x| match &x.event {
            TraceEvent::MessageSent(m) if x.n == n => Some((x.t, m.clone())),
            _ => None,
        })
    };
    let (_, sent) = m(note).unwrap();
    assert_eq!(
        sent.indicators,
        [
            ttx_scenario::Indicator::Ipv4("198.51.100.23".into()),
            ttx_scenario::Indicator::Domain("evil.example".into())
        ]
    );
    assert_eq!(
        (sent.channel, sent.level),
        (Channel::Poc, Some(PocLevel::Technical))
    );
    // borealia's bot acknowledges through the PoC the notification came on, once its office
    // opens on Monday, and then mitigates, which stops the attack at its origin.
    let (t, ack) = m(r.sent(K::Acknowledgement, "borealia", "aurelia").0).unwrap();
    assert_eq!(ack.refers_to.as_deref(), Some(note_id.as_str()));
    assert_eq!(ack.level, Some(PocLevel::Technical));
    let monday = Timestamp::parse("2026-03-09T09:30:00Z").unwrap();
    assert_eq!(r.trace.header.start.plus(t), monday);
    let (t_mit, _) = m(r.sent(K::MitigationReport, "borealia", "aurelia").0).unwrap();
    assert_eq!(t_mit - t, 6 * 3600);
    // A Friday-evening notification acknowledged on Monday misses the 24h target (norm c).
    assert!(r.reasons("borealia", 'c')[0].contains("only after 63.5h"));
    let stopped = r.trace.records.iter().find_map(|x| match &x.event {
        TraceEvent::IncidentEnded {
            incident,
            how,
            state,
        } if incident == "inc-1" => Some((*how, state.to_string())),
        _ => None,
    });
    assert_eq!(
        stopped,
        Some((EndReason::Mitigated, "borealia".to_string()))
    );
    // cordovia's bot answers the information request (norm a).
    let (_, share) = m(r.sent(K::InformationShare, "cordovia", "aurelia").0).unwrap();
    let (_, ask_id) = r.sent(K::InformationRequest, "aurelia", "cordovia");
    assert_eq!(share.refers_to.map(String::from), Some(ask_id));
    assert_eq!(
        r.status("cordovia", 'a'),
        ttx_scoring::norms::VerdictStatus::Fulfilled
    );
}

#[test]
fn a_control_cell_state_decides_nothing_but_its_cert_still_works() {
    let r = run("move-to-bot");
    // gorland, notified, says nothing: the control cell has not made it speak.
    let from_gorland = r
        .trace
        .records
        .iter()
        .any(|x| matches!(&x.event, TraceEvent::MessageSent(m) if m.from == "gorland"));
    assert!(!from_gorland);
    // aurelia, played by the control cell, sends only its three moves — no notification of its
    // own, no assistance request, no escalation — yet its CERT detects both incidents and
    // contains the one not stopped at its origin.
    let from_aurelia = r
        .trace
        .records
        .iter()
        .filter(|x| matches!(&x.event, TraceEvent::MessageSent(m) if m.from == "aurelia"));
    assert_eq!(from_aurelia.count(), 3);
    r.detected("inc-1");
    r.detected("inc-2");
    let contained = r.record(|e| {
        matches!(e, TraceEvent::IncidentEnded { incident, how: EndReason::Contained, state }
            if incident == "inc-2" && state == "aurelia")
    });
    // Help delivered to a control-cell victim still speeds its CERT's containment.
    let contained_at = |run: &scripted::Run| {
        run.trace.records.iter().find_map(|x| match &x.event {
            TraceEvent::IncidentEnded { incident, .. } if incident == "inc-2" => Some(x.t),
            _ => None,
        })
    };
    let mut helped = r.scenario.clone();
    helped.injects.push(Inject {
        id: Some("help".into()),
        at: Some(ttx_scenario::stochastic::InjectAt::Fixed(
            At::parse("T+10h").unwrap(),
        )),
        when: None,
        event: Event::Move {
            by: "cordovia".into(),
            message: Draft {
                about: Some("inc-2".into()),
                ..Draft::new(K::AssistanceDelivered, "aurelia")
            },
        },
        note: String::new(),
        planner: Default::default(),
        repeat: None,
    });
    let helped = run_scenario(helped);
    assert!(contained_at(&helped).unwrap() < contained_at(&r).unwrap() - 24 * 3600);
    assert!(contained > 0);
    // The same exercise with gorland played by its doctrine: it acknowledges.
    let mut bot = r.scenario.clone();
    let g = bot.states.iter_mut().find(|s| s.id == "gorland").unwrap();
    g.control = Control::Bot;
    g.doctrine = "sure".into();
    let bot = run_scenario(bot);
    bot.sent(K::Acknowledgement, "gorland", "aurelia");
}

#[test]
fn a_notified_bot_whose_cert_is_busy_asks_for_assistance_instead_of_mitigating() {
    let r = run("busy-cert");
    let [note, delivered] = r.sent_and_delivered(K::IncidentNotification, "aurelia", "borealia");
    let ack = r.sent(K::Acknowledgement, "borealia", "aurelia").0;
    let help = r
        .trace
        .records
        .iter()
        .find(|x| {
            matches!(&x.event, TraceEvent::MessageSent(m)
                if m.kind == K::AssistanceRequest && m.from == "borealia"
                    && m.about.as_deref() == Some("inc-1"))
        })
        .map(|x| x.n)
        .unwrap();
    let mitigated =
        r.trace.records.iter().any(
            |x| matches!(&x.event, TraceEvent::MessageSent(m) if m.kind == K::MitigationReport),
        );
    assert!(!mitigated);
    // Norm c guidance ii: asking for help in time is the state's answer.
    assert_eq!(
        r.outcomes("borealia", 'c'),
        vec![(scripted::F, vec![note, delivered, ack, help])]
    );
    // With an analyst free, the same doctrine mitigates.
    let mut rested = r.scenario.clone();
    rested.states[1].cert.analysts = Some(2);
    let rested = run_scenario(rested);
    rested.sent(K::MitigationReport, "borealia", "aurelia");
}

#[test]
fn a_move_that_finds_nothing_to_answer_says_so_and_is_sent_anyway() {
    let mut sc = scripted::load("move-to-bot");
    let mut reply = Draft::new(K::LegalReply, "aurelia");
    reply.answers = Some(K::LegalRequest);
    sc.injects.push(Inject {
        id: Some("orphan".into()),
        at: Some(ttx_scenario::stochastic::InjectAt::Fixed(
            At::parse("T+3h").unwrap(),
        )),
        when: None,
        event: Event::Move {
            by: "gorland".into(),
            message: reply,
        },
        note: String::new(),
        planner: Default::default(),
        repeat: None,
    });
    let r = run_scenario(sc);
    let said = r.record(|e| {
        matches!(e, TraceEvent::Decision { actor, decision, detail, .. }
            if actor == "gorland" && decision == "unanswerable" && detail.contains("(move orphan)"))
    });
    assert!(r.sent(K::LegalReply, "gorland", "aurelia").0 > said);
}

#[test]
fn an_outage_on_infrastructure_that_serves_other_states_is_reported_and_shared() {
    let r = run("outage-served");
    r.record(|e| {
        matches!(e, TraceEvent::OutageReported { infra, state, cause }
            if infra == "interconnector" && state == "aurelia" && cause == "trip")
    });
    for s in ["borealia", "cordovia"] {
        let (n, _) = r.sent(K::InformationShare, "aurelia", s);
        let level = r.trace.records.iter().find_map(|x| match &x.event {
            TraceEvent::MessageSent(m) if x.n == n => Some((m.level, m.about)),
            _ => None,
        });
        assert_eq!(
            level,
            Some((Some(PocLevel::Technical), Some("trip".into())))
        );
    }
    assert_eq!(r.card.cbm[&Name::new("aurelia")].sharing.messages, 2);
    // `serves` is what makes the notices go out.
    let mut unshared = r.scenario.clone();
    unshared.infrastructure[0].serves.clear();
    let unshared = run_scenario(unshared);
    assert_eq!(unshared.card.cbm[&Name::new("aurelia")].sharing.messages, 0);
    unshared.record(|e| matches!(e, TraceEvent::OutageReported { .. }));
}

#[test]
fn validate_deterministic_passes_every_scripted_scenario_and_they_repeat_exactly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(root.join("tests/scripted"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| p.strip_prefix(root).unwrap().display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["validate", "--deterministic"];
    args.extend(files.iter().map(String::as_str));
    let o = ttx_in(root, &args);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    for f in &files {
        assert!(
            stdout(&o).contains(&format!("{f}: deterministic: no random draw left")),
            "{f}"
        );
        let name = Path::new(f).file_stem().unwrap().to_str().unwrap();
        let sim = ttx_sim::Simulation::new(&scripted::load(name)).unwrap();
        let (a, b) = (sim.run(1), sim.run(987_654));
        assert_eq!(a.records, b.records, "{f}: seeds 1 and 987654 differ");
    }
}
