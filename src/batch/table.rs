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
    push_csv_line(&mut out, cells);
    out
}

/// [`csv_line`] appended to `out`: a study writes a million rows of some 150 cells, and a
/// buffer kept between rows saves each its own.
pub fn push_csv_line(out: &mut String, cells: &[Cell]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match c {
            Cell::Int(v) => out.push_str(itoa::Buffer::new().format(*v)),
            Cell::UInt(v) => out.push_str(itoa::Buffer::new().format(*v)),
            Cell::Num(v) => push_num(out, *v),
            Cell::Text(t) => push_quoted(out, t),
            Cell::Empty => {}
        }
    }
    out.push('\n');
}

/// What `round(v)`'s `Display` writes, without the formatting machinery for the numbers a row
/// holds. Below 10⁹ a double's spacing is under 10⁻⁶, so the nearest double to k / 10⁶ has no
/// shorter round-trip form than that decimal itself, trailing zeros dropped: its digits are
/// k's. Larger and non-finite values take `Display`.
fn push_num(out: &mut String, v: f64) {
    if whole(v) {
        // Most numbers in a row are whole (counts, seconds, 0/1 outcomes).
        out.push_str(itoa::Buffer::new().format(v as i64));
        return;
    }
    let scaled = (v * SCALE).round();
    // −0 is written with its sign, as `round` leaves it.
    if v == 0.0 || !scaled.is_finite() || scaled.abs() >= 1e15 {
        let _ = write!(out, "{}", round(v));
        return;
    }
    let k = scaled as i64;
    let (whole_part, mut frac) = (k.unsigned_abs() / 1_000_000, k.unsigned_abs() % 1_000_000);
    if k < 0 {
        out.push('-');
    }
    out.push_str(itoa::Buffer::new().format(whole_part));
    if frac == 0 {
        return;
    }
    let mut places = 6;
    while frac % 10 == 0 {
        frac /= 10;
        places -= 1;
    }
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(frac);
    out.push('.');
    for _ in digits.len()..places {
        out.push('0');
    }
    out.push_str(digits);
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

const SCALE: f64 = 1e6;

/// Six significant decimals are plenty for hours and ratios and keep files readable.
pub fn round(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let r = (v * SCALE).round() / SCALE;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcuts for numbers write what `round` and `f64`'s Display write.
    #[test]
    fn numbers_are_written_as_floats_would_be() {
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
        // Fractions at every magnitude up to where the shortcut stops, and past it.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            let magnitude = 10f64.powi((x % 24) as i32 - 9);
            let sign = if x & (1 << 5) == 0 { 1.0 } else { -1.0 };
            values.push(sign * unit * magnitude);
            values.push(sign * ((unit * 1e6).round() / 1e6) * magnitude.max(1.0));
        }
        for v in values {
            assert_eq!(
                csv_line(&[Cell::Num(v)]),
                format!("{}\n", round(v)),
                "{v:?}"
            );
        }
    }
}
