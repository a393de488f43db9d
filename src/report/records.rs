//! The table of trace records below the drawn timeline: every record the terminal timeline shows,
//! in the same words, each row carrying `id="r<N>"` so that evidence links from the norm grid,
//! the findings and the improvement plan land on the record itself (SVG drawn by plotters cannot
//! carry ids, and a table prints and reads aloud better anyway).

use super::html::{Links, esc};
use crate::timeline::{describe, shown, utc_clock};
use std::fmt::Write;
use ttx_scenario::time::clock_minutes;
use ttx_scenario::{MessageKind, Trace, TraceEvent};

/// Above this many records the table keeps the records that matter (incidents, injects, steps,
/// bounces, CI changes, anything linked) and leaves routine pings and replies to the trace.
const FULL_TABLE_UP_TO: usize = 400;

/// The routine records a long trace's table leaves out: pings, replies, deliveries, decisions.
fn routine(event: &TraceEvent) -> bool {
    match event {
        TraceEvent::MessageSent(m) => {
            matches!(m.kind, MessageKind::Ping | MessageKind::PingReply)
        }
        TraceEvent::Decision { .. }
        | TraceEvent::MessageDelivered { .. }
        | TraceEvent::Finding { .. } => true,
        _ => false,
    }
}

/// The table of trace records, each row `id="r<N>"`: every record the terminal timeline shows
/// (for long traces, every one that is not routine) and every record `links` points at. Call it
/// after everything else that links to records has been rendered.
pub fn table(trace: &Trace, links: &Links) -> (String, usize) {
    let full = trace.records.iter().filter(|r| shown(&r.event)).count() <= FULL_TABLE_UP_TO;
    let mut out = String::from(
        "<table class=\"records\">\n<thead><tr><th scope=\"col\">record</th><th scope=\"col\">exercise time</th><th scope=\"col\">UTC</th><th scope=\"col\">event</th><th scope=\"col\">what happened</th></tr></thead>\n<tbody>\n",
    );
    let mut left_out = 0;
    for r in &trace.records {
        let linked = links.targets().contains(&r.n);
        let keep = linked || (shown(&r.event) && (full || !routine(&r.event)));
        if !keep {
            left_out += usize::from(shown(&r.event));
            continue;
        }
        let class = match &r.event {
            TraceEvent::MessageSent(m) if m.step.is_some_and(|l| l >= 5) => " class=\"high\"",
            e if routine(e) => " class=\"minor\"",
            _ => "",
        };
        let (tag, text) = describe(&r.event);
        let _ = writeln!(
            out,
            "<tr id=\"r{n}\"{class}><td>r{n}</td><td>{}</td><td>{}</td><td>{tag}</td><td>{}</td></tr>",
            clock_minutes(r.t),
            utc_clock(trace.header.start, r.t),
            esc(&text),
            n = r.n,
        );
    }
    out.push_str("</tbody>\n</table>\n");
    (out, left_out)
}
