//! The scorecard as a facilitator reads it at the terminal, after the timeline: escalation first
//! (what the room will ask about), then PoC response times, the norm grid, CBM indicators, the
//! HSEEP ratings of the exercise objectives and MSEL coverage. Symbols, not colours, carry the
//! meaning so the text survives copy-paste, printing and screen readers; every figure points at
//! trace records (r26 = record 26) and the JSON scorecard holds the full evidence. Everything
//! fits the terminal's width (`term::Layout`); long lists end in "… and N more".
//!
//! One file per section; `format` holds how figures and verdicts are written, shared with the
//! after-action reports.

mod cbm;
mod escalation;
mod format;
mod latency;
mod norms;
mod objectives;

pub use format::{
    NORM_LEGEND, counts, ground_truth, hours, join, latency_cells, level, quantile, rate, rating,
    some_of, status, status_symbol, symbol,
};

use crate::term::Layout;
use ttx_scenario::Scenario;
use ttx_scoring::Scorecard;

/// Beyond this many states (a UN-wide PoC directory), tables show totals and the states that need
/// attention rather than one row per state.
const MAX_STATE_ROWS: usize = 24;

/// The text scorecard, laid out for `layout`.
pub fn render(card: &Scorecard, scenario: &Scenario, layout: &Layout) -> String {
    let mut out = layout.line(
        "",
        &format!(
            "SCORECARD · {} · seed {} · {}h · CI service-hours lost {}",
            card.scenario,
            card.seed,
            hours(card.duration_hours),
            hours(card.service.total_service_hours_lost)
        ),
        2,
    );
    for w in &card.warnings {
        out.push_str(&layout.line("  warning: ", w, 4));
    }
    out.push('\n');
    escalation::render(&mut out, card, layout);
    latency::render(&mut out, card, layout);
    norms::render(&mut out, card, layout, MAX_STATE_ROWS);
    cbm::render(&mut out, card, layout, MAX_STATE_ROWS);
    objectives::render(&mut out, card, scenario, layout);
    out
}
