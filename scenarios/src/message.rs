//! The messages actors exchange, in the vocabulary of the seeds (PoC pings, notifications that
//! "do not imply responsibility", assistance requests with nature/scope/terms/timeframe, …).

use crate::actors::PocLevel;
use crate::name::Name;
use crate::time::Span;
use serde::{Deserialize, Serialize};

/// In scenario files kinds are written `IncidentNotification`, `Acknowledgement`, …; in traces
/// they are snake_case (`incident_notification`), and either spelling reads back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all(serialize = "snake_case", deserialize = "PascalCase"))]
pub enum MessageKind {
    /// PoC communication check (A/75/816 Chair's summary ¶30).
    #[serde(alias = "ping")]
    Ping,
    #[serde(alias = "ping_reply")]
    PingReply,
    /// Notice of malicious activity from the receiver's territory, with indicators of compromise.
    /// "Notification does not imply responsibility" (norm c guidance i).
    #[serde(alias = "incident_notification")]
    IncidentNotification,
    /// Receipt confirmed through the matching PoC (norm c guidance i; norm h guidance i).
    #[serde(alias = "acknowledgement")]
    Acknowledgement,
    /// Standard-template request for assistance (norm c guidance ii, norm h).
    #[serde(alias = "assistance_request")]
    AssistanceRequest,
    /// Nature, scope, terms and timeframe of the assistance that can be provided (norm h guidance i).
    #[serde(alias = "assistance_offer")]
    AssistanceOffer,
    #[serde(alias = "assistance_decline")]
    AssistanceDecline,
    #[serde(alias = "assistance_delivered")]
    AssistanceDelivered,
    /// Measures taken to stop activity from one's territory (norm c guidance i).
    #[serde(alias = "mitigation_report")]
    MitigationReport,
    /// A request for information about an incident or situation; answered by an
    /// `InformationShare` (norm a: cooperate; A/68/98 ¶26 c–d on exchanging incident information).
    #[serde(alias = "information_request")]
    InformationRequest,
    #[serde(alias = "information_share")]
    InformationShare,
    /// Responsible disclosure to a vendor's state and CERTs (norm j), or an advisory to users of a
    /// compromised product (norm i).
    #[serde(alias = "vulnerability_report")]
    VulnerabilityReport,
    #[serde(alias = "clarification_request")]
    ClarificationRequest,
    #[serde(alias = "clarification")]
    Clarification,
    /// Law-enforcement cooperation request such as evidence preservation (norm d).
    #[serde(alias = "legal_request")]
    LegalRequest,
    #[serde(alias = "legal_reply")]
    LegalReply,
    #[serde(alias = "demarche")]
    Demarche,
    #[serde(alias = "public_statement")]
    PublicStatement,
    #[serde(alias = "measure")]
    Measure,
    /// Free text from the exercise control cell.
    #[serde(alias = "control")]
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
            InformationRequest => "information request",
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

    /// The TLP 2.0 marking a message of this kind carries unless its sender says otherwise:
    /// private exchanges AMBER or stricter, public ones CLEAR.
    pub fn default_tlp(self) -> Tlp {
        use MessageKind::*;
        match self {
            Ping | PingReply | InformationRequest | InformationShare => Tlp::Green,
            IncidentNotification | Acknowledgement | AssistanceRequest | AssistanceOffer
            | AssistanceDecline | AssistanceDelivered | MitigationReport | VulnerabilityReport => {
                Tlp::Amber
            }
            ClarificationRequest | Clarification | Demarche => Tlp::AmberStrict,
            LegalRequest | LegalReply => Tlp::Red,
            PublicStatement | Measure | Control => Tlp::Clear,
        }
    }

    /// The channel a message of this kind takes unless its sender says otherwise: statements and
    /// measures are public, information sharing and disclosure go CERT-to-CERT, control-cell
    /// traffic is the control cell's own, and everything else goes through the PoCs.
    pub fn default_channel(self) -> Channel {
        use MessageKind::*;
        match self {
            PublicStatement | Measure => Channel::Public,
            InformationShare | VulnerabilityReport => Channel::Cert,
            Control => Channel::Control,
            _ => Channel::Poc,
        }
    }

