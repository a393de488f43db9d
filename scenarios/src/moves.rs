//! Moves: a state sends a message of the vocabulary because the exercise says so, not because its
//! doctrine decided it. A move is the one representation of "state S sends this message, with
//! all its fields": a scenario scripts it as an inject (`Move(by: …, message: Message(…))`, the
//! control cell speaking for a simulated state), and a live exercise will submit the same value
//! when a human team or the facilitator acts. The engine then treats the message exactly like one
//! a bot produced: working hours, delivery through PoCs, answers by the receiver's bot.

use crate::actors::PocLevel;
use crate::message::{Channel, MeasureKind, Message, MessageKind, Offer, Tlp};
use crate::name::Name;
use crate::time::Span;
use serde::{Deserialize, Serialize};

/// State `by` sends `message`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    pub by: String,
    pub message: Draft,
}

/// A message as its sender writes it: every field of the vocabulary ([`Message`]) except what
/// only sending can fill in (the id, the ladder step). Omitted fields take the defaults a bot
/// would use — channel and PoC level by kind, or those of the message answered; the TLP marking
/// by kind. Written `Message(kind: …, to: …, …)` in scenario files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Message")]
pub struct Draft {
    pub kind: MessageKind,
    /// A state or organisation; `"control"` for the control cell (answering its PoC check);
    /// `"public"` for a public statement or measure addressed to no one in particular (a public
    /// statement about a state names that state).
    pub to: String,
    /// Default: the channel of the message answered, else by kind (see
    /// [`MessageKind::default_channel`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Channel>,
    /// For the PoC channel. Default: the level of the message answered, else by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<PocLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlp: Option<Tlp>,
    /// The incident, vulnerability, compromise, campaign or inject it concerns. Default: what the
    /// message answered is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// Answers the latest message of this kind that reached `by` from `to` (about `about`, when
    /// given): how a script refers to a message whose id it cannot know in advance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<MessageKind>,
    /// Answers exactly this message (`m7`): how a live exercise refers to what a team saw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_to: Option<String>,
    /// Evidence confidence behind an attribution. Default: the sender's own investigation's
    /// confidence in the state it accuses, when it investigates the incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<MeasureKind>,
    /// Infrastructure a measure targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<crate::Indicator>,
    /// How long a measure stays in force; default: to the end of the exercise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Span>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

impl Draft {
    /// A draft with only kind and addressee; everything else defaults.
    pub fn new(kind: MessageKind, to: &str) -> Draft {
        Draft {
            kind,
            to: to.to_string(),
            via: None,
            level: None,
            tlp: None,
            about: None,
            answers: None,
            refers_to: None,
            attributes_to: None,
            confidence: None,
            measure: None,
            target: None,
            offer: None,
            indicators: Vec::new(),
            duration: None,
            text: String::new(),
        }
    }

    /// The channel, as far as the draft alone decides it (an answer without `via` takes the
    /// answered message's channel when sent).
    pub fn channel(&self) -> Channel {
        self.via.unwrap_or(self.kind.default_channel())
    }

    /// The PoC level, as far as the draft alone decides it; `None` off the PoC channel.
    pub fn poc_level(&self) -> Option<PocLevel> {
        (self.channel() == Channel::Poc).then(|| self.level.unwrap_or(self.kind.default_level()))
    }

    /// The message `by` sends, given the message it answers (resolved by the engine from
    /// `refers_to` or `answers`). The id and ladder step are left for sending to fill in.
    pub fn to_message(&self, by: &str, answered: Option<&Message>) -> Message {
        let channel = self
            .via
            .or(answered.map(|a| a.channel))
            .unwrap_or(self.kind.default_channel());
        let mut m = Message::new(
            self.kind,
            by,
            &self.to,
            channel,
            self.tlp.unwrap_or(self.kind.default_tlp()),
        );
        m.level = (channel == Channel::Poc).then(|| {
            self.level
                .or(answered
                    .filter(|a| a.channel == Channel::Poc)
                    .and_then(|a| a.level))
                .unwrap_or(self.kind.default_level())
        });
        m.refers_to = answered.map(|a| a.msg);
        m.about = self
            .about
            .as_deref()
            .map(Name::new)
            .or_else(|| answered.and_then(|a| a.about));
        m.attributes_to = self.attributes_to.as_deref().map(Name::new);
        m.confidence = self.confidence;
        m.measure = self.measure;
        m.target = self.target.as_deref().map(Name::new);
        m.offer = self.offer.clone().map(Box::new);
        m.indicators = self.indicators.clone();
        m.duration = self.duration;
        m.text = (!self.text.is_empty()).then(|| self.text.clone());
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_goes_back_the_way_the_request_came() {
        let mut note = Message::new(
            MessageKind::IncidentNotification,
            "aurelia",
            "borealia",
            Channel::Poc,
            Tlp::Amber,
        );
        note.msg = "m3".into();
        note.level = Some(PocLevel::Diplomatic);
        note.about = Some("inc-1".into());
        let ack = Draft::new(MessageKind::Acknowledgement, "aurelia");
        let m = ack.to_message("borealia", Some(&note));
        assert_eq!(m.channel, Channel::Poc);
        assert_eq!(m.level, Some(PocLevel::Diplomatic));
        assert_eq!(m.refers_to.as_deref(), Some("m3"));
        assert_eq!(m.about.as_deref(), Some("inc-1"));
        assert_eq!(m.tlp, Tlp::Amber);
        // A level the sender states wins over the request's.
        let other = Draft {
            level: Some(PocLevel::Technical),
            ..ack
        };
        assert_eq!(
            other.to_message("borealia", Some(&note)).level,
            Some(PocLevel::Technical)
        );
    }

    #[test]
    fn kinds_pick_their_channel() {
        let s = Draft::new(MessageKind::PublicStatement, "borealia").to_message("aurelia", None);
        assert_eq!(
            (s.channel, s.level, s.tlp),
            (Channel::Public, None, Tlp::Clear)
        );
        let c = Draft::new(MessageKind::ClarificationRequest, "borealia");
        assert_eq!(c.poc_level(), Some(PocLevel::Diplomatic));
        let v = Draft::new(MessageKind::VulnerabilityReport, "borealia");
        assert_eq!((v.channel(), v.poc_level()), (Channel::Cert, None));
    }
}
