//! The console's and evaluator's panels that change as the exercise goes on (the MSEL, the
//! action log, the live scorecard, the files written). Rendered whole on the page and re-sent
//! whole by the event stream when the board changes.

use super::{party, when};
use crate::board::Board;
use crate::state::Shared;
use crate::stream::Audience;
use maud::{Markup, html};
use ttx_scenario::trace::{Header, HeaderTag};
use ttx_scenario::{Name, Scenario, Trace};
use ttx_scoring::norms::VerdictStatus;

/// Every panel `audience` sees, with its element id.
pub fn all(s: &Shared, b: &Board, audience: &Audience) -> Vec<(&'static str, Markup)> {
    let mut out = vec![("panel-score", scorecard(&s.scenario, s.seed, b))];
    if *audience == Audience::Facilitator {
        out.push(("panel-msel", msel(b)));
        out.push(("panel-log", log(b)));
        out.push(("panel-files", files(b)));
    }
    out
}

pub fn msel(b: &Board) -> Markup {
    let open = b.clock.ended.is_none();
    html! {
        table.msel {
            thead { tr { th { "Inject" } th { "Due" } th { "To" } th { "What" } th { "Status" } } }
            tbody {
                @for row in &b.msel {
                    tr data-inject=(row.id) {
                        td.mono { (row.id) br; span.muted { (row.kind) } }
                        td { @if let Some(t) = row.due { (when(t)) } @else if let Some(c) = &row.condition { span.muted { "when " (c) } } }
                        td { (row.to.join(", ")) }
                        td { (row.title) }
                        td {
                            @match row.released_at {
                                Some(t) => span.status.delivered { "released " (when(t)) },
                                None => {
                                    span.status.transit { @if row.due.is_some_and(|d| d <= b.clock.clock.now()) { "due" } @else { "pending" } }
                                    @if open {
                                        " "
                                        button.small.secondary type="button" data-post="/release"
                                            data-body=(serde_json::json!({"inject": row.id}).to_string())
                                            data-result="msel-result" { "Release now" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        div #msel-result .result role="status" {}
    }
}

pub fn log(b: &Board) -> Markup {
    html! {
        @if b.log.is_empty() { p.muted { "No action yet." } }
        ol.log {
            @for r in b.log.iter().rev() {
                li { span.t { (when(r.t)) } " " span.mono { "#" (r.seq) } " " strong { (r.role) } " " (r.summary) }
            }
        }
    }
}

pub fn files(b: &Board) -> Markup {
    html! {
        @if let Some(h) = &b.standing.halted { div.banner.bad { (h) } }
        @if b.standing.files.is_empty() {
            p.muted { "trace.jsonl, scorecard.json, report.html and scenario.ron are written in the exercise directory when the exercise ends, or now with the button." }
        } @else {
            p { "Written as of " (b.standing.files_at.map(when).unwrap_or_default()) ": " (b.standing.files.join(", ")) }
        }
    }
}

/// The scorecard of the records so far, scored by the same rules as a finished run, as if the
/// exercise ended where the engine stands now: a deadline still ahead is open (pending), never
/// violated. (Scored against the scenario's whole duration, a notified state that acknowledged
/// at T+7h would show norm c violated at T+12h for a mitigation report not due before T+79h.)
pub fn scorecard(sc: &Scenario, seed: u64, b: &Board) -> Markup {
    let now = b.clock.reached;
    let trace = so_far(sc, seed, b.feed.records(), now);
    // `so_far` stamped the scenario's hash; hashing it again would double the cost of a render.
    let card = ttx_scoring::score_with_hash(sc, &trace.header.scenario_hash, &trace);
    let open: Vec<_> = card
        .latency
        .items
        .iter()
        .filter(|i| i.to_n.is_none())
        .collect();
    let norms: Vec<Name> = card
        .norms
        .values()
        .flat_map(|m| m.keys().copied())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    html! {
        p.muted.as-of { "As of " (when(now)) ": a deadline not yet reached is open (…), not violated." }
        p { "Escalation peak: " strong { (card.escalation.peak) } " of 9" }
        h3 { "Open latency items " span.count { (open.len()) } }
        @if open.is_empty() { p.muted { "None open." } }
        ul.open-items {
            @for i in &open {
                li { span.t { (when(i.from_t)) } " " (i.step.label()) " · " (party(sc, &i.actor)) " · " (i.subject) }
            }
        }
        h3 { "Norms so far" }
        table.grid {
            thead { tr { th {} @for n in &norms { th { (n) } } } }
            tbody {
                @for (row, cells) in &card.norms {
                    tr {
                        th { (row) }
                        @for n in &norms {
                            @let v = cells.get(n);
                            td class=(v.map_or("na", |v| status_class(v.status)))
                                data-state=(row) data-norm=(n)
                                title=[v.map(verdict_title)] {
                                (v.map_or("", |v| status_text(v.status)))
                            }
                        }
                    }
                }
            }
        }
        p.muted { "✓ fulfilled · ✗ violated · ± both · … open, not yet due · · no opportunity yet" }
    }
}

/// The trace of an exercise still running, as if it ended at `now` (its header's duration is
/// the time reached, as in the trace written at the end), so scoring judges no deadline that
/// has not come.
pub fn so_far(sc: &Scenario, seed: u64, records: &[ttx_scenario::Record], now: i64) -> Trace {
    Trace {
        header: Header {
            tag: HeaderTag::Header,
            format: ttx_scenario::trace::FORMAT.to_string(),
            ttx_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: sc.name.clone(),
            scenario_hash: sc.content_hash(),
            seed,
            start: sc.start,
            duration: now,
            overrides: Vec::new(),
            digest: None,
        },
        records: records.to_vec(),
    }
}

/// The reasons behind a verdict, for the cell's tooltip.
fn verdict_title(v: &ttx_scoring::norms::NormVerdict) -> String {
    v.evidence
        .iter()
        .map(|e| e.reason.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn status_class(s: VerdictStatus) -> &'static str {
    match s {
        VerdictStatus::NotApplicable => "na",
        VerdictStatus::Fulfilled => "ok",
        VerdictStatus::Violated => "bad",
        VerdictStatus::Mixed => "mixed",
        VerdictStatus::Pending => "pending",
    }
}

fn status_text(s: VerdictStatus) -> &'static str {
    match s {
        VerdictStatus::NotApplicable => "·",
        VerdictStatus::Fulfilled => "✓",
        VerdictStatus::Violated => "✗",
        VerdictStatus::Mixed => "±",
        VerdictStatus::Pending => "…",
    }
}
