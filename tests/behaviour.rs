//! Behaviours the core issue names, each on a small scenario whose latencies are fixed so the
//! expected instants can be worked out by hand.

use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{MessageKind, Timestamp, Trace, TraceEvent};
use ttx_sim::Simulation;

fn run(ron: &str, seed: u64) -> Trace {
    let sc = ttx_scenario::load_str(ron, "test.ron").unwrap_or_else(|d| panic!("{d}"));
    Simulation::new(&sc).expect("valid").run(seed)
}

fn sent(trace: &Trace, kind: MessageKind, from: &str) -> Vec<(i64, ttx_scenario::Message)> {
    trace
        .records
        .iter()
        .filter_map(|r| match &r.event {
            TraceEvent::MessageSent(m) if m.kind == kind && m.from == from => {
                Some((r.t, (**m).clone()))
            }
            _ => None,
        })
        .collect()
}

/// Friday 2026-03-06 16:00 UTC. The victim notifies on Friday evening; Borealia's technical PoC
/// works Mon–Fri 09:00–18:00 at UTC+01:00 and always acknowledges after 30 minutes of work.
const FRIDAY: &str = r#"#![enable(implicit_some)]
Scenario(
    name: "friday", start: "2026-03-06T16:00:00Z", duration: "5d",
    doctrines: [Doctrine(name: "prompt", ack_probability: 1.0, mitigate_probability: 0.0)],
    states: [
        State(id: "aurelia", capacity: Advanced, doctrine: "prompt",
              cert: Cert(detect: Fixed("30m"), investigate: Fixed("1h"), contain: Fixed("4d")),
              pocs: [Poc(level: Technical, latency: Fixed("10m"))]),
        State(id: "borealia", utc_offset: "+01:00", doctrine: "prompt",
              pocs: [Poc(level: Technical, hours: "Mon-Fri 09:00-18:00", latency: Fixed("30m"))]),
    ],
    infrastructure: [Infra(id: "hospital", state: "aurelia", sector: Health)],
    actors: [ThreatActor(id: "gang", kind: Criminal, operates_from: "borealia")],
    injects: [Inject(at: "T+2h", event: Incident(id: "inc-1", target: "hospital", by: "gang", severity: 4))],
)"#;

#[test]
fn friday_evening_notification_is_acknowledged_on_monday_morning_local_time() {
    let monday_9_local = Timestamp::parse("2026-03-09T09:00:00+01:00").unwrap();
    for seed in 0..10 {
        let trace = run(FRIDAY, seed);
        let start = trace.header.start;
        let notes = sent(&trace, MessageKind::IncidentNotification, "aurelia");
        assert_eq!(notes.len(), 1, "seed {seed}: one notification");
        let notified = start.plus(notes[0].0);
        assert!(
            notified < Timestamp::parse("2026-03-06T21:00:00Z").unwrap(),
            "sent Friday evening: {notified}"
        );
        let acks = sent(&trace, MessageKind::Acknowledgement, "borealia");
        assert_eq!(acks.len(), 1, "seed {seed}: one acknowledgement");
        let acked = start.plus(acks[0].0);
        assert!(
            acked >= monday_9_local,
            "seed {seed}: acknowledged {acked}, before Monday 09:00 local"
        );
        // Thirty minutes of on-duty work after the desk opens.
        assert_eq!(acked, monday_9_local.plus(30 * 60));
        assert_eq!(
            acks[0].1.level, notes[0].1.level,
            "through the matching PoC"
        );
    }
}

#[test]
fn an_unreachable_poc_never_acknowledges() {
    let ron = FRIDAY.replace(
        r#"Poc(level: Technical, hours: "Mon-Fri 09:00-18:00", latency: Fixed("30m"))"#,
        r#"Poc(level: Technical, status: Unreachable)"#,
    );
    for seed in 0..20 {
        let trace = run(&ron, seed);
        assert!(
            sent(&trace, MessageKind::Acknowledgement, "borealia").is_empty(),
            "seed {seed}"
        );
        let bounced = trace.records.iter().any(|r| {
            matches!(&r.event, TraceEvent::DeliveryFailed { reason, .. } if reason.contains("borealia/technical: unreachable"))
        });
        assert!(bounced, "seed {seed}: the notification bounces");
    }
}

