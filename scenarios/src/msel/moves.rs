//! MSEL rows in which a state speaks: "From: Chile, Method: Technical PoC — the servers are a
//! rented VPS cluster" is the control cell making a simulated state send a message, i.e. a
//! [`Move`](crate::moves::Move). The planner columns carry sender, addressee, channel and text;
//! the Event column carries the rest of the message (its kind, what it answers or is about, …).

use super::import::Importer;
use super::{Ch, MselError, TO_SEPARATORS, is_everyone, slug};
use crate::actors::PocLevel;
use crate::injects::Event;
use crate::message::{Channel, MessageKind};
use crate::moves::Draft;

impl Importer {
    /// The state a From cell names, if it names one of the scenario's states (not an
    /// organisation, not the control cell).
    pub(super) fn speaking_state(&self, from: &str) -> Option<String> {
        let (name, key) = (from.trim(), slug(from));
        self.sc
            .states
            .iter()
            .find(|s| s.id == name || s.id == key || s.name.eq_ignore_ascii_case(name))
            .map(|s| s.id.clone())
    }

    /// A move by `by` through the row's channel, to its single addressee.
    pub(super) fn state_move(
        &mut self,
        row: usize,
        by: String,
        ch: Ch,
        to_cell: &str,
        message: &str,
        event_cell: &str,
    ) -> Option<Event> {
        let (channel, level) = channel_of(ch);
        let to = if channel == Channel::Public && is_everyone(to_cell) {
            "public".to_string()
        } else {
            let names: Vec<&str> = to_cell
                .split(TO_SEPARATORS)
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect();
            if names.len() != 1 || is_everyone(names[0]) {
                self.errors.push(
                    MselError::new(row, Some("To"), format!("{by}'s message needs exactly one addressee"))
                        .help("a state's message goes to one state or organisation; put each addressee on its own row"),
                );
                return None;
            }
            self.party(names[0], true)?
        };
        let mut draft = if event_cell.is_empty() {
            let kind = if channel == Channel::Public {
                MessageKind::PublicStatement
            } else {
                MessageKind::InformationShare
            };
            Draft::new(kind, &to)
        } else {
            let options = ron::Options::default()
                .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
            match options.from_str::<Event>(event_cell) {
                Ok(Event::Move { message, .. }) => message,
                Ok(other) => {
                    self.err(
                        row,
                        "Event",
                        format!("a row From a state with Method a channel is a Move, but the Event is {}", other.kind()),
                    );
                    return None;
                }
                Err(e) => {
                    self.err(
                        row,
                        "Event",
                        format!(
                            "cannot read the move: {} (at character {})",
                            e.code, e.span.start.col
                        ),
                    );
                    return None;
                }
            }
        };
        // The planner columns win over what the Event cell repeats.
        draft.to = to;
        draft.text = message.to_string();
        if (draft.channel(), draft.poc_level()) != (channel, level) {
            draft.via = Some(channel);
            draft.level = level;
        }
        Some(Event::Move { by, message: draft })
    }
}

fn channel_of(ch: Ch) -> (Channel, Option<PocLevel>) {
    match ch {
        Ch::Control => (Channel::Control, None),
        Ch::Poc(l) => (Channel::Poc, Some(l)),
        Ch::Cert => (Channel::Cert, None),
        Ch::Regional => (Channel::Regional, None),
        Ch::Public => (Channel::Public, None),
    }
}

/// The Method cell for a move: its channel, and PoC level on the PoC channel.
pub(super) fn method_of(draft: &Draft) -> String {
    match (draft.channel(), draft.poc_level()) {
        (Channel::Poc, Some(l)) => format!("{} PoC", super::export::capitalise(l.as_str())),
        (Channel::Poc, None) => "PoC".into(),
        (Channel::Cert, _) => "CERT-to-CERT".into(),
        (Channel::Regional, _) => "Regional network".into(),
        (Channel::Public, _) => "Media".into(),
        (Channel::Control, _) => "Control".into(),
    }
}
