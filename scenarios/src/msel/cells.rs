//! Reading single cells of an MSEL row: the Method (with PoC levels for pings), the Event column
//! of typed injects, Severity and Objective.

use super::import::Importer;
use super::{METHODS, Method, MselError, slug};
use crate::actors::PocLevel;
use crate::exercise::Objective;
use crate::injects::Event;

impl Importer {
    pub(super) fn typed_event(
        &mut self,
        row: usize,
        kind: &str,
        event_cell: &str,
        message: &str,
        note: &mut String,
    ) -> Option<Event> {
        if event_cell.is_empty() {
            self.errors.push(
                MselError::new(
                    row,
                    Some("Event"),
                    format!(
                        "this {} inject needs its details in the Event column",
                        kind.replace('_', " ")
                    ),
                )
                .help(
                    "e.g. Incident(id: \"inc-1\", target: \"hospital\", by: \"gang\", severity: 4)",
                ),
            );
            return None;
        }
        if let Err(deep) = crate::nesting::check(event_cell, crate::nesting::Syntax::Ron) {
            self.err(
                row,
                "Event",
                format!(
                    "the event is nested more than {} levels deep (at character {})",
                    crate::nesting::MAX_DEPTH,
                    deep.col
                ),
            );
            return None;
        }
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let mut event: Event = match options.from_str(event_cell) {
            Ok(e) => e,
            Err(e) => {
                self.err(
                    row,
                    "Event",
                    format!(
                        "cannot read the event: {} (at character {})",
                        e.code, e.span.start.col
                    ),
                );
                return None;
            }
        };
        if event.kind() != kind {
            self.err(
                row,
                "Event",
                format!("the Method says {kind} but the Event is {}", event.kind()),
            );
            return None;
        }
        if !message.is_empty() {
            match &mut event {
                Event::MediaReport { text, .. } => *text = message.to_string(),
                _ => {
                    *note = if note.is_empty() {
                        message.to_string()
                    } else {
                        format!("{note} — {message}")
                    }
                }
            }
        }
        Some(event)
    }

