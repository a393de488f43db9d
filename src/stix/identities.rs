//! Identity objects for everyone who speaks in an exercise: the control cell (the producer of
//! every bundle), each state, its national CERT and its points of contact, and each
//! organisation. They belong to the scenario, not the run, so a platform that loads bundles of
//! several runs keeps one identity per actor. Marked TLP:GREEN: the PoC directory is shared
//! within the exercise community (A/75/816 Chair's summary ¶30).

use super::ids::{Ids, timestamp};
use super::markings;
use super::object::Obj;
use serde_json::json;
use ttx_scenario::{Channel, Message, PocLevel, Scenario, Tlp, tlp};

pub struct Directory<'a> {
    scenario: &'a Scenario,
    ids: &'a Ids,
}

impl<'a> Directory<'a> {
    pub fn new(scenario: &'a Scenario, ids: &'a Ids) -> Directory<'a> {
        Directory { scenario, ids }
    }

    pub fn control(&self) -> String {
        self.ids.scenario_object("identity", "control")
    }

    pub fn state(&self, state: &str) -> String {
        self.ids
            .scenario_object("identity", &format!("state/{state}"))
    }

    pub fn cert(&self, state: &str) -> String {
        self.ids
            .scenario_object("identity", &format!("cert/{state}"))
    }

    pub fn poc(&self, poc_id: &str) -> String {
        self.ids
            .scenario_object("identity", &format!("poc/{poc_id}"))
    }

    pub fn org(&self, org: &str) -> String {
        self.ids.scenario_object("identity", &format!("org/{org}"))
    }

    /// The identity a party id stands for (state, organisation or control cell), if any.
    pub fn party(&self, id: &str) -> Option<String> {
        if id == tlp::CONTROL {
            Some(self.control())
        } else if self.scenario.state(id).is_some() {
            Some(self.state(id))
        } else if self.scenario.organisations.iter().any(|o| o.id == id) {
            Some(self.org(id))
        } else {
            None
        }
    }

    /// Who speaks for a message's sender: its point of contact at the message's level, its CERT
    /// on the CERT-to-CERT and regional channels, the state itself in public.
    pub fn sender(&self, m: &Message) -> String {
        self.desk(&m.from, m.channel, m.level)
            .unwrap_or_else(|| self.control())
    }

    /// The desk of `party` that a message on `channel` (at `level`) leaves from or reaches.
    pub fn desk(&self, party: &str, channel: Channel, level: Option<PocLevel>) -> Option<String> {
        let Some(state) = self.scenario.state(party) else {
            return self.party(party);
        };
        Some(match (channel, level) {
            (Channel::Poc, Some(level)) => match state.poc(level) {
                Some(p) => self.poc(&p.id_for(&state.id)),
                None => self.state(&state.id),
            },
            (Channel::Cert | Channel::Regional, _) => self.cert(&state.id),
            _ => self.state(&state.id),
        })
    }

    /// A party's name for people: a state's or organisation's name, else its id.
    pub fn name(&self, party: &str) -> String {
        if party == tlp::CONTROL {
            return "the exercise control cell".into();
        }
        if let Some(s) = self.scenario.state(party) {
            return s.display_name().to_string();
        }
        match self.scenario.organisations.iter().find(|o| o.id == party) {
            Some(o) if !o.name.is_empty() => o.name.clone(),
            _ => party.to_string(),
        }
    }

    /// Every identity, in scenario order: the control cell, then per state the state, its CERT
    /// and its PoCs, then the organisations.
    pub fn objects(&self) -> Vec<Obj> {
        let sc = self.scenario;
        let t0 = timestamp(sc.start, 0);
        let title = sc.title_or_name();
        let make = |id: String, name: String, description: String, government: bool| {
            let o = Obj::new("identity", &id)
                .set("created", t0.clone())
                .set("modified", t0.clone())
                .set("name", name)
                .set("description", description)
                .set("identity_class", "organization");
            let o = if government {
                o.set("sectors", json!(["government-national"]))
            } else {
                o
            };
            o.set("created_by_ref", self.control())
                .set("object_marking_refs", markings::refs(Tlp::Green))
        };
        let mut out = vec![make(
            self.control(),
            format!("{title}: exercise control cell"),
            format!(
                "The control cell of the ttx exercise \"{title}\": it runs the MSEL and produced this bundle."
            ),
            false,
        )];
        for s in &sc.states {
            let name = s.display_name();
            out.push(make(
                self.state(&s.id),
                name.to_string(),
                format!("State playing in the exercise \"{title}\" (id {}).", s.id),
                true,
            ));
            out.push(make(
                self.cert(&s.id),
                format!("{name} national CERT"),
                format!("National CERT/CSIRT of {name}."),
                true,
            ));
            for p in &s.pocs {
                let pid = p.id_for(&s.id);
                out.push(make(
                    self.poc(&pid),
                    format!("{name} {} point of contact", p.level.as_str()),
                    format!(
                        "{name}'s {} point of contact ({pid}), working hours {}.",
                        p.level.as_str(),
                        p.hours
                    ),
                    true,
                ));
            }
        }
        for o in &sc.organisations {
            out.push(make(
                self.org(&o.id),
                self.name(&o.id),
                format!(
                    "Organisation relaying messages in the exercise \"{title}\" (id {}).",
                    o.id
                ),
                false,
            ));
        }
        out
    }
}
