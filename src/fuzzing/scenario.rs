//! Scenario files: what `ttx validate` and `ttx run` read.

use super::{last_position_line, text};
use ttx_scenario::{Scenario, library};

/// Runs are only tried for scenarios this small, so that one input stays well under a second:
/// the check is about the simulator accepting what validation accepts, not about long runs.
const RUN_DAYS: i64 = 7;
const RUN_ITEMS: usize = 40;

pub(super) fn check(data: &[u8]) {
    let Some(text) = text(data) else { return };
    match ttx_scenario::load_str(text, "fuzz.ron") {
        Ok(sc) => {
            let canonical = ttx_scenario::to_ron(&sc);
            let back = ttx_scenario::load_str(&canonical, "canonical.ron").unwrap_or_else(|d| {
                panic!("the canonical form of a valid scenario does not load:\n{d}\n{canonical}")
            });
            super::assert_same(
                &back,
                &sc,
                "a valid scenario changes through its canonical form",
            );
            assert_eq!(back.content_hash(), sc.content_hash());
            if small(&sc) {
                let sim = ttx_sim::Simulation::new(&sc).unwrap_or_else(|d| {
                    panic!("a valid scenario is refused by the simulator: {d:?}")
                });
                let trace = sim.run(1);
                let read = ttx_scenario::Trace::from_jsonl(&trace.to_jsonl())
                    .unwrap_or_else(|e| panic!("the simulator wrote a trace it cannot read: {e}"));
                assert_eq!(read, trace);
                ttx_scoring::score(&sc, &trace);
            }
        }
        Err(d) => {
            assert!(!d.items.is_empty(), "refused without a reason");
            let lines = last_position_line(text);
            for item in &d.items {
                let spot = item
                    .spot
                    .unwrap_or_else(|| panic!("a problem without a position: {}", item.message));
                assert!(
                    spot.start.line >= 1 && spot.start.line <= lines && spot.start.col >= 1,
                    "position {}:{} outside the file ({lines} lines): {}",
                    spot.start.line,
                    spot.start.col,
                    item.message
                );
            }
            let shown = d.to_string();
            assert!(shown.contains("fuzz.ron:"), "{shown}");
        }
    }
}

fn small(sc: &Scenario) -> bool {
    sc.duration.0 <= RUN_DAYS * ttx_scenario::time::DAY_SECS
        && sc.states.len() + sc.infrastructure.len() + sc.injects.len() <= RUN_ITEMS
}

pub(super) fn seeds() -> Vec<(String, Vec<u8>)> {
    library::all()
        .iter()
        .map(|b| (format!("{}.ron", b.name), b.source.as_bytes().to_vec()))
        .chain(std::iter::once((
            "regional-exercise-base.ron".to_string(),
            super::msel::BASE.as_bytes().to_vec(),
        )))
        .collect()
}
