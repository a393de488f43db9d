//! Deterministic identifiers and timestamps, so that the same run always gives the same bundle
//! bytes: ids are name-based UUIDs (the UUIDv5 construction, SHA-1 over ttx's namespace and a
//! name) from the scenario hash, the seed and the trace record an object comes from; timestamps
//! are exercise time (T+0 + t), never the clock.
//!
//! STIX 2.1 (§2.9) says domain, relationship and meta objects SHOULD carry UUIDv4 ids, and
//! `stix2_validator --strict` enforces it (check `uuid-check`). So the 122 name-derived bits are
//! stamped as version 4: still a pure function of the name, and what the standard asks for.

use ttx_scenario::{Header, Record, Timestamp, UtcOffset};
use uuid::{Builder, Uuid};

/// ttx's namespace for name-based STIX ids (a fixed, randomly chosen UUID).
const NAMESPACE: Uuid = Uuid::from_u128(0x6f0c_2c1e_9a4b_4d57_8e21_3b7d_5a90_c4e8);

/// Makes the ids of one run's objects.
pub struct Ids {
    scenario_hash: String,
    seed: u64,
}

impl Ids {
    pub fn new(header: &Header) -> Ids {
        Ids {
            scenario_hash: header.scenario_hash.clone(),
            seed: header.seed,
        }
    }

    /// An object that belongs to the scenario rather than the run (the identities of its
    /// actors): the same in every run of the scenario, so platforms merge them.
    pub fn scenario_object(&self, kind: &str, key: &str) -> String {
        make(kind, &format!("{}/{kind}/{key}", self.scenario_hash))
    }

    /// An object that comes from trace record `record` (its number and content), under `key` when
    /// one record gives several objects.
    pub fn record_object(&self, kind: &str, record: &Record, key: &str) -> String {
        let json = serde_json::to_string(record).expect("trace records serialise");
        make(
            kind,
            &format!(
                "{}/{}/{kind}/{}/{json}/{key}",
                self.scenario_hash, self.seed, record.n
            ),
        )
    }

    /// An object of the run not tied to one record (the per-recipient containers).
    pub fn run_object(&self, kind: &str, key: &str) -> String {
        make(
            kind,
            &format!("{}/{}/{kind}/{key}", self.scenario_hash, self.seed),
        )
    }
}

fn make(kind: &str, name: &str) -> String {
    let v5 = Uuid::new_v5(&NAMESPACE, name.as_bytes());
    let v4 = Builder::from_random_bytes(*v5.as_bytes()).into_uuid();
    format!("{kind}--{v4}")
}

/// A STIX timestamp (UTC, millisecond precision) for exercise time `t` seconds after `start`.
pub fn timestamp(start: Timestamp, t: i64) -> String {
    let (y, m, d, h, mi, s, _) = start.plus(t).fields(UtcOffset(0));
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_4_and_a_function_of_their_name() {
        let a = make("report", "x");
        assert_eq!(a, make("report", "x"));
        assert_ne!(a, make("report", "y"));
        let u = Uuid::parse_str(a.strip_prefix("report--").unwrap()).unwrap();
        assert_eq!(u.get_version_num(), 4);
    }

    #[test]
    fn timestamps_have_milliseconds() {
        let start = Timestamp::parse("2026-03-06T16:00:00Z").unwrap();
        assert_eq!(timestamp(start, 3600 + 61), "2026-03-06T17:01:01.000Z");
    }
}