    pub(super) fn severity(&mut self, row: usize, cell: &str, mut event: Event) -> Event {
        let cell = cell.trim();
        if cell.is_empty() {
            return event;
        }
        let Some(level) = severity_level(cell) else {
            self.errors.push(
                MselError::new(
                    row,
                    Some("Severity"),
                    format!("\"{cell}\" is not a severity"),
                )
                .help(format!(
                    "write a level from 0 to 5, a word ({}) or a colour ({})",
                    SEVERITY_WORDS
                        .iter()
                        .map(|(w, l)| format!("{w} {l}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    SEVERITY_COLOURS
                        .iter()
                        .map(|(w, l)| format!("{w} {l}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            return event;
        };
        match &mut event {
            Event::Incident { severity, .. } | Event::Vulnerability { severity, .. } => {
                *severity = level
            }
            _ => self.err(
                row,
                "Severity",
                "Severity applies to Incident and Vulnerability rows",
            ),
        }
        event
    }

    /// An Objective cell: one or more lines `id: title`, or a bare title (its id derived).
    /// Returns the row's default objective when the cell names exactly one.
    pub(super) fn objective_cell(&mut self, cell: &str) -> Option<String> {
        let mut ids = Vec::new();
        for line in cell.lines().map(str::trim).filter(|l| !l.is_empty()) {
            // `: title`, with nothing before the colon, names no id: it is a bare title (an
            // objective with an empty id was written back as `(objective )`, which reads
            // back as part of the expectation's text).
            let line = match line.strip_prefix(':').map(str::trim) {
                Some("") => continue,
                Some(title) => title,
                None => line,
            };
            let (id, title) = match line.split_once(':') {
                Some((id, title)) if !id.trim().is_empty() && !id.trim().contains(' ') => {
                    (id.trim().to_string(), title.trim().to_string())
                }
                _ => match self
                    .objectives
                    .iter()
                    .find(|o| o.id == line || o.title == line)
                {
                    Some(o) => (o.id.clone(), o.title.clone()),
                    None => (format!("obj-{}", slug(line)), line.to_string()),
                },
            };
            if !self.objectives.iter().any(|o| o.id == id) {
                self.first_named
                    .entry(format!("objective {id}"))
                    .or_insert(self.here);
                self.objectives.push(Objective {
                    id: id.clone(),
                    title,
                    description: String::new(),
                });
            }
            ids.push(id);
        }
        if ids.len() == 1 { ids.pop() } else { None }
    }
}

/// The PPD-41 cyber incident severity schema's levels by name, as planners write them.
const SEVERITY_WORDS: &[(&str, u8)] = &[
    ("Emergency", 5),
    ("Severe", 4),
    ("High", 3),
    ("Medium", 2),
    ("Low", 1),
    ("Baseline", 0),
];

/// The schema's colours (black for Emergency down to white for Baseline).
const SEVERITY_COLOURS: &[(&str, u8)] = &[
    ("black", 5),
    ("red", 4),
    ("orange", 3),
    ("yellow", 2),
    ("green", 1),
    ("white", 0),
];

/// A Severity cell: a level 0–5 (also `3.0`, as a spreadsheet number reads), a schema word or
/// colour (any case), or a word with its level (`High (3)`) when both agree.
pub(crate) fn severity_level(cell: &str) -> Option<u8> {
    let cell = cell.trim();
    if let Ok(n) = cell.trim_end_matches(".0").parse::<u8>() {
        return (n <= 5).then_some(n);
    }
    let (word, number) = match cell.split_once('(') {
        Some((w, n)) => (w.trim(), Some(n.trim_end_matches(')').trim())),
        None => (cell, None),
    };
    let level = SEVERITY_WORDS
        .iter()
        .chain(SEVERITY_COLOURS)
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, l)| *l)?;
    match number {
        None => Some(level),
        Some(n) => (n.parse::<u8>().ok() == Some(level)).then_some(level),
    }
}

/// `Ping (technical)` carries the PoC levels in parentheses.
pub(super) fn parse_method(cell: &str) -> Result<(Method, Vec<PocLevel>), Located> {
    let cell = cell.trim();
    let (name, inside) = match cell.split_once('(') {
        Some((n, rest)) => (n.trim(), Some(rest.trim_end_matches(')'))),
        None => (cell, None),
    };
    let Some((_, method)) = METHODS.iter().find(|(m, _)| m.eq_ignore_ascii_case(name)) else {
        let names: Vec<&str> = METHODS.iter().map(|(m, _)| *m).collect();
        let help = match crate::did_you_mean(name, names.iter().copied()) {
            Some(m) => format!("did you mean \"{m}\"?"),
            None => format!("known methods: {}", names.join(", ")),
        };
        return Err(Located(format!("unknown method \"{cell}\""), help));
    };
    let mut levels = Vec::new();
    if let Some(inside) = inside {
        if *method != Method::Ping {
            return Err(Located(
                format!("\"{cell}\": only Ping takes PoC levels in parentheses"),
                "e.g. Ping (technical)".into(),
            ));
        }
        for l in inside.split(',').map(str::trim) {
            match PocLevel::ALL
                .iter()
                .find(|p| p.as_str().eq_ignore_ascii_case(l))
            {
                Some(p) => levels.push(*p),
                None => {
                    return Err(Located(
                        format!("unknown PoC level \"{l}\""),
                        "levels are technical, diplomatic, policy".into(),
                    ));
                }
            }
        }
    }
    Ok((*method, levels))
}

pub(super) struct Located(String, String);

impl Located {
    pub(super) fn at(self, row: usize) -> MselError {
        MselError::new(row, Some("Method"), self.0).help(self.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_words_colours_and_numbers() {
        assert_eq!(severity_level("High"), Some(3));
        assert_eq!(severity_level("emergency"), Some(5));
        assert_eq!(severity_level("Baseline"), Some(0));
        assert_eq!(severity_level("ORANGE"), Some(3));
        assert_eq!(severity_level("white"), Some(0));
        assert_eq!(severity_level("4"), Some(4));
        assert_eq!(severity_level("4.0"), Some(4));
        assert_eq!(severity_level("Severe (4)"), Some(4));
        assert_eq!(severity_level("Severe (2)"), None);
        assert_eq!(severity_level("6"), None);
        assert_eq!(severity_level("Critical"), None);
    }
}
