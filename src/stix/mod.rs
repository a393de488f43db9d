//! STIX 2.1 bundles of an exercise, with TLP 2.0 markings — the format CERT teams exchange and
//! their platforms (MISP, OpenCTI) load. `ttx export-stix` writes a run's bundle: the control
//! cell's complete one, or the one a state may see (`--for`), filtered by the TLP rule of
//! [`ttx_scenario::tlp`]; `ttx import-stix` reads a bundle's indicators back into a scenario.
//! The mapping from trace records to STIX objects is documented in docs/stix.md.
//!
//! - `facts`: what a bundle is made from, read once from the trace;
//! - `cases`, `messages`: the objects of an incident or vulnerability, and of a message;
//! - `kinds`: which object each kind of message becomes (the one match on message kinds);
//! - `identities`, `markings`, `indicators`: the actors, the five TLP 2.0 markings, patterns;
//! - `bundle`: who sees each object, the per-recipient containers, the bundle itself;
//! - `ids`, `object`: deterministic ids and timestamps, ordered JSON;
//! - `pattern`, `import`: reading STIX patterns and bundles back.

mod bundle;
mod cases;
mod facts;
mod identities;
mod ids;
mod import;
mod indicators;
mod kinds;
mod markings;
mod messages;
mod object;
mod pattern;

pub use bundle::export;
pub use import::{Imported, Skipped, read_indicators};
pub use indicators::pattern as indicator_pattern;

use facts::Facts;
use identities::Directory;
use ids::Ids;
use ttx_scenario::{Header, Scenario};

/// Who may see an object, before any viewer is chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Audience {
    /// Whoever may see this message (index into the exchanges).
    Exchange(usize),
    /// The holders of a case and whoever a holder told about it — in a message that hands over
    /// indicators, for `indicators`.
    Case { case: usize, indicators: bool },
    /// One state alone (its own detections).
    Holder(String),
}

/// Everything the object builders share for one run.
pub(crate) struct Ctx<'a> {
    pub scenario: &'a Scenario,
    pub header: &'a Header,
    pub facts: Facts<'a>,
    pub ids: Ids,
}

impl Ctx<'_> {
    /// The STIX timestamp of exercise time `t`.
    pub fn ts(&self, t: i64) -> String {
        ids::timestamp(self.header.start, t)
    }

    pub fn directory(&self) -> Directory<'_> {
        Directory::new(self.scenario, &self.ids)
    }
}

pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// `1d4h30m`-style exercise time.
pub(crate) fn span(t: i64) -> String {
    ttx_scenario::Span(t).to_string()
}