/// A notification that bounces at the technical PoC is sent again through the diplomatic one an
/// hour later, once per incident, by the notifying state's bot (`comms.rs::fall_back`).
#[test]
fn a_bounced_notification_is_resent_once_per_incident_through_the_diplomatic_poc() {
    let ron = FRIDAY
        .replace(
            r#"Poc(level: Technical, hours: "Mon-Fri 09:00-18:00", latency: Fixed("30m"))"#,
            r#"Poc(level: Technical, status: Stale), Poc(level: Diplomatic, latency: Fixed("30m"))"#,
        )
        .replace(
            r#"injects: [Inject(at: "T+2h", event: Incident(id: "inc-1", target: "hospital", by: "gang", severity: 4))],"#,
            r#"infrastructure: [Infra(id: "hospital", state: "aurelia", sector: Health), Infra(id: "bank", state: "aurelia", sector: Finance)],
    injects: [
        Inject(at: "T+2h", event: Incident(id: "inc-1", target: "hospital", by: "gang", severity: 4)),
        Inject(at: "T+3h", event: Incident(id: "inc-2", target: "bank", by: "gang", severity: 4)),
    ],"#,
        )
        .replace(
            r#"    infrastructure: [Infra(id: "hospital", state: "aurelia", sector: Health)],
"#,
            "",
        );
    use ttx_scenario::PocLevel;
    for seed in 0..5 {
        let trace = run(&ron, seed);
        let notes = sent(&trace, MessageKind::IncidentNotification, "aurelia");
        let bounced_at = |id: &str| {
            trace.records.iter().find_map(|r| match &r.event {
                TraceEvent::DeliveryFailed { msg, .. } if *msg == id => Some(r.t),
                _ => None,
            })
        };
        for incident in ["inc-1", "inc-2"] {
            let about: Vec<_> = notes
                .iter()
                .filter(|(_, m)| m.about.is_some_and(|a| a == incident))
                .collect();
            let technical: Vec<_> = about
                .iter()
                .filter(|(_, m)| m.level == Some(PocLevel::Technical))
                .collect();
            let diplomatic: Vec<_> = about
                .iter()
                .filter(|(_, m)| m.level == Some(PocLevel::Diplomatic))
                .collect();
            assert!(!technical.is_empty(), "seed {seed}: {incident} notified");
            assert_eq!(diplomatic.len(), 1, "seed {seed}: {incident} resent once");
            let first = &technical[0].1;
            let bounce = bounced_at(first.msg.as_str()).expect("the technical PoC is stale");
            let (t, again) = diplomatic[0];
            assert_eq!(again.refers_to, Some(first.msg), "seed {seed}: {incident}");
            assert_eq!(
                *t,
                bounce + 3600,
                "seed {seed}: {incident} an hour after the bounce"
            );
            // The bot's legal requests fall back too (norm d); its notifications once.
            let said = format!(
                "{} bounced; resending through the diplomatic PoC",
                first.msg
            );
            let fall_backs = trace
                .records
                .iter()
                .filter(|r| matches!(&r.event, TraceEvent::Decision { decision, detail, .. } if *decision == "fall-back" && *detail == said))
                .count();
            assert_eq!(fall_backs, 1, "seed {seed}: {incident}");
        }
    }
}

#[test]
fn a_power_plant_outage_degrades_the_hospital_that_depends_on_it() {
    let ron = r#"Scenario(
        name: "cascade", start: "2026-03-06T16:00:00Z", duration: "2d",
        states: [State(id: "aurelia")],
        infrastructure: [
            Infra(id: "plant", state: "aurelia", sector: Energy),
            Infra(id: "hospital", state: "aurelia", sector: Health, depends_on: ["plant"], backup: "2h"),
            Infra(id: "school", state: "aurelia", sector: Education),
        ],
        injects: [Inject(at: "T+1h", event: Outage(infra: "plant", duration: "12h"))],
    )"#;
    let trace = run(ron, 1);
    let changes: Vec<(
        i64,
        ttx_scenario::Name,
        InfraStatus,
        Option<ttx_scenario::Name>,
    )> = trace
        .records
        .iter()
        .filter_map(|r| match &r.event {
            TraceEvent::InfraChanged {
                infra,
                status,
                cause,
            } => Some((r.t, *infra, *status, *cause)),
            _ => None,
        })
        .collect();
    let h = 3600;
    assert_eq!(
        changes,
        vec![
            (
                h,
                "plant".into(),
                InfraStatus::Disrupted,
                Some("inj-1".into())
            ),
            (
                3 * h,
                "hospital".into(),
                InfraStatus::Degraded,
                Some("plant".into())
            ),
            (
                13 * h,
                "plant".into(),
                InfraStatus::Restored,
                Some("inj-1".into())
            ),
            (
                13 * h,
                "hospital".into(),
                InfraStatus::Restored,
                Some("plant".into())
            ),
        ]
    );
}

#[test]
fn an_outage_shorter_than_the_backup_does_not_reach_the_dependent() {
    let ron = r#"Scenario(
        name: "short", start: "2026-03-06T16:00:00Z", duration: "1d",
        states: [State(id: "aurelia")],
        infrastructure: [
            Infra(id: "plant", state: "aurelia", sector: Energy),
            Infra(id: "hospital", state: "aurelia", sector: Health, depends_on: ["plant"], backup: "6h"),
        ],
        injects: [Inject(at: "T+1h", event: Outage(infra: "plant", duration: "2h"))],
    )"#;
    let trace = run(ron, 1);
    let hospital_hit = trace
        .records
        .iter()
        .any(|r| matches!(&r.event, TraceEvent::InfraChanged { infra, .. } if infra == "hospital"));
    assert!(!hospital_hit, "backup power rides out a two-hour outage");
}

