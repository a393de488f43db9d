//! Injects: the scripted events of an exercise, the rows of its Master Scenario Events List (MSEL).
//! An inject fires at an instant or when a condition first holds.

use crate::actors::PocLevel;
use crate::indicator::Indicator;
use crate::message::{Channel, MessageKind};
use crate::moves::{Draft, Move};
use crate::stochastic::{InjectAt, Repeat};
use crate::time::Span;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    /// Stable id used in the trace; defaults to `inj-<position>` (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// An instant, or a window drawn from in every run (`Uniform("T+1h", "T+6h")`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<InjectAt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Fire again, `every` apart, `times` in all (scheduled injects only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
    pub event: Event,
    /// What the exercise control cell says or shows when the inject fires.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The planner's own MSEL columns for this row (Responsible controller, Actual time, Notes,
    /// Location, Evaluator …), by header: ttx does not read them, it keeps them so that an MSEL
    /// goes through import and export without losing what planners wrote. The sheet's order of
    /// these columns is the scenario's `planner_columns`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub planner: BTreeMap<String, String>,
}

impl Inject {
    pub fn id_at(&self, index: usize) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("inj-{}", index + 1))
    }
}

/// A condition that fires an inject the first time it holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// No acknowledgement from `by` within `within` of it being notified about `incident`.
    NoAcknowledgement {
        incident: String,
        by: String,
        within: Span,
    },
    /// Some dyad reaches escalation `level` (optionally only steps taken by state `by`).
    LevelReached {
        level: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// The infrastructure becomes disrupted.
    InfraDown { infra: String },
    /// `after` the first message of `kind` reaches state `by` (from `from`, about `about`, when
    /// given): how a script answers what arrives whenever it arrives ("two hours after the
    /// notification reaches borealia, its PoC acknowledges").
    Received {
        by: String,
        kind: MessageKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        about: Option<String>,
        #[serde(default, skip_serializing_if = "crate::actors::is_default")]
        after: Span,
    },
}

/// Attack technique, for the timeline and for the incident's effect on its target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Technique {
    Ransomware,
    Wiper,
    Ddos,
    #[default]
    Intrusion,
    DataTheft,
    Defacement,
    SupplyChain,
    Botnet,
}

/// How badly a non-malicious outage hits its infrastructure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OutageLevel {
    Degraded,
    #[default]
    Disrupted,
}

/// Reference Security Incident Taxonomy (RSIT) top-level classes, as used by CSIRTs.
pub const RSIT_CLASSES: &[&str] = &[
    "abusive-content",
    "malicious-code",
    "information-gathering",
    "intrusion-attempts",
    "intrusions",
    "availability",
    "information-content-security",
    "fraud",
    "vulnerable",
    "other",
    "test",
];

fn malicious_code() -> String {
    "malicious-code".into()
}
fn default_strength() -> f64 {
    0.6
}
fn default_severity() -> u8 {
    3
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// A malicious ICT incident against an infrastructure. `severity` is the PPD-41 schema level 0–5.
    Incident {
        id: String,
        target: String,
        by: String,
        /// Territory used; defaults to where the actor operates from.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        territory: Option<String>,
        #[serde(default)]
        technique: Technique,
        #[serde(default = "malicious_code")]
        rsit: String,
        severity: u8,
        /// The vulnerability or supply-chain compromise it relies on: against a state that
        /// already knows of it (found it, or was told) it fails; one that learns of it while the
        /// incident runs contains it faster (norms i, j).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exploits: Option<String>,
        /// Indicators of compromise the victim's CERT finds and shares (STIX export). Without
        /// any, `ttx export-stix` derives exercise indicators from documentation-only ranges.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        indicators: Vec<Indicator>,
    },
    /// Planted evidence: from now on, a forensic finding about `incident` points to `points_to`
    /// with probability `strength` (A/68/98 ¶6 on misattribution and proxies).
    FalseFlag {
        incident: String,
        points_to: String,
        #[serde(default = "default_strength")]
        strength: f64,
    },
    /// A non-malicious failure of an infrastructure (power interconnector trip, IXP fault).
    Outage {
        infra: String,
        #[serde(default)]
        level: OutageLevel,
        duration: Span,
    },
    /// A point of contact becomes unreachable for a while.
    PocOutage {
        state: String,
        level: PocLevel,
        duration: Span,
    },
    /// A media report; if it `claims` a state is behind `incident`, that claim reaches investigators.
    MediaReport {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        incident: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        claims: Option<String>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        text: String,
    },
    /// A state's researchers find a vulnerability in a product of a vendor under `vendor_state`
    /// (norm j: disclose it rather than exploit it).
    Vulnerability {
        id: String,
        found_by: String,
        vendor_state: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        product: String,
        #[serde(default = "default_severity")]
        severity: u8,
    },
    /// A vendor under `vendor_state` ships compromised updates to `affected` infrastructure (norm i).
    SupplyChain {
        id: String,
        vendor: String,
        vendor_state: String,
        affected: Vec<String>,
        by: String,
    },
    /// A disinformation campaign against a state (tests whether it answers with rights-restricting
    /// measures, norm e).
    Disinformation {
        id: String,
        target: String,
        by: String,
    },
    /// A PoC communication check. `from` is a state or organisation (default: exercise control);
    /// `to` empty means every state; `levels` empty means every level each state designated.
    Ping {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        to: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        levels: Vec<PocLevel>,
    },
    /// A free message from the exercise control cell to players (`to` empty: everyone), delivered
    /// `via` a channel — through the addressees' PoCs at `level`, a CERT channel, the media
    /// (public), or directly by the control cell (the default). Through a stale PoC it bounces.
    Message {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        to: Vec<String>,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        via: Option<Channel>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<PocLevel>,
    },
    /// State `by` sends `message`, as if its own doctrine had decided it: the control cell
    /// speaking for a simulated state (see [`crate::moves`]).
    Move { by: String, message: Draft },
}

impl Event {
    /// Short snake_case name used in traces and MSEL exports.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Incident { .. } => "incident",
            Event::FalseFlag { .. } => "false_flag",
            Event::Outage { .. } => "outage",
            Event::PocOutage { .. } => "poc_outage",
            Event::MediaReport { .. } => "media_report",
            Event::Vulnerability { .. } => "vulnerability",
            Event::SupplyChain { .. } => "supply_chain",
            Event::Disinformation { .. } => "disinformation",
            Event::Ping { .. } => "ping",
            Event::Message { .. } => "message",
            Event::Move { .. } => "move",
        }
    }

    /// The move this inject makes, if it is one.
    pub fn as_move(&self) -> Option<Move> {
        match self {
            Event::Move { by, message } => Some(Move {
                by: by.clone(),
                message: message.clone(),
            }),
            _ => None,
        }
    }
}
