//! The scorecard: everything scoring says about one run, in one serialisable value. Its JSON shape
//! is a contract for reports, the batch runner and anyone's notebooks, documented field by field
//! in docs/scorecard.md; `format` names its version, so a change of shape is a new format string.
//! Maps are `BTreeMap`s and lists are in trace or scenario order, so the same trace always gives
//! the same bytes.
//!
//! Ids (states, incidents, messages, norm letters, expectations…) are [`Name`]s, free text is
//! `String`: an id is named by hundreds of items and map keys, and copying the trace's interned
//! name costs nothing where a `String` was an allocation each time. A name sorts and serialises
//! as its text, so the maps' order and the JSON are those of `String` ids.

use crate::cbm::CbmIndicators;
use crate::escalation::Escalation;
use crate::latency::Latency;
use crate::norms::NormGrid;
use crate::objectives::Objectives;
use crate::service::ServiceLoss;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ttx_scenario::Name;

/// Version tag of the scorecard's JSON shape.
pub const FORMAT: &str = "ttx-scorecard/1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Always [`FORMAT`].
    pub format: String,
    /// From the trace header.
    pub scenario: String,
    pub scenario_hash: String,
    pub seed: u64,
    pub duration_hours: f64,
    /// State ids in scenario order (maps below are sorted by id; this is the order to show them).
    pub states: Vec<Name>,
    /// Things in the trace that scoring could not judge, or that look inconsistent.
    pub warnings: Vec<String>,
    pub latency: Latency,
    pub escalation: Escalation,
    /// State id → norm letter ("a"–"k") → verdict.
    pub norms: NormGrid,
    /// State id → CBM indicators.
    pub cbm: BTreeMap<Name, CbmIndicators>,
    pub objectives: Objectives,
    pub service: ServiceLoss,
    /// The CERT analyst queue: waits and busy analysts.
    #[serde(default)]
    pub queue: crate::queue::Queue,
}
