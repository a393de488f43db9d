//! Checks of scripted moves: that the message a state is made to send says what its kind needs
//! (a measure its measure kind, an attribution whom it accuses) and names things that exist.

use super::Validator;
use crate::diagnostic::suggest;
use crate::message::{Channel, MeasureKind, MessageKind};
use crate::moves::Draft;

/// Fields that belong to one kind of message only.
const ONLY_FOR: [(&str, MessageKind); 3] = [
    ("attributes_to", MessageKind::PublicStatement),
    ("offer", MessageKind::AssistanceOffer),
    ("measure", MessageKind::Measure),
];

impl Validator<'_> {
    pub(super) fn a_move(&mut self, p: String, by: &str, m: &Draft) {
        self.refers(format!("{p}.by"), by, "state");
        let p = format!("{p}.message");
        if m.kind == MessageKind::Control {
            self.err(
                format!("{p}.kind"),
                "a state cannot send a control-cell message",
                Some("use a Message(…) event for what the control cell says itself".into()),
            );
        }
        let channel = m.channel();
        if channel == Channel::Control {
            self.err(
                format!("{p}.via"),
                "a state's message cannot travel on the control cell's channel",
                Some("use Poc, Cert, Regional or Public".into()),
            );
        }
        self.addressee(&p, by, m, channel);
        self.indicators(&p, &m.indicators);
        if m.level.is_some() && channel != Channel::Poc {
            self.err(
                format!("{p}.level"),
                "`level` only applies to messages via Poc",
                None,
            );
        }
        if let Some(about) = &m.about
            && !self.events.contains_key(about.as_str())
        {
            let known: Vec<&str> = self.events.keys().map(String::as_str).collect();
            let help = suggest(about, &known, "incidents, items or injects");
            self.err(
                format!("{p}.about"),
                format!(
                    "unknown incident, vulnerability, compromise, campaign or inject \"{about}\""
                ),
                help,
            );
        }
        if m.answers.is_some() && m.refers_to.is_some() {
            self.err(
                format!("{p}.answers"),
                "give either `answers` (the latest message of a kind) or `refers_to` (a message id), not both",
                None,
            );
        }
        for (field, kind) in ONLY_FOR {
            let given = match field {
                "attributes_to" => m.attributes_to.is_some(),
                "offer" => m.offer.is_some(),
                _ => m.measure.is_some(),
            };
            if given && m.kind != kind {
                self.err(
                    format!("{p}.{field}"),
                    format!("`{field}` only applies to a {}", kind.label()),
                    None,
                );
            }
        }
        if let Some(a) = &m.attributes_to {
            self.refers(format!("{p}.attributes_to"), a, "state");
        }
        if let Some(c) = m.confidence {
            self.probability(format!("{p}.confidence"), "confidence", c);
        }
        self.measure(&p, m);
    }

    fn addressee(&mut self, p: &str, by: &str, m: &Draft, channel: Channel) {
        let to = m.to.as_str();
        if to == by {
            self.err(
                format!("{p}.to"),
                format!("\"{by}\" sends a message to itself"),
                None,
            );
        } else if to == "public" {
            if channel != Channel::Public {
                self.err(
                    format!("{p}.to"),
                    "only public statements and measures go to \"public\"",
                    Some("name the state or organisation it is addressed to".into()),
                );
            }
        } else if to != "control" {
            // The control cell is a valid addressee: a state answering its PoC check.
            self.refers_party(format!("{p}.to"), to);
        }
    }

    fn measure(&mut self, p: &str, m: &Draft) {
        if m.kind == MessageKind::Measure && m.measure.is_none() {
            self.err(
                format!("{p}.measure"),
                "a measure needs its `measure` kind",
                Some("e.g. measure: Sanctions, or InternetShutdown".into()),
            );
        }
        if let Some(t) = &m.target {
            self.refers(format!("{p}.target"), t, "infrastructure");
        } else if m.measure == Some(MeasureKind::CyberOperation) {
            self.err(
                format!("{p}.target"),
                "a cyber operation needs the infrastructure it targets",
                Some("add target: \"<infrastructure id>\"".into()),
            );
        }
        if let Some(d) = m.duration {
            if d.0 <= 0 {
                self.err(
                    format!("{p}.duration"),
                    "`duration` must be longer than 0s",
                    None,
                );
            }
            if m.kind != MessageKind::Measure {
                self.err(
                    format!("{p}.duration"),
                    "`duration` only applies to a measure",
                    None,
                );
            }
        }
    }
}
