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
            Cell::Num(v) => {
                let _ = write!(out, "{}", round(*v));
            }
            Cell::Text(t) => out.push_str(&quote(t)),
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

fn quote(t: &str) -> String {
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_string()
    }
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
