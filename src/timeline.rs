//! The timeline a facilitator reads at the terminal: one line per event that matters, with
//! exercise time, UTC wall-clock time and plain words. Successful deliveries are left out unless
//! asked for; bounced messages always show.

use crate::term::{Layout, count};
use std::fmt::Write;
use ttx_scenario::time::{WEEKDAYS, clock_minutes};
use ttx_scenario::trace::{EndReason, FindingSource, InfraStatus};
use ttx_scenario::{
    Channel, Message, MessageKind, Scenario, Timestamp, Tlp, Trace, TraceEvent, UtcOffset, ladder,
};

fn tlp(t: Tlp) -> &'static str {
    match t {
        Tlp::Clear => "TLP:CLEAR",
        Tlp::Green => "TLP:GREEN",
        Tlp::Amber => "TLP:AMBER",
        Tlp::AmberStrict => "TLP:AMBER+STRICT",
        Tlp::Red => "TLP:RED",
    }
}

pub struct Options {
    pub verbose: bool,
    pub layout: Layout,
}

/// What was run: version, scenario, seed, T+0, duration, states and the scenario's hash.
pub fn header(sc: &Scenario, trace: &Trace, layout: &Layout) -> String {
    let h = &trace.header;
    let (_, _, _, hh, mm, _, wd) = h.start.fields(UtcOffset(0));
    let title = format!(
        "ttx {} · {} — {}",
        h.ttx_version,
        sc.name,
        sc.title_or_name()
    );
    let run = format!(
        "seed {} · T+0 = {} {} {:02}:{:02} UTC · duration {} · {} · scenario {}",
        h.seed,
        WEEKDAYS[wd as usize],
        &h.start.to_string()[..10],
        hh,
        mm,
        ttx_scenario::Span(h.duration),
        count(sc.states.len() as u64, "state", "states"),
        h.scenario_hash,
    );
    layout.line("", &title, 2) + &layout.line("", &run, 2)
}

/// UTC weekday and clock of exercise time `t`, e.g. `Fri 17:00Z`: time zones and weekends are
/// what PoC drills test, so the wall clock sits beside exercise time everywhere.
pub fn utc_clock(start: Timestamp, t: i64) -> String {
    let (_, _, _, h, m, _, wd) = start.plus(t).fields(UtcOffset(0));
    format!("{} {:02}:{:02}Z", WEEKDAYS[wd as usize], h, m)
}

/// Exercise time to the minute (`T+1d04:30`) and UTC weekday and clock.
fn when(start: Timestamp, t: i64) -> String {
    format!("{:>10}  {}", clock_minutes(t), utc_clock(start, t))
}

/// The channel a message travelled, in words (`technical PoC`, `CERT-to-CERT`, …).
pub fn channel_name(m: &Message) -> String {
    match (m.channel, m.level) {
        (Channel::Poc, Some(level)) => format!("{} PoC", level.as_str()),
        (Channel::Poc, None) => "PoC".into(),
        (Channel::Cert, _) => "CERT-to-CERT".into(),
        (Channel::Regional, _) => "regional network".into(),
        (Channel::Public, _) => "public".into(),
        (Channel::Control, _) => "exercise control".into(),
    }
}

/// One message in words: id, sender → receiver, kind, channel, TLP, subject and escalation step.
pub fn message_line(m: &Message) -> String {
    let mut s = format!(
        "{} {} → {}: {} [{}, {}]",
        m.msg,
        m.from,
        m.to,
        m.kind.label(),
        channel_name(m),
        tlp(m.tlp)
    );
    if let Some(a) = &m.about {
        let _ = write!(s, " about {a}");
    }
    if let Some(who) = &m.attributes_to {
        let _ = write!(s, ", attributing it to {who}");
        if let Some(c) = m.confidence {
            let _ = write!(s, " (confidence {c:.2})");
        }
    }
    if let Some(measure) = m.measure {
        let _ = write!(s, ": {measure:?}");
        if let Some(t) = &m.target {
            let _ = write!(s, " against {t}");
        }
    }
    if let Some(o) = &m.offer {
        let _ = write!(
            s,
            " — {}; scope {}; terms {}; within {}",
            o.nature, o.scope, o.terms, o.timeframe
        );
    }
    let says = matches!(
        m.kind,
        MessageKind::Control
            | MessageKind::Clarification
            | MessageKind::PublicStatement
            | MessageKind::AssistanceDecline
    );
    if let (true, Some(text)) = (says, &m.text) {
        let _ = write!(s, ": \"{text}\"");
    }
    if let Some(step) = m.step.filter(|&l| l >= 2) {
        let _ = write!(
            s,
            "  ⟨escalation level {step}: {}⟩",
            ladder::rung(step).name
        );
    }
    s
}

/// One line per shown record; a description too long for the terminal wraps with a hanging
/// indent under the description column, so times and tags stay a clean left margin.
pub fn render(trace: &Trace, opts: &Options) -> String {
    let start = trace.header.start;
    let mut out = String::new();
    for r in &trace.records {
        if !opts.verbose && !shown(&r.event) {
            continue;
        }
        let (tag, text) = describe(&r.event);
        let prefix = format!("{}  {tag:<8} ", when(start, r.t));
        let indent = crate::term::width(&prefix);
        out.push_str(&opts.layout.line(&prefix, &text, indent));
    }
    out
}

/// Whether the terminal timeline shows a record without `-v`: every record but deliveries.
pub fn shown(event: &TraceEvent) -> bool {
    !matches!(event, TraceEvent::MessageDelivered { .. })
}

