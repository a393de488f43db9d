//! The response-latency section: one row per chain step (and per PoC level where several were
//! used), censored items counted, never flattering a statistic.

use super::format::{hours, latency_cells};
use crate::term::{Layout, Table};
use ttx_scoring::Scorecard;
use ttx_scoring::latency::Step;
use ttx_scoring::stats::Stats;

pub(super) fn render(out: &mut String, card: &Scorecard, l: &Layout) {
    out.push('\n');
    out.push_str(&l.line("", "RESPONSE LATENCY (hours)", 2));
    out.push_str(&l.para(
        2,
        "cens: never answered by the end (censored); >end: the figure falls on a censored item",
    ));
    let mut t = Table::new(
        2,
        "chain step",
        &[
            ("n", true),
            ("cens", true),
            ("p50", true),
            ("p90", true),
            ("max", true),
            ("target", true),
            ("breaches", true),
        ],
    );
    for s in card.latency.steps.iter().filter(|s| s.overall.count > 0) {
        let target = match (s.target_hours, s.step) {
            (Some(t), _) => format!("{}h", hours(t)),
            (None, Step::OfferToDeliver) => "offer".into(),
            (None, _) => "–".into(),
        };
        let cells = |st: &Stats| latency_cells(st, &target);
        t.row(s.step.label(), cells(&s.overall));
        if s.by_level.len() > 1 {
            for (level, st) in &s.by_level {
                t.row(format!("  · {} PoC", level.as_str()), cells(st));
            }
        }
    }
    if t.rows.is_empty() {
        out.push_str(&l.para(2, "(no chain was opened in this run)"));
    } else {
        out.push_str(&t.render(l));
    }
}
