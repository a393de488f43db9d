//! The scenarios ttx ships, compiled into the binary so `ttx run` works on a fresh machine with
//! no files around. Each file's header comment says who it is for and what it exercises.

use crate::diagnostic::Diagnostics;
use crate::scenario::Scenario;

pub struct Bundled {
    pub name: &'static str,
    pub file: &'static str,
    pub source: &'static str,
}

/// The scenario `ttx run` runs when given none.
pub const DEFAULT: &str = "hospital-ransomware";

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(Bundled {
            name: $name,
            file: concat!("scenarios/library/", $name, ".ron"),
            source: include_str!(concat!("../library/", $name, ".ron")),
        }),*]
    };
}

static LIBRARY: &[Bundled] = bundled![
    "hospital-ransomware",
    "poc-ping-test",
    "false-flag",
    "election-vote-count",
    "backdoored-firmware",
    "cert-under-attack",
    "un-poc-directory",
    "interconnector-cascade",
    "ransomware-evidence",
    "disinformation-shutdown",
    "iberoamerican-cert-drill",
    "cis-critical-resources",
    "itu-capacity-assistance",
    "live-hospital-ransomware",
];

pub fn all() -> &'static [Bundled] {
    LIBRARY
}

pub fn find(name: &str) -> Option<&'static Bundled> {
    LIBRARY.iter().find(|b| b.name == name)
}

pub fn names() -> Vec<&'static str> {
    LIBRARY.iter().map(|b| b.name).collect()
}

impl Bundled {
    pub fn load(&self) -> Result<Scenario, Diagnostics> {
        crate::load_str(self.source, self.file)
    }

    /// The first line of the file's header comment, for `ttx list`.
    pub fn summary(&self) -> &'static str {
        self.source
            .lines()
            .map(str::trim)
            .find_map(|l| {
                l.strip_prefix("//")
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
            })
            .unwrap_or("")
    }
}
