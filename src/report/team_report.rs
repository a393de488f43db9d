//! One team's own after-action report of a live exercise (`ttx report DIR --team STATE`): the
//! file a team may take home. It holds only what the team's state sent, received and saw —
//! the records of its live view (`ttx_live::view::team_trace`, the rule its page, event stream
//! and log download follow, so TLP:RED traffic appears only where the team was a recipient and
//! no other team's notes appear) — and the part of the scorecard about its state
//! (`ttx_scoring::party::cut`): its norm verdicts, the response times and escalation dyads it
//! took part in, its expectations and improvement plan. Figures over every state (escalation
//! index, CBM, CI service loss, objective ratings) and the evaluators' observations stay in the
//! facilitator's report.

use super::html::{self, Links, Section, esc, figure, p, table};
use super::{live_sections, records, run_latency, run_report, run_sections, timeline};
use std::fmt::Write;
use ttx_scenario::time::clock_minutes;
use ttx_scenario::{Scenario, Trace, ladder};
use ttx_scoring::Scorecard;

/// The team report of `team` from the whole exercise (`trace`, scored as `card`).
pub fn html(sc: &Scenario, trace: &Trace, card: &Scorecard, team: &str) -> String {
    let view = ttx_live::view::team_trace(sc, trace, team);
    let seen: std::collections::BTreeSet<u32> = view.records.iter().map(|r| r.n).collect();
    let mine = ttx_scoring::party::cut(card, sc, team, |n| seen.contains(&n));
    let mut links = Links::of(&view);
    let mut sections = vec![
        live_sections::players(sc, None),
        live_sections::decision_logs(sc, &view, &mut links, Some(team)),
        escalation(&mine, team, &mut links),
        run_latency::section(&mine, &mut links),
        run_sections::norms(&mine, &mut links),
        run_sections::objectives(&mine, &mut links),
        run_sections::plan(&mine, sc, &mut links),
    ];
    // The record table last, once every link is known.
    sections.insert(1, timeline_section(sc, &view, &links));
    let title = format!(
        "After-action report — {} — team {team} (seed {})",
        sc.title_or_name(),
        trace.header.seed
    );
    html::document(
        &title,
        &header(sc, &view, team),
        &sections,
        &html::footer("trace.jsonl and the scenario it names, cut to what this team saw"),
    )
}

fn header(sc: &Scenario, view: &Trace, team: &str) -> String {
    let h = &view.header;
    let mut out = String::from(
        "<header class=\"report\">\n<div class=\"kicker\">After-action report · live exercise · team report</div>\n",
    );
    let _ = writeln!(out, "<h1>{} — {}</h1>", esc(sc.title_or_name()), esc(team));
    out.push_str(&p(&format!(
        "This report is team {team}'s own: it holds what {team} sent, received and saw during the exercise, as its page showed it — messages marked TLP:RED only where {team} was a recipient, its own notes and no other team's — and the part of the scorecard about {team}. The facilitator's report covers the whole exercise."
    )));
    out.push_str(&html::facts(&[
        ("scenario", format!("<code>{}</code>", esc(&h.scenario))),
        ("team", esc(team)),
        ("seed", h.seed.to_string()),
        ("ttx version", esc(&h.ttx_version)),
        ("T+0", run_report::start_text(view)),
        ("duration", ttx_scenario::Span(h.duration).to_string()),
    ]));
    out.push_str("</header>\n");
    out
}

fn timeline_section(sc: &Scenario, view: &Trace, links: &Links) -> Section {
    let (svg, summary) = timeline::drawing(sc, view);
    let mut body = figure(
        &svg,
        &summary,
        "What the team saw, one lane per actor: ▼ inject released to it · ◆ incident · ○ detection or PoC change · lines are messages it sent or received, with an arrow at the receiver.",
        "",
    );
    let (rows, left_out) = records::table(view, links);
    body.push_str("<h3>Records</h3>\n");
    if left_out > 0 {
        body.push_str(&p(&format!(
            "{left_out} routine records (pings, replies, deliveries) are left out of the table; the team's log download has them all."
        )));
    }
    body.push_str(&rows);
    Section {
        id: "timeline",
        title: "What the team saw".into(),
        body,
    }
}

/// The escalation steps between the team's state and others, as far as the team saw them.
fn escalation(card: &Scorecard, team: &str, links: &mut Links) -> Section {
    let e = &card.escalation;
    let mut body = p(&format!(
        "The highest escalation step (DESIGN.md §5 ladder, 0–9) of each state against another, for the pairs {team} belongs to and the steps it saw."
    ));
    if e.dyads.is_empty() {
        body.push_str(&p(&format!(
            "No escalation step between {team} and another state."
        )));
    } else {
        let rows: Vec<Vec<String>> = e
            .dyads
            .iter()
            .map(|d| {
                vec![
                    esc(&d.from),
                    esc(&d.to),
                    format!("{} ({})", d.peak, ladder::rung(d.peak).name),
                    d.steps.to_string(),
                    links.rec(d.peak_n),
                ]
            })
            .collect();
        body.push_str(&table(
            "data",
            &["from", "against", "peak step", "steps", "record"],
            &[3],
            &rows,
        ));
    }
    let atts: Vec<Vec<String>> = e
        .misattributions
        .iter()
        .chain(&e.correct_attributions)
        .map(|a| {
            vec![
                links.rec(a.n),
                clock_minutes(a.t),
                esc(&a.by),
                esc(&a.attributed_to),
                esc(&a.incident),
            ]
        })
        .collect();
    if !atts.is_empty() {
        body.push_str("<h3>Public attributions</h3>\n");
        body.push_str(&table(
            "data",
            &["record", "time", "by", "attributed to", "incident"],
            &[],
            &atts,
        ));
    }
    Section {
        id: "escalation",
        title: "Escalation".into(),
        body,
    }
}
