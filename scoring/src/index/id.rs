//! How the index is asked about an id.

use ttx_scenario::Name;

/// What the index is asked about: an id as the trace's [`Name`], or as text. The index is keyed
/// by names, which hash as one number kept when interned and compare as pointers, where keyed by
/// text it hashed and compared every id of every message it filed, a third of building it for a
/// directory exercise. A text is named first (`Name::new`, a lookup in the thread's names).
pub trait Id: Copy {
    fn name(self) -> Name;
    /// Whether this is `name`, without naming a text.
    fn is(self, name: Name) -> bool;
}

impl Id for Name {
    fn name(self) -> Name {
        self
    }
    fn is(self, name: Name) -> bool {
        self == name
    }
}

impl Id for &Name {
    fn name(self) -> Name {
        *self
    }
    fn is(self, name: Name) -> bool {
        *self == name
    }
}

impl Id for &str {
    fn name(self) -> Name {
        Name::new(self)
    }
    fn is(self, name: Name) -> bool {
        name == self
    }
}

impl Id for &String {
    fn name(self) -> Name {
        Name::new(self)
    }
    fn is(self, name: Name) -> bool {
        name == self.as_str()
    }
}
