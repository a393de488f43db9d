//! The interval estimators a study reports, one per kind of metric (docs/batch.md, "Estimators"):
//! Student's t with its exact critical value for means; Wilson score intervals for proportions,
//! at the effective sample size (Korn & Graubard 1998) when each run gives a rate rather than a
//! 0/1 outcome; distribution-free order-statistic intervals for quantiles; and, for paired
//! differences of proportions, the MOVER combination of the two Wilson intervals with the pairs'
//! correlation (Newcombe 1998, method 10; Zou & Donner 2008).

use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, Normal, StudentsT};

/// Confidence level of every interval in a study: 0.90, 0.95 or 0.99 (`--level`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level(pub f64);

impl Default for Level {
    fn default() -> Level {
        Level(0.95)
    }
}

impl Level {
    pub const CHOICES: [f64; 3] = [0.9, 0.95, 0.99];

    pub fn parse(text: &str) -> Result<Level, String> {
        let v: f64 = text
            .trim()
            .parse()
            .map_err(|_| format!("\"{text}\" is not a number; use 0.9, 0.95 or 0.99"))?;
        Self::CHOICES
            .iter()
            .find(|c| (**c - v).abs() < 1e-9)
            .map(|c| Level(*c))
            .ok_or_else(|| format!("{text} is not offered; use 0.9, 0.95 or 0.99"))
    }

    /// Two-sided tail probability α/2.
    fn half_alpha(self) -> f64 {
        (1.0 - self.0) / 2.0
    }

    /// Two-sided critical value of the standard normal.
    pub fn z(self) -> f64 {
        Normal::standard().inverse_cdf(1.0 - self.half_alpha())
    }

    /// Two-sided critical value of Student's t with `df` degrees of freedom (exact, not a table).
    pub fn t(self, df: u64) -> f64 {
        match df {
            0 => f64::NAN,
            _ => StudentsT::new(0.0, 1.0, df as f64)
                .map_or(f64::NAN, |t| t.inverse_cdf(1.0 - self.half_alpha())),
        }
    }

    /// "95%".
    pub fn percent(self) -> String {
        format!("{}%", (self.0 * 100.0).round())
    }
}