#[test]
fn a_busy_cert_queues_the_second_incident() {
    let ron = r#"Scenario(
        name: "queue", start: "2026-03-06T16:00:00Z", duration: "3d",
        states: [State(id: "aurelia", cert: Cert(analysts: 1, detect: Fixed("1h"), contain: Fixed("10h")))],
        infrastructure: [Infra(id: "a", state: "aurelia", sector: Health), Infra(id: "b", state: "aurelia", sector: Water)],
        actors: [ThreatActor(id: "gang", kind: Criminal, operates_from: "aurelia")],
        injects: [
            Inject(at: "T+0", event: Incident(id: "i1", target: "a", by: "gang", severity: 3)),
            Inject(at: "T+1h", event: Incident(id: "i2", target: "b", by: "gang", severity: 3)),
        ],
    )"#;
    let trace = run(ron, 1);
    let at = |pred: &dyn Fn(&TraceEvent) -> bool| {
        trace.records.iter().find(|r| pred(&r.event)).map(|r| r.t)
    };
    assert_eq!(
        at(&|e| matches!(e, TraceEvent::Queued { incident, .. } if incident == "i2")),
        Some(2 * 3600)
    );
    // i1 handled from T+1h, contained at T+11h; then the single analyst takes i2 for ten hours.
    assert_eq!(
        at(&|e| matches!(e, TraceEvent::IncidentEnded { incident, .. } if incident == "i1")),
        Some(11 * 3600)
    );
    assert_eq!(
        at(&|e| matches!(e, TraceEvent::IncidentEnded { incident, .. } if incident == "i2")),
        Some(21 * 3600)
    );
}

#[test]
fn a_condition_inject_fires_only_when_no_acknowledgement_arrives() {
    let with_condition = |ack: f64| {
        FRIDAY.replace("ack_probability: 1.0", &format!("ack_probability: {ack}")).replace(
            "injects: [",
            r#"injects: [Inject(id: "nudge", when: NoAcknowledgement(incident: "inc-1", by: "borealia", within: "24h"),
                        event: Message(text: "still no answer")),
                        "#,
        )
    };
    let fired = |trace: &Trace| {
        trace.records.iter().find_map(|r| match &r.event {
            TraceEvent::InjectFired { inject, .. } if inject == "nudge" => Some(r.t),
            _ => None,
        })
    };
    // Acknowledged only on Monday: more than 24 hours after Friday's notification, so it fires.
    let late = run(&with_condition(1.0), 1);
    let notified = sent(&late, MessageKind::IncidentNotification, "aurelia")[0].0;
    assert_eq!(fired(&late), Some(notified + 24 * 3600 + 1));
    let never = run(&with_condition(0.0), 1);
    assert!(fired(&never).is_some());
    // A 24/7 desk acknowledges within half an hour: the inject never fires.
    let prompt = run(
        &with_condition(1.0).replace("Mon-Fri 09:00-18:00", "24/7"),
        1,
    );
    assert!(!sent(&prompt, MessageKind::Acknowledgement, "borealia").is_empty());
    assert_eq!(fired(&prompt), None);
}

#[test]
fn a_cert_whose_own_systems_are_down_works_with_half_its_team() {
    let ron = |outage: bool| {
        let inject = if outage {
            r#"Inject(at: "T+0", event: Outage(infra: "cert-systems", duration: "2d")),"#
        } else {
            ""
        };
        format!(
            r#"Scenario(
            name: "cert-down", start: "2026-03-06T16:00:00Z", duration: "3d",
            states: [State(id: "aurelia", cert: Cert(analysts: 2, detect: Fixed("1h"), contain: Fixed("10h")))],
            infrastructure: [
                Infra(id: "cert-systems", state: "aurelia", sector: CertSystems),
                Infra(id: "a", state: "aurelia", sector: Health),
                Infra(id: "b", state: "aurelia", sector: Water),
            ],
            actors: [ThreatActor(id: "gang", kind: Criminal, operates_from: "aurelia")],
            injects: [{inject}
                Inject(at: "T+1h", event: Incident(id: "i1", target: "a", by: "gang", severity: 3)),
                Inject(at: "T+1h", event: Incident(id: "i2", target: "b", by: "gang", severity: 3)),
            ],
        )"#
        )
    };
    let queued = |trace: &Trace| {
        trace
            .records
            .iter()
            .any(|r| matches!(&r.event, TraceEvent::Queued { incident, .. } if incident == "i2"))
    };
    assert!(
        !queued(&run(&ron(false), 1)),
        "two analysts handle both incidents"
    );
    assert!(
        queued(&run(&ron(true), 1)),
        "with its systems down the CERT has one analyst free"
    );
}
