//! Checks of the MSEL: when each inject fires, and what its event and condition refer to.

use super::Validator;
use crate::diagnostic::suggest;
use crate::indicator::Indicator;
use crate::injects::{Condition, Event, RSIT_CLASSES};
use crate::message::Channel;

impl Validator<'_> {
    pub(super) fn injects(&mut self) {
        let sc = self.sc;
        for (i, inj) in sc.injects.iter().enumerate() {
            let p = format!("injects[{i}]");
            match (&inj.at, &inj.when) {
                (Some(_), Some(_)) => self.err(
                    format!("{p}.when"),
                    "an inject fires either `at` an instant or `when` a condition holds, not both",
                    None,
                ),
                (None, None) => self.err(
                    p.clone(),
                    "inject has neither `at` nor `when`",
                    Some("add e.g. at: \"T+1h\"".into()),
                ),
                (Some(at), None) if at.latest().secs() > sc.duration.0 => self.err(
                    format!("{p}.at"),
                    format!(
                        "inject fires at {at}, after the exercise ends at T+{}",
                        sc.duration
                    ),
                    Some("move the inject earlier or lengthen `duration`".into()),
                ),
                _ => {}
            }
            if let Some(c) = &inj.when {
                self.condition(format!("{p}.when"), c);
            }
            self.randomness(&p, inj);
            self.event(format!("{p}.event"), &inj.event);
        }
    }

    fn condition(&mut self, p: String, c: &Condition) {
        match c {
            Condition::NoAcknowledgement {
                incident,
                by,
                within,
            } => {
                self.refers(format!("{p}.incident"), incident, "incident");
                self.refers(format!("{p}.by"), by, "state");
                if within.0 <= 0 {
                    self.err(
                        format!("{p}.within"),
                        "`within` must be longer than 0s",
                        None,
                    );
                }
            }
            Condition::LevelReached { level, by } => {
                if *level > 9 {
                    self.err(
                        format!("{p}.level"),
                        format!("escalation level {level} is beyond the ladder (0–9)"),
                        None,
                    );
                }
                if let Some(b) = by {
                    self.refers(format!("{p}.by"), b, "state");
                }
            }
            Condition::InfraDown { infra } => {
                self.refers(format!("{p}.infra"), infra, "infrastructure");
            }
            Condition::Received {
                by, from, about, ..
            } => {
                self.refers(format!("{p}.by"), by, "state");
                if let Some(f) = from {
                    self.refers_party(format!("{p}.from"), f);
                }
                if let Some(a) = about
                    && !self.events.contains_key(a.as_str())
                {
                    self.err(
                        format!("{p}.about"),
                        format!("unknown incident, item or inject \"{a}\""),
                        None,
                    );
                }
            }
        }
    }

    fn event(&mut self, p: String, e: &Event) {
        match e {
            Event::Incident {
                target,
                by,
                territory,
                rsit,
                severity,
                exploits,
                indicators,
                ..
            } => {
                self.refers(format!("{p}.target"), target, "infrastructure");
                if let Some(x) = exploits
                    && !matches!(
                        self.events.get(x.as_str()),
                        Some(&"vulnerability" | &"supply-chain compromise")
                    )
                {
                    self.err(
                        format!("{p}.exploits"),
                        format!("unknown vulnerability or supply-chain compromise \"{x}\""),
                        None,
                    );
                }
                self.indicators(&p, indicators);
                self.refers(format!("{p}.by"), by, "threat actor");
                if let Some(t) = territory {
                    self.refers(format!("{p}.territory"), t, "state");
                }
                if !RSIT_CLASSES.contains(&rsit.as_str()) {
                    let help = suggest(rsit, RSIT_CLASSES, "RSIT classes");
                    self.err(
                        format!("{p}.rsit"),
                        format!("unknown RSIT class \"{rsit}\""),
                        help,
                    );
                }
                if *severity > 5 {
                    self.err(
                        format!("{p}.severity"),
                        format!("severity {severity} is outside the PPD-41 scale 0–5"),
                        None,
                    );
                }
            }
            Event::FalseFlag {
                incident,
                points_to,
                strength,
            } => {
                self.refers(format!("{p}.incident"), incident, "incident");
                self.refers(format!("{p}.points_to"), points_to, "state");
                self.probability(format!("{p}.strength"), "strength", *strength);
            }
            Event::Outage {
                infra, duration, ..
            } => {
                self.refers(format!("{p}.infra"), infra, "infrastructure");
                if duration.0 <= 0 {
                    self.err(
                        format!("{p}.duration"),
                        "outage duration must be longer than 0s",
                        None,
                    );
                }
            }
            Event::PocOutage {
                state,
                level,
                duration,
            } => {
                if self.refers(format!("{p}.state"), state, "state")
                    && self.sc.state(state).and_then(|s| s.poc(*level)).is_none()
                {
                    self.err(
                        format!("{p}.level"),
                        format!("state \"{state}\" has no {level:?} point of contact"),
                        None,
                    );
                }
                if duration.0 <= 0 {
                    self.err(
                        format!("{p}.duration"),
                        "outage duration must be longer than 0s",
                        None,
                    );
                }
            }
            Event::MediaReport {
                incident, claims, ..
            } => {
                if let Some(i) = incident {
                    self.refers(format!("{p}.incident"), i, "incident");
                }
                if let Some(c) = claims {
                    self.refers(format!("{p}.claims"), c, "state");
                }
            }
            Event::Vulnerability {
                found_by,
                vendor_state,
                severity,
                ..
            } => {
                self.refers(format!("{p}.found_by"), found_by, "state");
                self.refers(format!("{p}.vendor_state"), vendor_state, "state");
                if *severity > 5 {
                    self.err(
                        format!("{p}.severity"),
                        format!("severity {severity} is outside 0–5"),
                        None,
                    );
                }
            }
            Event::SupplyChain {
                vendor_state,
                affected,
                by,
                ..
            } => {
                self.refers(format!("{p}.vendor_state"), vendor_state, "state");
                for (k, a) in affected.iter().enumerate() {
                    self.refers(format!("{p}.affected[{k}]"), a, "infrastructure");
                }
                self.refers(format!("{p}.by"), by, "threat actor");
            }
            Event::Disinformation { target, by, .. } => {
                self.refers(format!("{p}.target"), target, "state");
                self.refers(format!("{p}.by"), by, "threat actor");
            }
            Event::Ping { from, to, .. } => {
                if let Some(f) = from {
                    self.refers_party(format!("{p}.from"), f);
                }
                for (k, t) in to.iter().enumerate() {
                    self.refers(format!("{p}.to[{k}]"), t, "state");
                }
            }
            Event::Message { to, via, level, .. } => {
                for (k, t) in to.iter().enumerate() {
                    self.refers_party(format!("{p}.to[{k}]"), t);
                }
                match (via, level) {
                    (Some(Channel::Poc), None) => self.err(
                        format!("{p}.via"),
                        "a message via PoC needs a `level`",
                        Some("e.g. level: Diplomatic".into()),
                    ),
                    (Some(c), Some(_)) if *c != Channel::Poc => self.err(
                        format!("{p}.level"),
                        "`level` only applies to messages via Poc",
                        None,
                    ),
                    _ => {}
                }
            }
            Event::Move { by, message } => self.a_move(p, by, message),
        }
    }

    /// Each indicator of compromise an incident or a message carries must be well formed.
    pub(super) fn indicators(&mut self, p: &str, list: &[Indicator]) {
        for (i, ind) in list.iter().enumerate() {
            if let Err(e) = ind.check() {
                self.err(format!("{p}.indicators[{i}]"), e, None);
            }
        }
    }
}
