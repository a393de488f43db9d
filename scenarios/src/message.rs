//! The messages actors exchange, in the vocabulary of the seeds (PoC pings, notifications that
//! "do not imply responsibility", assistance requests with nature/scope/terms/timeframe, …).

use crate::actors::PocLevel;
use crate::time::Span;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// PoC communication check (A/75/816 Chair's summary ¶30).
    Ping,
    PingReply,
    /// Notice of malicious activity from the receiver's territory, with indicators of compromise.
    /// "Notification does not imply responsibility" (norm c guidance i).
    IncidentNotification,
    /// Receipt confirmed through the matching PoC (norm c guidance i; norm h guidance i).
    Acknowledgement,
    /// Standard-template request for assistance (norm c guidance ii, norm h).
    AssistanceRequest,
    /// Nature, scope, terms and timeframe of the assistance that can be provided (norm h guidance i).
    AssistanceOffer,
    AssistanceDecline,
    AssistanceDelivered,
    /// Measures taken to stop activity from one's territory (norm c guidance i).
    MitigationReport,
    InformationShare,
    /// Responsible disclosure to a vendor's state and CERTs (norm j), or an advisory to users of a
    /// compromised product (norm i).
    VulnerabilityReport,
    ClarificationRequest,
    Clarification,
    /// Law-enforcement cooperation request such as evidence preservation (norm d).
    LegalRequest,
    LegalReply,
    Demarche,
    PublicStatement,
    Measure,
    /// Free text from the exercise control cell.
    Control,
}

impl MessageKind {
    pub fn label(self) -> &'static str {
        use MessageKind::*;
        match self {
            Ping => "ping",
            PingReply => "ping reply",
            IncidentNotification => "incident notification",
            Acknowledgement => "acknowledgement",
            AssistanceRequest => "assistance request",
            AssistanceOffer => "assistance offer",
            AssistanceDecline => "assistance declined",
            AssistanceDelivered => "assistance delivered",
            MitigationReport => "mitigation report",
            InformationShare => "information share",
            VulnerabilityReport => "vulnerability report",
            ClarificationRequest => "clarification request",
            Clarification => "clarification",
            LegalRequest => "legal cooperation request",
            LegalReply => "legal cooperation reply",
            Demarche => "démarche",
            PublicStatement => "public statement",
            Measure => "measure",
            Control => "control message",
        }
    }
}

/// In scenario files channels are written `Poc`, `Cert`, `Regional`, `Public`, `Control`; in traces
/// they are snake_case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all(serialize = "snake_case", deserialize = "PascalCase"))]
pub enum Channel {
    #[serde(alias = "poc")]
    /// National point of contact to point of contact, at the message's `level`.
    Poc,
    /// CERT-to-CERT (A/68/98 ¶26 c).
    #[serde(alias = "cert")]
    Cert,
    /// Through a regional organisation's network.
    #[serde(alias = "regional")]
    Regional,
    #[serde(alias = "public")]
    Public,
    /// From the exercise control cell.
    #[serde(alias = "control")]
    Control,
}

/// Traffic Light Protocol 2.0 marking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tlp {
    #[serde(rename = "TLP:CLEAR")]
    Clear,
    #[serde(rename = "TLP:GREEN")]
    Green,
    #[serde(rename = "TLP:AMBER")]
    Amber,
    #[serde(rename = "TLP:AMBER+STRICT")]
    AmberStrict,
    #[serde(rename = "TLP:RED")]
    Red,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// Retorsion (ladder level 6).
    Expulsion,
    Sanctions,
    TradeRestrictions,
    /// Cyber countermeasure against the other state's non-critical systems (level 7).
    Countermeasure,
    /// Cyber operation against the other state's critical infrastructure (level 8, breaks norm f).
    CyberOperation,
    /// Threat or use of force, invoking self-defence (level 9).
    Force,
    /// Domestic rights-restricting responses (norm e); not a step against another state.
    InternetShutdown,
    BlanketBlocking,
}

impl MeasureKind {
    pub fn restricts_rights(self) -> bool {
        matches!(
            self,
            MeasureKind::InternetShutdown | MeasureKind::BlanketBlocking
        )
    }
}

/// What an assistance offer says, as norm h guidance i asks: nature, scope, terms, timeframe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    pub nature: String,
    pub scope: String,
    pub terms: String,
    pub timeframe: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Message id, unique within a trace (`m1`, `m2`, … in send order).
    pub msg: String,
    pub kind: MessageKind,
    pub from: String,
    pub to: String,
    pub channel: Channel,
    /// PoC level for PoC-channel messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<PocLevel>,
    pub tlp: Tlp,
    /// Escalation-ladder level when this message is a step between two states (DESIGN.md §5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
    /// The message this one answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
    /// The incident, vulnerability, compromise or ping inject this message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_to: Option<String>,
    /// Evidence confidence behind an attribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<MeasureKind>,
    /// Infrastructure targeted by a measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Message {
    /// A message with only the required fields set; builders fill the rest.
    pub fn new(kind: MessageKind, from: &str, to: &str, channel: Channel, tlp: Tlp) -> Message {
        Message {
            msg: String::new(),
            kind,
            from: from.to_string(),
            to: to.to_string(),
            channel,
            level: None,
            tlp,
            step: None,
            refers_to: None,
            about: None,
            attributes_to: None,
            confidence: None,
            measure: None,
            target: None,
            offer: None,
            text: None,
        }
    }
}
