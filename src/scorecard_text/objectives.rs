//! The exercise objectives rated in HSEEP terms (P/S/M/U) from their expectations, the unmet
//! expectations under each, and MSEL coverage: how many injects that call for a response an
//! expectation checks.

use super::format::{rate, rating, some_of, status};
use crate::term::Layout;
use ttx_scenario::{Name, Scenario};
use ttx_scoring::Scorecard;
use ttx_scoring::objectives::ExpStatus;

/// Unmet expectations listed under an objective before "… and N more".
const MAX_UNMET: usize = 5;
/// Ids listed in one line (loose expectations, unchecked injects) before "… and N more".
const MAX_IDS: usize = 12;

pub(super) fn render(out: &mut String, card: &Scorecard, scenario: &Scenario, l: &Layout) {
    let o = &card.objectives;
    out.push('\n');
    out.push_str(&l.line(
        "",
        "OBJECTIVES (HSEEP: P performed without challenges · S with some challenges · M with major challenges · U unable to be performed)",
        2,
    ));
    if o.objectives.is_empty() && o.expectations.is_empty() {
        out.push_str(&l.para(2, "(the scenario states no objectives or expectations)"));
    }
    for obj in &o.objectives {
        let mut text = format!(
            "{} — {} success, {} partial, {} failed, {} pending",
            obj.title, obj.success, obj.partial, obj.failed, obj.pending
        );
        if obj.needs_evaluator > 0 {
            text.push_str(&format!(", {} need an evaluator", obj.needs_evaluator));
        }
        let prefix = format!("  {} {}  ", obj.id, rating(obj.rating));
        out.push_str(&l.line(&prefix, &text, 8));
        let unmet: Vec<_> = o
            .expectations
            .iter()
            .filter(|e| e.objective.as_deref() == Some(obj.id.as_str()))
            .filter(|e| e.status != ExpStatus::Success)
            .collect();
        if unmet.len() > MAX_UNMET {
            let text = format!(
                "… {} more not met; first {MAX_UNMET}:",
                unmet.len() - MAX_UNMET
            );
            out.push_str(&l.para(6, &text));
        }
        for e in unmet.into_iter().take(MAX_UNMET) {
            let text = format!(
                "{} {} {} {}: {}",
                e.id,
                status(e.status),
                e.actor,
                e.does,
                e.reason
            );
            out.push_str(&l.line("      ", &text, 8));
        }
    }
    let loose: Vec<String> = o
        .expectations
        .iter()
        .filter(|e| {
            e.objective
                .as_deref()
                .is_none_or(|id| !scenario.objectives.iter().any(|x| x.id == id))
        })
        .map(|e| format!("{} {}", e.id, status(e.status)))
        .collect();
    if !loose.is_empty() {
        let text = some_of(&loose, MAX_IDS, ", ");
        out.push_str(&l.line("  expectations outside any objective: ", &text, 4));
    }
    let c = &o.coverage;
    let not_counted: Vec<Name> = c
        .injects
        .iter()
        .filter(|i| !i.counted)
        .map(|i| i.inject)
        .collect();
    let text = format!(
        "{} of {} injects that call for a response are checked by an expectation ({}){}",
        c.covered,
        c.total,
        rate(c.ratio),
        if not_counted.is_empty() {
            String::new()
        } else {
            format!(
                "; control messages not counted: {}",
                some_of(&not_counted, MAX_IDS, ", ")
            )
        }
    );
    out.push('\n');
    out.push_str(&l.line("MSEL COVERAGE: ", &text, 2));
    if !c.uncovered.is_empty() {
        let text = some_of(&c.uncovered, MAX_IDS, ", ");
        out.push_str(&l.line("  unchecked injects: ", &text, 4));
    }
}
