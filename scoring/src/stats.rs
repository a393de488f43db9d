//! Order statistics that cannot be flattered by silence. An item never answered is *censored*:
//! we know only that its true latency exceeds what the exercise let us see. Treating it as
//! +infinity and taking nearest-rank quantiles over all items means a state that ignores half its
//! pings gets a worse median, never a better one; a quantile that lands on a censored item is
//! reported as unknown-but-above rather than as a number (DESIGN.md §5: "never let it improve a
//! statistic").

use serde::{Deserialize, Serialize};

const HOUR: f64 = 3600.0;

/// Rounds to three decimals so JSON output is stable and readable; 0.001 h is 3.6 s, finer than
/// anything a trace measures meaningfully.
pub fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Exercise seconds as hours, rounded.
pub fn hours(secs: i64) -> f64 {
    match thousandths(secs) {
        // `r3` divides the same integer by the same 1000.
        Some(k) => k as f64 / 1000.0,
        None => r3(secs as f64 / HOUR),
    }
}

/// `hours(secs)` in thousandths of an hour, the integer `r3` rounds to, for times from 0 to
/// 2^40 s, found without `round`: a library call that cost more than the rest of a latency
/// item's hours, and a scorecard writes three per item and per statistic. `None` for other
/// times, which take the float path.
///
/// `r3` rounds secs / 3600 * 1000 = 5 secs / 18 in floating point. Exactly, the fraction is
/// j / 18; unless j = 9 it lies at least 1/18 from where rounding turns, while the two float
/// roundings err by under 2^-12 below 2^40 s, so the nearest integer is the same and integers
/// find it. Exact halves (secs ≡ 9 mod 18) round whichever way the float errs, so ask it.
pub(crate) fn thousandths(secs: i64) -> Option<u64> {
    if !(0..1 << 40).contains(&secs) {
        return None;
    }
    let fifths = secs as u64 * 5;
    Some(if fifths % 18 == 9 {
        ((secs as f64 / HOUR) * 1000.0).round() as u64
    } else {
        (fifths + 9) / 18
    })
}

/// A ratio rounded, or `None` when the denominator is zero (no opportunity is not 100%).
pub fn ratio(num: u32, den: u32) -> Option<f64> {
    (den > 0).then(|| r3(f64::from(num) / f64::from(den)))
}

/// One quantile of a latency distribution with censoring.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantile {
    /// Hours, or `null` when there are no items or the quantile falls on a censored item.
    pub hours: Option<f64>,
    /// The quantile falls on an item never answered by the end: its value is above anything
    /// observed, so no number is given.
    pub censored_above: bool,
}

impl Quantile {
    /// The quantile at nearest `rank` (from 1) of `n` items of which `answered` (sorted) were
    /// answered; the censored rest rank above them all, so they need no values and no sorting.
    fn of(answered: &[i64], n: usize, rank: usize) -> Quantile {
        if n == 0 {
            return Quantile::default();
        }
        match answered.get(rank - 1) {
            Some(&secs) => Quantile {
                hours: Some(hours(secs)),
                censored_above: false,
            },
            None => Quantile {
                hours: None,
                censored_above: true,
            },
        }
    }
}

/// The nearest rank of quantile `p` among `n` items, ceil(p · n), at least 1.
fn rank(p: f64, n: usize) -> usize {
    ((p * n as f64).ceil() as usize).clamp(1, n.max(1))
}

/// The nearest ranks of the median, the 90th percentile and the maximum among `n` items: the
/// median's and the maximum's in integers (p · n is exact in floating point for both), sparing
/// `ceil`, a library call, in two of each summary's three quantiles.
fn ranks(n: usize) -> [usize; 3] {
    [n.div_ceil(2).max(1), rank(0.9, n), n.max(1)]
}

/// Latency summary of a set of items.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub count: u32,
    pub answered: u32,
    /// Never answered by the end of the exercise.
    pub censored: u32,
    pub p50: Quantile,
    pub p90: Quantile,
    pub max: Quantile,
    /// Answered later than the target, or censored with exposure at or past the target.
    pub breaches: u32,
}

/// What [`summarise`] needs from one measured interval.
#[derive(Clone, Copy)]
pub struct Obs {
    /// Seconds from predecessor to step; `None` if censored.
    pub secs: Option<i64>,
    pub breach: bool,
}

/// Nearest-rank p50 / p90 / max with censored items ranked above every answered one.
pub fn summarise<'a>(items: impl IntoIterator<Item = &'a Obs>) -> Stats {
    summarise_in(items.into_iter().copied(), &mut Vec::new())
}

