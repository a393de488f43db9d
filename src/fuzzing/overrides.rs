//! `--set PATH=VALUE` and `--sweep PATH=v1,v2`: one argument a line, applied to the default
//! scenario. An override either gives a scenario that validates (and survives its canonical
//! form) or is refused with a message naming `--set` or `--sweep`.

use super::text;
use crate::batch::plan::Sweep;
use ttx_scenario::library;
use ttx_scenario::overrides::{Override, apply};

pub(super) fn check(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let base = library::find(library::DEFAULT)
        .expect("the default is bundled")
        .load()
        .expect("it loads");
    let mut sets = Vec::new();
    for line in text.lines().take(16) {
        if let Ok(sweep) = Sweep::parse(line) {
            for value in sweep.values.iter().take(4) {
                let o = Override {
                    path: sweep.path.clone(),
                    value: value.clone(),
                };
                outcome(&base, std::slice::from_ref(&o));
            }
        }
        match Override::parse(line) {
            Ok(o) => sets.push(o),
            Err(e) => assert!(!e.is_empty()),
        }
    }
    outcome(&base, &sets);
}

fn outcome(base: &ttx_scenario::Scenario, sets: &[Override]) {
    match apply(base, sets) {
        Ok(sc) => {
            let problems = ttx_scenario::validate(&sc);
            assert!(
                problems.is_empty(),
                "an accepted --set leaves problems: {problems:?}"
            );
            let ron = ttx_scenario::to_ron(&sc);
            let back = ttx_scenario::load_str(&ron, "overridden.ron")
                .unwrap_or_else(|d| panic!("an overridden scenario does not load again:\n{d}"));
            super::assert_same(
                &back,
                &sc,
                "an overridden scenario changes through its canonical form",
            );
        }
        Err(e) => assert!(
            e.starts_with("--set") || e.starts_with("after --set"),
            "a refusal that does not name --set: {e}"
        ),
    }
}

pub(super) fn seeds() -> Vec<(String, Vec<u8>)> {
    [
        "states.borealia.doctrine=hawkish",
        "doctrines.cautious.ack_probability=0.6",
        "states.borealia.pocs.Technical.hours=24/7",
        "injects.inj-1.event.severity=5",
        "scoring.targets.acknowledge=12h",
        "states.aurelia.cert.analysts=4",
        "states.borealia.doctrine=cautious,hawkish,non-responsive",
        "doctrines.hawkish.evidence_threshold=0.5,0.7,0.9",
        "states.aurelia.cert.detect={\"Fixed\":\"2h\"}",
        "duration=3d",
    ]
    .iter()
    .enumerate()
    .map(|(k, line)| (format!("set-{k}.txt"), line.as_bytes().to_vec()))
    .collect()
}
