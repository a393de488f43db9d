//! Kaplan–Meier estimates of latency across the runs of a study (DESIGN.md §5–6: an answer that
//! never came must never improve a latency figure).
//!
//! Each run contributes one right-censored observation per chain step: the time by which half of
//! that run's items had been answered (`lat:STEP:t50_h`), observed (`t50_event` = 1) or known only
//! to exceed the time shown (0). With one item per run — one notification, one ping — this is
//! the latency itself. The curve's median and 90th percentile get Brookmeyer–Crowley intervals
//! from Greenwood's variance on the log(−log) scale (Kalbfleisch & Prentice); a quantile the curve
//! never reaches is reported as "not reached", never as a number.

use super::binned::{Key, four_digits};
use super::estimators::Level;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Streaming accumulator: censored and observed times, binned to four significant digits.
#[derive(Clone, Debug, Default)]
pub struct KmAcc {
    n: u64,
    /// time → (events, censored).
    bins: BTreeMap<Key, (u64, u64)>,
}

/// One step of the curve: S(t) just after `t`, with its pointwise interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KmPoint {
    pub t: f64,
    pub s: f64,
    pub lo: f64,
    pub hi: f64,
}

/// A quantile of a Kaplan–Meier curve: `hours` is `None` when the curve never falls that far
/// ("not reached"); so is a bound the interval's curves never reach.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KmQuantile {
    pub hours: Option<f64>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

impl KmAcc {
    pub fn push(&mut self, hours: f64, event: bool) {
        self.n += 1;
        let e = self.bins.entry(Key(four_digits(hours))).or_insert((0, 0));
        if event {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }

    pub fn n(&self) -> u64 {
        self.n
    }

    pub fn events(&self) -> u64 {
        self.bins.values().map(|b| b.0).sum()
    }

    /// The curve at every time with an event (ties: events before censorings).
    pub fn curve(&self, level: Level) -> Vec<KmPoint> {
        let z = level.z();
        let mut at_risk = self.n as f64;
        let (mut s, mut greenwood) = (1.0f64, 0.0f64);
        let mut out = Vec::new();
        for (t, &(d, c)) in &self.bins {
            let d = d as f64;
            if d > 0.0 {
                s *= 1.0 - d / at_risk;
                if at_risk > d {
                    greenwood += d / (at_risk * (at_risk - d));
                }
                let (lo, hi) = loglog_interval(s, greenwood, z);
                out.push(KmPoint { t: t.0, s, lo, hi });
            }
            at_risk -= d + c as f64;
        }
        out
    }

    /// The time by which a share `q` of runs had their answer (S(t) ≤ 1 − q), with its interval:
    /// from the first time the lower confidence curve falls to 1 − q to the first time the upper
    /// one does.
    pub fn quantile(curve: &[KmPoint], q: f64) -> KmQuantile {
        let target = 1.0 - q + 1e-12;
        let first =
            |f: &dyn Fn(&KmPoint) -> f64| curve.iter().find(|p| f(p) <= target).map(|p| p.t);
        KmQuantile {
            hours: first(&|p| p.s),
            lo: first(&|p| p.lo),
            hi: first(&|p| p.hi),
        }
    }
}

/// Pointwise interval of S(t) on the log(−log) scale: S^exp(±z·se), se = √G / |ln S|.
fn loglog_interval(s: f64, greenwood: f64, z: f64) -> (f64, f64) {
    if s <= 0.0 {
        return (0.0, 0.0);
    }
    if s >= 1.0 {
        return (1.0, 1.0);
    }
    let se = greenwood.sqrt() / s.ln().abs();
    let (a, b) = ((z * se).exp(), (-z * se).exp());
    (s.powf(a), s.powf(b))
}

/// A thinned copy of the curve for charts: the points where S crosses each hundredth, and the last.
pub fn thin(curve: &[KmPoint]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut last_bucket = i64::MAX;
    for (i, p) in curve.iter().enumerate() {
        let bucket = (p.s * 100.0).floor() as i64;
        if bucket != last_bucket || i + 1 == curve.len() {
            out.push((p.t, super::table::round(p.s)));
            last_bucket = bucket;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_censoring_the_median_is_the_sample_median() {
        let mut km = KmAcc::default();
        for t in 1..=9 {
            km.push(t as f64, true);
        }
        let c = km.curve(Level(0.95));
        assert_eq!(KmAcc::quantile(&c, 0.5).hours, Some(5.0));
        let q = KmAcc::quantile(&c, 0.5);
        assert!(q.lo.unwrap() < 5.0 && q.hi.unwrap() > 5.0, "{q:?}");
    }

    #[test]
    fn censoring_is_never_counted_as_an_answer() {
        // Half the runs never got their answer: the median is not reached, whatever the others did.
        let mut km = KmAcc::default();
        for t in 1..=5 {
            km.push(t as f64, true);
        }
        for _ in 0..6 {
            km.push(100.0, false);
        }
        let c = km.curve(Level(0.95));
        let q = KmAcc::quantile(&c, 0.5);
        assert_eq!(q.hours, None);
        assert_eq!(q.hi, None);
        // Dropping the unanswered runs would have given a median of 3.
    }

    #[test]
    fn a_run_censored_early_leaves_the_risk_set() {
        // Textbook example: 3, 4+, 5, 6 → S = 3/4 after 3, 3/4·1/2 after 5.
        let mut km = KmAcc::default();
        km.push(3.0, true);
        km.push(4.0, false);
        km.push(5.0, true);
        km.push(6.0, true);
        let c = km.curve(Level(0.95));
        let s: Vec<f64> = c.iter().map(|p| p.s).collect();
        assert_eq!(s, vec![0.75, 0.375, 0.0]);
        assert_eq!(KmAcc::quantile(&c, 0.5).hours, Some(5.0));
    }
}
