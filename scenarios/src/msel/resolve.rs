//! Expected Action lines become expectations once the whole MSEL is read: subjects may name
//! injects of other rows, and the row's own inject is the default subject. Expectations are put in
//! one canonical order (by the inject they check) so that every import of the same content agrees.

use super::MselError;
use super::expected::{Inline, Line, Said, Verb};
use super::import::{Importer, Row};
use super::understand::{Reading, only_state, understand};
use crate::exercise::Expect;
use crate::injects::{Event, Inject};
use crate::scenario::Scenario;
/// Index of the inject an expectation checks, used to order expectations the same way on every
/// import and to place them on rows on export; expectations with no such inject go first.
pub fn subject_row(sc: &Scenario, does: &crate::exercise::Action) -> usize {
    use crate::exercise::Action;
    let target = |x: &str| {
        sc.injects.iter().position(|i| match &i.event {
            Event::Outage { infra, .. } => infra == x,
            Event::Incident { target, .. } => target == x,
            _ => false,
        })
    };
    let found = match does {
        Action::StayBelow { .. } | Action::Judged(_) => None,
        Action::ReplyPing { ping } => sc
            .injects
            .iter()
            .enumerate()
            .position(|(k, i)| i.id_at(k) == *ping),
        Action::Restore { infra } => target(infra),
        Action::Disclose { item } => sc.injects.iter().position(|i| match &i.event {
            Event::Vulnerability { id, .. } | Event::SupplyChain { id, .. } => id == item,
            _ => false,
        }),
        other => {
            let incident = other.subject().unwrap_or_default();
            sc.injects
                .iter()
                .position(|i| matches!(&i.event, Event::Incident { id, .. } if id == incident))
        }
    };
    found.unwrap_or(0)
}

impl Importer {
    /// Resolves every Expected Action line against the whole MSEL (subjects may name injects of
    /// other rows) and returns, for each expectation, the row it came from.
    pub(super) fn expectations(&mut self, rows: &[Row]) -> Vec<usize> {
        let mut made: Vec<(Expect, usize)> = Vec::new();
        for (k, r) in rows.iter().enumerate() {
            let inject = &self.sc.injects[k];
            let inject_id = inject.id_at(k);
            let row_default = default_subjects(inject, &inject_id);
            for (n, line) in r.expected.iter().enumerate() {
                self.here = (r.row, "Expected Action");
                let understood;
                let mut kept = false;
                let line = match &line.sentence {
                    None => line,
                    Some(text) => {
                        understood = match self.sentence_line(text, r, &row_default) {
                            Ok(l) => l,
                            // Not sure: an expectation an evaluator judges, in the planner's
                            // words, about the one state the sentence names, else the row's To.
                            Err(why) => {
                                let actor = only_state(&self.sc, text);
                                if actor.is_none() && r.to.is_empty() {
                                    self.keep_for_evaluator(k, r.row, text, why);
                                    self.evaluator_objectives.extend(r.objective.clone());
                                    continue;
                                }
                                self.readings.push(Reading {
                                    row: r.row,
                                    sentence: text.clone(),
                                    understood: None,
                                    why,
                                });
                                kept = true;
                                let mut l = super::understand::sentence(text);
                                l.verb = Verb::Judged;
                                l.words = vec![text.clone()];
                                l.actor = actor;
                                l
                            }
                        };
                        &understood
                    }
                };
                let actors: Vec<String> = match &line.actor {
                    // A state first named here with a name no Expected Action could hold
                    // (" within " in it, …) is created under its id alone, as export writes it.
                    Some(a)
                        if !super::writable(a, super::Cell::Actor)
                            && super::find_party(&self.sc, a).is_none() =>
                    {
                        self.party(&super::slug(a), true).into_iter().collect()
                    }
                    Some(a) => self.party(a, true).into_iter().collect(),
                    None => r.to.clone(),
                };
                if actors.is_empty() {
                    self.errors.push(
                        MselError::new(
                            r.row,
                            Some("Expected Action"),
                            "who is expected to act? The To column names no state",
                        )
                        .help("write the actor first, e.g. \"borealia: acknowledge within 24h\""),
                    );
                    continue;
                }
                let subject = match line.verb {
                    Verb::StayBelow(_) => String::new(),
                    Verb::Judged => line.words.join(" "),
                    verb => match self
                        .pick_subject(verb, &line.words)
                        .or_else(|| row_default.get(verb))
                    {
                        Some(s) => s,
                        None => {
                            self.errors.push(
                                MselError::new(
                                    r.row,
                                    Some("Expected Action"),
                                    format!("which {} is meant?", noun(verb)),
                                )
                                .help("name it, e.g. \"acknowledge inc-1 within 24h\""),
                            );
                            continue;
                        }
                    },
                };
                let objective = match &line.objective {
                    Said::Objective(o) => Some(
                        self.objectives
                            .iter()
                            .find(|x| x.id == *o || x.title == *o)
                            .map(|x| x.id.clone())
                            .unwrap_or(o.clone()),
                    ),
                    Said::Row => r.objective.clone(),
                    Said::NoObjective => None,
                };
                // Without brackets, so that export can write the id as `[id]`.
                let number = r.number.replace(['[', ']'], "");
                for actor in &actors {
                    let id = match (&line.id, actors.len()) {
                        (Some(id), 1) => id.clone(),
                        (Some(id), _) => format!("{id}-{actor}"),
                        (None, 1) => format!("e{number}-{}", n + 1),
                        (None, _) => format!("e{number}-{}-{actor}", n + 1),
                    };
                    let e = Expect {
                        id,
                        actor: actor.clone(),
                        does: line.verb.action(subject.clone()),
                        within: line.within,
                        by: line.by,
                        norm: line.norm.or(r.norm),
                        objective: objective.clone(),
                        note: line.note.clone(),
                    };
                    if let Some(text) = line.sentence.as_ref().filter(|_| !kept) {
                        let label = super::label(&self.sc, actor, super::Cell::Actor);
                        self.readings.push(Reading {
                            row: r.row,
                            sentence: text.clone(),
                            understood: Some(super::expected::format(
                                &e,
                                &label,
                                true,
                                Inline::Each,
                            )),
                            why: String::new(),
                        });
                    }
                    made.push((e, r.row));
                }
            }
        }
        // The same order on every import: by the inject each expectation checks.
        let keyed: Vec<(usize, usize, Expect, usize)> = made
            .into_iter()
            .enumerate()
            .map(|(i, (e, row))| (subject_row(&self.sc, &e.does), i, e, row))
            .collect();
        let mut keyed = keyed;
        keyed.sort_by_key(|(s, i, _, _)| (*s, *i));
        let mut rows_of = Vec::new();
        for (_, _, e, row) in keyed {
            self.sc.expectations.push(e);
            rows_of.push(row);
        }
        rows_of
    }

