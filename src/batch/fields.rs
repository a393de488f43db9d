//! A row of a study as the summaries read it (`summarise.rs`): each field as its text in
//! `runs.csv` means it, whether the row comes from the file or from the cells about to be
//! written to it, so that the two give the same summaries.

use super::table::{Cell, round};
use std::borrow::Cow;

/// What a field of a row means, as read from its text in `runs.csv`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// An empty field: the metric did not apply.
    Empty,
    Num(f64),
    Text(&'a str),
}

impl Value<'_> {
    pub fn of_text(raw: &str) -> Value<'_> {
        if raw.is_empty() {
            Value::Empty
        } else if let Ok(x) = raw.parse::<f64>() {
            Value::Num(x)
        } else {
            Value::Text(raw)
        }
    }

    pub fn num(self) -> Option<f64> {
        match self {
            Value::Num(x) => Some(x),
            _ => None,
        }
    }
}

/// A row as the summaries read it. A field past the row's end reads as empty.
pub trait Fields {
    fn value(&self, col: usize) -> Value<'_>;
    fn text(&self, col: usize) -> Cow<'_, str>;
}

impl Fields for csv::StringRecord {
    fn value(&self, col: usize) -> Value<'_> {
        Value::of_text(self.get(col).unwrap_or(""))
    }
    fn text(&self, col: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.get(col).unwrap_or(""))
    }
}

/// A row's cells mean what their text in `runs.csv` (`table::csv_line`) reads back as: a
/// number is written rounded, in the shortest form that parses back to the same `f64`.
impl Fields for [Cell] {
    fn value(&self, col: usize) -> Value<'_> {
        match self.get(col) {
            None | Some(Cell::Empty) => Value::Empty,
            Some(Cell::Int(v)) => Value::Num(*v as f64),
            Some(Cell::UInt(v)) => Value::Num(*v as f64),
            Some(Cell::Num(v)) => Value::Num(round(*v)),
            Some(Cell::Text(t)) => Value::of_text(t),
        }
    }
    fn text(&self, col: usize) -> Cow<'_, str> {
        match self.get(col) {
            Some(Cell::Text(t)) => Cow::Borrowed(t),
            Some(c) => Cow::Owned(c.text()),
            None => Cow::Borrowed(""),
        }
    }
}