/// Wilson score interval for a proportion `p` observed over `n` trials (`n` may be an effective,
/// non-integer size). Never zero-width: at p = 0 or 1 it still spans what `n` trials cannot
/// rule out.
pub fn wilson(p: f64, n: f64, level: Level) -> (f64, f64) {
    if n <= 0.0 || !n.is_finite() {
        return (0.0, 1.0);
    }
    let z = level.z();
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    let lo = if p <= 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if p >= 1.0 {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// Effective number of trials behind a mean of per-run rates in [0, 1] (Korn & Graubard): the
/// number of independent 0/1 trials that would give the observed variance of the mean. Falls
/// back to the number of runs when the data cannot tell (every run at 0, or every run at 1, or no
/// spread), which is what a 0/1 outcome per run would give.
pub fn effective_n(mean: f64, var_of_mean: f64, runs: u64) -> f64 {
    let bernoulli = mean * (1.0 - mean);
    if var_of_mean > 0.0 && bernoulli > 0.0 {
        bernoulli / var_of_mean
    } else {
        runs as f64
    }
}

/// Student's t interval of a mean.
pub fn t_interval(mean: f64, sd: f64, n: u64, level: Level) -> Option<(f64, f64)> {
    if n < 2 || !sd.is_finite() {
        return None;
    }
    let h = level.t(n - 1) * sd / (n as f64).sqrt();
    Some((mean - h, mean + h))
}

/// 1-based ranks (r, s) of the order statistics bounding the `q`-quantile of `n` values with at
/// least the given coverage: P(X(r) ≤ ξq ≤ X(s)) ≥ level, from the Binomial(n, q) count of values
/// below the quantile. `None` on a side the data cannot bound (too few runs).
pub fn quantile_ranks(n: u64, q: f64, level: Level) -> (Option<u64>, Option<u64>) {
    if n == 0 {
        return (None, None);
    }
    let Ok(b) = Binomial::new(q, n) else {
        return (None, None);
    };
    let a = level.half_alpha();
    let r = b.inverse_cdf(a);
    // F(r - 1) < a by construction; r = 0 means no order statistic is low enough.
    let lo = if r >= 1 && b.cdf(r - 1) < a {
        Some(r)
    } else {
        None
    };
    let s = b.inverse_cdf(1.0 - a) + 1;
    let hi = (s <= n).then_some(s);
    (lo, hi)
}

/// The MOVER interval of a difference θb − θa from the two estimates' own intervals and the
/// correlation of the estimates (Zou & Donner 2008; with Wilson components and the phi
/// coefficient this is Newcombe's method 10 for paired proportions). A side is `None` when
/// either component's bound on that side is.
pub fn mover(
    a: (f64, Option<f64>, Option<f64>),
    b: (f64, Option<f64>, Option<f64>),
    rho: f64,
) -> (Option<f64>, Option<f64>) {
    let (ta, la, ua) = a;
    let (tb, lb, ub) = b;
    let d = tb - ta;
    let lower = match (lb, ua) {
        (Some(lb), Some(ua)) => {
            let (x, y) = (tb - lb, ua - ta);
            Some(d - (x * x + y * y - 2.0 * rho * x * y).max(0.0).sqrt())
        }
        _ => None,
    };
    let upper = match (ub, la) {
        (Some(ub), Some(la)) => {
            let (x, y) = (ub - tb, ta - la);
            Some(d + (x * x + y * y - 2.0 * rho * x * y).max(0.0).sqrt())
        }
        _ => None,
    };
    (lower, upper)
}

/// Phi coefficient of a 2×2 table of pairs (a both 1, b A only, c B only, d both 0); 0 when a
/// margin is empty.
pub fn phi(both: f64, a_only: f64, b_only: f64, neither: f64) -> f64 {
    let den = (both + a_only) * (b_only + neither) * (both + b_only) * (a_only + neither);
    if den <= 0.0 {
        0.0
    } else {
        (both * neither - a_only * b_only) / den.sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L95: Level = Level(0.95);

    #[test]
    fn critical_values_are_exact() {
        assert!((L95.z() - 1.959_964).abs() < 1e-6);
        assert!((L95.t(1) - 12.7062).abs() < 1e-3);
        assert!((L95.t(10) - 2.2281).abs() < 1e-4);
        assert!((L95.t(45) - 2.0141).abs() < 1e-4, "{}", L95.t(45));
        assert!((Level(0.99).t(30) - 2.7500).abs() < 1e-4);
        assert!((Level(0.9).z() - 1.644_854).abs() < 1e-6);
        assert!(Level::parse("0.95").is_ok() && Level::parse("0.8").is_err());
    }

    #[test]
    fn wilson_matches_known_values_and_is_never_zero_width() {
        let (lo, hi) = wilson(0.5, 100.0, L95);
        assert!((lo - 0.4038).abs() < 1e-4 && (hi - 0.5962).abs() < 1e-4);
        let (lo, hi) = wilson(0.0, 20.0, L95);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.1611).abs() < 1e-4, "{hi}");
        let (lo, hi) = wilson(1.0, 100.0, L95);
        assert!(lo < 0.97 && hi == 1.0, "[{lo}, {hi}]");
    }

    #[test]
    fn order_statistic_ranks_bracket_the_median() {
        // n = 100, median: the classical ranks are 40 and 61.
        let (r, s) = quantile_ranks(100, 0.5, L95);
        assert_eq!((r, s), (Some(40), Some(61)));
        // Five values cannot bound a 95% interval of the 5th percentile from below.
        assert_eq!(quantile_ranks(5, 0.05, L95).0, None);
    }

    #[test]
    fn mover_reduces_to_the_independent_case_and_narrows_with_correlation() {
        let a = (10.0, Some(8.0), Some(12.0));
        let b = (15.0, Some(13.0), Some(17.0));
        let (lo, hi) = mover(a, b, 0.0);
        let h = (8.0f64).sqrt();
        assert!((lo.unwrap() - (5.0 - h)).abs() < 1e-12 && (hi.unwrap() - (5.0 + h)).abs() < 1e-12);
        let (lo2, hi2) = mover(a, b, 0.8);
        assert!(lo2.unwrap() > lo.unwrap() && hi2.unwrap() < hi.unwrap());
        // A component without an upper bound leaves the difference without a lower one.
        assert_eq!(mover((1.0, Some(0.5), None), b, 0.0).0, None);
    }
}