    /// A sentence as a grammar line, when ttx is sure what it says; else why not.
    fn sentence_line(&self, text: &str, r: &Row, row_default: &Defaults) -> Result<Line, String> {
        let guess = understand(&self.sc, text)?;
        if guess.actor.is_none() && r.to.is_empty() {
            return Err("it names no state, and neither does the To column".into());
        }
        let words = match guess.verb {
            Verb::StayBelow(_) => Vec::new(),
            verb => {
                let incidents = self.sc.incident_ids();
                let only_incident = (incidents.len() == 1
                    && !matches!(verb, Verb::ReplyPing | Verb::Disclose | Verb::Restore))
                .then(|| incidents[0].to_string());
                let subject = self
                    .pick_subject(verb, &guess.words)
                    .or_else(|| row_default.get(verb))
                    .or(only_incident)
                    .ok_or_else(|| {
                        format!(
                            "it does not say which {} is meant, and the row's inject is not one",
                            noun(verb)
                        )
                    })?;
                vec![subject]
            }
        };
        let mut line = super::understand::sentence(text);
        line.actor = guess.actor;
        line.verb = guess.verb;
        line.words = words;
        line.within = guess.within;
        Ok(line)
    }

    /// A sentence ttx is not sure of and that names no one to judge (no state in it, none in
    /// To): kept in the inject's note for the evaluator; never met or failed.
    fn keep_for_evaluator(&mut self, inject: usize, row: usize, text: &str, why: String) {
        let note = &mut self.sc.injects[inject].note;
        let kept = format!("For the evaluator: {text}");
        *note = if note.is_empty() {
            kept
        } else {
            format!("{note} — {kept}")
        };
        self.readings.push(Reading {
            row,
            sentence: text.to_string(),
            understood: None,
            why,
        });
    }

    fn pick_subject(&self, verb: Verb, words: &[String]) -> Option<String> {
        let sc = &self.sc;
        words.iter().map(|w| w.trim_matches(|c: char| c == ',' || c == '.' || c == '"')).find_map(|w| {
            let ok = match verb {
                Verb::ReplyPing => sc.injects.iter().enumerate().any(|(k, i)| matches!(i.event, Event::Ping { .. }) && i.id_at(k) == w),
                Verb::Disclose => sc.injects.iter().any(|i| {
                    matches!(&i.event, Event::Vulnerability { id, .. } | Event::SupplyChain { id, .. } if id == w)
                }),
                Verb::Restore => sc.infrastructure.iter().any(|x| x.id == w),
                _ => sc.incident_ids().contains(&w),
            };
            ok.then(|| w.to_string())
        })
    }
}

/// What an action refers to when the Expected Action cell does not say: the row's own inject.
struct Defaults {
    incident: Option<String>,
    ping: Option<String>,
    item: Option<String>,
    infra: Option<String>,
}

impl Defaults {
    fn get(&self, verb: Verb) -> Option<String> {
        match verb {
            Verb::ReplyPing => self.ping.clone(),
            Verb::Disclose => self.item.clone(),
            Verb::Restore => self.infra.clone(),
            Verb::StayBelow(_) | Verb::Judged => None,
            _ => self.incident.clone(),
        }
    }
}

fn default_subjects(inject: &Inject, inject_id: &str) -> Defaults {
    let mut d = Defaults {
        incident: None,
        ping: None,
        item: None,
        infra: None,
    };
    match &inject.event {
        Event::Incident { id, target, .. } => {
            d.incident = Some(id.clone());
            d.infra = Some(target.clone());
        }
        Event::FalseFlag { incident, .. } => d.incident = Some(incident.clone()),
        Event::MediaReport { incident, .. } => d.incident = incident.clone(),
        Event::Ping { .. } => d.ping = Some(inject_id.to_string()),
        Event::Vulnerability { id, .. } | Event::SupplyChain { id, .. } => {
            d.item = Some(id.clone())
        }
        Event::Outage { infra, .. } => d.infra = Some(infra.clone()),
        Event::Move { message, .. } => d.incident = message.about.clone(),
        _ => {}
    }
    d
}

fn noun(verb: Verb) -> &'static str {
    match verb {
        Verb::ReplyPing => "ping",
        Verb::Disclose => "vulnerability or compromise",
        Verb::Restore => "infrastructure",
        _ => "incident",
    }
}
