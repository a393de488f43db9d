//! Who may see a message: the Traffic Light Protocol 2.0 (FIRST, 2022) applied to the parties of an
//! exercise. One rule for every file or screen ttx gives a team — the STIX bundles of
//! `ttx export-stix --for STATE`, and a live exercise's team inbox and downloads — so that a
//! TLP:RED message never reaches anyone it was not addressed to (docs/stix.md, "Who sees what").
//!
//! A party sees a message only through how it stands to it ([`Relation`]): it sent it, it was
//! addressed, it belongs to the organisation addressed, or the message went out publicly. The
//! marking then limits how far beyond the addressees it may go ([`allows`]):
//!
//! | relation | CLEAR | GREEN | AMBER | AMBER+STRICT | RED |
//! |---|---|---|---|---|---|
//! | sender, named addressee | yes | yes | yes | yes | yes |
//! | member state of the organisation addressed | yes | yes | yes | — | — |
//! | any other party, for a public message | yes | yes | — | — | — |
//! | anyone else | — | — | — | — | — |
//!
//! RED is for the eyes of the named recipients only; AMBER+STRICT stays within the recipient's
//! organisation (for a state: its CERT and points of contact); AMBER also reaches those the
//! recipient may share with — for an organisation, its member states (its "clients"); GREEN and
//! CLEAR reach the exercise community. A message that never arrived (it bounced, or was still in
//! transit when the exercise ended) is seen by its sender only. The exercise control cell sees
//! everything.

use crate::message::{Channel, Message, Tlp};
use crate::scenario::Scenario;

/// Addressee of a message meant for every state (control-cell broadcasts).
pub const EVERY_STATE: &str = "all";
/// Addressee of a publication (a statement to the press): nobody by name, everybody by channel.
pub const PUBLIC: &str = "public";
/// Sender id of the exercise control cell.
pub const CONTROL: &str = "control";

/// Who is looking: the control cell (facilitators and evaluators, who see all), or a party — a
/// state or an organisation of the scenario — by its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer<'a> {
    Control,
    Party(&'a str),
}

/// How a party stands to a message, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    /// It sent the message.
    Sender,
    /// It was named as the addressee (or the message went to every state).
    Addressee,
    /// It is a member state of the organisation the message was addressed to.
    Member,
    /// It is any other party, and the message was published (public channel or addressee).
    Public,
    /// It has no part in the message.
    Outsider,
}

/// How `party` stands to `m`. A message that was not delivered reaches nobody but its sender.
pub fn relation(scenario: &Scenario, party: &str, m: &Message, delivered: bool) -> Relation {
    if m.from == party {
        return Relation::Sender;
    }
    if !delivered {
        return Relation::Outsider;
    }
    let is_state = scenario.state(party).is_some();
    if m.to == party || (m.to == EVERY_STATE && is_state) {
        return Relation::Addressee;
    }
    if scenario.organisations.iter().any(|o| o.id == m.to)
        && scenario
            .state(party)
            .is_some_and(|s| s.orgs.iter().any(|o| *o == m.to))
    {
        return Relation::Member;
    }
    if m.channel == Channel::Public || m.to == PUBLIC {
        return Relation::Public;
    }
    Relation::Outsider
}

/// Whether a marking lets information reach a party standing in `relation` to it.
pub fn allows(tlp: Tlp, relation: Relation) -> bool {
    match relation {
        Relation::Sender | Relation::Addressee => true,
        Relation::Member => tlp <= Tlp::Amber,
        Relation::Public => tlp <= Tlp::Green,
        Relation::Outsider => false,
    }
}

/// May `viewer` see message `m` (delivered or not)? The one visibility rule of ttx.
pub fn may_see(scenario: &Scenario, viewer: Viewer, m: &Message, delivered: bool) -> bool {
    match viewer {
        Viewer::Control => true,
        Viewer::Party(p) => allows(m.tlp, relation(scenario, p, m, delivered)),
    }
}

