//! What `ttx compare` and a sweep's `compare.json` say about two points of a study: every point
//! against the first (the baseline), run i of one against run i of the other — they share their
//! seed, so their random numbers (common random numbers, DESIGN.md §3).
//!
//! Each metric is reported twice, and labelled: each point's own mean over its own runs (a metric
//! a run may lack, such as a norm with no opportunity, has its own count), and the paired
//! difference over the runs both have. Differences of 0/1 metrics use Newcombe's interval for
//! paired proportions; other metrics the paired t interval. Latencies are compared by the
//! difference of the Kaplan–Meier medians (and 90th percentiles), with an interval built from
//! each curve's interval and the pairs' correlation; HSEEP ratings as distributions.
//!
//! The rows are read in one streaming pass after the summaries (which give each point's own
//! estimates): a study's rows are in seed-major order, so the runs sharing a seed are adjacent
//! and memory holds one seed's rows, whatever the number of runs.

use super::estimators::{Level, mover, phi, t_interval, wilson};
use super::metrics::is_proportion;
use super::summary::{Layout, PointSummary, Summary};
use super::survival::KmQuantile;
use super::table::round;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const FORMAT: &str = "ttx-compare/2";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffEstimator {
    /// Mean of the paired differences, Student's t interval.
    PairedT,
    /// Difference of two paired proportions, Newcombe's hybrid score interval (method 10).
    Newcombe,
}

/// One metric of a contrast: own means, then the paired difference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    pub metric: String,
    pub estimator: DiffEstimator,
    /// Each point's own runs with the metric, and its mean over them.
    pub n_a: u64,
    pub own_mean_a: Option<f64>,
    pub n_b: u64,
    pub own_mean_b: Option<f64>,
    /// Runs where both have the metric, and the means over just those pairs.
    pub pairs: u64,
    pub mean_a: f64,
    pub mean_b: f64,
    /// Mean paired difference B − A, its sd and interval.
    pub mean_diff: f64,
    pub sd_diff: Option<f64>,
    pub ci: Option<(f64, f64)>,
}

/// A chain step's latency in A and B and the difference of their Kaplan–Meier quantiles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyDiff {
    pub step: String,
    pub runs_a: u64,
    pub runs_b: u64,
    pub censored_share_a: Option<f64>,
    pub censored_share_b: Option<f64>,
    pub median_a: KmQuantile,
    pub median_b: KmQuantile,
    /// B − A; `null` when either median is not reached.
    pub median_diff: Option<f64>,
    /// Interval of the difference (each median's interval and the pairs' correlation); `null`
    /// where a component's bound is not reached.
    pub median_ci: (Option<f64>, Option<f64>),
    pub p90_a: KmQuantile,
    pub p90_b: KmQuantile,
    pub p90_diff: Option<f64>,
    pub p90_ci: (Option<f64>, Option<f64>),
    /// Correlation of the pairs' positions about each median (phi), used by the interval.
    pub median_correlation: f64,
    pub p90_correlation: f64,
}

