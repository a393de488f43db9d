//! One tidy row per run: the cells, their text form, and reading rows back. Numbers are written in
//! Rust's shortest round-trip form, so the same values always give the same bytes.

use std::fmt::Write;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Int(i64),
    /// Seeds are full 64-bit values.
    UInt(u64),
    Num(f64),
    Text(String),
    /// Not applicable (no opportunity, nothing measured): an empty CSV field, never a zero.
    Empty,
}

impl Cell {
    pub fn num(x: Option<f64>) -> Cell {
        match x {
            Some(v) if v.is_finite() => Cell::Num(v),
            _ => Cell::Empty,
        }
    }
}

impl Cell {
    /// The cell's text, unquoted.
    pub fn text(&self) -> String {
        match self {
            Cell::Int(v) => v.to_string(),
            Cell::UInt(v) => v.to_string(),
            Cell::Num(v) => round(*v).to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Empty => String::new(),
        }
    }
}

/// CSV text of one row (RFC 4180 quoting when needed), with a trailing newline.
pub fn csv_line(cells: &[Cell]) -> String {
    let mut out = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match c {
            Cell::Int(v) => {
                let _ = write!(out, "{v}");
            }
            Cell::UInt(v) => {
                let _ = write!(out, "{v}");
            }
            Cell::Num(v) if whole(*v) => {
                // Most numbers in a row are whole (counts, seconds, 0/1 outcomes): as integers
                // they print the very digits `f64`'s Display would, at a fraction of the cost,
                // and a million-run study writes a hundred million of them.
                let _ = write!(out, "{}", *v as i64);
            }
            Cell::Num(v) => {
                let _ = write!(out, "{}", round(*v));
            }
            Cell::Text(t) => push_quoted(&mut out, t),
            Cell::Empty => {}
        }
    }
    out.push('\n');
    out
}

pub fn header_line(columns: &[String]) -> String {
    let cells: Vec<Cell> = columns.iter().map(|c| Cell::Text(c.clone())).collect();
    csv_line(&cells)
}

fn push_quoted(out: &mut String, t: &str) {
    if t.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&t.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(t);
    }
}

/// A whole number that `round` leaves alone and that fits an `i64` exactly; not −0, which
/// `f64` prints with its sign.
fn whole(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() < 1e9 && !(v == 0.0 && v.is_sign_negative())
}

/// Six significant decimals are plenty for hours and ratios and keep files readable.
pub fn round(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(6);
    let r = (v * scale).round() / scale;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for whole numbers writes what `round` and `f64`'s Display write.
    #[test]
    fn whole_numbers_are_written_as_floats_would_be() {
        let mut values: Vec<f64> = (-5000..5000).map(f64::from).collect();
        values.extend([
            0.0,
            -0.0,
            0.5,
            -0.5,
            1e9,
            -1e9,
            1e9 - 1.0,
            123_456_789.0,
            86_400.0,
            1e15,
            2.5e-7,
            f64::MAX,
            0.1 + 0.2,
            3_600.000_000_4,
        ]);
        for v in values {
            assert_eq!(
                csv_line(&[Cell::Num(v)]),
                format!("{}\n", round(v)),
                "{v:?}"
            );
        }
    }
}
