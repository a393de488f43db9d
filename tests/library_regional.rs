//! The regional and directory scenarios of the library (UN-wide PoC directory, Ibero-American
//! drill, CIS): each, over a few seeds, shows the behaviour it was written to exercise.

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};
use ttx_scenario::trace::{EndReason, InfraStatus};
use ttx_scenario::{MessageKind, PocLevel, PocStatus, TraceEvent};

/// The UN-wide ping test: 193 states, both levels pinged, reply rates per level differ, and
/// every stale or unreachable directory entry bounces every ping sent to it.
#[test]
fn un_poc_directory_pings_193_states_at_both_levels_and_reply_rates_differ_by_level() {
    let sc = scenario("un-poc-directory");
    assert_eq!(sc.states.len(), 193);
    let ids: BTreeSet<&str> = sc.states.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), 193);
    for s in &sc.states {
        assert!(!s.name.is_empty(), "{}", s.id);
        assert!(s.poc(PocLevel::Technical).is_some() && s.poc(PocLevel::Diplomatic).is_some());
        assert!(s.orgs.iter().any(|o| o == "un-poc-directory"));
    }
    let broken: BTreeSet<String> = sc
        .states
        .iter()
        .flat_map(|s| {
            s.pocs
                .iter()
                .filter(|p| p.status != PocStatus::Active)
                .map(|p| p.id_for(&s.id))
        })
        .collect();
    assert!(
        (10..=15).contains(&broken.len()),
        "about a dozen broken entries"
    );

    for (seed, t) in runs("un-poc-directory", 1..4) {
        let pings: BTreeMap<&str, (&str, PocLevel, i64)> = sent_kind(&t, MessageKind::Ping)
            .into_iter()
            .map(|(at, m)| {
                assert_eq!(m.from, "un-poc-directory");
                (
                    m.msg.as_str(),
                    (m.about.as_deref().unwrap(), m.level.unwrap(), at),
                )
            })
            .collect();
        let per = |about: &str, level: PocLevel| {
            pings
                .values()
                .filter(|(a, l, _)| *a == about && *l == level)
                .count()
        };
        assert_eq!(per("ping-1", PocLevel::Technical), 193, "seed {seed}");
        assert_eq!(per("ping-1", PocLevel::Diplomatic), 193, "seed {seed}");
        assert_eq!(per("ping-2", PocLevel::Technical), 193, "seed {seed}");
        assert_eq!(per("ping-2", PocLevel::Diplomatic), 0, "seed {seed}");

        // Reply rate within 24 hours, per level, for the opening check.
        let mut replied = BTreeMap::new();
        for (at, m) in sent_kind(&t, MessageKind::PingReply) {
            let (about, level, pinged) = pings[m.refers_to.as_deref().unwrap()];
            assert_eq!(
                m.level,
                Some(level),
                "a reply comes back through the same PoC level"
            );
            if about == "ping-1" && at - pinged <= 24 * 3600 {
                *replied.entry(level).or_insert(0usize) += 1;
            }
        }
        let rate = |l| replied.get(&l).copied().unwrap_or(0) as f64 / 193.0;
        let (tech, dipl) = (rate(PocLevel::Technical), rate(PocLevel::Diplomatic));
        assert!(
            tech > dipl + 0.03,
            "seed {seed}: technical {tech:.3} vs diplomatic {dipl:.3}"
        );
        assert!(tech > 0.8 && dipl > 0.6, "seed {seed}: {tech:.3} {dipl:.3}");

        // Exactly the broken entries bounce, every time they are pinged.
        let mut bounces: BTreeMap<String, usize> = BTreeMap::new();
        for (_, e) in events(&t) {
            if let TraceEvent::DeliveryFailed { msg, reason, .. } = e {
                assert!(pings.contains_key(msg.as_str()));
                let poc = reason.split(':').next().unwrap().to_string();
                *bounces.entry(poc).or_default() += 1;
            }
        }
        assert_eq!(
            bounces.keys().cloned().collect::<BTreeSet<_>>(),
            broken,
            "seed {seed}"
        );
        for (poc, n) in bounces {
            let want = if poc.ends_with("/technical") { 2 } else { 1 };
            assert_eq!(n, want, "seed {seed}: {poc}");
        }
    }
}

