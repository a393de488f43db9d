//! End to end: the bundled false-flag scenario is a misattribution generator. Planted evidence
//! points at Ostravia while Marrenland directs the botnet; hawkish Valdoria publicly attributes
//! on some seeds to the wrong state and on others to the right one (or not at all). Scoring must
//! tell these apart from the ground truth in the trace, and every misattribution it reports must
//! point at a public statement whose `attributes_to` differs from the incident's `directed_by`.

use ttx_scenario::{MessageKind, Name, TraceEvent, library};
use ttx_scoring::norms::{Outcome, VerdictStatus};

#[test]
fn false_flag_misattribution_by_valdoria_on_some_seeds_and_not_others() {
    let sc = library::find("false-flag").unwrap().load().unwrap();
    let sim = ttx_sim::Simulation::new(&sc).unwrap();
    let (mut misattributed, mut not) = (Vec::new(), Vec::new());
    for seed in 1..=40 {
        let trace = sim.run(seed);
        let card = ttx_scoring::score(&sc, &trace);
        assert!(card.warnings.is_empty(), "seed {seed}: {:?}", card.warnings);
        for m in &card.escalation.misattributions {
            let TraceEvent::MessageSent(statement) = &trace.records[m.n as usize - 1].event else {
                panic!("seed {seed}: record {} is not a message", m.n);
            };
            assert_eq!(statement.kind, MessageKind::PublicStatement, "seed {seed}");
            let accused = statement.attributes_to.as_deref().expect("an attribution");
            assert_eq!(accused, m.attributed_to);
            assert_eq!(statement.from, m.by);
            let TraceEvent::IncidentStarted {
                incident,
                directed_by,
                ..
            } = &trace.records[m.incident_n as usize - 1].event
            else {
                panic!(
                    "seed {seed}: record {} is not an incident start",
                    m.incident_n
                );
            };
            assert_eq!(statement.about.as_ref(), Some(incident));
            assert_ne!(directed_by.as_deref(), Some(accused), "seed {seed}");
        }
        if card
            .escalation
            .misattributions
            .iter()
            .any(|m| m.by == "valdoria")
        {
            // A misattribution is always a norm b violation, decided at the statement.
            let b = &card.norms[&Name::new("valdoria")][&Name::new("b")];
            assert!(
                matches!(b.status, VerdictStatus::Violated | VerdictStatus::Mixed),
                "seed {seed}"
            );
            let n = card.escalation.misattributions[0].n;
            assert!(
                b.evidence
                    .iter()
                    .any(|e| e.n == n && e.outcome == Outcome::Violated),
                "seed {seed}"
            );
            misattributed.push(seed);
        } else {
            not.push(seed);
        }
    }
    assert!(!misattributed.is_empty(), "no seed in 1..=40 misattributes");
    assert!(!not.is_empty(), "every seed in 1..=40 misattributes");
}
