//! A metric's column name in parts. A study's rows find most columns from the parts (a chain
//! step's six cells, a ping level's rate) without writing the name: formatting and hashing
//! every key was a tenth of a batch row of the default scenario.

use std::fmt;
use ttx_scenario::{Name, PocLevel};
use ttx_scoring::latency::Step;

/// The cells of each chain step, in column order: `lat:STEP:PART`.
pub const STEP_PARTS: [&str; 6] = [
    "n",
    "answered",
    "censored",
    "at_risk_h",
    "t50_h",
    "t50_event",
];

/// A column, as its name's parts; `Display` writes the name.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    /// A column named in full, e.g. `peak`.
    Name(&'a str),
    /// `lat:STEP:PART`, the part an index into [`STEP_PARTS`].
    Step(Step, usize),
    /// `ping:LEVEL:rate`.
    Ping(PocLevel),
    /// `peak:FROM>TO`.
    Dyad(Name, Name),
    /// `norm:LETTER`.
    Norm(Name),
    /// `norm:STATE:LETTER`.
    StateNorm(Name, Name),
    /// `rating:OBJECTIVE`.
    Rating(Name),
    /// `score:OBJECTIVE`.
    Score(Name),
}

impl Key<'_> {
    /// The parts of a key named by scenario ids, tagged by its kind, for finding its column
    /// without writing its name; `None` for the other kinds.
    pub fn parts(&self) -> Option<Parts> {
        let empty = Name::default();
        Some(match *self {
            Key::Dyad(from, to) => (0, from, to),
            Key::Norm(letter) => (1, letter, empty),
            Key::StateNorm(state, letter) => (2, state, letter),
            Key::Rating(id) => (3, id, empty),
            Key::Score(id) => (4, id, empty),
            Key::Name(_) | Key::Step(..) | Key::Ping(_) => return None,
        })
    }

    /// The key whose name is `column`, when it is one of those [`Key::parts`] tags. Column
    /// names are read back as they are written; an id holding `>` or `:` may read back as
    /// other parts, and its key is then found by its written name instead.
    pub fn parse_parts(column: &str) -> Option<Parts> {
        let n = Name::new;
        let key = if let Some(dyad) = column.strip_prefix("peak:") {
            let (from, to) = dyad.split_once('>')?;
            Key::Dyad(n(from), n(to))
        } else if let Some(norm) = column.strip_prefix("norm:") {
            match norm.rsplit_once(':') {
                Some((state, letter)) => Key::StateNorm(n(state), n(letter)),
                None => Key::Norm(n(norm)),
            }
        } else if let Some(id) = column.strip_prefix("rating:") {
            Key::Rating(n(id))
        } else {
            Key::Score(n(column.strip_prefix("score:")?))
        };
        key.parts()
    }
}

/// A key's kind and the names in it (see [`Key::parts`]).
pub type Parts = (u8, Name, Name);

impl fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match *self {
            Key::Name(n) => f.write_str(n),
            Key::Step(s, part) => write!(f, "lat:{}:{}", step_key(s), STEP_PARTS[part]),
            Key::Ping(l) => write!(f, "ping:{}:rate", l.as_str()),
            Key::Dyad(from, to) => write!(f, "peak:{from}>{to}"),
            Key::Norm(letter) => write!(f, "norm:{letter}"),
            Key::StateNorm(state, letter) => write!(f, "norm:{state}:{letter}"),
            Key::Rating(id) => write!(f, "rating:{id}"),
            Key::Score(id) => write!(f, "score:{id}"),
        }
    }
}

/// A step's name in column keys: its serde name, spelled out because every row needs all
/// eleven and serialising each through `serde_json` cost more than the rest of the latency cells
/// (the test below holds the two together).
pub fn step_key(s: Step) -> &'static str {
    match s {
        Step::StartToDetect => "start_to_detect",
        Step::DetectToNotify => "detect_to_notify",
        Step::NotifyToAcknowledge => "notify_to_acknowledge",
        Step::AcknowledgeToMitigate => "acknowledge_to_mitigate",
        Step::RequestToAcknowledge => "request_to_acknowledge",
        Step::RequestToAnswer => "request_to_answer",
        Step::OfferToDeliver => "offer_to_deliver",
        Step::PingToReply => "ping_to_reply",
        Step::RequestToClarification => "request_to_clarification",
        Step::RequestToLegalReply => "request_to_legal_reply",
        Step::RequestToInformation => "request_to_information",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_keys_are_the_serde_names() {
        for s in Step::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), step_key(s));
        }
    }

    /// A column found by its key's names is the column its written name is.
    #[test]
    fn parts_read_back_from_the_written_name() {
        let n = Name::new;
        let keys = [
            Key::Dyad(n("aurelia"), n("borealia")),
            Key::Norm(n("c")),
            Key::StateNorm(n("viet-nam"), n("k")),
            Key::Rating(n("obj-1")),
            Key::Score(n("obj-1")),
        ];
        for key in keys {
            assert_eq!(Key::parse_parts(&key.to_string()), key.parts(), "{key}");
        }
        for other in [Key::Name("peak"), Key::Ping(PocLevel::Technical)] {
            assert_eq!(other.parts(), None);
            assert_eq!(Key::parse_parts(&other.to_string()), None, "{other}");
        }
        // An id holding the separator reads back as other parts: found by name instead.
        let odd = Key::Dyad(n("a>b"), n("c"));
        assert_ne!(Key::parse_parts(&odd.to_string()), odd.parts());
    }
}