/// [`summarise`] gathering the answered times in `scratch`, emptied first: a scorecard
/// summarises a few hundred small sets (per actor, per level, per pinged state), and a buffer
/// of their own for each cost more than the summary.
pub(crate) fn summarise_in(items: impl IntoIterator<Item = Obs>, scratch: &mut Vec<i64>) -> Stats {
    scratch.clear();
    let counted = counts(items.into_iter().inspect(|o| scratch.extend(o.secs)));
    let answered = &mut scratch[..];
    answered.sort_unstable();
    let count = counted.count as usize;
    let [p50, p90, max] = ranks(count);
    Stats {
        p50: Quantile::of(answered, count, p50),
        p90: Quantile::of(answered, count, p90),
        max: Quantile::of(answered, count, max),
        ..counted
    }
}

/// [`summarise`]'s counts (items, answered, censored, breaches) without its quantiles, which
/// are left empty: what a study's rows read of a step, whose quantiles took sorting its times;
/// `summarise_in` counts through it.
pub(crate) fn counts(items: impl IntoIterator<Item = Obs>) -> Stats {
    let (mut count, mut answered, mut breaches) = (0, 0, 0);
    for o in items {
        count += 1;
        answered += u32::from(o.secs.is_some());
        breaches += u32::from(o.breach);
    }
    Stats {
        count,
        answered,
        censored: count - answered,
        breaches,
        ..Stats::default()
    }
}

/// Times to hold the hours' integer paths to the float on (here and in the reasons' hours text,
/// `norms`): every second of the first two days and some before 0, exact halves (≡ 9 mod 18),
/// large and random ones, and the edges of the integer path's range.
#[cfg(test)]
pub(crate) fn hour_samples() -> Vec<i64> {
    let mut secs: Vec<i64> = (-4000..200_000).collect();
    secs.extend((0..2000).map(|i| i * 7_919_993 + 13));
    secs.extend((0..2000).map(|i| i * 18 * 7_919 + 9));
    secs.extend([1 << 39, (1 << 40) - 1, 1 << 40, i64::MAX, i64::MIN, -3600]);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        secs.push((x % (1 << 41)) as i64);
    }
    secs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(v: &[Option<i64>]) -> Vec<Obs> {
        v.iter()
            .map(|&secs| Obs {
                secs,
                breach: false,
            })
            .collect()
    }

    /// The integer path must give the float's hours bit for bit, halves and the edges included.
    #[test]
    fn hours_are_the_rounded_float() {
        for s in hour_samples() {
            let float = r3(s as f64 / HOUR);
            assert_eq!(hours(s).to_bits(), float.to_bits(), "{s} s");
        }
    }

    /// The integer ranks of the median and the maximum are the float formula's.
    #[test]
    fn integer_ranks_are_the_float_ranks() {
        for n in 1..100_000 {
            let float = [0.5, 0.9, 1.0].map(|p: f64| ((p * n as f64).ceil() as usize).clamp(1, n));
            assert_eq!(ranks(n), float, "ranks of {n} items");
        }
    }

    #[test]
    fn nearest_rank_on_answered_items() {
        let s = summarise(&obs(&[Some(3600), Some(7200), Some(10800), Some(14400)]));
        assert_eq!((s.count, s.answered, s.censored), (4, 4, 0));
        // rank ceil(0.5*4) = 2 → 2h; ceil(0.9*4) = 4 → 4h.
        assert_eq!(s.p50.hours, Some(2.0));
        assert_eq!(s.p90.hours, Some(4.0));
        assert_eq!(s.max.hours, Some(4.0));
    }

    #[test]
    fn censoring_never_improves_a_quantile() {
        let answered = summarise(&obs(&[Some(3600), Some(7200)]));
        let with_silence = summarise(&obs(&[Some(3600), Some(7200), None, None]));
        // Adding two unanswered items moves the median up (to 2h) and the max to "above".
        assert_eq!(answered.p50.hours, Some(1.0));
        assert_eq!(with_silence.p50.hours, Some(2.0));
        assert_eq!(
            with_silence.max,
            Quantile {
                hours: None,
                censored_above: true
            }
        );
        assert!(with_silence.p90.censored_above);
        assert_eq!(with_silence.censored, 2);
    }

    #[test]
    fn mostly_censored_median_is_unknown() {
        let s = summarise(&obs(&[None, Some(60), None]));
        assert!(s.p50.censored_above);
        assert_eq!(s.p50.hours, None);
    }

    #[test]
    fn empty_is_null_not_zero() {
        let s = summarise(&obs(&[]));
        assert_eq!(s.count, 0);
        assert_eq!(s.p50, Quantile::default());
        assert_eq!(ratio(0, 0), None);
        assert_eq!(ratio(1, 3), Some(0.333));
    }
}
