//! One record as one item on a page: a message card in a team's inbox or sent list, a line of
//! the control cell's timeline. [`item`] decides the item from what the viewer may see
//! ([`crate::view::shown`]); the event stream sends the same HTML.

use super::{party, tlp, when};
use crate::feed::{Fate, Feed};
use crate::view::Shown;
use maud::{Markup, html};
use ttx_scenario::trace::FindingSource;
use ttx_scenario::{Message, MessageKind, Record, Scenario, TraceEvent};

/// An item ready for a page or the stream: the lane (container) it goes in and its HTML. An
/// item whose element id is already on the page replaces it (a message's fate, a re-sent item
/// after a reconnection), so sending one twice is harmless.
pub struct Item {
    pub n: u32,
    pub lane: &'static str,
    pub html: Markup,
}

/// The item a record makes for a viewer, given what the viewer may see of it.
pub fn item(sc: &Scenario, feed: &Feed, r: &Record, shown: Shown) -> Item {
    let (lane, html) = match shown {
        Shown::Whole(r) => ("timeline", timeline_line(sc, feed, r)),
        Shown::Sent(m) => ("sent", sent_card(sc, feed, r, m)),
        Shown::Received(m, poc) => ("inbox", received_card(sc, r, m, poc)),
        Shown::Fate { msg, fate, reason } => ("", fate_badge(msg, fate, r.t, reason)),
        Shown::Own(r) => ("inbox", own_card(sc, feed, r)),
        Shown::Inject(r) => ("inbox", inject_card(r)),
        Shown::End(r) => ("inbox", end_card(r)),
        Shown::Note(r) => ("notes", note_card(r)),
    };
    Item { n: r.n, lane, html }
}

fn head(r: &Record, mark: Option<Markup>, extra: &str) -> Markup {
    html! {
        header {
            @if let Some(m) = mark { (m) }
            span.t { (when(r.t)) }
            span { "#" (r.n) }
            @if !extra.is_empty() { span { (extra) } }
        }
    }
}

/// Where a message went: `technical PoC`, `CERT-to-CERT`, `regional network`, `public`.
pub fn route(m: &Message) -> String {
    use ttx_scenario::Channel::*;
    match m.channel {
        Poc => format!("{} PoC", m.level.map_or("technical", |l| l.as_str())),
        Cert => "CERT-to-CERT".into(),
        Regional => "regional network".into(),
        Public => "public".into(),
        Control => "control cell".into(),
    }
}

/// The details of a message beyond who and what: offer terms, attribution, measure, indicators.
fn message_fields(sc: &Scenario, m: &Message) -> Markup {
    html! {
        dl.fields {
            @if let Some(a) = &m.about { dt { "About" } dd { (a) } }
            @if let Some(o) = &m.offer {
                dt { "Nature" } dd { (o.nature) }
                dt { "Scope" } dd { (o.scope) }
                dt { "Terms" } dd { (o.terms) }
                dt { "Timeframe" } dd { (o.timeframe) }
            }
            @if let Some(a) = &m.attributes_to {
                dt { "Attributes to" } dd { (party(sc, a)) }
            }
            @if let Some(c) = m.confidence { dt { "Confidence" } dd { (format!("{c:.2}")) } }
            @if let Some(x) = m.measure { dt { "Measure" } dd { (format!("{x:?}")) } }
            @if let Some(t) = &m.target { dt { "Target" } dd { (t) } }
            @if !m.indicators.is_empty() {
                dt { "Indicators" } dd.mono { (m.indicators.iter().map(|i| i.value()).collect::<Vec<_>>().join("\n")) }
            }
            @if let Some(d) = m.duration { dt { "For" } dd { (d) } }
        }
    }
}

/// What a team may answer to a message of this kind, first the likeliest.
pub fn answers(kind: MessageKind) -> &'static [MessageKind] {
    use MessageKind::*;
    match kind {
        Ping => &[PingReply],
        IncidentNotification => &[
            Acknowledgement,
            AssistanceOffer,
            MitigationReport,
            AssistanceRequest,
            ClarificationRequest,
            InformationRequest,
        ],
        AssistanceRequest => &[Acknowledgement, AssistanceOffer, AssistanceDecline],
        AssistanceOffer => &[Acknowledgement, AssistanceDecline],
        ClarificationRequest => &[Clarification],
        InformationRequest => &[InformationShare],
        LegalRequest => &[LegalReply],
        VulnerabilityReport | InformationShare | MitigationReport => &[Acknowledgement],
        Demarche | PublicStatement => &[Clarification, ClarificationRequest, PublicStatement],
        Control => &[],
        _ => &[Acknowledgement],
    }
}