/// A record's tag (`INJECT`, `MSG`, `CI`, …) and plain words, as the timeline prints them; the
/// HTML report's record table uses the same words.
pub fn describe(event: &TraceEvent) -> (&'static str, String) {
    match event {
        TraceEvent::InjectFired { inject, kind, note } => (
            "INJECT",
            format!(
                "{inject} ({kind}){}",
                note.as_ref().map(|n| format!(": {n}")).unwrap_or_default()
            ),
        ),
        TraceEvent::IncidentStarted {
            incident,
            target,
            target_state,
            sector,
            by,
            territory,
            technique,
            severity,
            launched_by,
            ..
        } => (
            "INCIDENT",
            format!(
                "{incident}: {technique:?} against {target} ({sector:?}, {target_state}) by {by} from {territory}'s territory, severity {severity}{}",
                launched_by
                    .as_ref()
                    .map(|m| format!(", launched by {m}"))
                    .unwrap_or_default()
            ),
        ),
        TraceEvent::Detected { incident, state } => {
            ("DETECT", format!("{state}'s CERT detects {incident}"))
        }
        TraceEvent::Queued { incident, state } => (
            "QUEUE",
            format!("{incident} waits: every {state} analyst is busy"),
        ),
        TraceEvent::Dequeued { incident, state } => (
            "QUEUE",
            format!("a {state} analyst takes {incident} from the queue"),
        ),
        TraceEvent::Finding {
            incident,
            state,
            source,
            points_to,
            leading,
            confidence,
            ..
        } => (
            "FINDING",
            format!(
                "{state}: {} on {incident} points to {}; leading hypothesis {} ({confidence:.2})",
                if *source == FindingSource::Media {
                    "media claim"
                } else {
                    "forensic finding"
                },
                points_to.as_deref().unwrap_or("no state"),
                leading.as_deref().unwrap_or("no state"),
            ),
        ),
        TraceEvent::IncidentEnded {
            incident,
            state,
            how,
        } => (
            "ENDED",
            match how {
                EndReason::Contained => format!("{state} contains {incident}"),
                EndReason::Mitigated => format!("{state} stops {incident} at its origin"),
                EndReason::Prevented => {
                    format!(
                        "{incident} fails: {state} had already protected against what it exploits"
                    )
                }
            },
        ),
        TraceEvent::InfraChanged {
            infra,
            status,
            cause,
        } => {
            let word = match status {
                InfraStatus::Operational => "operational",
                InfraStatus::Degraded => "degraded",
                InfraStatus::Disrupted => "disrupted",
                InfraStatus::Restored => "restored",
            };
            (
                "CI",
                format!(
                    "{infra} {word}{}",
                    cause
                        .as_ref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default()
                ),
            )
        }
        TraceEvent::OutageReported {
            infra,
            state,
            cause,
        } => (
            "CI",
            format!("{infra}'s operator reports the outage ({cause}) to {state}'s CERT"),
        ),
        TraceEvent::PocChanged { poc, status, .. } => ("POC", format!("{poc} is now {status:?}")),
        TraceEvent::MessageSent(m) => ("MSG", message_line(m)),
        TraceEvent::MessageDelivered { msg, to, poc } => (
            "DELIVER",
            format!("{msg} reaches {}", poc.as_deref().unwrap_or(to)),
        ),
        TraceEvent::DeliveryFailed { msg, reason, .. } => {
            ("BOUNCE", format!("{msg} not delivered: {reason}"))
        }
        TraceEvent::Decision { actor, detail, .. } => ("DECIDE", format!("{actor} {detail}")),
        TraceEvent::InjectReleased { inject } => {
            ("CONTROL", format!("the facilitator releases {inject}"))
        }
        TraceEvent::InjectAdded { inject } => (
            "CONTROL",
            format!(
                "the facilitator adds {} ({})",
                inject.id.as_deref().unwrap_or("an inject"),
                inject.event.kind()
            ),
        ),
        TraceEvent::Rating {
            expectation,
            rating,
            comment,
            by,
        } => (
            "RATING",
            format!(
                "{by} rates {expectation} {}{}",
                rating.label(),
                if comment.is_empty() {
                    String::new()
                } else {
                    format!(": {comment}")
                }
            ),
        ),
        TraceEvent::Observation { text, record, by } => (
            "OBSERVE",
            format!(
                "{by}{}: {text}",
                record
                    .map(|n| format!(" on record {n}"))
                    .unwrap_or_default()
            ),
        ),
        TraceEvent::Note {
            state,
            text,
            decision,
        } => (
            if *decision { "DECISION" } else { "NOTE" },
            format!("{state} team: {text}"),
        ),
        TraceEvent::VulnerabilityFound {
            item,
            state,
            vendor_state,
            product,
            severity,
        } => (
            "VULN",
            format!(
                "{state} finds {item} in {product} (vendor under {vendor_state}), severity {severity}"
            ),
        ),
        TraceEvent::CompromiseStarted {
            item,
            vendor,
            vendor_state,
            affected,
            by,
            ..
        } => (
            "SUPPLY",
            format!(
                "{item}: {by} compromises updates of {vendor} ({vendor_state}) reaching {}",
                affected
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        TraceEvent::CompromiseFound { item, state } => {
            ("SUPPLY", format!("{state} learns of {item}"))
        }
        TraceEvent::Exploited { item, state } => (
            "EXPLOIT",
            format!("{state} exploits {item} instead of disclosing it"),
        ),
        TraceEvent::DisinformationStarted {
            item, target, by, ..
        } => (
            "DISINFO",
            format!("{item}: disinformation campaign against {target} by {by}"),
        ),
        TraceEvent::End { records } => ("END", format!("exercise ends ({records} trace records)")),
    }
}
