//! Doctrines: named behaviour profiles for bot-controlled states. A scenario may define its own,
//! starting from a bundled one (`base`) and changing only what differs.

use crate::dist::Dist;
use crate::time::Span;
use serde::{Deserialize, Serialize};

/// How a state climbs the escalation ladder (DESIGN.md §5) when harm continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EscalationPolicy {
    /// Goes no further than a private request for clarification (level 2).
    Never,
    /// Climbs as far as the incident's severity warrants; answers a step with one below it.
    Proportional,
    /// Answers in kind: the same level the other side used.
    TitForTat,
    /// Climbs a rung at every review and answers any step with a higher one.
    Hawkish,
}

/// A doctrine with every parameter resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Doctrine {
    pub name: String,
    pub description: String,
    /// Acknowledge a notification or request received through a PoC.
    pub ack_probability: f64,
    /// Answer a PoC communication check.
    pub ping_reply_probability: f64,
    /// Answer a request for clarification, and how long preparing the answer takes.
    pub clarify_probability: f64,
    pub clarify_latency: Dist,
    /// Take measures against activity from its territory once notified (norm c).
    pub mitigate_probability: f64,
    pub mitigate_latency: Dist,
    /// Offer assistance when asked (norm h), how long deciding takes, and whether it then delivers.
    pub assist_probability: f64,
    pub assist_latency: Dist,
    pub deliver_probability: f64,
    /// As a victim short of capacity, ask partners for assistance.
    pub request_assistance_probability: f64,
    /// Share indicators of an incident with partner CERTs.
    pub share_probability: f64,
    /// Answer law-enforcement cooperation requests such as evidence preservation (norm d).
    pub legal_probability: f64,
    pub legal_latency: Dist,
    /// Disclose a vulnerability or a supply-chain compromise rather than keep or exploit it (norms i, j).
    pub disclose_probability: f64,
    pub disclose_latency: Dist,
    /// Answer a disinformation campaign with an internet shutdown or blanket blocking (norm e).
    pub shutdown_probability: f64,
    /// Confidence needed to attribute an incident to a state.
    pub attribution_threshold: f64,
    pub escalation: EscalationPolicy,
    /// Ask the other state for clarification through the diplomatic PoC before a formal step.
    pub seeks_clarification: bool,
    /// How long to wait for an acknowledgement or a clarification before considering escalation.
    pub patience: Span,
    /// How often escalation is reconsidered while harm continues.
    pub review_every: Span,
    /// Time to prepare a diplomatic step (démarche, statement, measure).
    pub decision_latency: Dist,
}

/// A doctrine as written in a scenario: a `base` plus the fields that differ from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Doctrine")]
pub struct DoctrineSpec {
    pub name: String,
    /// The bundled or scenario doctrine to start from; `"cooperative"` when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ping_reply_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarify_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarify_latency: Option<Dist>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigate_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigate_latency: Option<Dist>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assist_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assist_latency: Option<Dist>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliver_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_assistance_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_latency: Option<Dist>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclose_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclose_latency: Option<Dist>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown_probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution_threshold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<EscalationPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeks_clarification: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patience: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_every: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_latency: Option<Dist>,
}

