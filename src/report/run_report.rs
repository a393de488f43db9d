//! The after-action report of one run, in the order a debrief goes: what the exercise was, what
//! we found, what happened (timeline), how far it escalated, how fast people answered, which
//! norms held, how the objectives were rated, what to fix — and the records behind every claim.

use super::charts::{self, Steps};
use super::findings::{self, Group};
use super::html::{self, Links, Section, esc, figure, p, table};
use super::{live_sections, records, run_latency, run_sections, timeline};
use crate::scorecard_text::hours;
use std::fmt::Write;
use ttx_scenario::time::clock_minutes;
use ttx_scenario::{Scenario, Trace, UtcOffset, ladder, library};
use ttx_scoring::Scorecard;

/// States described in the header before "… and N more".
const MAX_STATES_LISTED: usize = 12;

/// What the exercise was: a sentence from the scenario, or the bundled file's summary line.
fn purpose(sc: &Scenario) -> String {
    if !sc.description.is_empty() {
        return sc.description.clone();
    }
    library::find(&sc.name)
        .filter(|b| {
            b.load()
                .is_ok_and(|x| x.content_hash() == sc.content_hash())
        })
        .map_or(String::new(), |b| b.summary().to_string())
}

/// A CamelCase enum name in lower-case words: `CrisisResponse` → "crisis response".
fn words(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

pub fn start_text(trace: &Trace) -> String {
    let (y, mo, d, h, mi, _, wd) = trace.header.start.fields(UtcOffset(0));
    format!(
        "{} {y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC",
        ttx_scenario::time::WEEKDAYS[wd as usize]
    )
}

fn header(sc: &Scenario, trace: &Trace) -> String {
    let h = &trace.header;
    let states: Vec<String> = sc
        .states
        .iter()
        .take(MAX_STATES_LISTED)
        .map(|s| {
            format!(
                "{} ({}, {}, UTC{})",
                s.id,
                words(&format!("{:?}", s.capacity)),
                s.doctrine,
                s.utc_offset
            )
        })
        .collect();
    let more = if sc.states.len() > MAX_STATES_LISTED {
        format!(
            " … and {} more (the norm grid lists them all)",
            sc.states.len() - MAX_STATES_LISTED
        )
    } else {
        String::new()
    };
    let live = live_sections::is_live(sc, trace);
    let mut out = String::from(if live {
        "<header class=\"report\">\n<div class=\"kicker\">After-action report · live exercise</div>\n"
    } else {
        "<header class=\"report\">\n<div class=\"kicker\">After-action report · single run</div>\n"
    });
    let _ = writeln!(out, "<h1>{}</h1>", esc(sc.title_or_name()));
    let purpose = purpose(sc);
    if !purpose.is_empty() {
        out.push_str(&p(&purpose));
    }
    out.push_str(&html::facts(&[
        ("scenario", format!("<code>{}</code>", esc(&h.scenario))),
        ("seed", h.seed.to_string()),
        ("ttx version", esc(&h.ttx_version)),
        (
            "scenario hash",
            format!("<code>{}</code>", esc(&h.scenario_hash)),
        ),
        ("T+0", start_text(trace)),
        (
            "duration",
            format!(
                "{} ({}h)",
                ttx_scenario::Span(h.duration),
                hours(h.duration as f64 / 3600.0)
            ),
        ),
        ("states", esc(&format!("{}{more}", states.join(", ")))),
        if live {
            (
                "reproduce",
                "the exercise journal replays it exactly; <code>ttx compare DIR</code> plays it again with bots in the teams' place".into(),
            )
        } else {
            (
                "reproduce",
                format!(
                    "<code>ttx run {} --seed {} --out DIR</code>",
                    esc(&h.scenario),
                    h.seed
                ),
            )
        },
    ]));
    out.push_str("</header>\n");
    out
}

fn findings_section(card: &Scorecard, links: &mut Links) -> Section {
    let all = findings::key_findings(card);
    let mut body = String::new();
    for (group, title, empty) in [
        (Group::Key, "", ""),
        (
            Group::Strength,
            "Strengths (objectives rated P)",
            "No objective was performed without challenges.",
        ),
        (
            Group::Improvement,
            "Areas for improvement (objectives rated S, M or U)",
            "No objective fell short.",
        ),
    ] {
        let mine: Vec<_> = all.iter().filter(|f| f.group == group).collect();
        if mine.is_empty() && empty.is_empty() {
            continue;
        }
        if !title.is_empty() {
            let _ = writeln!(body, "<h3>{}</h3>", esc(title));
        }
        if mine.is_empty() {
            body.push_str(&p(empty));
            continue;
        }
        // Details (the breaches a finding counts) nest under the finding before them.
        body.push_str("<ul class=\"findings\">\n");
        let mut nested = false;
        for (i, f) in mine.iter().enumerate() {
            let refs = if f.records.is_empty() {
                String::new()
            } else {
                format!(" <span class=\"note\">({})</span>", links.recs(&f.records))
            };
            if f.sub && !nested {
                body.push_str("<ul>\n");
                nested = true;
            }
            let _ = write!(body, "<li>{}{refs}", esc(&f.text));
            let next_is_detail = mine.get(i + 1).is_some_and(|n| n.sub);
            if f.sub && !next_is_detail {
                body.push_str("</li>\n</ul>\n</li>\n");
                nested = false;
            } else if !next_is_detail || f.sub {
                body.push_str("</li>\n");
            } else {
                body.push('\n');
            }
        }
        body.push_str("</ul>\n");
    }
    Section {
        id: "findings",
        title: "Key findings".into(),
        body,
    }
}

fn timeline_section(sc: &Scenario, trace: &Trace, card: &Scorecard, links: &Links) -> Section {
    let (svg, summary) = timeline::drawing(sc, trace);
    let mut body = figure(
        &svg,
        &summary,
        "Timeline: one lane per actor. ▼ inject · ◆ incident · ○ detection or PoC change · ▮ incident contained or stopped · lines are messages with an arrow at the receiver (dashed with × when bounced), darker and thicker the higher the escalation step, labelled L2–L9 with the message id · strips at the foot of a lane: critical infrastructure disrupted (tall, dark) or degraded (short, light) · shaded columns: UTC weekends.",
        "",
    );
    let s = &card.service;
    if !s.by_infra.is_empty() {
        let rows: Vec<Vec<String>> = s
            .by_infra
            .iter()
            .map(|(id, l)| {
                let owner = sc.infra(id).map_or(String::new(), |x| {
                    format!("{} ({})", x.state, words(&format!("{:?}", x.sector)))
                });
                vec![
                    esc(id),
                    esc(&owner),
                    hours(l.disrupted_hours),
                    hours(l.degraded_hours),
                    hours(l.service_hours_lost),
                ]
            })
            .collect();
        body.push_str("<h3>Critical infrastructure</h3>\n");
        body.push_str(&table(
            "ci",
            &[
                "infrastructure",
                "owner (sector)",
                "hours disrupted",
                "hours degraded",
                "service-hours lost",
            ],
            &[2, 3, 4],
            &rows,
        ));
        body.push_str(&p(&format!(
            "Service-hours lost: a disrupted hour counts 1, a degraded hour ½; {} in all.",
            hours(s.total_service_hours_lost)
        )));
    }
    let (records, left_out) = records::table(trace, links);
    body.push_str("<h3 id=\"records\">Trace records</h3>\n");
    body.push_str(&p(
        "Every event the timeline shows, in words; evidence links elsewhere in this report point at these rows (r26 = record 26 of trace.jsonl).",
    ));
    if left_out > 0 {
        body.push_str(&p(&format!(
            "{left_out} routine records (pings, ping replies, deliveries, decisions, findings) that nothing in this report cites are left out; trace.jsonl holds them all."
        )));
    }
    body.push_str(&records);
    Section {
        id: "timeline",
        title: "Timeline".into(),
        body,
    }
}

fn escalation_section(card: &Scorecard, links: &mut Links) -> Section {
    let e = &card.escalation;
    let mut body = p(&format!(
        "The escalation ladder, per ordered pair of states: 0 cooperation, 1 private technical notification, 2 private diplomatic inquiry, 3 démarche, 4 public statement of concern, 5 public attribution, 6 retorsion, 7 cyber countermeasure, 8 operation against critical infrastructure, 9 threat or use of force. Escalation index {} (each day's ladder weights summed per state, averaged over days; per day: {}).",
        e.index,
        e.daily
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if e.dyads.is_empty() {
        body.push_str(&p(
            "No state took a step of level 1 or more against another state.",
        ));
    } else {
        let series: Vec<Steps> = e
            .dyads
            .iter()
            .take(charts::PALETTE.len())
            .map(|d| Steps {
                label: format!("{} → {}", d.from, d.to),
                rises: d
                    .series
                    .iter()
                    .map(|c| (c.t as f64 / 3600.0, c.level))
                    .collect(),
            })
            .collect();
        let rows: Vec<Vec<String>> = e
            .dyads
            .iter()
            .map(|d| {
                let rises: Vec<String> = d
                    .series
                    .iter()
                    .map(|c| format!("{} at {} ({})", c.level, clock_minutes(c.t), links.rec(c.n)))
                    .collect();
                vec![
                    esc(&format!("{} → {}", d.from, d.to)),
                    format!("{} {}", d.peak, esc(ladder::rung(d.peak).name)),
                    d.steps.to_string(),
                    rises.join("; "),
                ]
            })
            .collect();
        let alt = table(
            "data",
            &["dyad", "peak level", "steps", "rises of the level"],
            &[2],
            &rows,
        );
        let label = format!(
            "Escalation level over time for {} dyads; the highest is level {} ({}).",
            e.dyads.len(),
            e.peak,
            ladder::rung(e.peak).name
        );
        body.push_str(&figure(
            &charts::escalation(&series, card.duration_hours),
            &label,
            "Escalation level per dyad over time (the running maximum of one state's steps against the other; the dashed line marks public attribution).",
            &alt,
        ));
    }
    if !e.spirals.is_empty() {
        body.push_str("<h3>Spirals</h3>\n<ul>\n");
        for s in &e.spirals {
            let _ = writeln!(
                body,
                "<li>{} level {} ({}) answered by {} at level {} ({})</li>",
                esc(&s.first),
                s.first_level,
                links.rec(s.first_n),
                esc(&s.answer),
                s.answer_level,
                links.rec(s.answer_n)
            );
        }
        body.push_str("</ul>\n");
    }
    let atts: Vec<_> = e
        .misattributions
        .iter()
        .map(|a| (a, false))
        .chain(e.correct_attributions.iter().map(|a| (a, true)))
        .collect();
    if !atts.is_empty() {
        let rows: Vec<Vec<String>> = atts
            .iter()
            .map(|(a, right)| {
                vec![
                    links.rec(a.n),
                    clock_minutes(a.t),
                    esc(&a.by),
                    esc(&a.attributed_to),
                    esc(&a.incident),
                    esc(a.directed_by.as_deref().unwrap_or("no state")),
                    a.confidence.map_or("–".into(), |c| format!("{c:.2}")),
                    if *right {
                        "correct".into()
                    } else {
                        "<strong>✗ misattribution</strong>".into()
                    },
                ]
            })
            .collect();
        body.push_str("<h3>Public attributions against ground truth</h3>\n");
        body.push_str(&table(
            "data",
            &[
                "record",
                "time",
                "by",
                "attributed to",
                "incident",
                "really directed by",
                "confidence",
                "verdict",
            ],
            &[6],
            &rows,
        ));
    }
    Section {
        id: "escalation",
        title: "Escalation".into(),
        body,
    }
}

/// The single-run report as one HTML document.
pub fn html(sc: &Scenario, trace: &Trace, card: &Scorecard) -> String {
    let mut links = Links::new(trace.records.len() as u32);
    let mut sections = vec![findings_section(card, &mut links)];
    if live_sections::is_live(sc, trace) {
        sections.extend(live_sections::sections(sc, trace, card, &mut links, None));
    }
    sections.push(escalation_section(card, &mut links));
    sections.push(run_latency::section(card, &mut links));
    sections.push(run_sections::norms(card, &mut links));
    sections.push(run_sections::objectives(card, &mut links));
    sections.push(run_sections::plan(card, sc, &mut links));
    // The timeline carries the record table, so it is rendered once every link is known.
    sections.insert(1, timeline_section(sc, trace, card, &links));
    let title = format!(
        "After-action report — {} (seed {})",
        sc.title_or_name(),
        trace.header.seed
    );
    html::document(
        &title,
        &header(sc, trace),
        &sections,
        &html::footer("trace.jsonl and the scenario it names"),
    )
}