/// The compose-form values of an answer to `m`: back to its sender, the same way, same subject.
fn reply_values(m: &Message, kind: MessageKind) -> String {
    let mut v = serde_json::json!({
        "kind": kind_value(kind),
        "to": m.from,
        "refers_to": m.msg,
        "about": m.about.unwrap_or_default(),
    });
    // An answer goes back the way the message came; a public statement is answered publicly.
    if kind != MessageKind::PublicStatement {
        v["via"] = serde_json::Value::from(channel_value(m.channel));
        if let Some(l) = m.level {
            v["level"] = serde_json::Value::from(l.as_str());
        }
    }
    v.to_string()
}

/// A kind as the compose form names it (`incident_notification`).
pub fn kind_value(k: MessageKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A channel as the compose form names it (`poc`).
pub fn channel_value(c: ttx_scenario::Channel) -> &'static str {
    use ttx_scenario::Channel::*;
    match c {
        Poc => "poc",
        Cert => "cert",
        Regional => "regional",
        Public => "public",
        Control => "control",
    }
}

fn received_card(sc: &Scenario, r: &Record, m: &Message, poc: Option<&str>) -> Markup {
    let via = match poc {
        Some(p) => format!("{} · {p}", route(m)),
        None => route(m),
    };
    html! {
        article.item.received id=(format!("msg-{}", m.msg)) data-kind=(kind_value(m.kind))
            data-from=(m.from) {
            (head(r, Some(tlp(m.tlp)), &m.msg))
            div.what { (capitalised(m.kind.label())) " from " (party(sc, &m.from)) }
            div.meta {
                "via " (via)
                @if m.to != sc.state(&m.to).map_or("", |s| s.id.as_str()) {
                    " · to " (party(sc, &m.to))
                }
                @if let Some(x) = &m.refers_to { " · answers " (x) }
            }
            @if let Some(t) = &m.text { p.text { (t) } }
            (message_fields(sc, m))
            @let options = answers(m.kind);
            @if !options.is_empty() {
                div.actions {
                    @for k in options {
                        button.secondary.small type="button"
                            data-reply=(reply_values(m, *k))
                            data-label=(format!("Answering {} ({}) from {}", m.msg, m.kind.label(), m.from)) {
                            (capitalised(k.label()))
                        }
                    }
                }
            }
        }
    }
}

fn sent_card(sc: &Scenario, feed: &Feed, r: &Record, m: &Message) -> Markup {
    html! {
        article.item.sent id=(format!("sent-{}", m.msg)) data-kind=(kind_value(m.kind)) {
            (head(r, Some(tlp(m.tlp)), &m.msg))
            div.what { (capitalised(m.kind.label())) " to " (party(sc, &m.to)) }
            div.meta {
                "via " (route(m))
                @if let Some(x) = &m.refers_to { " · answers " (x) }
                " · "
                (fate_badge(&m.msg, feed.fate(&m.msg), r.t, None))
            }
            @if let Some(t) = &m.text { p.text { (t) } }
            (message_fields(sc, m))
        }
    }
}

/// The status of a sent message; its id lets a later record replace it in place.
pub fn fate_badge(msg: &str, fate: Fate, t: i64, reason: Option<&str>) -> Markup {
    let id = format!("fate-{msg}");
    html! {
        @match fate {
            Fate::InTransit => span.status.transit id=(id) { "in transit" },
            Fate::Delivered => span.status.delivered id=(id) { "delivered " (when(t)) },
            Fate::Bounced => span.status.bounced id=(id) title=[reason] {
                "bounced " (when(t)) @if let Some(x) = reason { ": " (x) }
            },
        }
    }
}

fn inject_card(r: &Record) -> Markup {
    let TraceEvent::InjectFired { inject, kind, note } = &r.event else {
        return html! {};
    };
    html! {
        article.item.inject id=(format!("r{}", r.n)) {
            (head(r, None, "inject"))
            div.what { "Inject " (inject) " · " (kind.replace('_', " ")) }
            @if let Some(n) = note { p.text { (n) } }
        }
    }
}

fn note_card(r: &Record) -> Markup {
    let TraceEvent::Note { text, decision, .. } = &r.event else {
        return html! {};
    };
    html! {
        article.item.note id=(format!("r{}", r.n)) {
            (head(r, None, if *decision { "decision" } else { "note" }))
            p.text { (text) }
        }
    }
}

fn end_card(r: &Record) -> Markup {
    html! {
        article.item.end id=(format!("r{}", r.n)) {
            (head(r, None, ""))
            div.what { "The exercise has ended. Thank you — the after-action review follows." }
        }
    }
}