/// Every party a viewer can be, in scenario order: the states, then the organisations. Useful to
/// decide something once for all viewers (e.g. that whoever sees one thing sees another).
pub fn parties(scenario: &Scenario) -> impl Iterator<Item = &str> {
    scenario
        .states
        .iter()
        .map(|s| s.id.as_str())
        .chain(scenario.organisations.iter().map(|o| o.id.as_str()))
}

impl Tlp {
    /// The marking as FIRST writes it, e.g. `TLP:AMBER+STRICT`.
    pub fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::{Organisation, State, default_pocs};
    use crate::message::MessageKind;

    fn state(id: &str, orgs: &[&str]) -> State {
        State {
            id: id.into(),
            name: String::new(),
            utc_offset: Default::default(),
            capacity: Default::default(),
            doctrine: "cooperative".into(),
            orgs: orgs.iter().map(|s| s.to_string()).collect(),
            control: Default::default(),
            cert: Default::default(),
            pocs: default_pocs(),
        }
    }

    fn scenario() -> Scenario {
        let mut sc: Scenario = crate::parse(
            r#"Scenario(name: "t", start: "2026-01-01T00:00:00Z", duration: "1d", states: [])"#,
            "t",
        )
        .unwrap();
        sc.states = vec![state("a", &["net"]), state("b", &["net"]), state("c", &[])];
        sc.organisations = vec![Organisation {
            id: "net".into(),
            name: String::new(),
            kind: Default::default(),
        }];
        sc
    }

    fn msg(from: &str, to: &str, channel: Channel, tlp: Tlp) -> Message {
        Message::new(MessageKind::InformationShare, from, to, channel, tlp)
    }

    #[test]
    fn red_reaches_the_sender_and_the_named_addressee_only() {
        let sc = scenario();
        let m = msg("a", "b", Channel::Cert, Tlp::Red);
        assert!(may_see(&sc, Viewer::Party("a"), &m, true));
        assert!(may_see(&sc, Viewer::Party("b"), &m, true));
        assert!(!may_see(&sc, Viewer::Party("c"), &m, true));
        assert!(may_see(&sc, Viewer::Control, &m, true));
    }

    #[test]
    fn an_undelivered_message_is_its_senders_alone() {
        let sc = scenario();
        let m = msg("a", "b", Channel::Poc, Tlp::Clear);
        assert!(may_see(&sc, Viewer::Party("a"), &m, false));
        assert!(!may_see(&sc, Viewer::Party("b"), &m, false));
    }

    #[test]
    fn amber_reaches_the_members_of_an_organisation_addressed_and_amber_strict_does_not() {
        let sc = scenario();
        let amber = msg("c", "net", Channel::Regional, Tlp::Amber);
        let strict = msg("c", "net", Channel::Regional, Tlp::AmberStrict);
        assert!(may_see(&sc, Viewer::Party("a"), &amber, true));
        assert!(may_see(&sc, Viewer::Party("net"), &strict, true));
        assert!(!may_see(&sc, Viewer::Party("a"), &strict, true));
        assert!(!may_see(
            &sc,
            Viewer::Party("c"),
            &msg("a", "net", Channel::Regional, Tlp::Green),
            true
        ));
    }

    #[test]
    fn a_public_message_reaches_everyone_unless_its_marking_forbids_it() {
        let sc = scenario();
        let clear = msg("a", "b", Channel::Public, Tlp::Clear);
        let amber = msg("a", "b", Channel::Public, Tlp::Amber);
        assert!(may_see(&sc, Viewer::Party("c"), &clear, true));
        assert!(!may_see(&sc, Viewer::Party("c"), &amber, true));
        assert!(may_see(&sc, Viewer::Party("b"), &amber, true));
    }

    #[test]
    fn a_broadcast_to_every_state_names_each_state() {
        let sc = scenario();
        let m = msg("control", EVERY_STATE, Channel::Control, Tlp::Red);
        assert!(may_see(&sc, Viewer::Party("c"), &m, true));
        assert!(!may_see(&sc, Viewer::Party("net"), &m, true));
    }

    #[test]
    fn tlp_is_ordered_from_least_to_most_restrictive() {
        assert!(Tlp::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
