//! The compose form: any message of the vocabulary (DESIGN.md §3) with every field, on the
//! channel the sender chooses. Fields that only some kinds carry (an offer's nature, scope,
//! terms and timeframe; an attribution; a measure; indicators) show for those kinds only.
//! Left at "by kind", channel, PoC level and marking take the defaults a bot would use.

use super::items::{channel_value, kind_value};
use super::party;
use maud::{Markup, html};
use ttx_scenario::{MeasureKind, MessageKind, PocLevel, Scenario, Tlp};

/// Every kind a player may send (control-cell messages are the facilitator's, as injects).
pub const KINDS: &[MessageKind] = &[
    MessageKind::IncidentNotification,
    MessageKind::Acknowledgement,
    MessageKind::MitigationReport,
    MessageKind::AssistanceRequest,
    MessageKind::AssistanceOffer,
    MessageKind::AssistanceDecline,
    MessageKind::AssistanceDelivered,
    MessageKind::InformationRequest,
    MessageKind::InformationShare,
    MessageKind::VulnerabilityReport,
    MessageKind::ClarificationRequest,
    MessageKind::Clarification,
    MessageKind::LegalRequest,
    MessageKind::LegalReply,
    MessageKind::Ping,
    MessageKind::PingReply,
    MessageKind::Demarche,
    MessageKind::PublicStatement,
    MessageKind::Measure,
];

pub const MEASURES: &[MeasureKind] = &[
    MeasureKind::Expulsion,
    MeasureKind::Sanctions,
    MeasureKind::TradeRestrictions,
    MeasureKind::Countermeasure,
    MeasureKind::CyberOperation,
    MeasureKind::Force,
    MeasureKind::InternetShutdown,
    MeasureKind::BlanketBlocking,
];

fn measure_label(m: MeasureKind) -> &'static str {
    use MeasureKind::*;
    match m {
        Expulsion => "expulsion of diplomats (retorsion)",
        Sanctions => "sanctions",
        TradeRestrictions => "trade restrictions",
        Countermeasure => "cyber countermeasure (non-critical systems)",
        CyberOperation => "cyber operation against critical infrastructure",
        Force => "threat or use of force",
        InternetShutdown => "internet shutdown (domestic)",
        BlanketBlocking => "blanket blocking (domestic)",
    }
}

/// A measure as the form names it (`sanctions`).
pub fn measure_value(m: MeasureKind) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The form. `senders` is the team's own state (one, fixed) or the control-played states the
/// facilitator may speak for; `subjects` are the incident and item ids the sender knows of.
pub fn form(sc: &Scenario, senders: &[&str], subjects: &[ttx_scenario::Name], api: &str) -> Markup {
    let own = senders.first().copied().unwrap_or("");
    let kinds_with = |ks: &[MessageKind]| {
        ks.iter()
            .map(|k| kind_value(*k))
            .collect::<Vec<_>>()
            .join(" ")
    };
    html! {
        form #compose data-api=(api) autocomplete="off" {
            div.banner.reply-to hidden {}
            @if senders.len() > 1 {
                label { "Send as"
                    select name="by" {
                        @for s in senders { option value=(s) { (party(sc, s)) } }
                    }
                }
            } @else {
                input type="hidden" name="by" value=(own);
            }
            div.row {
                label { "Message"
                    select name="kind" {
                        @for k in KINDS {
                            option value=(kind_value(*k)) { (capital(k.label())) }
                        }
                    }
                }
                label { "To"
                    select name="to" {
                        @for s in &sc.states {
                            @if senders.len() > 1 || s.id != own {
                                option value=(s.id) { (party(sc, &s.id)) }
                            }
                        }
                        @for o in &sc.organisations {
                            option value=(o.id) { (party(sc, &o.id)) " — network" }
                        }
                        option value="public" { "The public (press)" }
                        option value="control" { "Exercise control cell" }
                    }
                }
            }
            div.row {
                label { "Channel"
                    select name="via" {
                        option value="" selected { "By kind (default)" }
                        @for c in [ttx_scenario::Channel::Poc, ttx_scenario::Channel::Cert,
                                   ttx_scenario::Channel::Regional, ttx_scenario::Channel::Public] {
                            option value=(channel_value(c)) { (channel_label(c)) }
                        }
                    }
                }
                label { "PoC level"
                    select name="level" {
                        option value="" selected { "By kind (default)" }
                        @for l in PocLevel::ALL { option value=(l.as_str()) { (capital(l.as_str())) } }
                    }
                }
                label { "Marking"
                    select name="tlp" {
                        option value="" selected { "By kind (default)" }
                        @for t in Tlp::ALL { option value=(t.label()) { (t.label()) } }
                    }
                }
            }
            div.row {
                label { "About (incident or item)"
                    input type="text" name="about" list="subjects" placeholder="e.g. inc-1";
                    datalist #subjects { @for s in subjects { option value=(s) {} } }
                }
                input type="hidden" name="refers_to" data-reset;
            }
            fieldset data-kinds=(kinds_with(&[MessageKind::AssistanceOffer])) {
                legend { "Assistance offered (norm h guidance: nature, scope, terms, timeframe)" }
                label { "Nature" input type="text" name="offer_nature" placeholder="e.g. incident-response team, forensic support"; }
                label { "Scope" input type="text" name="offer_scope" placeholder="e.g. the hospital network's servers"; }
                div.row {
                    label { "Terms" input type="text" name="offer_terms" placeholder="e.g. at no cost"; }
                    label { "Timeframe" input type="text" name="offer_timeframe" placeholder="e.g. 48h"; }
                }
            }
            fieldset data-kinds=(kinds_with(&[MessageKind::PublicStatement])) {
                legend { "Attribution (leave empty for a statement that attributes to no one)" }
                div.row {
                    label { "Attributes to"
                        select name="attributes_to" {
                            option value="" selected { "No one" }
                            @for s in &sc.states { option value=(s.id) { (party(sc, &s.id)) } }
                        }
                    }
                    label { "Confidence (0–1)" input type="text" name="confidence" placeholder="your evidence, e.g. 0.7"; }
                }
            }
            fieldset data-kinds=(kinds_with(&[MessageKind::Measure])) {
                legend { "Measure" }
                label { "Kind"
                    select name="measure" {
                        @for m in MEASURES { option value=(measure_value(*m)) { (measure_label(*m)) } }
                    }
                }
                div.row {
                    label { "Target infrastructure (for an operation)"
                        select name="target" {
                            option value="" selected { "—" }
                            @for i in &sc.infrastructure { option value=(i.id) { (i.id) } }
                        }
                    }
                    label { "In force for" input type="text" name="duration" placeholder="e.g. 3d (default: to the end)"; }
                }
            }
            fieldset data-kinds=(kinds_with(&[MessageKind::IncidentNotification, MessageKind::InformationShare,
                                              MessageKind::VulnerabilityReport, MessageKind::MitigationReport])) {
                legend { "Indicators of compromise (one per line, STIX pattern or value)" }
                textarea name="indicators" rows="2" {}
            }
            label { "Text"
                textarea name="text" rows="4" placeholder="What your message says" {}
            }
            div.controls {
                button type="submit" { "Send" }
                button.secondary type="reset" { "Clear" }
            }
            div.result role="status" {}
        }
    }
}

fn channel_label(c: ttx_scenario::Channel) -> &'static str {
    use ttx_scenario::Channel::*;
    match c {
        Poc => "Point of contact",
        Cert => "CERT-to-CERT",
        Regional => "Regional network",
        Public => "Public",
        Control => "Control cell",
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
