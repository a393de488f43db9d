//! The Master Scenario Events List (MSEL): the spreadsheet exercise planners keep their injects in.
//! Import turns one into a scenario; export writes a scenario back as one, so a scenario can go to a
//! spreadsheet, be edited there, and come back.
//!
//! Columns: Number, Time, From, To, Method, Subject, Message, Expected Action (required); Objective,
//! Norm, Severity (optional); and Event, which ttx adds to carry the details of typed injects
//! (incidents, outages, …) that the planner columns cannot express. docs/msel.md describes them.

mod cells;
mod expected;
mod export;
mod import;
mod moves;
mod resolve;
mod times;

pub use export::export;
pub use import::{ImportOptions, Imported, import};
pub use resolve::subject_row;

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

/// Names that mean "every player" in a To column.
pub(crate) fn is_everyone(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    matches!(
        n.as_str(),
        "" | "all" | "everyone" | "all players" | "all states"
    )
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