/// The probability fields of a doctrine spec with their names, for validation and `--set`.
pub(crate) fn probabilities(d: &DoctrineSpec) -> [(&'static str, Option<f64>); 12] {
    [
        ("ack_probability", d.ack_probability),
        ("ping_reply_probability", d.ping_reply_probability),
        ("clarify_probability", d.clarify_probability),
        ("mitigate_probability", d.mitigate_probability),
        ("assist_probability", d.assist_probability),
        ("deliver_probability", d.deliver_probability),
        (
            "request_assistance_probability",
            d.request_assistance_probability,
        ),
        ("share_probability", d.share_probability),
        ("legal_probability", d.legal_probability),
        ("disclose_probability", d.disclose_probability),
        ("shutdown_probability", d.shutdown_probability),
        ("attribution_threshold", d.attribution_threshold),
    ]
}

/// Latency fields of a doctrine spec, for validation.
pub(crate) fn latencies(d: &DoctrineSpec) -> [(&'static str, Option<&Dist>); 6] {
    [
        ("clarify_latency", d.clarify_latency.as_ref()),
        ("mitigate_latency", d.mitigate_latency.as_ref()),
        ("assist_latency", d.assist_latency.as_ref()),
        ("legal_latency", d.legal_latency.as_ref()),
        ("disclose_latency", d.disclose_latency.as_ref()),
        ("decision_latency", d.decision_latency.as_ref()),
    ]
}

impl DoctrineSpec {
    /// Applies this spec on top of `base`.
    pub fn apply(&self, base: &Doctrine) -> Doctrine {
        macro_rules! pick {
            ($($f:ident),*) => { Doctrine {
                name: self.name.clone(),
                description: self.description.clone().unwrap_or_else(|| base.description.clone()),
                $($f: self.$f.clone().unwrap_or_else(|| base.$f.clone()),)*
            }};
        }
        pick!(
            ack_probability,
            ping_reply_probability,
            clarify_probability,
            clarify_latency,
            mitigate_probability,
            mitigate_latency,
            assist_probability,
            assist_latency,
            deliver_probability,
            request_assistance_probability,
            share_probability,
            legal_probability,
            legal_latency,
            disclose_probability,
            disclose_latency,
            shutdown_probability,
            attribution_threshold,
            escalation,
            seeks_clarification,
            patience,
            review_every,
            decision_latency
        )
    }
}

pub const BUNDLED_NAMES: [&str; 4] = ["cooperative", "cautious", "non-responsive", "hawkish"];

fn ln(median_h: i64, p90_h: i64) -> Dist {
    Dist::lognormal(Span::hours(median_h), Span::hours(p90_h))
}

/// The four doctrines ttx ships. The numbers are illustrative, chosen so the four profiles are
/// clearly distinct in a few dozen runs; scenarios override them for their own studies.
pub fn bundled() -> Vec<Doctrine> {
    let cooperative = Doctrine {
        name: "cooperative".into(),
        description: "Answers promptly through the right PoC, mitigates, assists, shares; \
                      attributes only on strong evidence and seeks clarification first."
            .into(),
        ack_probability: 0.97,
        ping_reply_probability: 0.98,
        clarify_probability: 0.95,
        clarify_latency: ln(6, 24),
        mitigate_probability: 0.9,
        mitigate_latency: ln(12, 36),
        assist_probability: 0.8,
        assist_latency: ln(8, 24),
        deliver_probability: 0.95,
        request_assistance_probability: 0.9,
        share_probability: 0.9,
        legal_probability: 0.9,
        legal_latency: ln(12, 48),
        disclose_probability: 0.95,
        disclose_latency: ln(48, 120),
        shutdown_probability: 0.0,
        attribution_threshold: 0.9,
        escalation: EscalationPolicy::Proportional,
        seeks_clarification: true,
        patience: Span::hours(24),
        review_every: Span::hours(24),
        decision_latency: ln(12, 48),
    };
    let cautious = Doctrine {
        name: "cautious".into(),
        description: "Cooperates but slowly and conditionally; escalates proportionately after \
                      seeking clarification."
            .into(),
        ack_probability: 0.85,
        ping_reply_probability: 0.9,
        clarify_probability: 0.8,
        clarify_latency: ln(12, 48),
        mitigate_probability: 0.6,
        mitigate_latency: ln(24, 72),
        assist_probability: 0.5,
        assist_latency: ln(24, 72),
        deliver_probability: 0.85,
        request_assistance_probability: 0.7,
        share_probability: 0.6,
        legal_probability: 0.7,
        legal_latency: ln(24, 96),
        disclose_probability: 0.8,
        disclose_latency: ln(72, 240),
        shutdown_probability: 0.0,
        attribution_threshold: 0.8,
        escalation: EscalationPolicy::Proportional,
        seeks_clarification: true,
        patience: Span::hours(36),
        review_every: Span::hours(24),
        decision_latency: ln(24, 72),
    };
    let non_responsive = Doctrine {
        name: "non-responsive".into(),
        description: "Rarely answers its PoCs, seldom mitigates or assists, never escalates."
            .into(),
        ack_probability: 0.15,
        ping_reply_probability: 0.3,
        clarify_probability: 0.1,
        clarify_latency: ln(48, 168),
        mitigate_probability: 0.1,
        mitigate_latency: ln(72, 240),
        assist_probability: 0.05,
        assist_latency: ln(72, 240),
        deliver_probability: 0.5,
        request_assistance_probability: 0.2,
        share_probability: 0.1,
        legal_probability: 0.1,
        legal_latency: ln(96, 336),
        disclose_probability: 0.2,
        disclose_latency: ln(168, 720),
        shutdown_probability: 0.1,
        attribution_threshold: 0.9,
        escalation: EscalationPolicy::Never,
        seeks_clarification: false,
        patience: Span::hours(72),
        review_every: Span::hours(48),
        decision_latency: ln(48, 168),
    };
    let hawkish = Doctrine {
        name: "hawkish".into(),
        description: "Impatient and quick to attribute on thin evidence; skips clarification and \
                      answers any step with a higher one."
            .into(),
        ack_probability: 0.6,
        ping_reply_probability: 0.7,
        clarify_probability: 0.4,
        clarify_latency: ln(24, 72),
        mitigate_probability: 0.3,
        mitigate_latency: ln(24, 96),
        assist_probability: 0.3,
        assist_latency: ln(24, 72),
        deliver_probability: 0.8,
        request_assistance_probability: 0.3,
        share_probability: 0.4,
        legal_probability: 0.4,
        legal_latency: ln(48, 168),
        disclose_probability: 0.3,
        disclose_latency: ln(96, 336),
        shutdown_probability: 0.8,
        attribution_threshold: 0.5,
        escalation: EscalationPolicy::Hawkish,
        seeks_clarification: false,
        patience: Span::hours(8),
        review_every: Span::hours(8),
        decision_latency: ln(4, 12),
    };
    vec![cooperative, cautious, non_responsive, hawkish]
}

pub fn bundled_named(name: &str) -> Option<Doctrine> {
    bundled().into_iter().find(|d| d.name == name)
}
