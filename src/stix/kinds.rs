//! Which STIX object each kind of message becomes — the one place that matches on message kinds,
//! so a new kind of message exports (as a note) without touching anything else.
//!
//! What a CERT's platform files as intelligence becomes a `report`: notifications, information
//! shares, vulnerability reports, mitigation reports and public statements. Everything else that
//! passes between the parties — acknowledgements, clarifications, pings, assistance and legal
//! exchanges, démarches, measures, control-cell messages — becomes a `note` on what it concerns.

use ttx_scenario::MessageKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A `report` of this `report_types` value (STIX report-type-ov).
    Report(&'static str),
    Note,
}

/// How one kind of message is exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub form: Form,
    /// It hands over the incident's indicators of compromise (norm c guidance i; A/68/98 ¶26 d).
    pub carries_indicators: bool,
}

pub fn mapping(kind: MessageKind) -> Mapping {
    use MessageKind::*;
    let (form, carries_indicators) = match kind {
        IncidentNotification => (Form::Report("threat-report"), true),
        InformationShare => (Form::Report("indicator"), true),
        VulnerabilityReport => (Form::Report("vulnerability"), false),
        MitigationReport | PublicStatement => (Form::Report("threat-report"), false),
        _ => (Form::Note, false),
    };
    Mapping {
        form,
        carries_indicators,
    }
}
