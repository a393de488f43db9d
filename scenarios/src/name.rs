//! Interned ids. A run's messages name the same few hundred actors, incidents and message ids
//! thousands of times; as `String`s each mention was an allocation and a copy, the largest cost
//! left in an engine run and in the trace's readers (issue 15, docs/performance.md). A [`Name`]
//! is a pointer to text kept in a process-wide table: copying it is free, and two names are
//! equal when they are the same pointer.
//!
//! What the rest of ttx sees does not change: a name reads as its text (`Deref<Target = str>`),
//! sorts by its text (so sorted output and `BTreeMap`s keep their order), prints and serialises
//! as its text, and deserialises by interning. It hashes by a hash of its text computed once,
//! when interned, so a `HashMap<Name, _>` is looked up by `Name`, not by `&str`.
//!
//! The table keeps every distinct id it is given for the life of the process. Scenario ids and
//! message ids (`m1` … `mN`, N the most messages any run sent) are bounded, so studies and live
//! play stay flat; a fuzzer feeding random ids grows it slowly, which is accepted. It is a plain
//! locked map rather than the `ustr` crate, whose table reserves some 12 MB up front: more than
//! a whole `ttx run` needed before, for the fifty-odd names a study holds. Interning is off the
//! hot path (prepared ids, [`Name::message`]), so the lock is taken a few dozen times a run.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{LazyLock, Mutex};

/// A thin pointer (8 bytes, as an `Option` too) to the kept text: a `Message` holds seven.
#[derive(Clone, Copy)]
pub struct Name(&'static Kept);

struct Kept {
    /// FNV-1a of the text: stable, so maps keyed by names behave the same in every process.
    hash: u64,
    /// How many names the process had interned before this one.
    seq: u32,
    text: String,
}

/// Every name interned so far, by its text. Each is leaked once, when first interned.
static TABLE: LazyLock<Mutex<HashMap<&'static str, &'static Kept>>> =
    LazyLock::new(Default::default);

impl Name {
    /// Interns `text`. Each thread keeps the names it has seen, found by their text with a
    /// cheap hash, so a text takes the shared table's lock once per thread: scoring names every
    /// state, PoC and expectation of its scenario per scorecard (some 800 for a directory
    /// exercise), and a study's threads would take turns at the lock. Hot paths keep the names
    /// they need (in `Prepared`, or [`Name::message`]) instead of interning again.
    pub fn new(text: &str) -> Name {
        thread_local! {
            static SEEN: RefCell<FxHashMap<&'static str, Name>> = RefCell::default();
        }
        SEEN.with_borrow_mut(|seen| {
            if let Some(&n) = seen.get(text) {
                return n;
            }
            let n = Name::intern(text);
            seen.insert(n.as_str(), n);
            n
        })
    }

    /// One lookup in the shared table, under its lock.
    fn intern(text: &str) -> Name {
        // The map is only ever inserted into, so a panic elsewhere cannot leave it half-done.
        let mut table = TABLE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&kept) = table.get(text) {
            return Name(kept);
        }
        let hash = fnv1a(FNV_OFFSET, text.as_bytes());
        let kept: &'static Kept = Box::leak(Box::new(Kept {
            hash,
            seq: table.len() as u32,
            text: text.to_string(),
        }));
        table.insert(kept.text.as_str(), kept);
        Name(kept)
    }

    /// How many distinct names the process has interned: what the table keeps for good.
    pub fn interned() -> usize {
        TABLE.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn as_str(&self) -> &'static str {
        self.0.text.as_str()
    }

    /// The name's number: names are numbered 0, 1, 2… in the order the process first interned
    /// them, so a table keyed by names can be a `Vec` indexed by this instead of a hash map.
    /// Not stable between processes (never write it out); stable for the process's life.
    pub fn seq(self) -> usize {
        self.0.seq as usize
    }

    /// The 64-bit FNV-1a hash of the text, computed when interned: a random stream's number
    /// continues it with the stream's purpose (sim/src/rng.rs), so a draw keyed by a name
    /// hashes only the purpose.
    pub fn fnv(self) -> u64 {
        self.0.hash
    }

    /// The id of the `n`-th message sent (`m1`, `m2`, …), from a per-thread list of the ids
    /// already interned: every message of every run gets one, so this takes no lock once a
    /// thread has seen a run as long.
    pub fn message(n: usize) -> Name {
        thread_local! {
            static IDS: RefCell<Vec<Name>> = const { RefCell::new(Vec::new()) };
        }
        IDS.with_borrow_mut(|ids| {
            while ids.len() <= n {
                let mut digits = [0u8; 20];
                let at = crate::digits::decimal_before(&mut digits, 20, ids.len() as u64);
                let mut id = String::with_capacity(21 - at);
                id.push('m');
                id.extend(digits[at..].iter().map(|&d| d as char));
                ids.push(Name::new(&id));
            }
            ids[n]
        })
    }
}

/// FNV-1a's starting state, the hash of no bytes.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues the 64-bit FNV-1a hash `h` over `bytes`.
pub fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The empty name, interned once: every message starts with one until it is numbered.
impl Default for Name {
    fn default() -> Name {
        static EMPTY: LazyLock<Name> = LazyLock::new(|| Name::new(""));
        *EMPTY
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> Ordering {
        if self == other {
            Ordering::Equal
        } else {
            self.as_str().cmp(other.as_str())
        }
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Interned: the same text is the same pointer.
impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Name {}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.hash);
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<&Name> for Name {
    fn from(name: &Name) -> Name {
        *name
    }
}

impl From<&&str> for Name {
    fn from(text: &&str) -> Name {
        Name::new(text)
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::new(&text)
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.as_str().to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As its text, so a `Message`'s `Debug` reads as it did with `String` fields.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Name, E> {
                Ok(Name::new(v))
            }
        }
        d.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn names_compare_and_sort_as_their_text() {
        let (a, b) = (Name::new("valdoria"), Name::new("arcadia"));
        assert_eq!(a, Name::new(&String::from("valdoria")));
        assert_ne!(a, b);
        assert!(b < a, "sorted by text, not by where they were interned");
        assert_eq!(a, "valdoria");
        assert_eq!(format!("{a} {a:?}"), "valdoria \"valdoria\"");
    }

    /// A thread's kept names are the shared table's: the same text is the same name (equal by
    /// pointer) on every thread, first seen or not.
    #[test]
    fn every_thread_gets_the_tables_name() {
        let texts = [
            "borealia",
            "borealia/technical",
            "",
            "e1",
            "only-on-a-thread",
        ];
        let there: Vec<Name> =
            std::thread::spawn(move || texts.iter().map(|t| Name::new(t)).collect::<Vec<_>>())
                .join()
                .expect("the thread runs");
        for (text, there) in texts.iter().zip(there) {
            assert_eq!(Name::new(text), there);
            assert_eq!(Name::new(text), Name::new(text));
            assert_eq!(there.as_str(), *text);
        }
    }

    #[test]
    fn message_ids_are_m_and_the_number() {
        for n in [0, 1, 9, 10, 99, 1234] {
            assert_eq!(Name::message(n), format!("m{n}").as_str());
        }
    }

    #[test]
    fn names_serialise_as_text() {
        let n = Name::new("m12");
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"m12\"");
        assert_eq!(serde_json::from_str::<Name>(&json).unwrap(), n);
        let ron: Name = ron::from_str("\"x\"").unwrap();
        assert_eq!(ron, "x");
    }
}
