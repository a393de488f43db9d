//! The vocabulary of a live exercise: what a human team, the facilitator or an evaluator does
//! ([`Action`]), the journal of those actions with their exercise times ([`JournalEntry`]), and
//! the MSEL as the facilitator's console shows it ([`InjectStatus`]).
//!
//! Plain data with serde, so the exercise server can journal actions as JSON and a browser can
//! post them. A live exercise's trace is a pure function of (scenario, seed, journal): replaying
//! the journal rebuilds it byte for byte (`ttx_sim::live::replay`).

use crate::diagnostic::Diagnostic;
use crate::injects::{Condition, Event, Inject};
use crate::moves::Move;
use crate::scenario::Scenario;
use crate::time::{At, Span};
use serde::{Deserialize, Serialize};

/// Exercise time: seconds since T+0.
pub type Seconds = i64;

/// One thing a person does during a live exercise. Written as JSON with the variant name as key:
/// `{"move": {"by": "borealia", "message": {"kind": "Acknowledgement", "to": "aurelia",
/// "refers_to": "m3"}}}`, `{"release_inject": {"inject": "leak"}}`, `{"rate": {…}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[allow(
    clippy::large_enum_variant,
    reason = "one action per human decision in a live exercise: boxing the inject saves nothing that matters"
)]
pub enum Action {
    /// A human team (or the control cell, for a state it plays) sends a message of the
    /// vocabulary, with every field: the same value a scripted `Move` inject carries.
    Move(Move),
    /// The facilitator releases a scripted inject now, ahead of its time or condition.
    ReleaseInject { inject: String },
    /// The facilitator writes an inject during the exercise; it fires now. Without an `id` it
    /// gets `adhoc-1`, `adhoc-2`, … in the order added.
    AddInject(Inject),
    /// An evaluator rates an expectation that needs human judgement.
    Rate {
        expectation: String,
        rating: Rating,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        comment: String,
        by: String,
    },
    /// An evaluator's observation, optionally tied to a trace record (its `n`).
    Observe {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<u32>,
        by: String,
    },
    /// A team's private note; `decision: true` puts it in the team's decision log.
    Note {
        state: String,
        text: String,
        #[serde(default)]
        decision: bool,
    },
}

impl Action {
    /// Short snake_case name, as in the JSON key.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Move(_) => "move",
            Action::ReleaseInject { .. } => "release_inject",
            Action::AddInject(_) => "add_inject",
            Action::Rate { .. } => "rate",
            Action::Observe { .. } => "observe",
            Action::Note { .. } => "note",
        }
    }
}

/// Whom a live-exercise record is private to, if to anyone: a team's note belongs to that team
/// (and the facilitator). Any per-team view or file drops the records private to other teams;
/// messages follow TLP (`crate::tlp::may_see`).
pub fn private_to(event: &crate::trace::TraceEvent) -> Option<&str> {
    match event {
        crate::trace::TraceEvent::Note { state, .. } => Some(state),
        _ => None,
    }
}

/// An evaluator's rating of one expectation (HSEEP exercise evaluation guide wording).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    #[serde(alias = "Success", alias = "SUCCESS")]
    Success,
    #[serde(alias = "Partial", alias = "PARTIAL")]
    Partial,
    #[serde(alias = "Failed", alias = "FAILED")]
    Failed,
}

impl Rating {
    pub fn label(self) -> &'static str {
        match self {
            Rating::Success => "SUCCESS",
            Rating::Partial => "PARTIAL",
            Rating::Failed => "FAILED",
        }
    }
}

/// An action at the exercise time it was submitted: one line of the exercise journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalEntry {
    pub t: Seconds,
    pub action: Action,
}

pub type Journal = Vec<JournalEntry>;

/// One MSEL row as the facilitator's console shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InjectStatus {
    pub id: String,
    /// The event kind (`incident`, `ping`, `message`, …).
    pub kind: String,
    /// What the control cell says or shows when it fires (the inject's `note`, or a message's text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// When it is due, for an inject at an instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Seconds>,
    /// What fires it, for an inject on a condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// When it fired, if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released_at: Option<Seconds>,
    /// The states it reaches or concerns; empty for everyone (or no one in particular).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// Written by the facilitator during the exercise.
    #[serde(default)]
    pub ad_hoc: bool,
}

impl InjectStatus {
    /// The row of `inject`, the `index`th of `scenario`, not yet fired.
    pub fn of(scenario: &Scenario, index: usize, inject: &Inject) -> InjectStatus {
        let description = match (&inject.event, inject.note.is_empty()) {
            (_, false) => inject.note.clone(),
            (Event::Message { text, .. }, true) => text.clone(),
            (Event::MediaReport { text, .. }, true) => text.clone(),
            (Event::Move { message, .. }, true) => message.text.clone(),
            _ => String::new(),
        };
        InjectStatus {
            id: inject.id_at(index),
            kind: inject.event.kind().to_string(),
            description,
            // An instant drawn at random in each run has no due time before the run draws it.
            due: inject.at.as_ref().and_then(|a| a.fixed()).map(At::secs),
            condition: inject.when.as_ref().map(describe_condition),
            released_at: None,
            to: concerns(scenario, &inject.event),
            ad_hoc: false,
        }
    }
}

