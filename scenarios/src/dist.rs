//! Latency distributions as scenario authors describe them. Log-normal is given by median and p90
//! because that is how practitioners state response times ("usually an hour, one in ten takes four").
//! Sampling lives in `ttx-sim`, which owns the random streams; this crate only describes and checks.

use crate::time::Span;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Dist {
    /// Always exactly this long.
    Fixed(Span),
    /// Uniform between `min` and `max`.
    Uniform { min: Span, max: Span },
    /// Memoryless, with this mean.
    Exponential { mean: Span },
    /// Log-normal with this median and 90th percentile.
    LogNormal { median: Span, p90: Span },
}

/// z-score of the 90th percentile of the standard normal distribution.
pub const Z90: f64 = 1.281_551_565_544_600_4;

impl Dist {
    pub fn fixed(s: Span) -> Dist {
        Dist::Fixed(s)
    }
    pub fn lognormal(median: Span, p90: Span) -> Dist {
        Dist::LogNormal { median, p90 }
    }

    /// The distribution's mean in seconds, for documentation and analytic checks.
    pub fn mean_secs(&self) -> f64 {
        match *self {
            Dist::Fixed(s) => s.0 as f64,
            Dist::Uniform { min, max } => (min.0 + max.0) as f64 / 2.0,
            Dist::Exponential { mean } => mean.0 as f64,
            Dist::LogNormal { median, p90 } => {
                let sigma = (p90.0 as f64 / median.0 as f64).ln() / Z90;
                median.0 as f64 * (sigma * sigma / 2.0).exp()
            }
        }
    }

    /// What is wrong with the parameters, if anything.
    pub fn problem(&self) -> Option<String> {
        match *self {
            Dist::Fixed(_) => None,
            Dist::Uniform { min, max } if max < min => {
                Some(format!("Uniform latency has max {max} below min {min}"))
            }
            Dist::Exponential { mean } if mean.0 <= 0 => {
                Some("Exponential latency needs a mean above 0s".into())
            }
            Dist::LogNormal { median, .. } if median.0 <= 0 => {
                Some("LogNormal latency needs a median above 0s".into())
            }
            Dist::LogNormal { median, p90 } if p90 <= median => Some(format!(
                "LogNormal latency needs p90 ({p90}) above the median ({median})"
            )),
            _ => None,
        }
    }

    /// Scales every parameter, e.g. to make a developing-capacity CERT slower than an advanced one.
    pub fn scaled(&self, k: f64) -> Dist {
        let s = |x: Span| Span((x.0 as f64 * k).round() as i64);
        match *self {
            Dist::Fixed(a) => Dist::Fixed(s(a)),
            Dist::Uniform { min, max } => Dist::Uniform {
                min: s(min),
                max: s(max),
            },
            Dist::Exponential { mean } => Dist::Exponential { mean: s(mean) },
            Dist::LogNormal { median, p90 } => Dist::LogNormal {
                median: s(median),
                p90: s(p90),
            },
        }
    }
}

impl std::fmt::Display for Dist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dist::Fixed(s) => write!(f, "{s}"),
            Dist::Uniform { min, max } => write!(f, "{min}–{max}"),
            Dist::Exponential { mean } => write!(f, "exp(mean {mean})"),
            Dist::LogNormal { median, p90 } => write!(f, "median {median}, p90 {p90}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_mean_is_above_median() {
        let d = Dist::lognormal(Span::hours(1), Span::hours(4));
        assert!(d.mean_secs() > 3600.0);
        assert!(d.problem().is_none());
        assert!(
            Dist::lognormal(Span::hours(4), Span::hours(1))
                .problem()
                .is_some()
        );
    }
}
