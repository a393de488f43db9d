//! A monotone priority queue for event times (a radix heap): items by a whole-second time that
//! never goes back, first-in first-out among items of one time.
//!
//! A binary heap spent some 190 instructions per pop on a directory exercise's few hundred
//! waiting events, a tenth of a run. Here an item sits in the bucket of the highest hex digit in
//! which its time differs from the last time taken out, and of its value there; taking out the
//! earliest time moves only the items of the first non-empty bucket, each to a lower one, so an
//! item moves a few times at most (at most once per digit: five for a delay of a day; by bits
//! instead of digits it was up to seventeen). Items of one time always share a bucket and keep
//! their order in it, so the order out is (time, order in) exactly, as the binary heap's (time,
//! sequence number) was.
//!
//! The `radix-heap` crate has the structure but not the contract: it pops equal keys last in
//! first out, and moves its floor when asked for the next key — after which an event scheduled
//! before that key (a live action, while the clock waits between events) could not be pushed.

/// Items of type `V` by time, earliest first.
pub struct RadixQueue<V> {
    /// The time last taken out (or the start): every item's time is at or after it.
    floor: u64,
    /// `buckets[b]` holds the items of bucket `b` (see `bucket`); `buckets[0]` those at
    /// `floor`, read from `head` on.
    buckets: Vec<Vec<(u64, V)>>,
    /// Bit `b - 1` set when `buckets[b]` (b ≥ 1) holds items: the first is found by a few
    /// instructions instead of a look at each bucket.
    full: [u64; 4],
    head: usize,
    len: usize,
}

impl<V> Default for RadixQueue<V> {
    fn default() -> Self {
        RadixQueue::new()
    }
}

impl<V> RadixQueue<V> {
    /// An empty queue. It allocates nothing until the first push, so that an empty one costs
    /// nothing to make (the engine swaps one in while it empties the last run's for reuse).
    pub fn new() -> RadixQueue<V> {
        RadixQueue {
            floor: 0,
            buckets: Vec::new(),
            full: [0; 4],
            head: 0,
            len: 0,
        }
    }

    /// Empties the queue, keeping its room, for the next run.
    pub fn clear(&mut self) {
        // Only the buckets marked as holding items, and the front one, can hold any.
        if let Some(front) = self.buckets.first_mut() {
            front.clear();
        }
        for (w, mut bits) in self.full.into_iter().enumerate() {
            while bits != 0 {
                self.buckets[64 * w + bits.trailing_zeros() as usize + 1].clear();
                bits &= bits - 1;
            }
        }
        self.floor = 0;
        self.full = [0; 4];
        self.head = 0;
        self.len = 0;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// 0 for `floor` itself; otherwise 1 + 16 × (the highest hex digit in which `t` differs
    /// from `floor`) + (that digit of `t`): buckets in this order hold ever later times.
    fn bucket(&self, t: u64) -> usize {
        let x = t ^ self.floor;
        if x == 0 {
            return 0;
        }
        let digit = (63 - x.leading_zeros()) / 4;
        1 + 16 * digit as usize + ((t >> (4 * digit)) & 15) as usize
    }

    fn set(&mut self, b: usize) {
        let i = b - 1;
        self.full[i / 64] |= 1 << (i % 64);
    }

    fn unset(&mut self, b: usize) {
        let i = b - 1;
        self.full[i / 64] &= !(1 << (i % 64));
    }

    /// Adds `value` at time `t`, after every item already at `t`.
    ///
    /// # Panics
    /// If `t` is before the last time taken out: time never goes back.
    #[inline]
    pub fn push(&mut self, t: u64, value: V) {
        assert!(
            t >= self.floor,
            "an item at {t} after {} was taken out",
            self.floor
        );
        if self.buckets.is_empty() {
            self.buckets = (0..=256).map(|_| Vec::new()).collect();
        }
        let b = self.bucket(t);
        self.buckets[b].push((t, value));
        if b != 0 {
            self.set(b);
        }
        self.len += 1;
    }

    /// The first non-empty bucket above 0, and its earliest time.
    fn lowest(&self) -> Option<(usize, u64)> {
        let (w, bits) = self.full.iter().enumerate().find(|(_, w)| **w != 0)?;
        let b = 64 * w + bits.trailing_zeros() as usize + 1;
        Some((b, self.buckets[b].iter().map(|&(t, _)| t).min()?))
    }

    /// The earliest time waiting.
    pub fn peek(&self) -> Option<u64> {
        if self.is_empty() {
            return None;
        }
        if self.head < self.buckets[0].len() {
            return Some(self.floor);
        }
        self.lowest().map(|(_, t)| t)
    }

    /// The earliest time waiting, if it is not after `limit`; the items at that time are then
    /// made ready for [`RadixQueue::pop_at`] (nothing can be pushed before it afterwards).
    pub fn next_by(&mut self, limit: u64) -> Option<u64> {
        if self.is_empty() {
            return None;
        }
        if self.head < self.buckets[0].len() {
            return (self.floor <= limit).then_some(self.floor);
        }
        let (b, t) = self.lowest()?;
        if t > limit {
            return None;
        }
        self.buckets[0].clear();
        self.head = 0;
        self.floor = t;
        if self.buckets[b].len() == 1 {
            // Alone in its bucket (a quiet stretch of a small scenario): straight to the front.
            let item = self.buckets[b].pop().expect("one item");
            self.unset(b);
            self.buckets[0].push(item);
            return Some(t);
        }
        // Every item moves to a lower bucket, which is empty: order within a time is kept.
        let mut moving = std::mem::take(&mut self.buckets[b]);
        self.unset(b);
        for (t, v) in moving.drain(..) {
            let to = self.bucket(t);
            self.buckets[to].push((t, v));
            if to != 0 {
                self.set(to);
            }
        }
        self.buckets[b] = moving;
        Some(t)
    }

    /// The next item at time `t`, which [`RadixQueue::next_by`] returned, in the order they
    /// were pushed.
    #[inline]
    pub fn pop_at(&mut self, t: u64) -> Option<V>
    where
        V: Copy,
    {
        if self.floor != t {
            return None;
        }
        let &(_, v) = self.buckets.first()?.get(self.head)?;
        self.head += 1;
        self.len -= 1;
        Some(v)
    }

    /// Every item with its time, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &V)> {
        let ready = self
            .buckets
            .first()
            .map_or(&[][..], |b| &b[self.head..])
            .iter();
        let rest = self.buckets.iter().skip(1).flatten();
        ready.chain(rest).map(|(t, v)| (*t, v))
    }
}

