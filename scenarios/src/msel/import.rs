//! MSEL → scenario. Rows become injects, Expected Action cells become expectations, Objective
//! cells objectives. Names in From/To that are not yet states become states with default settings
//! (and the import says so). Nothing is returned unless the whole file is right.

use super::cells::parse_method;
use super::expected::{self, Line};
use super::sheet::Sheet;
use super::times::{self, When};
use super::{
    Ch, Method, MselError, REQUIRED, TO_SEPARATORS, find_party, is_control, is_everyone, slug,
};
use crate::actors::{Control, State, default_doctrine, default_pocs};
use crate::exercise::{Norm, Objective};
use crate::injects::{Condition, Event, Inject};
use crate::message::Channel;
use crate::scenario::Scenario;
use crate::time::{DAY_SECS, Span, Timestamp};
use std::collections::BTreeMap;

pub struct ImportOptions {
    /// Name of the resulting scenario.
    pub name: String,
    /// T+0; needed unless a base scenario gives it.
    pub start: Option<Timestamp>,
    /// States, infrastructure, actors and doctrines to build on; its injects, expectations and
    /// objectives are replaced by the MSEL's.
    pub base: Option<Scenario>,
    pub duration: Option<Span>,
    /// Only the Expected Action grammar and the known methods: no sentences understood, no
    /// unknown method turned into a control-cell message.
    pub strict: bool,
}

pub struct Imported {
    pub scenario: Scenario,
    /// What the import decided on the user's behalf (states created, duration chosen).
    pub notes: Vec<String>,
    /// What the planner should check, row by row: a guess (an unknown method delivered by the
    /// control cell, `T+3` read as hours).
    pub warnings: Vec<MselError>,
    /// How each plain-sentence Expected Action was understood, row by row.
    pub readings: Vec<super::understand::Reading>,
}

pub(super) struct Row {
    pub(super) row: usize,
    pub(super) number: String,
    pub(super) to: Vec<String>,
    pub(super) expected: Vec<Line>,
    pub(super) objective: Option<String>,
    pub(super) norm: Option<Norm>,
}

