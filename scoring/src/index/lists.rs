//! Lists of message positions by key, threaded through one `next` array. Every list a message
//! joins is under a different key kind (its sender, its receiver, what it answers…), so each kind
//! needs one array for the whole trace instead of a `Vec` per key: in a directory exercise of
//! 193 states that was an allocation per state and one per (ping, state), about a third of the
//! index's cost.

use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::collections::hash_map::Entry;
use std::hash::Hash;

const NONE: u32 = u32::MAX;

pub(super) struct Lists<K> {
    /// First and last position of each key's list.
    ends: FxHashMap<K, (u32, u32)>,
    /// The position after each one in its list.
    next: Vec<u32>,
}

impl<K: Hash + Eq> Lists<K> {
    /// Lists for `n` positions, sized once: grown push by push, the arrays and maps of one
    /// directory exercise were copied a dozen times over.
    pub fn with_capacity(n: usize) -> Lists<K> {
        Lists {
            ends: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            next: vec![NONE; n],
        }
    }

    /// Appends position `i`, which must be past every position pushed under `k` so far, so
    /// that each list stays in trace order.
    pub fn push(&mut self, k: K, i: usize) {
        if self.next.len() <= i {
            self.next.resize(i + 1, NONE);
        }
        let i = i as u32;
        match self.ends.entry(k) {
            Entry::Occupied(mut e) => {
                let last = &mut e.get_mut().1;
                debug_assert!(*last < i, "positions are pushed in order, once");
                self.next[*last as usize] = i;
                *last = i;
            }
            Entry::Vacant(e) => {
                e.insert((i, i));
            }
        }
    }

    /// The positions under `k`, in the order they were pushed.
    pub fn get<Q>(&self, k: &Q) -> Iter<'_>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        Iter {
            next: &self.next,
            at: self.ends.get(k).map_or(NONE, |e| e.0),
        }
    }
}

pub(super) struct Iter<'l> {
    next: &'l [u32],
    at: u32,
}

impl Iterator for Iter<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.at == NONE {
            return None;
        }
        let i = self.at as usize;
        self.at = self.next[i];
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::Lists;

    #[test]
    fn lists_keep_push_order_per_key() {
        let mut l: Lists<&str> = Lists::with_capacity(2);
        for (i, k) in ["a", "b", "a", "c", "a", "b"].into_iter().enumerate() {
            l.push(k, i);
        }
        assert_eq!(l.get("a").collect::<Vec<_>>(), [0, 2, 4]);
        assert_eq!(l.get("b").collect::<Vec<_>>(), [1, 5]);
        assert_eq!(l.get("c").collect::<Vec<_>>(), [3]);
        assert_eq!(l.get("d").count(), 0);
    }
}