#[cfg(test)]
mod tests {
    use super::RadixQueue;
    use proptest::prelude::*;
    use std::collections::BinaryHeap;

    proptest! {
        /// The queue gives what a binary heap ordered by (time, order in) gives, whatever is
        /// pushed while it is drained, as long as nothing is pushed before the time taken out.
        #[test]
        fn same_order_as_a_heap_of_time_and_sequence(
            steps in proptest::collection::vec((0u64..5_000, 0usize..4), 1..300),
        ) {
            let mut q = RadixQueue::new();
            let mut heap = BinaryHeap::new();
            let (mut seq, mut now) = (0u32, 0u64);
            for (delay, pushes) in steps {
                for k in 0..=pushes {
                    let t = now + delay * k as u64 / 2;
                    q.push(t, seq);
                    heap.push(std::cmp::Reverse((t, seq)));
                    seq += 1;
                }
                // Take out one time's items, sometimes only peeking past a limit.
                let Some(t) = q.peek() else { continue };
                prop_assert_eq!(Some(t), heap.peek().map(|r| r.0.0));
                if delay % 3 == 0 && t > 0 {
                    prop_assert_eq!(q.next_by(t - 1), None);
                    continue;
                }
                prop_assert_eq!(q.next_by(t), Some(t));
                now = t;
                while let Some(v) = q.pop_at(t) {
                    let std::cmp::Reverse((ht, hv)) = heap.pop().unwrap();
                    prop_assert_eq!((t, v), (ht, hv));
                }
                prop_assert!(heap.peek().is_none_or(|r| r.0.0 > t));
                prop_assert_eq!(q.len(), heap.len());
            }
        }
    }

    #[test]
    fn a_time_waits_until_asked_for_by_its_limit() {
        let mut q = RadixQueue::new();
        q.push(10, 'a');
        q.push(4, 'b');
        assert_eq!(q.next_by(3), None);
        // Not yet taken out: a push before it is still allowed.
        q.push(2, 'c');
        assert_eq!(q.next_by(10), Some(2));
        assert_eq!(q.pop_at(2), Some('c'));
        assert_eq!(q.pop_at(2), None);
        assert_eq!(q.next_by(10), Some(4));
        assert_eq!(q.pop_at(4), Some('b'));
        assert_eq!(q.iter().collect::<Vec<_>>(), [(10, &'a')]);
        // Emptied for another run: what was left goes, and time starts over.
        q.clear();
        q.push(1, 'd');
        assert_eq!(q.next_by(100), Some(1));
        assert_eq!(q.pop_at(1), Some('d'));
        assert_eq!(q.next_by(100), None);
        assert!(q.is_empty());
    }
}
