//! Values kept to four significant digits and counted: quantiles (with their order-statistic
//! intervals) and Kaplan–Meier curves come from these counts, so memory grows with the number of
//! distinct values, not with the number of runs.

use super::estimators::{Level, quantile_ranks};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

/// An f64 ordered by `total_cmp`, usable as a map key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Key(pub f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// `v` rounded to four significant digits (0.05% relative error at most).
pub fn four_digits(v: f64) -> f64 {
    // Whole numbers below 10,000 already have four digits at most (and `log10` is the cost of
    // binning a million runs' counts and 0/1 outcomes).
    if v == 0.0 || !v.is_finite() || (v.fract() == 0.0 && v.abs() < 1e4) {
        return v;
    }
    let mag = v.abs().log10().floor() as i32;
    let scale = 10f64.powi(3 - mag);
    (v * scale).round() / scale
}

/// Counts of values binned to four significant digits. Counted in a hash map and put in order
/// only when quantiles are asked for ([`Histogram::ranked`]): a study pushes every metric of
/// every run, a million runs of some 130 values, and keeping them ordered as they came cost
/// more than all the other summaries of a row.
#[derive(Clone, Debug, Default)]
pub struct Histogram {
    n: u64,
    counts: FxHashMap<u64, u64>,
}

impl Histogram {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        *self.counts.entry(four_digits(x).to_bits()).or_insert(0) += 1;
    }

    pub fn n(&self) -> u64 {
        self.n
    }

    /// The counts in value order, to read quantiles from.
    pub fn ranked(&self) -> Ranked {
        let mut counts: Vec<(Key, u64)> = self
            .counts
            .iter()
            .map(|(&bits, &c)| (Key(f64::from_bits(bits)), c))
            .collect();
        counts.sort_unstable_by_key(|&(k, _)| k);
        Ranked { n: self.n, counts }
    }
}

/// A [`Histogram`]'s counts in value order.
pub struct Ranked {
    n: u64,
    counts: Vec<(Key, u64)>,
}

impl Ranked {
    /// The value of 1-based rank `rank`.
    pub fn at_rank(&self, rank: u64) -> Option<f64> {
        let mut seen = 0;
        for (k, c) in &self.counts {
            seen += c;
            if seen >= rank {
                return Some(k.0);
            }
        }
        None
    }

    /// Nearest-rank `q`-quantile.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        self.at_rank(((q * self.n as f64).ceil() as u64).clamp(1, self.n))
    }

    /// Distribution-free interval of the `q`-quantile: the order statistics whose ranks bracket
    /// it with at least the level's coverage. A side is `None` when there are too few values to
    /// bound it.
    pub fn quantile_ci(&self, q: f64, level: Level) -> (Option<f64>, Option<f64>) {
        let (r, s) = quantile_ranks(self.n, q, level);
        (
            r.and_then(|r| self.at_rank(r)),
            s.and_then(|s| self.at_rank(s)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_their_intervals_come_from_the_counts() {
        let mut h = Histogram::default();
        for x in (1..=100).rev() {
            h.push(x as f64);
        }
        let h = h.ranked();
        assert_eq!(
            (h.quantile(0.05), h.quantile(0.5), h.quantile(0.95)),
            (Some(5.0), Some(50.0), Some(95.0))
        );
        assert_eq!(h.quantile_ci(0.5, Level(0.95)), (Some(40.0), Some(61.0)));
        assert_eq!(four_digits(16.6355), 16.64);
    }

    /// The shortcut for small whole numbers gives what the rounding gives.
    #[test]
    fn small_whole_numbers_keep_their_value() {
        let rounded = |v: f64| {
            let scale = 10f64.powi(3 - v.abs().log10().floor() as i32);
            (v * scale).round() / scale
        };
        for i in (-10_050..10_050).filter(|&i| i != 0) {
            let v = f64::from(i);
            assert_eq!(four_digits(v).to_bits(), rounded(v).to_bits(), "{v}");
        }
    }
}
