//! The norm grid: states × norms a–k with symbols that survive copy-paste and screen readers,
//! then the breaches earliest first with the trace records behind each. A UN-sized exercise gets
//! totals per norm and only the states with a breach.

use super::format::{NORM_LEGEND, status_symbol, symbol};
use crate::term::{Layout, Table};
use std::collections::BTreeMap;
use ttx_scenario::time::clock_minutes;
use ttx_scoring::Scorecard;
use ttx_scoring::norms::{Outcome, VerdictStatus};

/// Violations listed under the norm grid before "… and N more".
const MAX_VIOLATIONS: usize = 8;

pub(super) fn render(out: &mut String, card: &Scorecard, l: &Layout, max_rows: usize) {
    out.push('\n');
    out.push_str(&l.line(
        "",
        "NORM ADHERENCE (A/70/174 ¶13 a–k; rules from the A/75/816 Chair's summary annex guidance; docs/scorecard.md)",
        2,
    ));
    let letters = ttx_scenario::Norm::ALL.map(ttx_scoring::norms::letter);
    let many = card.states.len() > max_rows;
    if many {
        // Per norm, how many states got each verdict; then only the states with a breach.
        for letter in &letters {
            let mut counts = BTreeMap::new();
            for row in card.norms.values() {
                if let Some(v) = row.get(letter) {
                    *counts.entry(symbol(v)).or_insert(0) += 1;
                }
            }
            if counts.keys().any(|&c| c != '·') {
                let parts: Vec<String> = ['✓', '✗', '~', '?']
                    .iter()
                    .filter_map(|c| counts.get(c).map(|n| format!("{n} {c}")))
                    .collect();
                let text = format!(
                    "norm {letter}: {} (of {} states)",
                    parts.join("  "),
                    card.states.len()
                );
                out.push_str(&l.para(2, &text));
            }
        }
        out.push_str(&l.para(2, "states with a breach:"));
    }
    let heads: Vec<(&str, bool)> = letters.iter().map(|x| (x.as_str(), false)).collect();
    let mut grid = Table::new(2, "state", &heads);
    let mut violations = Vec::new();
    let (mut shown, mut hidden) = (0, 0);
    for state in &card.states {
        let Some(row) = card.norms.get(state) else {
            continue;
        };
        let cells: Vec<String> = letters
            .iter()
            .map(|x| row.get(x).map_or('·', symbol).to_string())
            .collect();
        let breached = row
            .values()
            .any(|v| matches!(v.status, VerdictStatus::Violated | VerdictStatus::Mixed));
        if !many || (breached && shown < max_rows) {
            grid.row(*state, cells);
            shown += 1;
        } else if breached {
            hidden += 1;
        }
        for (letter, v) in row {
            for e in v.evidence.iter().filter(|e| e.outcome == Outcome::Violated) {
                violations.push((e.t, state.as_str(), letter.as_str(), e));
            }
        }
    }
    out.push_str(&grid.render(l));
    if hidden > 0 {
        let text = format!("… and {hidden} more states with a breach (all in the JSON scorecard)");
        out.push_str(&l.para(2, &text));
    }
    let legend: Vec<String> = NORM_LEGEND
        .iter()
        .map(|(s, word, note)| {
            if note.is_empty() {
                format!("{} {word}", status_symbol(*s))
            } else {
                format!("{} {word} ({note})", status_symbol(*s))
            }
        })
        .collect();
    out.push_str(&l.para(2, &legend.join("  ")));
    violations.sort_by_key(|v| v.0);
    if !violations.is_empty() {
        out.push_str(&l.para(2, "breaches, earliest first:"));
    }
    for (t, state, letter, e) in violations.iter().take(MAX_VIOLATIONS) {
        let records: Vec<String> = e.records.iter().map(|r| format!("r{r}")).collect();
        let text = format!(
            "{state} breached norm {letter} at {}: {} ({})",
            clock_minutes(*t),
            e.reason,
            records.join(" ")
        );
        out.push_str(&l.line("    ", &text, 6));
    }
    if violations.len() > MAX_VIOLATIONS {
        let text = format!(
            "… and {} more; every verdict's evidence and basis is in the JSON scorecard",
            violations.len() - MAX_VIOLATIONS
        );
        out.push_str(&l.para(4, &text));
    }
}