/// Something that happened to the team's own state, told as its people would learn it: no
/// ground truth (who really is behind it, whether evidence was planted).
fn own_card(sc: &Scenario, feed: &Feed, r: &Record) -> Markup {
    use TraceEvent::*;
    let (what, detail): (String, String) = match &r.event {
        Detected { incident, .. } => {
            let seen = feed.incident(incident).and_then(|x| match &x.event {
                IncidentStarted {
                    target,
                    technique,
                    severity,
                    rsit,
                    ..
                } => Some(format!(
                    "{technique:?} on {} · severity {severity} · RSIT {rsit}",
                    sc.infra(target)
                        .map_or(target.to_string(), |i| if i.name.is_empty() {
                            i.id.clone()
                        } else {
                            format!("{} ({})", i.name, i.id)
                        })
                )),
                _ => None,
            });
            (
                format!("Your CERT detects incident {incident}"),
                seen.unwrap_or_default(),
            )
        }
        Queued { incident, .. } => (
            format!("Incident {incident} waits in your CERT's queue"),
            "every analyst is busy".into(),
        ),
        Finding {
            incident,
            source,
            points_to,
            confidence,
            leading,
            ..
        } => {
            let src = match source {
                FindingSource::Forensic => "Forensic finding",
                FindingSource::Media => "Media claim",
            };
            (
                format!("{src} on {incident}"),
                format!(
                    "points to {} · your leading hypothesis: {} (confidence {confidence:.2})",
                    points_to.as_deref().unwrap_or("no one"),
                    leading.as_deref().unwrap_or("none yet"),
                ),
            )
        }
        IncidentEnded { incident, how, .. } => (
            format!("Incident {incident} is over"),
            format!("{how:?}").to_lowercase(),
        ),
        InfraChanged {
            infra,
            status,
            cause,
        } => (
            format!(
                "{} is {}",
                sc.infra(infra)
                    .filter(|i| !i.name.is_empty())
                    .map_or(infra.as_str(), |i| i.name.as_str()),
                format!("{status:?}").to_lowercase()
            ),
            (*cause).map(|c| format!("cause: {c}")).unwrap_or_default(),
        ),
        PocChanged { level, status, .. } => (
            format!(
                "Your {} point of contact is {}",
                level.as_str(),
                format!("{status:?}").to_lowercase()
            ),
            String::new(),
        ),
        VulnerabilityFound {
            item,
            product,
            vendor_state,
            severity,
            ..
        } => (
            format!("Your researchers find vulnerability {item}"),
            format!("in {product} (vendor under {vendor_state}), severity {severity}"),
        ),
        CompromiseFound { item, .. } => (
            format!("You discover supply-chain compromise {item}"),
            String::new(),
        ),
        Exploited { item, .. } => (format!("You exploit {item}"), String::new()),
        Decision {
            decision,
            about,
            detail,
            ..
        } => (
            format!(
                "{}{}",
                capitalised(&decision.replace('_', " ")),
                about.as_ref().map_or(String::new(), |a| format!(" · {a}"))
            ),
            detail.clone(),
        ),
        _ => (String::new(), String::new()),
    };
    html! {
        article.item.own id=(format!("r{}", r.n)) {
            (head(r, None, ""))
            div.what { (what) }
            @if !detail.is_empty() { div.meta { (detail) } }
        }
    }
}

