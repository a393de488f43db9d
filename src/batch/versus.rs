//! A live exercise against bots (`ttx compare DIR`): the teams' one value of each metric beside
//! the distribution of the same metric over N runs with bots in the teams' place. The bots'
//! statistics are the study's own (`summary.rs`: mean, 95% interval of the mean, 5th–95th
//! percentile of the runs); the teams did better or worse than the bots on a metric when their
//! value lies outside the bots' 5–95% range, in the metric's good or bad direction.

use super::summary::Stat;
use super::table::{Cell, csv_line, header_line, round};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Versus {
    pub metric: String,
    /// The teams' value in the live exercise.
    pub teams: f64,
    /// Bot runs in which the metric applied.
    pub bots_n: u64,
    pub bots_mean: f64,
    /// 95% interval of the bots' mean.
    pub bots_ci: Option<(f64, f64)>,
    /// 5th and 95th percentile of the bot runs: where nine in ten bot runs land.
    pub bots_p5: Option<f64>,
    pub bots_p95: Option<f64>,
    /// Teams − bots' mean, and its 95% interval (the teams' value is one observation, so the
    /// interval is the mean's).
    pub diff: f64,
    pub diff_ci: Option<(f64, f64)>,
    /// `better`, `worse`, `higher`, `lower` (outside the bots' 5–95% range; the last two for
    /// metrics with no good direction), `within` the bots' range, or `simulated` for what no
    /// team decides (its CERT's detection time), which differs only by the random draws.
    pub verdict: String,
}

/// Whether a higher value of `metric` is better; `None` for counts with no good direction.
pub fn higher_is_better(metric: &str) -> Option<bool> {
    let good = metric.starts_with("norm:")
        || metric.starts_with("score:")
        || (metric.starts_with("ping:") && metric.ends_with(":rate"))
        || metric == "expectations_success"
        || metric == "attributions_correct";
    let bad = metric.starts_with("peak")
        || metric == "index"
        || metric == "hours_ge5"
        || metric == "spirals"
        || metric.starts_with("misattribut")
        || metric == "service_hours_lost"
        || metric == "expectations_failed"
        || (metric.starts_with("lat:")
            && (metric.ends_with(":p50_h")
                || metric.ends_with(":censored")
                || metric.ends_with(":censored_median")));
    match (good, bad) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

fn value(c: &Cell) -> Option<f64> {
    match c {
        Cell::Int(v) => Some(*v as f64),
        Cell::UInt(v) => Some(*v as f64),
        Cell::Num(v) => Some(*v),
        Cell::Text(_) | Cell::Empty => None,
    }
}

/// Whether people decide `metric` at all: a CERT's time to detect is the simulator's whoever
/// plays the state, so a team's value there says nothing about the team.
pub fn decided_by_players(metric: &str) -> bool {
    !metric.starts_with("lat:start_to_detect:")
}

/// Every metric both the teams and the bots have, in the bots' column order.
pub fn versus(teams: &BTreeMap<String, Cell>, bots: &[Stat]) -> Vec<Versus> {
    bots.iter()
        .filter_map(|s| {
            let x = value(teams.get(&s.metric)?)?;
            let mean = s.mean?;
            let outside = match (s.p5, s.p95) {
                (Some(lo), Some(_)) if x < lo => Some(false),
                (Some(lo), Some(hi)) if x > hi && hi >= lo => Some(true),
                _ => None,
            };
            let verdict = match (outside, higher_is_better(&s.metric)) {
                _ if !decided_by_players(&s.metric) => "simulated",
                (None, _) => "within",
                (Some(up), Some(good)) if up == good => "better",
                (Some(_), Some(_)) => "worse",
                (Some(true), None) => "higher",
                (Some(false), None) => "lower",
            };
            Some(Versus {
                metric: s.metric.clone(),
                teams: x,
                bots_n: s.n,
                bots_mean: mean,
                bots_ci: s.ci,
                bots_p5: s.p5,
                bots_p95: s.p95,
                diff: round(x - mean),
                diff_ci: s.ci.map(|(lo, hi)| (round(x - hi), round(x - lo))),
                verdict: verdict.into(),
            })
        })
        .collect()
}

pub fn to_csv(rows: &[Versus]) -> String {
    let cols: Vec<String> = [
        "metric",
        "teams",
        "bots_n",
        "bots_mean",
        "bots_ci_lo",
        "bots_ci_hi",
        "bots_p5",
        "bots_p95",
        "diff",
        "diff_ci_lo",
        "diff_ci_hi",
        "verdict",
    ]
    .map(String::from)
    .to_vec();
    let mut out = header_line(&cols);
    for r in rows {
        out.push_str(&csv_line(&[
            Cell::Text(r.metric.clone()),
            Cell::Num(r.teams),
            Cell::UInt(r.bots_n),
            Cell::Num(r.bots_mean),
            Cell::num(r.bots_ci.map(|c| c.0)),
            Cell::num(r.bots_ci.map(|c| c.1)),
            Cell::num(r.bots_p5),
            Cell::num(r.bots_p95),
            Cell::Num(r.diff),
            Cell::num(r.diff_ci.map(|c| c.0)),
            Cell::num(r.diff_ci.map(|c| c.1)),
            Cell::Text(r.verdict.clone()),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(metric: &str, p5: f64, p95: f64) -> Stat {
        Stat {
            metric: metric.into(),
            estimator: crate::batch::summary::Estimator::Mean,
            n: 20,
            na: 0,
            mean: Some((p5 + p95) / 2.0),
            sd: Some(1.0),
            ci: Some((p5 + 0.1, p95 - 0.1)),
            min: Some(p5),
            p5: Some(p5),
            p50: Some((p5 + p95) / 2.0),
            p95: Some(p95),
            max: Some(p95),
            p5_ci: (None, None),
            p50_ci: (None, None),
            p95_ci: (None, None),
            proportion: false,
        }
    }

    #[test]
    fn outside_the_bots_range_is_better_or_worse_by_the_metrics_direction() {
        let bots = [
            stat("norm:c", 0.2, 0.6),
            stat("lat:notify_to_acknowledge:p50_h", 5.0, 20.0),
            stat("lat:notify_to_acknowledge:n", 1.0, 2.0),
            stat("index", 1.0, 3.0),
            stat("lat:start_to_detect:p50_h", 1.0, 3.0),
        ];
        let teams: BTreeMap<String, Cell> = [
            ("norm:c", Cell::Num(1.0)),
            ("lat:notify_to_acknowledge:p50_h", Cell::Num(30.0)),
            ("lat:notify_to_acknowledge:n", Cell::Int(4)),
            ("index", Cell::Num(2.0)),
            ("lat:start_to_detect:p50_h", Cell::Num(0.1)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let v: Vec<(String, String)> = versus(&teams, &bots)
            .into_iter()
            .map(|r| (r.metric, r.verdict))
            .collect();
        let verdicts: Vec<&str> = v.iter().map(|(_, x)| x.as_str()).collect();
        assert_eq!(
            verdicts,
            ["better", "worse", "higher", "within", "simulated"],
            "{v:?}"
        );
    }
}
