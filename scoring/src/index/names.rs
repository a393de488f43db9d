//! The index's tables keyed by name, as `Vec`s indexed by [`Name::seq`]: filing a message looked
//! up or inserted its id, sender, receiver and subject in hash maps, and its deliveries and
//! answers looked up its id again. A table is as long as the highest number among the trace's
//! names: at most the process's count of names, a few thousand in a study (ids are interned
//! once per process and reused by every run). A name the table has not seen reads as absent.

use ttx_scenario::Name;

/// What the trace says about one name, each `+ 1` so that zero is "none".
#[derive(Clone, Copy, Default)]
struct Slot {
    /// Its number among the trace's parties and subjects.
    number: u32,
    /// The position of the first message with this id.
    msg: u32,
}

#[derive(Default)]
pub(super) struct Names {
    slots: Vec<Slot>,
    count: u32,
}

impl Names {
    #[inline]
    fn slot_mut(&mut self, name: Name) -> &mut Slot {
        let seq = name.seq();
        if self.slots.len() <= seq {
            // Amortised: names are met in roughly the order they were interned.
            self.slots.resize(seq + 1, Slot::default());
        }
        &mut self.slots[seq]
    }

    #[inline]
    fn slot(&self, name: Name) -> Slot {
        self.slots.get(name.seq()).copied().unwrap_or_default()
    }

    /// `name`'s number among parties and subjects, numbered densely from 0 as first met.
    #[inline]
    pub fn intern(&mut self, name: Name) -> u32 {
        let next = self.count + 1;
        let slot = self.slot_mut(name);
        if slot.number == 0 {
            slot.number = next;
        }
        let number = slot.number;
        if number == next {
            self.count = next;
        }
        number - 1
    }

    /// The number [`intern`](Names::intern) gave `name`, if any.
    #[inline]
    pub fn number(&self, name: Name) -> Option<u32> {
        self.slot(name).number.checked_sub(1)
    }

    /// Files message position `i` under its id `name`, unless a message with that id came
    /// first; the position filed.
    #[inline]
    pub fn file_msg(&mut self, name: Name, i: usize) -> usize {
        let slot = self.slot_mut(name);
        if slot.msg == 0 {
            slot.msg = i as u32 + 1;
        }
        slot.msg as usize - 1
    }

    /// The position of the first message with id `name`.
    #[inline]
    pub fn msg(&self, name: Name) -> Option<usize> {
        self.slot(name).msg.checked_sub(1).map(|i| i as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::Names;
    use ttx_scenario::Name;

    #[test]
    fn numbers_are_dense_and_first_message_wins() {
        let mut t = Names::default();
        let (a, b) = (Name::new("names-test-a"), Name::new("names-test-b"));
        assert_eq!(t.number(a), None);
        assert_eq!(t.intern(b), 0);
        assert_eq!(t.intern(a), 1);
        assert_eq!(t.intern(b), 0);
        assert_eq!((t.number(a), t.number(b)), (Some(1), Some(0)));
        assert_eq!(t.msg(a), None);
        assert_eq!(t.file_msg(a, 7), 7);
        assert_eq!(t.file_msg(a, 9), 7);
        assert_eq!(t.msg(a), Some(7));
        assert_eq!(t.number(Name::new("names-test-never-filed")), None);
    }
}