    /// The PoC level a message of this kind goes through on the PoC channel unless its sender
    /// (or the message it answers) says otherwise: diplomatic exchanges through the diplomatic
    /// PoC, the rest through the technical one (A/75/816 ¶51).
    pub fn default_level(self) -> PocLevel {
        use MessageKind::*;
        match self {
            ClarificationRequest | Clarification | Demarche => PocLevel::Diplomatic,
            _ => PocLevel::Technical,
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

/// Written `Sanctions`, `InternetShutdown`, … in scenario files, snake_case in traces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all(serialize = "snake_case", deserialize = "PascalCase"))]
pub enum MeasureKind {
    /// Retorsion (ladder level 6).
    #[serde(alias = "expulsion")]
    Expulsion,
    #[serde(alias = "sanctions")]
    Sanctions,
    #[serde(alias = "trade_restrictions")]
    TradeRestrictions,
    /// Cyber countermeasure against the other state's non-critical systems (level 7).
    #[serde(alias = "countermeasure")]
    Countermeasure,
    /// Cyber operation against the other state's critical infrastructure (level 8, breaks norm f).
    #[serde(alias = "cyber_operation")]
    CyberOperation,
    /// Threat or use of force, invoking self-defence (level 9).
    #[serde(alias = "force")]
    Force,
    /// Domestic rights-restricting responses (norm e); not a step against another state. A
    /// shutdown also degrades the state's own telecom and internet-core infrastructure.
    #[serde(alias = "internet_shutdown")]
    InternetShutdown,
    #[serde(alias = "blanket_blocking")]
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
/// Each may be left out of a scripted offer (empty, or a zero timeframe): norm h then counts the
/// offer as incomplete.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub terms: String,
    #[serde(default)]
    pub timeframe: Span,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Message id, unique within a trace (`m1`, `m2`, … in send order).
    pub msg: Name,
    pub kind: MessageKind,
    pub from: Name,
    pub to: Name,
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
    pub refers_to: Option<Name>,
    /// The incident, vulnerability, compromise or ping inject this message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<Name>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_to: Option<Name>,
    /// Evidence confidence behind an attribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<MeasureKind>,
    /// Infrastructure targeted by a measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Name>,
    /// Boxed: an offer's three texts were 80 of a message's 224 bytes, in the one kind of
    /// message in twenty that has one, and every message is moved and copied several times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Box<Offer>>,
    /// Indicators of compromise (IP addresses, domains, hashes) a notification or share carries
    /// as its supporting information (norm c guidance i).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<crate::Indicator>,
    /// How long a measure stays in force (an internet shutdown, sanctions); `None`: until the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Written out so that the list of indicators, empty in nearly every message, is made new when
/// empty rather than cloned: `to_vec` on an empty `Vec` cost a quarter of cloning a message, and
/// the engine clones every message it sends into the trace.
impl Clone for Message {
    #[inline]
    fn clone(&self) -> Message {
        Message {
            msg: self.msg,
            kind: self.kind,
            from: self.from,
            to: self.to,
            channel: self.channel,
            level: self.level,
            tlp: self.tlp,
            step: self.step,
            refers_to: self.refers_to,
            about: self.about,
            attributes_to: self.attributes_to,
            confidence: self.confidence,
            measure: self.measure,
            target: self.target,
            offer: self.offer.clone(),
            indicators: clone_list(&self.indicators),
            duration: self.duration,
            text: self.text.clone(),
        }
    }
}

/// A copy of `list`, made new when it is empty: std's `Vec::clone` goes through `to_vec` even
/// then, which was a quarter of cloning a message. For the hand-written `Clone`s of types
/// whose lists are nearly always empty (a message's indicators, a norm verdict's evidence).
#[inline]
pub fn clone_list<T: Clone>(list: &[T]) -> Vec<T> {
    if list.is_empty() {
        Vec::new()
    } else {
        list.to_vec()
    }
}

impl Message {
    /// The id of the `n`-th message sent (`m1`, `m2`, …).
    pub fn id_for(n: usize) -> Name {
        Name::message(n)
    }

    /// A message with only the required fields set; builders fill the rest.
    pub fn new(
        kind: MessageKind,
        from: impl Into<Name>,
        to: impl Into<Name>,
        channel: Channel,
        tlp: Tlp,
    ) -> Message {
        Message {
            msg: Name::default(),
            kind,
            from: from.into(),
            to: to.into(),
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
            indicators: Vec::new(),
            duration: None,
            text: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Indicator, PocLevel, Span};

    #[test]
    fn a_clone_is_the_message_field_for_field() {
        let mut m = Message::new(
            MessageKind::InformationShare,
            "aurelia",
            "borealia",
            Channel::Poc,
            Tlp::Amber,
        );
        let bare = m.clone();
        assert_eq!(bare, m);
        m.msg = Message::id_for(7);
        m.level = Some(PocLevel::Diplomatic);
        m.step = Some(2);
        m.refers_to = Some(Name::new("m3"));
        m.about = Some(Name::new("inc-1"));
        m.attributes_to = Some(Name::new("cordovia"));
        m.confidence = Some(0.75);
        m.measure = Some(MeasureKind::Sanctions);
        m.target = Some(Name::new("grid"));
        m.offer = Some(Box::new(Offer {
            nature: "forensics".into(),
            scope: "one team".into(),
            terms: "at cost".into(),
            timeframe: Span(3600),
        }));
        m.indicators = vec![Indicator::Domain("example.org".into())];
        m.duration = Some(Span(86_400));
        m.text = Some("what we know".into());
        assert_eq!(m.clone(), m);
        assert_ne!(m.clone(), bare);
    }
}
