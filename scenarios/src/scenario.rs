//! The scenario file as a whole, and lookups the rest of ttx needs from it.

use crate::actors::{Infra, Organisation, State, ThreatActor};
use crate::doctrine::{self, Doctrine, DoctrineSpec};
use crate::exercise::{Channels, Expect, Objective, ScoringSpec};
use crate::injects::{Event, Inject};
use crate::time::{Span, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
    /// The headers of the MSEL columns ttx keeps but does not read (each inject's `planner`
    /// cells), in the order the planner's sheet has them, so export writes them back where they
    /// were; a column still empty (an "Actual time" filled in during the exercise) is kept too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planner_columns: Vec<String>,
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
        // The spec each name resolves to (the last, should a name be defined twice: validation
        // reports that), and the name of its base.
        let specs: BTreeMap<&str, &DoctrineSpec> = self
            .doctrines
            .iter()
            .map(|d| (d.name.as_str(), d))
            .collect();
        let base_of = |spec: &DoctrineSpec| -> String {
            spec.base.clone().unwrap_or_else(|| {
                if doctrine::BUNDLED_NAMES.contains(&spec.name.as_str()) {
                    spec.name.clone()
                } else {
                    "cooperative".into()
                }
            })
        };
        // Resolve bases first, walking each chain with an explicit stack (a chain may be as long
        // as the file); a name met again while its chain is open closes a cycle, and everything
        // on that chain stays unresolved. Each name is finished once: linear in the specs.
        let mut finished: BTreeSet<&str> = BTreeSet::new();
        for d in &self.doctrines {
            let mut chain: Vec<&str> = vec![d.name.as_str()];
            let mut open: BTreeSet<&str> = chain.iter().copied().collect();
            while let Some(&name) = chain.last() {
                if finished.contains(name) {
                    chain.pop();
                    continue;
                }
                let spec = specs[name];
                let base = base_of(spec);
                if let Some((&base_name, _)) = specs.get_key_value(base.as_str())
                    && base_name != name
                    && !finished.contains(base_name)
                {
                    if open.insert(base_name) {
                        chain.push(base_name);
                    } else {
                        finished.extend(chain.drain(..));
                    }
                    continue;
                }
                if let Some(resolved) = out.get(&base).map(|b| spec.apply(b)) {
                    out.insert(name.to_string(), resolved);
                }
                finished.insert(name);
                chain.pop();
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