/// The states an inject reaches or concerns, for the MSEL's "to" column.
fn concerns(scenario: &Scenario, event: &Event) -> Vec<String> {
    let owner = |infra: &str| {
        scenario
            .infra(infra)
            .map(|x| vec![x.state.clone()])
            .unwrap_or_default()
    };
    match event {
        Event::Incident { target, .. } => owner(target),
        Event::Outage { infra, .. } => owner(infra),
        Event::PocOutage { state, .. } => vec![state.clone()],
        Event::Vulnerability { found_by, .. } => vec![found_by.clone()],
        Event::SupplyChain { vendor_state, .. } => vec![vendor_state.clone()],
        Event::Disinformation { target, .. } => vec![target.clone()],
        Event::Ping { to, .. } | Event::Message { to, .. } => to.clone(),
        Event::Move { by, message } => vec![by.clone(), message.to.clone()],
        Event::FalseFlag { .. } | Event::MediaReport { .. } => Vec::new(),
    }
}

/// A condition in a facilitator's words.
pub fn describe_condition(c: &Condition) -> String {
    match c {
        Condition::NoAcknowledgement {
            incident,
            by,
            within,
        } => format!("{by} has not acknowledged {incident} within {within}"),
        Condition::LevelReached { level, by } => match by {
            Some(by) => format!("{by} takes an escalation step at level {level}"),
            None => format!("some state reaches escalation level {level}"),
        },
        Condition::InfraDown { infra } => format!("{infra} is disrupted"),
        Condition::Received {
            by,
            kind,
            from,
            about,
            after,
        } => {
            let mut s = format!("{by} receives a {}", kind.label());
            if let Some(f) = from {
                s.push_str(&format!(" from {f}"));
            }
            if let Some(a) = about {
                s.push_str(&format!(" about {a}"));
            }
            if *after != Span::ZERO {
                s = format!("{after} after {s}");
            }
            s
        }
    }
}

/// What the scenario validator finds wrong with `inject` were it added to `scenario`: the one
/// set of rules for scripted and live moves and injects. Paths are relative to the inject
/// (`event.message.to`).
pub fn check_inject(scenario: &Scenario, inject: &Inject) -> Vec<Diagnostic> {
    let mut sc = scenario.clone();
    let prefix = format!("injects[{}]", sc.injects.len());
    sc.injects.push(inject.clone());
    crate::validate(&sc)
        .into_iter()
        .filter_map(|mut d| {
            let rest = d.path.as_deref()?.strip_prefix(&prefix)?;
            let rest = rest.strip_prefix('.').unwrap_or(rest).to_string();
            d.path = (!rest.is_empty()).then_some(rest);
            Some(d)
        })
        .collect()
}

/// `mv` as an inject at `t`, to check it with [`check_inject`].
pub fn move_inject(mv: &Move, t: Seconds) -> Inject {
    Inject {
        id: None,
        at: Some(crate::InjectAt::Fixed(At(Span(t)))),
        when: None,
        repeat: None,
        event: Event::Move {
            by: mv.by.clone(),
            message: mv.message.clone(),
        },
        note: String::new(),
        planner: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::MessageKind;
    use crate::moves::Draft;

    #[test]
    fn a_note_is_private_to_its_team() {
        use crate::trace::TraceEvent;
        let note = TraceEvent::Note {
            state: "aurelia".into(),
            text: "x".into(),
            decision: true,
        };
        assert_eq!(private_to(&note), Some("aurelia"));
        assert_eq!(private_to(&TraceEvent::End { records: 1 }), None);
    }

    #[test]
    fn actions_read_back_from_json() {
        let actions = vec![
            Action::Move(Move {
                by: "borealia".into(),
                message: Draft {
                    refers_to: Some("m3".into()),
                    ..Draft::new(MessageKind::Acknowledgement, "aurelia")
                },
            }),
            Action::ReleaseInject {
                inject: "leak".into(),
            },
            Action::Rate {
                expectation: "ack".into(),
                rating: Rating::Partial,
                comment: "late but complete".into(),
                by: "eval-1".into(),
            },
            Action::Observe {
                text: "good use of the template".into(),
                record: Some(12),
                by: "eval-1".into(),
            },
            Action::Note {
                state: "aurelia".into(),
                text: "we notify borealia first".into(),
                decision: true,
            },
        ];
        for a in actions {
            let entry = JournalEntry { t: 60, action: a };
            let json = serde_json::to_string(&entry).unwrap();
            assert_eq!(serde_json::from_str::<JournalEntry>(&json).unwrap(), entry);
        }
        let posted = r#"{"move":{"by":"b","message":{"kind":"acknowledgement","to":"a"}}}"#;
        assert!(matches!(
            serde_json::from_str::<Action>(posted).unwrap(),
            Action::Move(_)
        ));
        let added = r#"{"add_inject":{"event":{"Message":{"to":["aurelia"],"text":"brief the minister"}},"note":"n"}}"#;
        assert!(matches!(
            serde_json::from_str::<Action>(added).unwrap(),
            Action::AddInject(_)
        ));
        let rated = r#"{"rate":{"expectation":"x","rating":"SUCCESS","by":"e"}}"#;
        assert!(matches!(
            serde_json::from_str::<Action>(rated).unwrap(),
            Action::Rate {
                rating: Rating::Success,
                ..
            }
        ));
    }
}
