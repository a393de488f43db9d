//! The Master Scenario Events List (MSEL): the spreadsheet exercise planners keep their injects in.
//! Import turns one into a scenario; export writes a scenario back as one, so a scenario can go to a
//! spreadsheet, be edited there, and come back.
//!
//! Columns: Number, Time, From, To, Method, Subject, Message, Expected Action (required); Objective,
//! Norm, Severity (optional); and Event, which ttx adds to carry the details of typed injects
//! (incidents, outages, …) that the planner columns cannot express. Any other column is the
//! planner's own and is kept as it is (`planner.rs`). docs/msel.md describes them.

mod cells;
mod expected;
mod export;
mod import;
mod locate;
mod moves;
mod planner;
mod resolve;
mod shapes;
mod sheet;
mod times;
mod understand;

pub use export::{export, export_table};
pub use import::{ImportOptions, Imported, import, import_sheet};
pub use planner::{MAX_COLUMNS, column_list};
pub use resolve::subject_row;
pub use sheet::Sheet;
pub use understand::Reading;

use std::fmt;

pub const REQUIRED: [&str; 8] = [
    "Number",
    "Time",
    "From",
    "To",
    "Method",
    "Subject",
    "Message",
    "Expected Action",
];
pub const OPTIONAL: [&str; 4] = ["Objective", "Norm", "Severity", "Event"];

/// A problem in an MSEL file, located by spreadsheet row (the header is row 1) and column.
#[derive(Clone, Debug, PartialEq)]
pub struct MselError {
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl MselError {
    pub(crate) fn new(row: usize, column: Option<&str>, message: impl Into<String>) -> MselError {
        MselError {
            row,
            column: column.map(str::to_string),
            message: message.into(),
            help: None,
        }
    }
    pub(crate) fn help(mut self, help: impl Into<String>) -> MselError {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for MselError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "row {}, column {c}: {}", self.row, self.message)?,
            None => write!(f, "row {}: {}", self.row, self.message)?,
        }
        if let Some(h) = &self.help {
            write!(f, "\n  = help: {h}")?;
        }
        Ok(())
    }
}

/// The exercise-practice names of delivery methods and what each becomes in ttx. Matching ignores
/// case.
pub(crate) const METHODS: &[(&str, Method)] = &[
    ("Control", Method::Channel(Ch::Control)),
    ("Email", Method::Channel(Ch::Control)),
    ("Phone", Method::Channel(Ch::Control)),
    ("Briefing", Method::Channel(Ch::Control)),
    ("Handout", Method::Channel(Ch::Control)),
    (
        "Technical PoC",
        Method::Channel(Ch::Poc(crate::PocLevel::Technical)),
    ),
    ("PoC", Method::Channel(Ch::Poc(crate::PocLevel::Technical))),
    (
        "Diplomatic PoC",
        Method::Channel(Ch::Poc(crate::PocLevel::Diplomatic)),
    ),
    (
        "Diplomatic note",
        Method::Channel(Ch::Poc(crate::PocLevel::Diplomatic)),
    ),
    (
        "Policy PoC",
        Method::Channel(Ch::Poc(crate::PocLevel::Policy)),
    ),
    ("CERT-to-CERT", Method::Channel(Ch::Cert)),
    ("CERT", Method::Channel(Ch::Cert)),
    ("Regional network", Method::Channel(Ch::Regional)),
    ("Media", Method::Channel(Ch::Public)),
    ("News", Method::Channel(Ch::Public)),
    ("Social media", Method::Channel(Ch::Public)),
    ("Ping", Method::Ping),
    ("Incident", Method::Typed("incident")),
    ("False flag", Method::Typed("false_flag")),
    ("Outage", Method::Typed("outage")),
    ("PoC outage", Method::Typed("poc_outage")),
    ("Media report", Method::Typed("media_report")),
    ("Vulnerability", Method::Typed("vulnerability")),
    ("Supply chain", Method::Typed("supply_chain")),
    ("Disinformation", Method::Typed("disinformation")),
];

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Ch {
    Control,
    Poc(crate::PocLevel),
    Cert,
    Regional,
    Public,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Method {
    Channel(Ch),
    Ping,
    /// An inject whose details are in the Event column; the name is `Event::kind()`.
    Typed(&'static str),
}

/// Names that mean "the exercise control cell" in a From column.
pub(crate) fn is_control(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    matches!(
        n.as_str(),
        "" | "control" | "excon" | "exercise control" | "simcell" | "sim cell" | "controller"
    )
}

/// What separates the parties named in a To cell, an inject's or a move's: a line break of
/// either kind too, since a name holding a carriage return cannot be written back into the cell
/// (`writable`) and was lost on the way round
/// (tests/fuzz/msel/created-state-name-with-carriage-return-lost.csv).
pub(super) const TO_SEPARATORS: [char; 5] = [',', ';', '/', '\n', '\r'];

/// Names that mean "every player" in a To column.
pub(crate) fn is_everyone(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    matches!(
        n.as_str(),
        "" | "all" | "everyone" | "all players" | "all states"
    )
}

/// The state or organisation a From/To/actor name means: by id, by the id its name would get,
/// or by name (ignoring case), states first. Import and export share it, so that what export
/// writes is read back as the same party.
pub(crate) fn find_party<'a>(sc: &'a crate::Scenario, name: &str) -> Option<&'a str> {
    let name = name.trim();
    let key = slug(name);
    let matches =
        |id: &str, display: &str| id == name || id == key || display.eq_ignore_ascii_case(name);
    sc.states
        .iter()
        .find(|s| matches(&s.id, &s.name))
        .map(|s| s.id.as_str())
        .or_else(|| {
            sc.organisations
                .iter()
                .find(|o| matches(&o.id, &o.name))
                .map(|o| o.id.as_str())
        })
}

/// Where export names a party; each cell kind has its own separators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cell {
    /// A To cell: names separated by `,` `;` `/` or line breaks.
    To,
    /// The From cell of a ping: one name.
    From,
    /// The actor of an Expected Action line: `actor: action within 24h — note`.
    Actor,
}

/// How export names a party in a cell: its display name where that reads back as the same
/// party (planners know "Côte d'Ivoire", not "cote-d-ivoire"; and a state an import created
/// keeps its name through export and import), else its id.
pub(crate) fn label(sc: &crate::Scenario, id: &str, cell: Cell) -> String {
    let name = sc
        .states
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.name.as_str())
        .or_else(|| {
            sc.organisations
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.name.as_str())
        })
        .unwrap_or("");
    let readable = !name.is_empty()
        && writable(name, cell)
        && !is_control(name)
        && !is_everyone(name)
        && find_party(sc, name) == Some(id);
    if readable {
        name.to_string()
    } else {
        id.to_string()
    }
}

/// Whether `name` reads back as one name in a cell of this kind: no separator of the cell, no
/// line break, no surrounding space.
pub(crate) fn writable(name: &str, cell: Cell) -> bool {
    let lower = name.to_lowercase();
    let separators: &[&str] = match cell {
        Cell::To => &[",", ";", "/"],
        Cell::From => &[],
        Cell::Actor => &[":", " — ", " within ", " by "],
    };
    name.trim() == name
        && !name.contains(['\n', '\r'])
        && !separators.iter().any(|sep| lower.contains(sep))
}

/// A kebab-case id from a display name: "Côte d'Ivoire" → "cote-d-ivoire".
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ô' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Côte d'Ivoire"), "cote-d-ivoire");
        assert_eq!(slug("  Borealia "), "borealia");
        assert_eq!(slug("São Tomé and Príncipe"), "sao-tome-and-principe");
    }
}
