//! The bundled scenario library: every scenario validates, runs from the command line and carries
//! a header and objectives; and each one, run over a few seeds, shows the behaviour it was written
//! to exercise. The runs are in-process and short, so the whole file takes a few seconds in debug.

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{
    MeasureKind, Message, MessageKind, PocLevel, PocStatus, Sector, TraceEvent, library,
};

const NEW: [&str; 10] = [
    "election-vote-count",
    "backdoored-firmware",
    "cert-under-attack",
    "un-poc-directory",
    "interconnector-cascade",
    "ransomware-evidence",
    "disinformation-shutdown",
    "iberoamerican-cert-drill",
    "cis-critical-resources",
    "itu-capacity-assistance",
];

#[test]
fn the_library_holds_the_issue_list_with_the_default_first() {
    let names = library::names();
    assert_eq!(names[0], library::DEFAULT);
    assert_eq!(library::DEFAULT, "hospital-ransomware");
    for n in NEW
        .iter()
        .chain(&["hospital-ransomware", "false-flag", "poc-ping-test"])
    {
        assert!(names.contains(n), "{n} is not bundled");
    }
    assert!(names.len() >= 12);
}

#[test]
fn every_bundled_scenario_validates_and_runs_under_ttx_run() {
    let files: Vec<String> = library::all().iter().map(|b| b.file.to_string()).collect();
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let o = ttx(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches(": ok (").count(), files.len());
    for b in library::all() {
        let o = ttx(&["run", b.name, "--seed", "3"]);
        assert!(o.status.success(), "{}: {}", b.name, stderr(&o));
        let out = stdout(&o);
        assert!(out.contains(b.name) && out.contains("END"), "{}", b.name);
    }
}

#[test]
fn a_study_scores_each_run_as_ttx_score_would() {
    // Studies score with the hash the simulation computed once, through one `Scorer` per
    // scenario kept for every run; that must be the scenario's own hash, and a scorer that has
    // scored other runs must give the scorecard `ttx score` gives.
    for b in library::all() {
        let sc = b.load().unwrap();
        let sim = ttx_sim::Simulation::new(&sc).unwrap();
        assert_eq!(sim.scenario_hash(), sc.content_hash(), "{}", b.name);
        let scorer = ttx_scoring::Scorer::with_hash(sim.scenario(), sim.scenario_hash().into());
        for seed in [3, 4] {
            let trace = sim.run(seed);
            let before = scorer.score(sim.scenario(), &sim.run(seed + 10));
            let once = scorer.score(sim.scenario(), &trace);
            let each = ttx_scoring::score(&sc, &trace);
            assert!(once.warnings.is_empty(), "{}: {:?}", b.name, once.warnings);
            assert_eq!(
                serde_json::to_string(&once).unwrap(),
                serde_json::to_string(&each).unwrap(),
                "{} seed {seed}",
                b.name
            );
            assert_eq!(before.seed, seed + 10);
        }
    }
}

/// A scorer holds one scenario's names; handed a scenario of another shape it stops rather than
/// score one scenario's trace under the other's states.
#[test]
fn a_scorer_refuses_a_scenario_of_another_shape() {
    let load = |name: &str| library::find(name).unwrap().load().unwrap();
    let (default, directory) = (load("hospital-ransomware"), load("un-poc-directory"));
    let scorer = ttx_scoring::Scorer::new(&default);
    let trace = ttx_sim::Simulation::new(&directory).unwrap().run(1);
    let scored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        scorer.tally(&directory, &trace)
    }));
    assert!(scored.is_err());
    let own = ttx_sim::Simulation::new(&default).unwrap().run(1);
    assert!(scorer.score(&default, &own).warnings.is_empty());
}