/// An objective's HSEEP ratings in A and B, compared as distributions over the pairs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingShift {
    pub objective: String,
    /// Pairs where both runs rated the objective.
    pub pairs: u64,
    /// Per rating P, S, M, U: share of pairs in A and in B, the difference B − A and its
    /// Newcombe interval.
    pub ratings: Vec<RatingShare>,
    /// Pairs where B rated better (closer to P) than A, the same, or worse.
    pub better: u64,
    pub same: u64,
    pub worse: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingShare {
    pub rating: String,
    pub share_a: f64,
    pub share_b: f64,
    pub diff: f64,
    pub ci: (f64, f64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contrast {
    pub a: u64,
    pub b: u64,
    pub a_label: String,
    pub b_label: String,
    pub metrics: Vec<Paired>,
    pub latency: Vec<LatencyDiff>,
    pub ratings: Vec<RatingShift>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub format: String,
    pub level: f64,
    /// Every contrast is a point against this one.
    pub baseline: u64,
    pub contrasts: Vec<Contrast>,
}

/// Paired accumulators of one numeric metric.
#[derive(Default, Clone)]
struct Pair {
    n: u64,
    sum_a: f64,
    sum_b: f64,
    mean: f64,
    m2: f64,
    fractional: bool,
    /// 2×2 table of 0/1 pairs: both 1, A only, B only, neither.
    table: [u64; 4],
}

impl Pair {
    fn push(&mut self, x: f64, y: f64) {
        self.n += 1;
        self.sum_a += x;
        self.sum_b += y;
        let d = y - x;
        let delta = d - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (d - self.mean);
        let bin = |v: f64| v == 0.0 || v == 1.0;
        if bin(x) && bin(y) {
            let k = match (x == 1.0, y == 1.0) {
                (true, true) => 0,
                (true, false) => 1,
                (false, true) => 2,
                (false, false) => 3,
            };
            self.table[k] += 1;
        } else {
            self.fractional = true;
        }
    }
}

/// Newcombe's interval (method 10) for the difference of two paired proportions B − A.
fn newcombe(table: [u64; 4], level: Level) -> (f64, (f64, f64)) {
    let [both, a_only, b_only, neither] = table.map(|v| v as f64);
    let n = both + a_only + b_only + neither;
    let (pa, pb) = ((both + a_only) / n, (both + b_only) / n);
    let (la, ua) = wilson(pa, n, level);
    let (lb, ub) = wilson(pb, n, level);
    let rho = phi(both, a_only, b_only, neither);
    let (lo, hi) = mover((pa, Some(la), Some(ua)), (pb, Some(lb), Some(ub)), rho);
    let d = pb - pa;
    (
        d,
        (lo.unwrap_or(-1.0).max(-1.0), hi.unwrap_or(1.0).min(1.0)),
    )
}

/// The difference B − A of two Kaplan–Meier quantiles of paired runs and its interval: each
/// quantile's standard error recovered from its own interval (half its width over z), combined
/// with the correlation of the two estimates — asymptotically that of the runs' positions about
/// the quantiles (Bahadur), the phi coefficient of the pairs. Under common random numbers that
/// correlation is high and the interval is far narrower than independent samples would give.
/// `None` on both sides when either interval is open (a bound not reached).
fn quantile_diff(
    a: &KmQuantile,
    b: &KmQuantile,
    rho: f64,
    level: Level,
) -> (Option<f64>, (Option<f64>, Option<f64>)) {
    let (Some(x), Some(y)) = (a.hours, b.hours) else {
        return (None, (None, None));
    };
    let d = y - x;
    let (Some(la), Some(ua), Some(lb), Some(ub)) = (a.lo, a.hi, b.lo, b.hi) else {
        return (Some(d), (None, None));
    };
    let z = level.z();
    let (sa, sb) = ((ua - la) / (2.0 * z), (ub - lb) / (2.0 * z));
    let se = (sa * sa + sb * sb - 2.0 * rho * sa * sb).max(0.0).sqrt();
    (Some(d), (Some(d - z * se), Some(d + z * se)))
}

/// Where a run's half-answered time lies about a quantile estimate `m`: below (answered by m),
/// above (still waiting at m), or unknown (censored before m).
fn side(t: f64, event: bool, m: f64) -> Option<bool> {
    if t <= m && event {
        Some(true)
    } else if t > m {
        Some(false)
    } else {
        None
    }
}

#[derive(Default, Clone)]
struct StepPairs {
    /// 2×2 tables about the median and the p90 (both below, A only, B only, neither).
    median: [u64; 4],
    p90: [u64; 4],
}

fn tally(table: &mut [u64; 4], a: Option<bool>, b: Option<bool>) {
    if let (Some(a), Some(b)) = (a, b) {
        let k = match (a, b) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        table[k] += 1;
    }
}

const RATINGS: [&str; 4] = ["P", "S", "M", "U"];

struct ContrastAcc {
    b: usize,
    metrics: Vec<Pair>,
    steps: Vec<StepPairs>,
    /// Per rating column: (A's rating, B's rating) → pairs.
    ratings: Vec<BTreeMap<(String, String), u64>>,
}

fn km_point(p: &PointSummary, step: &str) -> Option<(KmQuantile, KmQuantile)> {
    p.latency
        .iter()
        .find(|l| l.step == step)
        .map(|l| (l.median, l.p90))
}

/// Reads a study's `compare.json`.
pub fn read(dir: &Path) -> Result<Comparison> {
    let file = dir.join("compare.json");
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a ttx comparison", file.display()))
}

/// Whether a paired difference is told apart from zero: its interval excludes 0, or every pair
/// differs by the same non-zero amount (no spread, so no interval, yet no doubt either).
pub fn significant(m: &Paired) -> bool {
    m.ci.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0)
        || (m.sd_diff == Some(0.0) && m.mean_diff != 0.0)
}

/// Every point of the study against point 0, from the rows and the summaries.
pub fn compare(
    runs_csv: &Path,
    summary: &Summary,
    labels: &[String],
    level: Level,
) -> Result<Comparison> {
    let mut reader = csv::Reader::from_path(runs_csv)
        .with_context(|| format!("cannot read {}", runs_csv.display()))?;
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let layout = Layout::new(&header, &[])?;
    let rating_cols: Vec<(usize, String)> = layout
        .metrics
        .iter()
        .filter(|(_, m)| m.starts_with("rating:"))
        .cloned()
        .collect();
    let numeric_cols: Vec<(usize, String)> = layout
        .metrics
        .iter()
        .filter(|(_, m)| !m.starts_with("rating:"))
        .cloned()
        .collect();
    let steps: Vec<(String, usize, usize)> = summary
        .points
        .iter()
        .flat_map(|p| p.latency.iter().map(|l| l.step.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter_map(|s| {
            let t = header.iter().position(|h| *h == format!("lat:{s}:t50_h"))?;
            let e = header
                .iter()
                .position(|h| *h == format!("lat:{s}:t50_event"))?;
            Some((s, t, e))
        })
        .collect();
    let points = summary.points.len();
    let mut accs: Vec<ContrastAcc> = (1..points)
        .map(|b| ContrastAcc {
            b,
            metrics: vec![Pair::default(); numeric_cols.len()],
            steps: vec![StepPairs::default(); steps.len()],
            ratings: vec![BTreeMap::new(); rating_cols.len()],
        })
        .collect();
    let slot: BTreeMap<u64, usize> = summary
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (p.point, i))
        .collect();
    // The KM estimates each run is placed against.
    let marks: Vec<Vec<Option<(KmQuantile, KmQuantile)>>> = summary
        .points
        .iter()
        .map(|p| steps.iter().map(|(s, _, _)| km_point(p, s)).collect())
        .collect();
    let mut group: Vec<Option<csv::StringRecord>> = vec![None; points];
    let mut current: Option<u64> = None;
    let mut record = csv::StringRecord::new();
    let mut flush = |group: &mut Vec<Option<csv::StringRecord>>| {
        if let Some(a) = group[0].take() {
            for acc in &mut accs {
                let Some(b) = group[acc.b].as_ref() else {
                    continue;
                };
                for (pair, (c, _)) in acc.metrics.iter_mut().zip(&numeric_cols) {
                    let (Some(x), Some(y)) = (
                        a.get(*c).and_then(|v| v.parse::<f64>().ok()),
                        b.get(*c).and_then(|v| v.parse::<f64>().ok()),
                    ) else {
                        continue;
                    };
                    pair.push(x, y);
                }
                for (k, (_, t, e)) in steps.iter().enumerate() {
                    let obs = |r: &csv::StringRecord| {
                        let t = r.get(*t)?.parse::<f64>().ok()?;
                        Some((t, r.get(*e)? == "1"))
                    };
                    let (Some(oa), Some(ob)) = (obs(&a), obs(b)) else {
                        continue;
                    };
                    let (Some(ma), Some(mb)) = (&marks[0][k], &marks[acc.b][k]) else {
                        continue;
                    };
                    let at =
                        |o: (f64, bool), q: &KmQuantile| q.hours.and_then(|m| side(o.0, o.1, m));
                    tally(&mut acc.steps[k].median, at(oa, &ma.0), at(ob, &mb.0));
                    tally(&mut acc.steps[k].p90, at(oa, &ma.1), at(ob, &mb.1));
                }
                for (map, (c, _)) in acc.ratings.iter_mut().zip(&rating_cols) {
                    let (Some(x), Some(y)) = (a.get(*c), b.get(*c)) else {
                        continue;
                    };
                    if !x.is_empty() && !y.is_empty() {
                        *map.entry((x.to_string(), y.to_string())).or_insert(0) += 1;
                    }
                }
            }
        }
        group.iter_mut().for_each(|g| *g = None);
    };
    while reader.read_record(&mut record)? {
        if record.get(layout.status) != Some("ok") {
            continue;
        }
        let rep: u64 = record
            .get(layout.rep)
            .and_then(|v| v.parse().ok())
            .context("bad rep")?;
        let Some(&i) = record
            .get(layout.point)
            .and_then(|v| v.parse::<u64>().ok())
            .and_then(|p| slot.get(&p))
        else {
            continue;
        };
        if current != Some(rep) {
            flush(&mut group);
            current = Some(rep);
        }
        group[i] = Some(record.clone());
    }
    flush(&mut group);
    let own = |p: &PointSummary, metric: &str| {
        p.metrics
            .iter()
            .find(|s| s.metric == metric)
            .map_or((0, None), |s| (s.n, s.mean))
    };
    let base = &summary.points[0];
    let contrasts = accs
        .into_iter()
        .map(|acc| {
            let other = &summary.points[acc.b];
            let metrics = acc
                .metrics
                .iter()
                .zip(&numeric_cols)
                .filter(|(p, _)| p.n > 0)
                .map(|(p, (_, m))| {
                    let (n_a, own_mean_a) = own(base, m);
                    let (n_b, own_mean_b) = own(other, m);
                    let sd = (p.n > 1).then(|| (p.m2 / (p.n - 1) as f64).sqrt());
                    let newcombe_fits = is_proportion(m) && !p.fractional;
                    let (estimator, mean_diff, ci) = if newcombe_fits {
                        let (d, ci) = newcombe(p.table, level);
                        (DiffEstimator::Newcombe, d, Some(ci))
                    } else {
                        let ci = sd.and_then(|s| t_interval(p.mean, s, p.n, level));
                        (DiffEstimator::PairedT, p.mean, ci)
                    };
                    Paired {
                        metric: m.clone(),
                        estimator,
                        n_a,
                        own_mean_a,
                        n_b,
                        own_mean_b,
                        pairs: p.n,
                        mean_a: round(p.sum_a / p.n as f64),
                        mean_b: round(p.sum_b / p.n as f64),
                        mean_diff: round(mean_diff),
                        sd_diff: sd.map(round),
                        ci: ci.map(|(lo, hi)| (round(lo), round(hi))),
                    }
                })
                .collect();
            let latency = steps
                .iter()
                .zip(&acc.steps)
                .filter_map(|((s, _, _), pairs)| {
                    let la = base.latency.iter().find(|l| l.step == *s)?;
                    let lb = other.latency.iter().find(|l| l.step == *s)?;
                    let diff = |a: &KmQuantile, b: &KmQuantile, t: [u64; 4]| {
                        let rho = phi(t[0] as f64, t[1] as f64, t[2] as f64, t[3] as f64);
                        let (d, (lo, hi)) = quantile_diff(a, b, rho, level);
                        (d.map(round), (lo.map(round), hi.map(round)), rho)
                    };
                    let (md, mci, mr) = diff(&la.median, &lb.median, pairs.median);
                    let (pd, pci, pr) = diff(&la.p90, &lb.p90, pairs.p90);
                    Some(LatencyDiff {
                        step: s.clone(),
                        runs_a: la.runs,
                        runs_b: lb.runs,
                        censored_share_a: la.censored_share,
                        censored_share_b: lb.censored_share,
                        median_a: la.median,
                        median_b: lb.median,
                        median_diff: md,
                        median_ci: mci,
                        p90_a: la.p90,
                        p90_b: lb.p90,
                        p90_diff: pd,
                        p90_ci: pci,
                        median_correlation: round(mr),
                        p90_correlation: round(pr),
                    })
                })
                .collect();
            let ratings = acc
                .ratings
                .iter()
                .zip(&rating_cols)
                .filter(|(m, _)| !m.is_empty())
                .map(|(m, (_, col))| rating_shift(col, m, level))
                .collect();
            Contrast {
                a: base.point,
                b: other.point,
                a_label: labels.first().cloned().unwrap_or_default(),
                b_label: labels.get(acc.b).cloned().unwrap_or_default(),
                metrics,
                latency,
                ratings,
            }
        })
        .collect();
    Ok(Comparison {
        format: FORMAT.into(),
        level: level.0,
        baseline: base.point,
        contrasts,
    })
}

fn rating_shift(col: &str, pairs: &BTreeMap<(String, String), u64>, level: Level) -> RatingShift {
    let total: u64 = pairs.values().sum();
    let rank = |r: &str| {
        RATINGS
            .iter()
            .position(|x| *x == r)
            .unwrap_or(RATINGS.len())
    };
    let (mut better, mut same, mut worse) = (0, 0, 0);
    for ((a, b), &c) in pairs {
        match rank(b).cmp(&rank(a)) {
            std::cmp::Ordering::Less => better += c,
            std::cmp::Ordering::Equal => same += c,
            std::cmp::Ordering::Greater => worse += c,
        }
    }
    let ratings = RATINGS
        .iter()
        .map(|r| {
            let mut t = [0u64; 4];
            for ((a, b), &c) in pairs {
                let k = match (a == r, b == r) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (false, false) => 3,
                };
                t[k] += c;
            }
            let (d, (lo, hi)) = newcombe(t, level);
            let n = total as f64;
            RatingShare {
                rating: r.to_string(),
                share_a: round((t[0] + t[1]) as f64 / n),
                share_b: round((t[0] + t[2]) as f64 / n),
                diff: round(d),
                ci: (round(lo), round(hi)),
            }
        })
        .collect();
    RatingShift {
        objective: col.trim_start_matches("rating:").to_string(),
        pairs: total,
        ratings,
        better,
        same,
        worse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newcombe_combines_the_two_wilson_intervals_with_the_pairs_correlation() {
        let level = Level(0.95);
        // 12 pairs both 1, 2 with A only, 9 with B only, 21 neither: B − A = 7/44.
        let (d, (lo, hi)) = newcombe([12, 2, 9, 21], level);
        assert!((d - 7.0 / 44.0).abs() < 1e-12);
        assert!(lo < d && d < hi && lo > -1.0 && hi < 1.0, "[{lo}, {hi}]");
        // Positively correlated pairs give a narrower interval than independent samples would.
        let (pa, pb, n) = (14.0 / 44.0, 21.0 / 44.0, 44.0);
        let (la, ua) = wilson(pa, n, level);
        let (lb, ub) = wilson(pb, n, level);
        let (ilo, ihi) = mover((pa, Some(la), Some(ua)), (pb, Some(lb), Some(ub)), 0.0);
        assert!(lo > ilo.unwrap() && hi < ihi.unwrap());
        // Identical pairs, all 1: the difference is 0 with a non-degenerate interval.
        let (d, (lo, hi)) = newcombe([30, 0, 0, 0], level);
        assert_eq!(d, 0.0);
        assert!(lo < 0.0 && hi > 0.0, "[{lo}, {hi}]");
    }
}