/// The Ibero-American drill: the 22 states of the Cartagena communiqué, all in the regional
/// network; its pings reach all of them and the incident traffic stays among members.
#[test]
fn iberoamerican_drill_has_the_22_states_and_traffic_crosses_the_regional_network() {
    let sc = scenario("iberoamerican-cert-drill");
    let members: BTreeSet<&str> = sc
        .states
        .iter()
        .filter(|s| s.orgs.iter().any(|o| o == "ib-cyber"))
        .map(|s| s.id.as_str())
        .collect();
    let expected: BTreeSet<&str> = [
        "andorra",
        "argentina",
        "bolivia",
        "brazil",
        "chile",
        "colombia",
        "costa-rica",
        "cuba",
        "dominican-republic",
        "ecuador",
        "el-salvador",
        "guatemala",
        "honduras",
        "mexico",
        "nicaragua",
        "panama",
        "paraguay",
        "peru",
        "portugal",
        "spain",
        "uruguay",
        "venezuela",
    ]
    .into_iter()
    .collect();
    assert_eq!(sc.states.len(), 22);
    assert_eq!(members, expected);
    for (seed, t) in runs("iberoamerican-cert-drill", 0..4) {
        let pinged: BTreeSet<&str> = sent_kind(&t, MessageKind::Ping)
            .into_iter()
            .filter(|(_, m)| m.from == "ib-cyber" && m.about.as_deref() == Some("ping-1"))
            .map(|(_, m)| m.to.as_str())
            .collect();
        assert_eq!(pinged, expected, "seed {seed}");
        let replies = sent_kind(&t, MessageKind::PingReply)
            .into_iter()
            .filter(|(_, m)| m.to == "ib-cyber")
            .map(|(_, m)| m.from.as_str())
            .collect::<BTreeSet<_>>();
        assert!(
            replies.len() >= 18,
            "seed {seed}: {} states replied",
            replies.len()
        );
        let notes = sent_kind(&t, MessageKind::IncidentNotification);
        assert!(
            notes
                .iter()
                .any(|(_, m)| m.from == "costa-rica" && m.to == "brazil"),
            "seed {seed}: the notification crosses the network"
        );
        for kind in [
            MessageKind::IncidentNotification,
            MessageKind::AssistanceRequest,
            MessageKind::InformationShare,
        ] {
            for (_, m) in sent_kind(&t, kind) {
                assert!(
                    members.contains(m.from.as_str()) && members.contains(m.to.as_str()),
                    "seed {seed}: {} {:?} leaves the network",
                    m.msg,
                    kind
                );
            }
        }
    }
}

/// The CIS scenario: a disruption of a shared critical information resource reaches other
/// members' national segments, and the member whose territory is used asks CIS partners for help
/// and, in some seeds, stops the activity with it.
#[test]
fn cis_backbone_disruption_reaches_neighbours_and_tajikistan_asks_cis_partners_for_help() {
    let sc = scenario("cis-critical-resources");
    let members: BTreeSet<&str> = sc
        .states
        .iter()
        .filter(|s| s.orgs.iter().any(|o| o == "cis"))
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(members.len(), sc.states.len());
    let (mut asked, mut mitigated) = (0, 0);
    for (seed, t) in runs("cis-critical-resources", 0..8) {
        for segment in ["kg-national-segment", "tj-national-segment"] {
            assert!(
                events(&t).any(|(_, e)| matches!(e,
                    TraceEvent::InfraChanged { infra, status: InfraStatus::Degraded, cause: Some(c) }
                        if infra == segment && c == "kz-transit-backbone")),
                "seed {seed}: {segment} does not feel the backbone"
            );
        }
        let requests = sent_kind(&t, MessageKind::AssistanceRequest);
        for (_, m) in &requests {
            assert!(members.contains(m.to.as_str()), "seed {seed}: {}", m.to);
        }
        asked += requests
            .iter()
            .any(|(_, m)| m.from == "tajikistan" && m.about.as_deref() == Some("inc-1"))
            as usize;
        mitigated += events(&t).any(|(_, e)| {
            matches!(e, TraceEvent::IncidentEnded { incident, state, how: EndReason::Mitigated }
                if incident == "inc-1" && state == "tajikistan")
        }) as usize;
    }
    assert!(
        asked >= 6,
        "tajikistan asked for help in {asked} of 8 seeds"
    );
    assert!(
        mitigated >= 2,
        "tajikistan mitigated in {mitigated} of 8 seeds"
    );
}
