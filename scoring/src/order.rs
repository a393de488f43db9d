//! The order scorecard maps are written in. Their keys are state ids and `BTreeMap`s sort them;
//! building a map from entries already in key order lets `collect` keep them as they come instead
//! of shuffling large values through a sort and a B-tree's splits.

use std::cmp::Ordering;
use ttx_scenario::Name;

/// The first eight bytes of `s`, zero-padded, as a big-endian number: ordered as the strings
/// are, except where it ties. Sorting ids by it first spares most comparisons a call to `memcmp`,
/// which cost more than the rest of a sort of 193 state ids.
pub(crate) fn prefix(s: &str) -> u64 {
    let b = s.as_bytes();
    (0..8).fold(0, |k, i| k << 8 | u64::from(b.get(i).copied().unwrap_or(0)))
}

/// Orders `(prefix(a), a)` against `(prefix(b), b)`: the strings' own order.
pub(crate) fn by_prefix(a: (u64, &str), b: (u64, &str)) -> Ordering {
    a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1))
}

/// The positions of `names` (the scenario's state ids, in scenario order) sorted by id. Of two
/// states with one id the later stays later, so it wins in a map collected from them, as it did
/// when the maps were built in scenario order.
pub(crate) fn by_id(names: &[Name]) -> Vec<usize> {
    let mut keyed: Vec<(u64, usize, Name)> = names
        .iter()
        .enumerate()
        .map(|(i, &name)| (prefix(&name), i, name))
        .collect();
    keyed.sort_unstable_by(|a, b| by_prefix((a.0, &a.2), (b.0, &b.2)).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::{by_prefix, prefix};

    #[test]
    fn prefix_order_is_string_order() {
        let words = [
            "",
            "a",
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefghi",
            "abcdefgi",
            "b",
            "saint-kitts",
            "saint-lucia",
            "z\u{e9}",
            "zz",
            "\u{e9}",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    by_prefix((prefix(a), a), (prefix(b), b)),
                    a.cmp(b),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
