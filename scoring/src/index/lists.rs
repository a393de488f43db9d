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
    /// that each list stays in trace order. Inlined: the call was a third of a push.
    #[inline(always)]
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

/// [`Lists`] under keys that are already small dense numbers (interned names): the ends are
/// found by indexing, with no hashing and no string comparison per message.
pub(super) struct DenseLists {
    /// First and last position of each key's list; `(NONE, NONE)` for a key with none.
    ends: Vec<(u32, u32)>,
    next: Vec<u32>,
}

impl DenseLists {
    pub fn with_capacity(n: usize) -> DenseLists {
        DenseLists {
            ends: Vec::new(),
            next: vec![NONE; n],
        }
    }

    /// Appends position `i` under key `k`; as [`Lists::push`], positions come in order.
    #[inline(always)]
    pub fn push(&mut self, k: u32, i: usize) {
        if self.next.len() <= i {
            self.next.resize(i + 1, NONE);
        }
        let k = k as usize;
        if self.ends.len() <= k {
            self.ends.resize(k + 1, (NONE, NONE));
        }
        let i = i as u32;
        let end = &mut self.ends[k];
        if end.0 == NONE {
            *end = (i, i);
        } else {
            debug_assert!(end.1 < i, "positions are pushed in order, once");
            self.next[end.1 as usize] = i;
            end.1 = i;
        }
    }

    /// The positions under `k` (none for `None`, a name never seen), in push order.
    pub fn get(&self, k: Option<u32>) -> Iter<'_> {
        let at = k
            .and_then(|k| self.ends.get(k as usize))
            .map_or(NONE, |e| e.0);
        Iter {
            next: &self.next,
            at,
        }
    }
}

pub(super) struct Iter<'l> {
    next: &'l [u32],
    at: u32,
}

impl Iter<'_> {
    /// The positions of a key never pushed.
    pub fn empty() -> Iter<'static> {
        Iter {
            next: &[],
            at: NONE,
        }
    }
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
    use super::{DenseLists, Lists};

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

    #[test]
    fn dense_lists_keep_push_order_per_key() {
        let mut l = DenseLists::with_capacity(2);
        for (i, k) in [0, 3, 0, 1, 0, 3].into_iter().enumerate() {
            l.push(k, i);
        }
        assert_eq!(l.get(Some(0)).collect::<Vec<_>>(), [0, 2, 4]);
        assert_eq!(l.get(Some(3)).collect::<Vec<_>>(), [1, 5]);
        assert_eq!(l.get(Some(1)).collect::<Vec<_>>(), [3]);
        assert_eq!(l.get(Some(2)).count(), 0);
        assert_eq!(l.get(Some(9)).count(), 0);
        assert_eq!(l.get(None).count(), 0);
    }
}
