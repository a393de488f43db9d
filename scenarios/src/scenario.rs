//! The scenario file as a whole, and lookups the rest of ttx needs from it.

use crate::actors::{Infra, Organisation, State, ThreatActor};
use crate::doctrine::{self, Doctrine, DoctrineSpec};
use crate::exercise::{Channels, Expect, Objective, ScoringSpec};
use crate::injects::{Event, Inject};
use crate::time::{Span, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short machine name, used to find a bundled scenario and in trace headers.
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// T+0, in UTC.
    pub start: Timestamp,
    pub duration: Span,
    pub states: Vec<State>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<Organisation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub infrastructure: Vec<Infra>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<ThreatActor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doctrines: Vec<DoctrineSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub injects: Vec<Inject>,
    /// Incidents arriving at random (Poisson processes), beside the scripted injects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streams: Vec<crate::stochastic::IncidentStream>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<Objective>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<Expect>,
    #[serde(default)]
    pub scoring: ScoringSpec,
    #[serde(default)]
    pub channels: Channels,
}

impl Scenario {
    pub fn title_or_name(&self) -> &str {
        if self.title.is_empty() {
            &self.name
        } else {
            &self.title
        }
    }

    pub fn state(&self, id: &str) -> Option<&State> {
        self.states.iter().find(|s| s.id == id)
    }

    pub fn infra(&self, id: &str) -> Option<&Infra> {
        self.infrastructure.iter().find(|i| i.id == id)
    }

    pub fn actor(&self, id: &str) -> Option<&ThreatActor> {
        self.actors.iter().find(|a| a.id == id)
    }

    /// Every doctrine usable by name: the bundled four, then the scenario's own, each resolved
    /// against its base. A spec named like a bundled doctrine and without a base refines it.
    /// Unresolvable specs (unknown base, cycles) are left out; validation reports them.
    pub fn doctrines(&self) -> BTreeMap<String, Doctrine> {
        let mut out: BTreeMap<String, Doctrine> = doctrine::bundled()
            .into_iter()
            .map(|d| (d.name.clone(), d))
            .collect();
        let mut pending: Vec<&DoctrineSpec> = self.doctrines.iter().collect();
        let mut done: Vec<String> = Vec::new();
        // Resolve in dependency order; each pass resolves at least one spec or stops.
        loop {
            let before = pending.len();
            pending.retain(|spec| {
                let base_name = spec.base.clone().unwrap_or_else(|| {
                    if doctrine::BUNDLED_NAMES.contains(&spec.name.as_str()) {
                        spec.name.clone()
                    } else {
                        "cooperative".into()
                    }
                });
                let base_is_pending_spec = base_name != spec.name
                    && self.doctrines.iter().any(|d| d.name == base_name)
                    && !done.contains(&base_name);
                if base_is_pending_spec {
                    return true;
                }
                match out.get(&base_name) {
                    Some(base) => {
                        let resolved = spec.apply(base);
                        out.insert(spec.name.clone(), resolved);
                        done.push(spec.name.clone());
                        false
                    }
                    None => true,
                }
            });
            if pending.is_empty() || pending.len() == before {
                break;
            }
        }
        out
    }

    /// Incident ids with the inject that starts each, in file order.
    pub fn incident_ids(&self) -> Vec<&str> {
        self.injects
            .iter()
            .filter_map(|i| match &i.event {
                Event::Incident { id, .. } => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Content hash of the scenario as ttx understands it (canonical JSON of the parsed file), so
    /// comments and layout do not matter but every value does.
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = serde_json::to_vec(self).expect("scenario serialises");
        let digest = Sha256::digest(&json);
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }
}