pub(super) struct Importer {
    pub(super) sc: Scenario,
    /// States that came with the base; those after them the import created.
    pub(super) base_states: usize,
    /// The cell being read (row, column), which is where a state or objective it creates
    /// comes from.
    pub(super) here: (usize, &'static str),
    /// Where each created state and each objective was first named, so that a problem with
    /// one is reported at that row and column.
    pub(super) first_named: BTreeMap<String, (usize, &'static str)>,
    pub(super) notes: Vec<String>,
    pub(super) errors: Vec<MselError>,
    /// Objective id → title, in first-seen order.
    pub(super) objectives: Vec<Objective>,
    pub(super) strict: bool,
    pub(super) warnings: Vec<MselError>,
    pub(super) readings: Vec<super::understand::Reading>,
    /// Objectives of rows whose sentences were kept for an evaluator.
    pub(super) evaluator_objectives: Vec<String>,
}

/// Imports an MSEL written as CSV.
pub fn import(text: &str, opts: &ImportOptions) -> Result<Imported, Vec<MselError>> {
    let sheet = Sheet::from_csv(text).map_err(|e| vec![e])?;
    import_sheet(&sheet, opts)
}

/// Imports an MSEL from a sheet's cells (CSV, or a workbook's sheet read as text).
pub fn import_sheet(sheet: &Sheet, opts: &ImportOptions) -> Result<Imported, Vec<MselError>> {
    let start = opts.start.or(opts.base.as_ref().map(|b| b.start));
    let Some(start) = start else {
        return Err(vec![MselError::new(1, None, "the exercise start (T+0) is not known")
            .help("give it with --start, e.g. --start 2026-03-06T16:00:00Z, or import onto a base scenario")]);
    };
    let mut sc = match &opts.base {
        Some(b) => Scenario { injects: Vec::new(), planner_columns: Vec::new(), expectations: Vec::new(), objectives: Vec::new(), ..b.clone() },
        None => crate::parse("Scenario(name: \"msel\", start: \"2026-01-01T00:00:00Z\", duration: \"1d\", states: [])", "")
            .expect("an empty scenario parses"),
    };
    sc.name = opts.name.clone();
    sc.start = start;
    let mut notes = Vec::new();
    if opts
        .base
        .as_ref()
        .is_some_and(|b| !b.injects.is_empty() || !b.expectations.is_empty())
    {
        notes.push(
            "the base scenario's injects, expectations and objectives are replaced by the MSEL's"
                .to_string(),
        );
    }
    run(
        sheet,
        opts,
        Importer {
            strict: opts.strict,
            evaluator_objectives: Vec::new(),
            warnings: Vec::new(),
            readings: Vec::new(),
            base_states: sc.states.len(),
            here: (1, "To"),
            first_named: BTreeMap::new(),
            sc,
            notes,
            errors: Vec::new(),
            objectives: Vec::new(),
        },
    )
}

fn run(sheet: &Sheet, opts: &ImportOptions, mut im: Importer) -> Result<Imported, Vec<MselError>> {
    let headers = &sheet.header;
    let shape = super::shapes::recognise(headers);
    let missing = shape.missing();
    if !missing.is_empty() {
        let found = headers.join(", ");
        let errs = missing
            .iter()
            .map(|m| {
                MselError::new(sheet.first_row, Some(m), format!("missing column \"{m}\""))
                    .help(format!(
                        "the header row has: {found}; an MSEL needs {} (or the columns of an OpenAEV inject export or a CISA CTEP MSEL: docs/msel.md)",
                        REQUIRED.join(", ")
                    ))
            })
            .collect();
        return Err(errs);
    }
    if let Some(name) = shape.name {
        im.notes.push(format!(
            "read as {name} (docs/msel.md lists how its columns are read)"
        ));
    }
    let col = &shape.columns;
    let kept = super::planner::Kept::of(sheet, &shape, &mut im.notes).map_err(|e| vec![e])?;
    let mut rows: Vec<Row> = Vec::new();
    for (i, record) in sheet.rows.iter().enumerate() {
        let row = sheet.first_row + 1 + i;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                im.errors.push(MselError::new(row, None, e.clone()));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number_default = (i + 1).to_string();
        let cell = |name: &str| -> String {
            match col.get(name).and_then(|&k| record.get(k)) {
                Some(c) => c.trim().to_string(),
                None if name == "Number" => number_default.clone(),
                None => String::new(),
            }
        };
        if let Some(r) = im.row(row, &cell) {
            if let Some(inject) = im.sc.injects.last_mut() {
                inject.planner = kept.cells(record);
            }
            rows.push(r);
        }
    }
    im.sc.planner_columns = kept.names;
    let order = im.expectations(&rows);
    im.finish(opts, &rows, order)
}

impl Importer {
    pub(super) fn err(&mut self, row: usize, column: &str, message: impl Into<String>) {
        self.errors.push(MselError::new(row, Some(column), message));
    }

    /// A state for a From/To name: an existing state or organisation (by id or name), or a new
    /// state with default settings.
    pub(super) fn party(&mut self, name: &str, create: bool) -> Option<String> {
        let name = name.trim();
        let key = slug(name);
        if let Some(id) = find_party(&self.sc, name) {
            return Some(id.to_string());
        }
        if !create || key.is_empty() {
            return None;
        }
        // "Control" is who sends injects, never a player who receives or acts on them; a state
        // of that name could not be written back (export writes the control cell as "Control").
        if is_control(name) || is_everyone(name) {
            let (row, column) = self.here;
            self.err(
                row,
                column,
                format!("\"{name}\" is the exercise control cell, not a player state: name the states this row is about (or All)"),
            );
            return None;
        }
        self.first_named
            .entry(format!("state {key}"))
            .or_insert(self.here);
        self.sc.states.push(State {
            id: key.clone(),
            name: if name == key {
                String::new()
            } else {
                name.to_string()
            },
            utc_offset: Default::default(),
            capacity: Default::default(),
            doctrine: default_doctrine(),
            orgs: Vec::new(),
            control: Control::Bot,
            cert: Default::default(),
            pocs: default_pocs(),
        });
        self.notes.push(format!(
            "created state \"{key}\" with default settings (UTC+00:00, Emerging capacity, cooperative doctrine, technical and diplomatic PoCs)"
        ));
        Some(key)
    }

    fn parties(&mut self, cell: &str, create: bool) -> Vec<String> {
        cell.split(TO_SEPARATORS)
            .map(str::trim)
            .filter(|n| !is_everyone(n))
            .filter_map(|n| self.party(n, create))
            .collect()
    }

    fn row(&mut self, row: usize, cell: &dyn Fn(&str) -> String) -> Option<Row> {
        let errors_before = self.errors.len();
        let number = cell("Number").trim().to_string();
        let (subject, message, event_cell) = (cell("Subject"), cell("Message"), cell("Event"));
        let (subject, message, event_cell) = (subject.trim(), message.trim(), event_cell.trim());
        if number.is_empty() {
            self.err(row, "Number", "every inject needs a Number");
        }
        let id = if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.') {
            format!("inj-{number}")
        } else {
            number.clone()
        };
        let when = match times::read(&cell("Time"), Some(self.sc.start)) {
            Ok((w, warning)) => {
                if let Some(w) = warning {
                    self.warnings.push(MselError::new(row, Some("Time"), w));
                }
                Some(w)
            }
            Err(e) => {
                self.err(row, "Time", e);
                None
            }
        };
        let method_cell = cell("Method");
        let method = match parse_method(&method_cell) {
            Ok(m) => Some(m),
            // A method ttx does not model (Press, SMS, Fax, a platform's inject type) still
            // reaches the players: as a message from the control cell, the method named in it.
            Err(_) if !self.strict && !method_cell.contains('(') => {
                if !method_cell.is_empty() {
                    self.warnings.push(
                        MselError::new(
                            row,
                            Some("Method"),
                            format!(
                                "\"{method_cell}\" is not a method ttx models; the row becomes a control-cell message to its addressees, marked [via {method_cell}]"
                            ),
                        )
                        .help("use Control, Email, Phone, Technical PoC, Diplomatic PoC, CERT, Regional network, Media, Ping or a typed inject (docs/msel.md) to change that"),
                    );
                }
                Some((Method::Channel(Ch::Control), Vec::new()))
            }
            Err(e) => {
                self.errors.push(e.at(row));
                None
            }
        };
        let via_other =
            method.is_some() && parse_method(&method_cell).is_err() && !method_cell.is_empty();
        let mut note = subject.to_string();
        let speaker = match method {
            Some((Method::Channel(ch), _)) if ch != Ch::Control => {
                self.speaking_state(&cell("From")).map(|by| (by, ch))
            }
            _ => None,
        };
        let event = match method {
            Some(_) if speaker.is_some() => {
                let (by, ch) = speaker.expect("checked");
                self.state_move(row, by, ch, &cell("To"), message, event_cell)
            }
            Some((Method::Channel(ch), _)) => {
                if !event_cell.is_empty() {
                    self.err(
                        row,
                        "Event",
                        "the Event column is only for typed injects (Incident, Outage, …)",
                    );
                }
                self.here = (row, "To");
                let to = self.parties(&cell("To"), true);
                let mut text = if message.is_empty() {
                    std::mem::take(&mut note)
                } else {
                    message.to_string()
                };
                let from = cell("From");
                let from = from.trim();
                if !is_control(from) {
                    text = format!("{from}: {text}");
                }
                if via_other {
                    text = format!("{text} [via {method_cell}]");
                }
                // Trimmed as the Message cell is on the way back in, so that an empty message
                // from a named sender, or by a method ttx does not model, round-trips.
                let text = text.trim().to_string();
                let (via, level) = match ch {
                    Ch::Control => (None, None),
                    Ch::Poc(l) => (Some(Channel::Poc), Some(l)),
                    Ch::Cert => (Some(Channel::Cert), None),
                    Ch::Regional => (Some(Channel::Regional), None),
                    Ch::Public => (Some(Channel::Public), None),
                };
                Some(Event::Message {
                    to,
                    text,
                    via,
                    level,
                })
            }
            Some((Method::Ping, levels)) => {
                if !event_cell.is_empty() {
                    self.err(
                        row,
                        "Event",
                        "the Event column is only for typed injects (Incident, Outage, …)",
                    );
                }
                let from_cell = cell("From");
                self.here = (row, "From");
                let from = if is_control(&from_cell) {
                    None
                } else if !super::writable(from_cell.trim(), super::Cell::From)
                    && find_party(&self.sc, from_cell.trim()).is_none()
                {
                    // A state first named here with a name no From cell could hold back (a line
                    // break in it) is created under its id alone, as export writes it.
                    self.party(&slug(&from_cell), true)
                } else {
                    self.party(&from_cell, true)
                };
                self.here = (row, "To");
                let to = self.parties(&cell("To"), true);
                if !message.is_empty() {
                    note = if note.is_empty() {
                        message.to_string()
                    } else {
                        format!("{note} — {message}")
                    };
                }
                Some(Event::Ping { from, to, levels })
            }
            Some((Method::Typed(kind), _)) => {
                self.typed_event(row, kind, event_cell, message, &mut note)
            }
            None => None,
        };
        let event = event.map(|e| self.severity(row, &cell("Severity"), e));
        let to_states: Vec<String> = {
            let names: Vec<String> = cell("To")
                .split(TO_SEPARATORS)
                .map(|s| s.to_string())
                .collect();
            names
                .iter()
                .filter(|n| !is_everyone(n))
                .filter_map(|n| self.party(n, false))
                .collect()
        };
        let mut expected = Vec::new();
        for line in expected::split_lines(&cell("Expected Action")) {
            match expected::parse_line(line) {
                Ok(l) => expected.push(l),
                Err(e) if self.strict => self.err(row, "Expected Action", e),
                // A sentence is never an error: understood where ttx is sure, kept for an
                // evaluator where it is not (resolved with the whole sheet, in resolve.rs).
                Err(_) => expected.push(super::understand::sentence(line)),
            }
        }
        self.here = (row, "Objective");
        let objective = self.objective_cell(&cell("Objective"));
        let norm_cell = cell("Norm");
        let norm = match norm_cell.trim() {
            "" => None,
            n => {
                let letter = n.trim_start_matches("norm").trim();
                match letter
                    .chars()
                    .next()
                    .and_then(Norm::from_letter)
                    .filter(|_| letter.len() == 1)
                {
                    Some(norm) => Some(norm),
                    None => {
                        self.err(
                            row,
                            "Norm",
                            format!("unknown norm \"{n}\": write a letter from a to k"),
                        );
                        None
                    }
                }
            }
        };
        if self.errors.len() > errors_before {
            return None;
        }
        let (at, when) = match when? {
            When::At(a) => (Some(a), None),
            When::Condition(c)
                if crate::nesting::check(&c, crate::nesting::Syntax::Ron).is_err() =>
            {
                self.err(
                    row,
                    "Time",
                    format!(
                        "the condition is nested more than {} levels deep",
                        crate::nesting::MAX_DEPTH
                    ),
                );
                return None;
            }
            When::Condition(c) => match ron::Options::default().from_str::<Condition>(&c) {
                Ok(cond) => (None, Some(cond)),
                Err(e) => {
                    self.err(
                        row,
                        "Time",
                        format!("cannot read the condition \"{c}\": {}", e.code),
                    );
                    return None;
                }
            },
        };
        self.sc.injects.push(Inject {
            id: Some(id),
            at: at.map(Into::into),
            when,
            repeat: None,
            event: event?,
            note,
            // Filled by the caller, which knows the sheet's planner columns.
            planner: Default::default(),
        });
        Some(Row {
            row,
            number,
            to: to_states,
            expected,
            objective,
            norm,
        })
    }
}

impl Importer {
    fn finish(
        mut self,
        opts: &ImportOptions,
        rows: &[Row],
        expectation_rows: Vec<usize>,
    ) -> Result<Imported, Vec<MselError>> {
        // Objectives in the order their expectations appear, so every import orders them alike.
        let mut objectives = Vec::new();
        for e in &self.sc.expectations {
            if let Some(o) = &e.objective
                && !objectives.iter().any(|x: &Objective| &x.id == o)
                && let Some(obj) = self.objectives.iter().find(|x| &x.id == o)
            {
                objectives.push(obj.clone());
            }
        }
        for o in &self.objectives {
            if !objectives.iter().any(|x| x.id == o.id) {
                objectives.push(o.clone());
            }
        }
        self.sc.objectives = objectives;
        // An objective whose only expectations were kept for an evaluator has nothing ttx can
        // rate it from; the scenario check would refuse it, so it is left out, and said so.
        let unrated: Vec<String> = self
            .sc
            .objectives
            .iter()
            .map(|o| o.id.clone())
            .filter(|id| {
                self.evaluator_objectives.contains(id)
                    && !self
                        .sc
                        .expectations
                        .iter()
                        .any(|e| e.objective.as_deref() == Some(id.as_str()))
            })
            .collect();
        self.sc.objectives.retain(|o| !unrated.contains(&o.id));
        for id in unrated {
            self.notes.push(format!(
                "objective \"{id}\" has only expectations kept for an evaluator; it is left out of the scenario, whose objectives are rated from scored expectations"
            ));
        }
        // States the import created, in id order: where a name first appears in the sheet (To,
        // From, Expected Action) must not decide the scenario, or an exported and re-imported
        // sheet, which lays the same content out by inject, would give another one.
        self.sc.states[self.base_states..].sort_by(|a, b| a.id.cmp(&b.id));
        self.sc.duration = match (opts.duration, &opts.base) {
            (Some(d), _) => d,
            (None, Some(b)) => b.duration,
            (None, None) => {
                let last = self
                    .sc
                    .injects
                    .iter()
                    .filter_map(|i| i.at)
                    .map(|a| a.latest().secs())
                    .max()
                    .unwrap_or(0);
                let days = last / DAY_SECS + 2;
                self.notes.push(format!(
                    "exercise duration set to {days}d (the day of the last inject and one more); use --duration to change it"
                ));
                Span(days.saturating_mul(DAY_SECS))
            }
        };
        // Caught here rather than by validation, which cannot say which cell should have named
        // a state.
        if self.errors.is_empty() && self.sc.states.is_empty() {
            self.errors.push(
                MselError::new(
                    rows.first().map_or(1, |r| r.row),
                    Some("To"),
                    "no row names a state, and a scenario needs at least one",
                )
                .help("name the players' states in the To column, or import onto a base scenario (--base)"),
            );
        }
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|e| e.row);
            return Err(self.errors);
        }
        let problems = crate::validate(&self.sc);
        if !problems.is_empty() {
            let errs = problems
                .into_iter()
                .map(|d| {
                    let path = d.path.clone().unwrap_or_default();
                    let (row, column) = self.locate(&path, rows, &expectation_rows);
                    let mut e = MselError::new(row, column, d.message);
                    e.help = d.help;
                    e
                })
                .collect();
            return Err(errs);
        }
        Ok(Imported {
            scenario: self.sc,
            notes: self.notes,
            warnings: self.warnings,
            readings: self.readings,
        })
    }
}
