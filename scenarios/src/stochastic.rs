//! Injects that fire at random, for Monte Carlo studies of "what if incidents arrive at random?":
//! an inject's instant may be drawn from a window (`at: Uniform("T+1h", "T+6h")`), an inject may
//! repeat (`repeat: Repeat(every: "12h", times: 4)`), and an incident stream is a Poisson process
//! of incidents (`streams: [IncidentStream(id: "phishing", rate: "3/d", …)]`) with an optional
//! time-of-day and weekday profile, each incident hitting a target drawn from a list or a sector
//! and launched by an actor drawn from a list. Every draw is keyed by a stable id (the inject's,
//! the stream's, `STREAM-K` for its K-th incident), so common random numbers still hold.

use crate::actors::Sector;
use crate::injects::Technique;
use crate::time::{At, Span};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// When an inject fires: an instant, or an instant drawn per run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum InjectAt {
    Fixed(At),
    Random(RandomAt),
}

/// An instant drawn anew in every run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RandomAt {
    /// Uniformly between two instants (inclusive).
    Uniform(At, At),
}

/// What an inject's `at` holds before its instants are read, so that a bad instant gets the
/// instant's own message rather than serde's "did not match any variant".
#[derive(Deserialize)]
#[serde(untagged)]
enum RawAt {
    Text(String),
    Window(RawWindow),
}

#[derive(Deserialize)]
enum RawWindow {
    Uniform(String, String),
}

impl<'de> Deserialize<'de> for InjectAt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let raw = RawAt::deserialize(d).map_err(|_| {
            D::Error::custom(
                "expected an instant such as \"T+1h\", or a window such as Uniform(\"T+1h\", \"T+6h\")",
            )
        })?;
        match raw {
            RawAt::Text(t) => At::parse(&t).map(InjectAt::Fixed).map_err(D::Error::custom),
            RawAt::Window(RawWindow::Uniform(a, b)) => Ok(InjectAt::Random(RandomAt::Uniform(
                At::parse(&a).map_err(D::Error::custom)?,
                At::parse(&b).map_err(D::Error::custom)?,
            ))),
        }
    }
}

impl InjectAt {
    /// The instant, when it is not drawn at random.
    pub fn fixed(&self) -> Option<At> {
        match self {
            InjectAt::Fixed(a) => Some(*a),
            InjectAt::Random(_) => None,
        }
    }

    pub fn earliest(&self) -> At {
        match self {
            InjectAt::Fixed(a) | InjectAt::Random(RandomAt::Uniform(a, _)) => *a,
        }
    }

    pub fn latest(&self) -> At {
        match self {
            InjectAt::Fixed(a) | InjectAt::Random(RandomAt::Uniform(_, a)) => *a,
        }
    }
}

impl From<At> for InjectAt {
    fn from(a: At) -> InjectAt {
        InjectAt::Fixed(a)
    }
}

impl fmt::Display for InjectAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InjectAt::Fixed(a) => write!(f, "{a}"),
            InjectAt::Random(RandomAt::Uniform(a, b)) => write!(f, "Uniform({a}, {b})"),
        }
    }
}

/// An inject that fires again: `times` firings in all, `every` apart (each repetition's instant
/// drawn anew when the inject's `at` is random). A repeated incident's K-th firing (K ≥ 2) is
/// incident `ID-K`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    pub every: Span,
    pub times: u32,
}

/// Mean arrivals per unit of time, written `"3/d"`, `"0.5/h"`, `"10/w"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    /// Arrivals per second.
    pub per_second: f64,
    text_unit: char,
    count: f64,
}

impl Rate {
    pub fn parse(text: &str) -> Result<Rate, String> {
        let err =
            || format!("expected a rate such as \"3/d\", \"0.5/h\" or \"10/w\", found \"{text}\"");
        let (n, unit) = text.trim().split_once('/').ok_or_else(err)?;
        let count: f64 = n.trim().parse().map_err(|_| err())?;
        let unit = unit.trim();
        let secs = match unit {
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            "w" => 604_800.0,
            _ => return Err(err()),
        };
        if !(count.is_finite() && count >= 0.0) {
            return Err(err());
        }
        Ok(Rate {
            per_second: count / secs,
            text_unit: unit.chars().next().unwrap_or('d'),
            count,
        })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.count, self.text_unit)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Rate::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn malicious_code() -> String {
    "malicious-code".into()
}
fn default_severity() -> u8 {
    3
}

/// A Poisson process of incidents. `rate` is the mean over the exercise's hours; a profile of
/// relative weights by hour of day (24) and by weekday (7, Monday first), in the local time of
/// `state` when given and UTC otherwise, shapes when they come (a weight of 0: never then).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentStream {
    /// Stable id; its incidents are `ID-1`, `ID-2`, … in order of arrival.
    pub id: String,
    pub rate: Rate,
    /// When arrivals may start (default T+0) and end (default: the end of the exercise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<At>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<At>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hours: Vec<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekdays: Vec<f64>,
    /// Targets drawn uniformly: these infrastructure ids, or every infrastructure of `sector`
    /// (of `state`, when given).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<Sector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Threat actors drawn uniformly for each incident.
    pub actors: Vec<String>,
    #[serde(default)]
    pub technique: Technique,
    #[serde(default = "malicious_code")]
    pub rsit: String,
    #[serde(default = "default_severity")]
    pub severity: u8,
}

impl IncidentStream {
    /// The infrastructure ids a stream's incidents may hit, in scenario order.
    pub fn target_pool(&self, sc: &crate::Scenario) -> Vec<String> {
        if !self.targets.is_empty() {
            return self.targets.clone();
        }
        sc.infrastructure
            .iter()
            .filter(|i| Some(i.sector) == self.sector)
            .filter(|i| self.state.as_ref().is_none_or(|s| *s == i.state))
            .map(|i| i.id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Holder {
        at: Option<InjectAt>,
    }

    #[test]
    fn an_instant_or_a_window_reads_and_writes_back() {
        let fixed: Holder = ron::from_str("#![enable(implicit_some)]\n(at: \"T+1h\")").unwrap();
        assert_eq!(fixed.at.unwrap().fixed(), Some(At::parse("T+1h").unwrap()));
        let w: Holder =
            ron::from_str("#![enable(implicit_some)]\n(at: Uniform(\"T+1h\", \"T+6h\"))").unwrap();
        let at = w.at.unwrap();
        assert_eq!((at.earliest().secs(), at.latest().secs()), (3600, 21_600));
        let json = serde_json::to_string(&w).unwrap();
        assert_eq!(json, r#"{"at":{"Uniform":["T+1h","T+6h"]}}"#);
        assert_eq!(serde_json::from_str::<Holder>(&json).unwrap(), w);
        assert_eq!(serde_json::to_string(&fixed).unwrap(), r#"{"at":"T+1h"}"#);
    }

    #[test]
    fn rates_read_as_written() {
        let r = Rate::parse("3/d").unwrap();
        assert!((r.per_second * 86_400.0 - 3.0).abs() < 1e-12);
        assert_eq!(r.to_string(), "3/d");
        assert!(Rate::parse("3 per day").is_err());
        assert!(Rate::parse("-1/h").is_err());
    }
}
