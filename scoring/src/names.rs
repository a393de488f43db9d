//! Scenario ids as [`Name`]s. A scorecard names every state, PoC, expectation and
//! infrastructure of its scenario, whose ids are `String`s: [`Name::new`] takes the shared
//! table's lock and hashes with SipHash, which for a directory exercise's 193 states and 386
//! PoCs cost more per score than the `String`s did, and a study's threads would take turns at
//! that lock. Each thread keeps the names it has seen, found by their text with a cheap hash, so
//! an id takes the lock once per thread; the table keeps every id for good anyway, and these
//! are bounded by the scenarios scored.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use ttx_scenario::Name;

/// `Name::new(text)`, from this thread's names when it has seen `text` before.
pub(crate) fn name(text: &str) -> Name {
    thread_local! {
        static SEEN: RefCell<FxHashMap<&'static str, Name>> = RefCell::default();
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(&n) = seen.get(text) {
            return n;
        }
        let n = Name::new(text);
        seen.insert(n.as_str(), n);
        n
    })
}

#[cfg(test)]
mod tests {
    use super::name;
    use ttx_scenario::Name;

    #[test]
    fn the_same_name_as_the_table_gives() {
        for text in ["borealia", "borealia/technical", "", "e1"] {
            assert_eq!(name(text), Name::new(text));
            assert_eq!(name(text), name(text));
        }
    }
}
