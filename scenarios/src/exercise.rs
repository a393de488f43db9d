//! What the exercise is meant to test: expectations grouped into objectives (HSEEP), the norms they
//! touch, and the scoring parameters (targets, evidence threshold, escalation weights) a facilitator
//! may tune. `ttx-scoring` evaluates them; this crate only declares them.

use crate::time::{At, Span};
use serde::{Deserialize, Serialize};

/// The eleven norms of responsible state behaviour, A/70/174 ¶13 a–k, reaffirmed in A/75/816.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Norm {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
    K,
}

impl Norm {
    pub const ALL: [Norm; 11] = [
        Norm::A,
        Norm::B,
        Norm::C,
        Norm::D,
        Norm::E,
        Norm::F,
        Norm::G,
        Norm::H,
        Norm::I,
        Norm::J,
        Norm::K,
    ];

    pub fn letter(self) -> char {
        (b'a' + self as u8) as char
    }

    /// One-line gist of the norm (A/70/174 ¶13).
    pub fn title(self) -> &'static str {
        match self {
            Norm::A => "cooperate to increase stability and security",
            Norm::B => "consider all relevant information before attributing",
            Norm::C => "do not knowingly allow territory to be used for wrongful acts",
            Norm::D => "cooperate against criminal and terrorist use of ICTs",
            Norm::E => "respect human rights online",
            Norm::F => "do not damage critical infrastructure",
            Norm::G => "protect own critical infrastructure",
            Norm::H => "respond to requests for assistance",
            Norm::I => "ensure supply-chain integrity",
            Norm::J => "report vulnerabilities responsibly",
            Norm::K => "do not harm CERTs, nor use them for malicious activity",
        }
    }

    pub fn from_letter(c: char) -> Option<Norm> {
        let i = (c.to_ascii_lowercase() as u8).checked_sub(b'a')?;
        Norm::ALL.get(i as usize).copied()
    }
}

/// What an actor is expected to do. Each action names the trace evidence that fulfils it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Action {
    Detect {
        incident: String,
    },
    Notify {
        incident: String,
    },
    Acknowledge {
        incident: String,
    },
    Mitigate {
        incident: String,
    },
    Contain {
        incident: String,
    },
    RequestAssistance {
        incident: String,
    },
    OfferAssistance {
        incident: String,
    },
    DeliverAssistance {
        incident: String,
    },
    Clarify {
        incident: String,
    },
    ShareInformation {
        incident: String,
    },
    AnswerLegalRequest {
        incident: String,
    },
    /// Answer the PoC check fired by this ping inject.
    ReplyPing {
        ping: String,
    },
    /// Disclose a vulnerability or inform users of a supply-chain compromise.
    Disclose {
        item: String,
    },
    /// The infrastructure is back in service.
    Restore {
        infra: String,
    },
    /// Never take an escalation step at or above this level.
    StayBelow {
        level: u8,
    },
    /// An expected action in the planner's own words, judged by an evaluator rather than from
    /// the trace: `Judged("Chile acknowledges receipt through its technical PoC")`. Scoring shows
    /// it as needing an evaluator until a `rating` record rates it SUCCESS, PARTIAL or FAILED.
    Judged(String),
}

impl Action {
    /// The incident the action is about, for the actions that are about one.
    pub fn incident(&self) -> Option<&str> {
        use Action::*;
        match self {
            Detect { incident }
            | Notify { incident }
            | Acknowledge { incident }
            | Mitigate { incident }
            | Contain { incident }
            | RequestAssistance { incident }
            | OfferAssistance { incident }
            | DeliverAssistance { incident }
            | Clarify { incident }
            | ShareInformation { incident }
            | AnswerLegalRequest { incident } => Some(incident),
            ReplyPing { .. } | Disclose { .. } | Restore { .. } | StayBelow { .. } | Judged(_) => {
                None
            }
        }
    }

    /// The scenario id the action refers to (incident, inject, item or infrastructure).
    pub fn subject(&self) -> Option<&str> {
        match self {
            Action::ReplyPing { ping } => Some(ping),
            Action::Disclose { item } => Some(item),
            Action::Restore { infra } => Some(infra),
            other => other.incident(),
        }
    }

    pub fn verb(&self) -> &'static str {
        use Action::*;
        match self {
            Detect { .. } => "detect",
            Notify { .. } => "notify",
            Acknowledge { .. } => "acknowledge",
            Mitigate { .. } => "mitigate",
            Contain { .. } => "contain",
            RequestAssistance { .. } => "request assistance for",
            OfferAssistance { .. } => "offer assistance for",
            DeliverAssistance { .. } => "deliver assistance for",
            Clarify { .. } => "clarify",
            ShareInformation { .. } => "share information on",
            AnswerLegalRequest { .. } => "answer the legal request on",
            ReplyPing { .. } => "reply to ping",
            Disclose { .. } => "disclose",
            Restore { .. } => "restore",
            StayBelow { .. } => "stay below escalation level",
            Judged(_) => "do as judged by an evaluator",
        }
    }

    /// The free text of an expectation an evaluator judges.
    pub fn judged(&self) -> Option<&str> {
        match self {
            Action::Judged(text) => Some(text),
            _ => None,
        }
    }
}

/// An expectation: `actor` does `does` within `within` of its trigger (or by the instant `by`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub id: String,
    pub actor: String,
    pub does: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<At>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub norm: Option<Norm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// An exercise objective, rated P/S/M/U from its expectations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// Response targets. Defaults: 24h to acknowledge, as the NIS2 Art. 23 CSIRT response target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    pub acknowledge: Span,
    pub ping_reply: Span,
    pub clarification: Span,
    pub assistance_answer: Span,
    pub mitigate: Span,
    pub detect: Span,
    pub contain: Span,
    pub legal_reply: Span,
    pub disclose: Span,
    /// Answer an information request (norm a). Left out of a scenario's canonical form when it is
    /// the default, so adding it changed no scenario's content hash.
    #[serde(skip_serializing_if = "is_default_information")]
    pub information: Span,
}

fn is_default_information(s: &Span) -> bool {
    *s == Targets::default().information
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            acknowledge: Span::hours(24),
            ping_reply: Span::hours(24),
            clarification: Span::hours(48),
            assistance_answer: Span::hours(48),
            mitigate: Span::hours(72),
            detect: Span::hours(24),
            contain: Span::hours(72),
            legal_reply: Span::hours(72),
            disclose: Span::days(7),
            information: Span::hours(48),
        }
    }
}

/// Overrides one rung of the escalation ladder's default weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderWeight {
    pub level: u8,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename = "Scoring")]
pub struct ScoringSpec {
    /// Evidence confidence required before a public attribution or any step ≥ 5 (norm b).
    pub evidence_threshold: f64,
    pub targets: Targets,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ladder: Vec<LadderWeight>,
}

impl Default for ScoringSpec {
    fn default() -> Self {
        ScoringSpec {
            evidence_threshold: 0.75,
            targets: Targets::default(),
            ladder: Vec::new(),
        }
    }
}

/// How long a message takes to arrive on each channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Channels {
    pub poc: Span,
    pub cert: Span,
    pub regional: Span,
    pub public: Span,
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            poc: Span::minutes(5),
            cert: Span::minutes(1),
            regional: Span::minutes(15),
            public: Span::minutes(10),
        }
    }
}
