//! Checks of what the exercise is meant to test: expectations, objectives, scoring parameters.

use super::Validator;
use crate::diagnostic::suggest;
use crate::exercise::Action;
use crate::injects::Event;

impl Validator<'_> {
    pub(super) fn exercise(&mut self) {
        let sc = self.sc;
        let pings: Vec<String> = sc
            .injects
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.event, Event::Ping { .. }))
            .map(|(k, i)| i.id_at(k))
            .collect();
        let items: Vec<&str> = sc
            .injects
            .iter()
            .filter_map(|i| match &i.event {
                Event::Vulnerability { id, .. } | Event::SupplyChain { id, .. } => {
                    Some(id.as_str())
                }
                _ => None,
            })
            .collect();
        for (i, e) in sc.expectations.iter().enumerate() {
            let p = format!("expectations[{i}]");
            self.refers(format!("{p}.actor"), &e.actor, "state");
            match &e.does {
                Action::ReplyPing { ping } => {
                    let known: Vec<&str> = pings.iter().map(String::as_str).collect();
                    if !known.contains(&ping.as_str()) {
                        let help = suggest(ping, &known, "ping injects");
                        self.err(
                            format!("{p}.does.ping"),
                            format!("unknown ping inject \"{ping}\""),
                            help,
                        );
                    }
                }
                Action::Disclose { item } => {
                    if !items.contains(&item.as_str()) {
                        let help =
                            suggest(item, &items, "vulnerabilities or supply-chain compromises");
                        self.err(
                            format!("{p}.does.item"),
                            format!("unknown vulnerability or compromise \"{item}\""),
                            help,
                        );
                    }
                }
                Action::Restore { infra } => {
                    self.refers(format!("{p}.does.infra"), infra, "infrastructure");
                }
                Action::StayBelow { level } => {
                    if *level == 0 || *level > 9 {
                        self.err(
                            format!("{p}.does.level"),
                            format!("level {level} must be between 1 and 9"),
                            None,
                        );
                    }
                }
                Action::Judged(text) => {
                    if text.trim().is_empty() {
                        self.err(
                            format!("{p}.does"),
                            "a judged expectation needs the expected action in words",
                            Some(
                                "e.g. Judged(\"borealia acknowledges through its technical PoC\")"
                                    .into(),
                            ),
                        );
                    }
                }
                other => {
                    let incident = other.subject().unwrap_or_default().to_string();
                    self.refers(format!("{p}.does.incident"), &incident, "incident");
                }
            }
            if let Some(o) = &e.objective {
                self.refers(format!("{p}.objective"), o, "objective");
            }
            if let Some(by) = e.by
                && by.secs() > sc.duration.0
            {
                self.err(
                    format!("{p}.by"),
                    format!(
                        "deadline {by} is after the exercise ends at T+{}",
                        sc.duration
                    ),
                    None,
                );
            }
            if e.within.is_some_and(|w| w.0 <= 0) {
                self.err(
                    format!("{p}.within"),
                    "`within` must be longer than 0s",
                    None,
                );
            }
        }
        for (i, o) in sc.objectives.iter().enumerate() {
            if !sc
                .expectations
                .iter()
                .any(|e| e.objective.as_deref() == Some(o.id.as_str()))
            {
                self.err(
                    format!("objectives[{i}]"),
                    format!(
                        "objective \"{}\" has no expectations, so it cannot be rated",
                        o.id
                    ),
                    Some(
                        "add expectations with objective: \"<id>\", or remove the objective".into(),
                    ),
                );
            }
        }
        self.probability(
            "scoring.evidence_threshold".into(),
            "evidence_threshold",
            sc.scoring.evidence_threshold,
        );
        for (i, w) in sc.scoring.ladder.iter().enumerate() {
            if w.level > 9 {
                self.err(
                    format!("scoring.ladder[{i}].level"),
                    format!("escalation level {} is beyond the ladder (0–9)", w.level),
                    None,
                );
            }
        }
    }
}