/// One line of the control cell's timeline: everything, ground truth included.
fn timeline_line(sc: &Scenario, feed: &Feed, r: &Record) -> Markup {
    use TraceEvent::*;
    let (tag, what, detail, mark, parties): (&str, String, String, Option<Markup>, Vec<&str>) =
        match &r.event {
            InjectFired { inject, kind, note } => (
                "INJECT",
                format!("{inject} ({})", kind.replace('_', " ")),
                note.clone().unwrap_or_default(),
                None,
                vec![],
            ),
            IncidentStarted {
                incident,
                target,
                target_state,
                by,
                territory,
                directed_by,
                technique,
                severity,
                ..
            } => (
                "INCIDENT",
                format!("{incident}: {technique:?} against {target} ({target_state})"),
                format!(
                    "by {by} from {territory}'s territory{}, severity {severity}",
                    directed_by
                        .as_ref()
                        .map_or(String::new(), |d| format!(", directed by {d}"))
                ),
                None,
                vec![target_state.as_str()],
            ),
            MessageSent(m) => (
                "MSG",
                format!("{} {} → {}: {}", m.msg, m.from, m.to, m.kind.label()),
                [
                    Some(format!("via {}", route(m))),
                    m.about.as_ref().map(|a| format!("about {a}")),
                    m.refers_to.as_ref().map(|x| format!("answers {x}")),
                    m.text.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
                Some(tlp(m.tlp)),
                vec![m.from.as_str(), m.to.as_str()],
            ),
            MessageDelivered { msg, to, poc } => {
                let from = feed.message(msg).map_or("", |m| m.from.as_str());
                (
                    "DELIVERED",
                    format!("{msg} reached {to}"),
                    poc.map(String::from).unwrap_or_default(),
                    None,
                    vec![from, to.as_str()],
                )
            }
            DeliveryFailed { msg, to, reason } => {
                let from = feed.message(msg).map_or("", |m| m.from.as_str());
                (
                    "BOUNCED",
                    format!("{msg} to {to}"),
                    reason.clone(),
                    None,
                    vec![from, to.as_str()],
                )
            }
            Decision {
                actor,
                decision,
                about,
                detail,
            } => (
                "DECIDE",
                format!(
                    "{actor}: {}{}",
                    decision.replace('_', " "),
                    about.as_ref().map_or(String::new(), |a| format!(" ({a})"))
                ),
                detail.clone(),
                None,
                vec![actor.as_str()],
            ),
            End { .. } => ("END", "Exercise ended".into(), String::new(), None, vec![]),
            other => {
                let (tag, what) = other_line(other);
                let state = crate::view::own_state(sc, r).unwrap_or("");
                (tag, what, String::new(), None, vec![state])
            }
        };
    let parties: Vec<&str> = parties.into_iter().filter(|p| !p.is_empty()).collect();
    html! {
        article.item id=(format!("r{}", r.n)) data-parties=(parties.join(" ")) {
            header {
                @if let Some(m) = mark { (m) }
                span.t { (when(r.t)) }
                span { "#" (r.n) }
                span.mono { (tag) }
            }
            div.what { (what) }
            @if !detail.is_empty() { div.meta { (detail) } }
        }
    }
}

/// The remaining record types as one timeline line.
fn other_line(e: &TraceEvent) -> (&'static str, String) {
    use TraceEvent::*;
    match e {
        Detected { incident, state } => ("DETECT", format!("{state}'s CERT detects {incident}")),
        Queued { incident, state } => ("QUEUE", format!("{incident} waits at {state}'s CERT")),
        Finding {
            incident,
            state,
            source,
            points_to,
            planted,
            confidence,
            ..
        } => (
            "FINDING",
            format!(
                "{state} on {incident}: {source:?} finding points to {}{} (confidence {confidence:.2})",
                points_to.as_deref().unwrap_or("no one"),
                if *planted { ", planted" } else { "" }
            ),
        ),
        IncidentEnded {
            incident,
            state,
            how,
        } => ("ENDED", format!("{incident} over for {state}: {how:?}")),
        InfraChanged {
            infra,
            status,
            cause,
        } => (
            "CI",
            format!(
                "{infra} {status:?}{}",
                cause.as_ref().map_or(String::new(), |c| format!(" ({c})"))
            ),
        ),
        PocChanged { poc, status, .. } => ("POC", format!("{poc} {status:?}")),
        VulnerabilityFound {
            item,
            state,
            vendor_state,
            ..
        } => (
            "VULN",
            format!("{state} finds {item} (vendor under {vendor_state})"),
        ),
        CompromiseStarted {
            item, vendor, by, ..
        } => ("SUPPLY", format!("{item}: {by} compromises {vendor}")),
        CompromiseFound { item, state } => ("SUPPLY", format!("{state} discovers {item}")),
        Exploited { item, state } => ("EXPLOIT", format!("{state} exploits {item}")),
        DisinformationStarted {
            item, target, by, ..
        } => ("DISINFO", format!("{item}: {by} against {target}")),
        InjectReleased { inject } => ("RELEASE", format!("the facilitator releases {inject}")),
        InjectAdded { inject } => (
            "ADD",
            format!(
                "the facilitator adds inject {} ({})",
                inject.id.as_deref().unwrap_or("ad hoc"),
                inject.event.kind()
            ),
        ),
        Rating {
            expectation,
            rating,
            comment,
            by,
        } => (
            "RATING",
            format!("{by} rates {expectation} {}: {comment}", rating.label()),
        ),
        Observation { text, record, by } => (
            "OBSERVE",
            format!(
                "{by}{}: {text}",
                record.map_or(String::new(), |n| format!(" on #{n}"))
            ),
        ),
        Note {
            state,
            text,
            decision,
        } => (
            if *decision { "DECISION" } else { "NOTE" },
            format!("{state}: {text}"),
        ),
        _ => ("EVENT", String::new()),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Every record as the facilitator and the evaluators see it (no TLP filter), newest first.
pub fn everything_newest_first(
    sc: &ttx_scenario::Scenario,
    feed: &crate::feed::Feed,
) -> Vec<maud::Markup> {
    let mut all: Vec<maud::Markup> =
        crate::view::visible(sc, feed, crate::view::Viewer::Control, 0)
            .map(|(r, shown)| item(sc, feed, r, shown).html)
            .collect();
    all.reverse();
    all
}
