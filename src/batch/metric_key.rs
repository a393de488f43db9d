//! A metric's column name in parts. A study's rows find most columns from the parts (a chain
//! step's six cells, a ping level's rate) without writing the name: formatting and hashing
//! every key was a tenth of a batch row of the default scenario.

use std::fmt;
use ttx_scenario::PocLevel;
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
    Dyad(&'a str, &'a str),
    /// `norm:LETTER`.
    Norm(&'a str),
    /// `norm:STATE:LETTER`.
    StateNorm(&'a str, &'a str),
    /// `rating:OBJECTIVE`.
    Rating(&'a str),
    /// `score:OBJECTIVE`.
    Score(&'a str),
}

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
}
