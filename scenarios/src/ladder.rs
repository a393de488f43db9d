//! The escalation ladder (DESIGN.md §5). Levels are part of the shared vocabulary: the simulator
//! marks each step it takes with its level, a live-exercise recorder does the same, and scoring
//! weighs the levels. Weights are only defaults; a scenario overrides them.

use crate::message::{MeasureKind, Message, MessageKind};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rung {
    pub level: u8,
    pub name: &'static str,
    pub weight: f64,
}

pub const LADDER: [Rung; 10] = [
    Rung {
        level: 0,
        name: "cooperation",
        weight: -2.0,
    },
    Rung {
        level: 1,
        name: "private technical notification",
        weight: 0.0,
    },
    Rung {
        level: 2,
        name: "private diplomatic inquiry",
        weight: 1.0,
    },
    Rung {
        level: 3,
        name: "formal démarche",
        weight: 2.0,
    },
    Rung {
        level: 4,
        name: "public statement of concern",
        weight: 4.0,
    },
    Rung {
        level: 5,
        name: "public attribution",
        weight: 8.0,
    },
    Rung {
        level: 6,
        name: "retorsion",
        weight: 12.0,
    },
    Rung {
        level: 7,
        name: "cyber countermeasure",
        weight: 20.0,
    },
    Rung {
        level: 8,
        name: "operation against critical infrastructure",
        weight: 28.0,
    },
    Rung {
        level: 9,
        name: "threat or use of force",
        weight: 60.0,
    },
];

/// Level of public attribution, from which norm b requires sufficient evidence.
pub const ATTRIBUTION: u8 = 5;

/// The ladder level of a message between two states, or `None` for messages that are not steps
/// (domestic measures, control-cell traffic).
pub fn level_of(m: &Message) -> Option<u8> {
    use MessageKind::*;
    Some(match m.kind {
        Ping | PingReply | Acknowledgement | AssistanceRequest | AssistanceOffer
        | AssistanceDecline | AssistanceDelivered | MitigationReport | InformationRequest
        | InformationShare | VulnerabilityReport | Clarification | LegalRequest | LegalReply => 0,
        IncidentNotification => 1,
        ClarificationRequest => 2,
        Demarche => 3,
        PublicStatement if m.attributes_to.is_some() => 5,
        PublicStatement => 4,
        Measure => match m.measure? {
            MeasureKind::Expulsion | MeasureKind::Sanctions | MeasureKind::TradeRestrictions => 6,
            MeasureKind::Countermeasure => 7,
            MeasureKind::CyberOperation => 8,
            MeasureKind::Force => 9,
            MeasureKind::InternetShutdown | MeasureKind::BlanketBlocking => return None,
        },
        Control => return None,
    })
}

pub fn rung(level: u8) -> &'static Rung {
    &LADDER[level.min(9) as usize]
}
