//! Traces: what `ttx score` and `ttx report` read. Mutated traces fail their digest, so the
//! scorer is also exercised on the same text with the digest taken out (as a live-exercise
//! recorder without one would write it), against the bundled scenario the header names.

use super::text;
use ttx_scenario::{Trace, library};

/// Bundled scenarios whose runs seed the trace target: the small ones (a 193-state trace is
/// too large to mutate usefully).
const SEEDED: &[&str] = &[
    "hospital-ransomware",
    "false-flag",
    "election-vote-count",
    "backdoored-firmware",
    "cert-under-attack",
    "interconnector-cascade",
    "ransomware-evidence",
    "disinformation-shutdown",
    "itu-capacity-assistance",
    "poc-ping-test",
];

pub(super) fn check(data: &[u8]) {
    let Some(text) = text(data) else { return };
    read(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    let header = &text[..first_end];
    if let Some(start) = header.find(",\"digest\":\"") {
        let end = header[start + 11..]
            .find('"')
            .map_or(header.len(), |e| start + 11 + e + 1);
        let without = format!(
            "{}{}{}",
            &header[..start],
            &header[end..],
            &text[first_end..]
        );
        read(&without);
    }
}

fn read(text: &str) {
    match Trace::from_jsonl(text) {
        Ok(trace) => {
            let again = Trace::from_jsonl(&trace.to_jsonl())
                .unwrap_or_else(|e| panic!("a trace read back from its own JSON Lines fails: {e}"));
            assert_eq!(again, trace, "a trace changes through JSON Lines");
            let scenario = library::find(&trace.header.scenario)
                .unwrap_or_else(|| library::find(library::DEFAULT).expect("the default is bundled"))
                .load()
                .expect("bundled scenarios load");
            let card = ttx_scoring::score(&scenario, &trace);
            let json = crate::commands::run::scorecard_json(&card);
            assert_eq!(
                json,
                crate::commands::run::scorecard_json(&ttx_scoring::score(&scenario, &trace)),
                "scoring is not deterministic"
            );
            let _ =
                crate::scorecard_text::render(&card, &scenario, &crate::term::Layout::default());
        }
        Err(e) => {
            assert!(e.line >= 1, "{e}");
            assert!(
                e.line <= text.lines().count() + 1,
                "error beyond the end of the trace: {e}"
            );
        }
    }
}

pub(super) fn seeds() -> Vec<(String, Vec<u8>)> {
    SEEDED
        .iter()
        .map(|name| {
            let sc = library::find(name).expect("bundled").load().expect("loads");
            let trace = ttx_sim::Simulation::new(&sc).expect("valid").run(1);
            (format!("{name}.jsonl"), trace.to_jsonl().into_bytes())
        })
        .collect()
}