#[test]
fn every_bundled_scenario_has_a_header_and_rated_objectives() {
    for b in library::all() {
        let header: String = b
            .source
            .lines()
            .take_while(|l| l.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for part in [
            "Purpose:",
            "Audience:",
            "Seed paragraphs:",
            "Learning objectives:",
        ] {
            assert!(header.contains(part), "{}: header lacks {part:?}", b.name);
        }
        assert!(
            !b.summary().is_empty() && b.summary().len() <= 120,
            "{}",
            b.name
        );
        let sc = b.load().unwrap();
        assert_eq!(sc.name, b.name);
        assert!(!sc.objectives.is_empty(), "{}: no objectives", b.name);
        for e in &sc.expectations {
            assert!(
                e.objective.is_some() && e.norm.is_some(),
                "{}: expectation {} needs an objective and a norm",
                b.name,
                e.id
            );
        }
    }
    // The start instant of each library scenario is chosen deliberately and the file says why,
    // next to it.
    for name in NEW {
        let source = library::find(name).unwrap().source;
        let lines: Vec<&str> = source.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.trim_start().starts_with("start:"))
            .unwrap();
        assert!(
            lines[at].contains("//") || lines[at - 1].trim_start().starts_with("//"),
            "{name}: comment the choice of start instant"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The three scenarios that predate the library.

#[test]
fn hospital_ransomware_sends_the_non_responsive_host_a_notification_and_an_evidence_request() {
    for (seed, t) in runs("hospital-ransomware", 0..4) {
        for kind in [MessageKind::IncidentNotification, MessageKind::LegalRequest] {
            assert!(
                sent_kind(&t, kind)
                    .iter()
                    .any(|(_, m)| m.from == "aurelia" && m.to == "borealia"),
                "seed {seed}: no {kind:?} to borealia"
            );
        }
    }
}

#[test]
fn false_flag_plants_findings_that_point_at_ostravia() {
    for (seed, t) in runs("false-flag", 0..4) {
        let planted = events(&t).any(|(_, e)| {
            matches!(e, TraceEvent::Finding { planted: true, points_to: Some(p), .. } if p == "ostravia")
        });
        assert!(planted, "seed {seed}: no planted finding");
        let truth = events(&t).any(|(_, e)| {
            matches!(e, TraceEvent::IncidentStarted { directed_by: Some(d), territory, .. }
                if d == "marrenland" && territory == "pelagia")
        });
        assert!(
            truth,
            "seed {seed}: the botnet is directed by marrenland from pelagia"
        );
    }
}

#[test]
fn poc_ping_test_bounces_exactly_the_three_broken_entries() {
    for (seed, t) in runs("poc-ping-test", 0..2) {
        let bounced: BTreeSet<&str> = events(&t)
            .filter_map(|(_, e)| match e {
                TraceEvent::DeliveryFailed { reason, .. } => reason.split(':').next(),
                _ => None,
            })
            .collect();
        let expected: BTreeSet<&str> = [
            "jorvik/diplomatic",
            "quintara/technical",
            "tavora/technical",
        ]
        .into_iter()
        .collect();
        assert_eq!(bounced, expected, "seed {seed}");
    }
}

// ---------------------------------------------------------------------------------------------
// The scenarios of the library issue, one behaviour each.

/// Election night: the ground truth the scorecard needs for a norm f violation by Varangia —
/// an operation it directs against election infrastructure of another state.
#[test]
fn election_vote_count_records_an_operation_directed_by_varangia_against_elections_infrastructure()
{
    for (seed, t) in runs("election-vote-count", 0..6) {
        let against_elections: Vec<_> = events(&t)
            .filter_map(|(_, e)| match e {
                TraceEvent::IncidentStarted {
                    sector: Sector::Elections,
                    target_state,
                    directed_by,
                    territory,
                    ..
                } => Some((
                    target_state.as_str(),
                    directed_by.as_deref(),
                    territory.as_str(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            against_elections.len(),
            2,
            "seed {seed}: two attacks on the count"
        );
        for (victim, director, territory) in against_elections {
            assert_eq!(victim, "meridia");
            assert_eq!(
                director,
                Some("varangia"),
                "seed {seed}: directed by the attacker"
            );
            assert_ne!(
                territory, "varangia",
                "seed {seed}: run through a proxy abroad"
            );
        }
        // Meridia notifies the state whose territory is used, not the hidden sponsor.
        let notes = sent_kind(&t, MessageKind::IncidentNotification);
        assert!(
            notes
                .iter()
                .any(|(_, m)| m.from == "meridia" && m.to == "ostmark"),
            "seed {seed}"
        );
        assert!(
            !notes.iter().any(|(_, m)| m.to == "varangia"),
            "seed {seed}"
        );
    }
}

/// Norms i and j: the vendor's state sometimes exploits the backdoor and sometimes tells the
/// users' CERTs — never both — and the researchers' state always finds the vulnerability.
#[test]
fn backdoored_firmware_is_exploited_by_the_vendor_state_in_some_seeds_and_disclosed_in_others() {
    let (mut exploited, mut disclosed) = (0, 0);
    for (seed, t) in runs("backdoored-firmware", 0..12) {
        let exp = events(&t).any(|(_, e)| {
            matches!(e, TraceEvent::Exploited { item, state } if item == "sc-1" && state == "cassia")
        });
        let reports: BTreeSet<&str> = sent_kind(&t, MessageKind::VulnerabilityReport)
            .into_iter()
            .filter(|(_, m)| m.from == "cassia" && m.about.as_deref() == Some("sc-1"))
            .map(|(_, m)| m.to.as_str())
            .collect();
        assert!(
            exp == reports.is_empty(),
            "seed {seed}: exactly one of exploit or disclose"
        );
        if !reports.is_empty() {
            assert_eq!(
                reports,
                BTreeSet::from(["dalmar", "elvora"]),
                "seed {seed}: every user is told"
            );
        }
        exploited += exp as usize;
        disclosed += !reports.is_empty() as usize;
        assert!(events(&t).any(|(_, e)| matches!(e,
            TraceEvent::VulnerabilityFound { item, state, vendor_state, .. }
                if item == "vuln-1" && state == "elvora" && vendor_state == "cassia")));
    }
    assert!(exploited >= 2, "exploited in only {exploited} of 12 seeds");
    assert!(disclosed >= 2, "disclosed in only {disclosed} of 12 seeds");
}

/// Norm k: an operation directed by another state, from its own CERT, hits Halvard's CERT
/// systems; the CERT's technical PoC goes dark with them and replies sent to it bounce.
#[test]
fn cert_under_attack_hits_cert_systems_from_another_states_cert_and_takes_the_hotline_down() {
    let mut bounced = 0;
    for (seed, t) in runs("cert-under-attack", 0..6) {
        let (at, _) = events(&t)
            .find(|(_, e)| {
                matches!(e, TraceEvent::IncidentStarted {
                sector: Sector::CertSystems, target_state, directed_by: Some(d), uses_cert: true, ..
            } if target_state == "halvard" && d == "oskarra")
            })
            .unwrap_or_else(|| panic!("seed {seed}: no operation on CERT systems"));
        let dark = events(&t).any(|(t2, e)| {
            (at..=at + 60).contains(&t2)
                && matches!(e, TraceEvent::PocChanged { state, level: PocLevel::Technical,
                    status: PocStatus::Unreachable, .. } if state == "halvard")
        });
        assert!(
            dark,
            "seed {seed}: the hotline goes down with the CERT systems"
        );
        bounced += events(&t)
            .any(|(_, e)| matches!(e, TraceEvent::DeliveryFailed { to, .. } if to == "halvard"))
            as usize;
    }
    assert!(
        bounced >= 4,
        "replies to halvard bounced in only {bounced} of 6 seeds"
    );
}
/// A fault on shared infrastructure: each dependent, in whichever state, degrades exactly when
/// its own backup runs out after what it depends on went down (A/75/816 ¶18).
#[test]
fn interconnector_cascade_degrades_dependents_in_other_states_after_their_backup() {
    let sc = scenario("interconnector-cascade");
    let owner = &sc.infra("northlink").unwrap().state;
    for (seed, t) in runs("interconnector-cascade", 0..4) {
        let mut down: BTreeMap<&str, (i64, Option<&str>)> = BTreeMap::new();
        for (at, e) in events(&t) {
            if let TraceEvent::InfraChanged {
                infra,
                status,
                cause,
            } = e
                && matches!(status, InfraStatus::Degraded | InfraStatus::Disrupted)
            {
                down.entry(infra.as_str()).or_insert((at, cause.as_deref()));
            }
        }
        assert_eq!(down["northlink"], (0, Some("inj-trip")), "seed {seed}");
        let mut abroad = BTreeSet::new();
        for x in sc
            .infrastructure
            .iter()
            .filter(|x| !x.depends_on.is_empty())
        {
            assert!(
                x.backup.0 > 0,
                "{}: every dependent rides out a while",
                x.id
            );
            let dep = x.depends_on[0].as_str();
            let (dep_down, _) = down[dep];
            let (at, cause) = down
                .get(x.id.as_str())
                .copied()
                .unwrap_or_else(|| panic!("seed {seed}: {} never degraded", x.id));
            assert_eq!(
                cause,
                Some(dep),
                "seed {seed}: {} degrades because of {dep}",
                x.id
            );
            assert_eq!(
                at,
                dep_down + x.backup.0,
                "seed {seed}: {} after its backup",
                x.id
            );
            if &x.state != owner {
                abroad.insert(x.state.as_str());
            }
        }
        assert_eq!(abroad, BTreeSet::from(["brenn", "calda"]), "seed {seed}");
    }
}

/// Norm d: the victim asks both states of origin to preserve evidence; the cooperative one
/// answers far more often than the non-responsive one.
#[test]
fn ransomware_evidence_sends_legal_requests_that_are_answered_in_some_seeds() {
    let (mut morvia, mut nerith) = (0, 0);
    for (seed, t) in runs("ransomware-evidence", 0..10) {
        let requests = sent_kind(&t, MessageKind::LegalRequest);
        for (to, inc) in [("morvia", "inc-1"), ("nerith", "inc-2")] {
            let req = requests
                .iter()
                .find(|(_, m)| m.from == "lystra" && m.to == to && m.about.as_deref() == Some(inc))
                .unwrap_or_else(|| panic!("seed {seed}: no legal request to {to}"));
            assert_eq!(req.1.level, Some(PocLevel::Technical));
            let answered = sent_kind(&t, MessageKind::LegalReply)
                .iter()
                .any(|(_, r)| r.from == to && r.refers_to.as_deref() == Some(req.1.msg.as_str()));
            if to == "morvia" {
                morvia += answered as usize;
            } else {
                nerith += answered as usize;
            }
        }
    }
    assert!(morvia >= 7, "morvia answered in {morvia} of 10 seeds");
    assert!(nerith < morvia, "nerith {nerith} vs morvia {morvia}");
}

/// Norm e: the hawkish target answers the campaign with an internet shutdown in most seeds, at the
/// cost of its own mobile networks; the cooperative target of the same campaign never does.
#[test]
fn disinformation_shutdown_hawkish_state_shuts_the_internet_down_in_most_seeds() {
    let mut shutdowns = 0;
    for (seed, t) in runs("disinformation-shutdown", 0..10) {
        let measures: Vec<&Message> = sent_kind(&t, MessageKind::Measure)
            .into_iter()
            .filter(|(_, m)| m.measure == Some(MeasureKind::InternetShutdown))
            .map(|(_, m)| m)
            .collect();
        assert!(measures.iter().all(|m| m.from == "pyrrhia"), "seed {seed}");
        shutdowns += !measures.is_empty() as usize;
        // A shutdown has a cost at home: Pyrrhia's mobile networks degrade with it.
        let mobile_down = events(&t).any(|(_, e)| {
            matches!(e, TraceEvent::InfraChanged { infra, cause: Some(c), .. }
                if infra == "pyrrhia-mobile" && measures.iter().any(|m| m.msg == *c))
        });
        assert_eq!(mobile_down, !measures.is_empty(), "seed {seed}");
        let counter_speech = events(&t).any(|(_, e)| {
            matches!(e, TraceEvent::Decision { actor, decision, .. }
                if actor == "quenland" && decision == "counter-speech")
        });
        assert!(
            counter_speech,
            "seed {seed}: quenland answers with information"
        );
    }
    assert!(shutdowns >= 8, "shutdown in only {shutdowns} of 10 seeds");
}

/// Capacity building: the developing state's one-analyst CIRT queues work, asks its programme
/// partners for assistance and receives it.
#[test]
fn itu_capacity_developing_state_requests_and_receives_assistance() {
    let sc = scenario("itu-capacity-assistance");
    let lumeria = sc.state("lumeria").unwrap();
    assert_eq!(lumeria.capacity, ttx_scenario::Capacity::Developing);
    let (mut helped, mut queued) = (0, 0);
    for (seed, t) in runs("itu-capacity-assistance", 0..8) {
        let asked: BTreeSet<&str> = sent_kind(&t, MessageKind::AssistanceRequest)
            .into_iter()
            .filter(|(_, m)| m.from == "lumeria")
            .filter_map(|(_, m)| m.about.as_deref())
            .collect();
        assert!(
            !asked.is_empty(),
            "seed {seed}: lumeria never asked for help"
        );
        let delivered = sent_kind(&t, MessageKind::AssistanceDelivered)
            .into_iter()
            .any(|(_, m)| m.to == "lumeria" && asked.contains(m.about.as_deref().unwrap_or("")));
        helped += delivered as usize;
        queued += events(&t)
            .any(|(_, e)| matches!(e, TraceEvent::Queued { state, .. } if state == "lumeria"))
            as usize;
    }
    assert!(
        helped >= 6,
        "assistance reached lumeria in {helped} of 8 seeds"
    );
    assert!(
        queued >= 4,
        "lumeria's single analyst queued work in {queued} of 8 seeds"
    );
}

#[test]
fn the_new_scenarios_put_no_real_state_behind_an_attack() {
    // Real states appear only in the three regional and directory scenarios, and there no actor is
    // directed by a state.
    for name in [
        "un-poc-directory",
        "iberoamerican-cert-drill",
        "cis-critical-resources",
    ] {
        let sc = scenario(name);
        assert!(
            sc.actors.iter().all(|a| a.directed_by.is_none()),
            "{name}: an actor is directed by a real state"
        );
    }
}

#[test]
fn every_bundled_scenario_runs_as_a_batch_of_100() {
    let dir = TempDir::new("library-batch");
    for name in library::names() {
        let out = dir.path().join(name);
        let o = ttx(&[
            "batch",
            name,
            "--runs",
            "100",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let rows = std::fs::read_to_string(out.join("runs.csv")).unwrap();
        assert_eq!(rows.lines().count(), 101, "{name}: one row per run");
        assert!(
            rows.lines().skip(1).all(|l| l.contains(",ok,")),
            "{name}: every run succeeded"
        );
        assert!(
            out.join("summary.json").is_file() && out.join("report.html").is_file(),
            "{name}"
        );
    }
}
