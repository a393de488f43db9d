//! The stopping rule: `--until 'P(misattribution) ± 0.005'` or `--precision METRIC=HALFWIDTH`.
//! A study runs in blocks of [`CHECK_REPS`] seeds per point and stops at the first block boundary
//! where every point's interval of the metric (the summary's own estimator at `--level`) is at
//! most that wide on each side; `--runs` is the cap. The rule looks only at finished rows in
//! study order, so the number of runs done is the same for a given seed whatever the threads,
//! and a resumed study stops where the uninterrupted one did.

use super::estimators::Level;
use super::fields::{Fields, Value};
use super::summary::Watch;
use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};

/// Seeds per point between two looks at the interval.
pub const CHECK_REPS: u64 = 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    /// A column of `runs.csv`.
    pub metric: String,
    /// The largest half-width accepted.
    pub half_width: f64,
}

/// Common names researchers write for the headline proportions.
fn alias(expr: &str) -> String {
    let e = expr.trim();
    let inner = e
        .strip_prefix("P(")
        .or_else(|| e.strip_prefix("p("))
        .or_else(|| e.strip_prefix("mean("))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(e)
        .trim();
    let squashed: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    match squashed.as_str() {
        "misattribution" | "misattributed" => "misattributed".into(),
        "peak≥5" | "peak>=5" | "peak_ge5" => "peak_ge5".into(),
        _ => inner.to_string(),
    }
}

impl Precision {
    /// `EXPR ± H` (or `+-`): `P(misattribution) ± 0.005`, `P(peak ≥ 5) ± 0.01`, `index ± 0.05`.
    pub fn parse_until(text: &str) -> Result<Precision> {
        let (expr, h) = text
            .split_once('±')
            .or_else(|| text.split_once("+-"))
            .ok_or_else(|| {
                anyhow!("--until \"{text}\": expected METRIC ± HALFWIDTH, e.g. 'P(misattribution) ± 0.005'")
            })?;
        Self::new(&alias(expr), h, text)
    }

    /// `METRIC=HALFWIDTH`.
    pub fn parse_precision(text: &str) -> Result<Precision> {
        let (m, h) = text.rsplit_once('=').ok_or_else(|| {
            anyhow!("--precision \"{text}\": expected METRIC=HALFWIDTH, e.g. misattributed=0.005")
        })?;
        Self::new(&alias(m), h, text)
    }

    fn new(metric: &str, h: &str, text: &str) -> Result<Precision> {
        let half_width: f64 = h
            .trim()
            .parse()
            .ok()
            .filter(|h: &f64| *h > 0.0 && h.is_finite())
            .ok_or_else(|| anyhow!("\"{text}\": the half-width must be a positive number"))?;
        if metric.is_empty() {
            bail!("\"{text}\": name the metric");
        }
        Ok(Precision {
            metric: metric.to_string(),
            half_width,
        })
    }

    /// Checks the metric is a column of the study's rows.
    pub fn check(&self, columns: &[String]) -> Result<()> {
        if columns.contains(&self.metric) {
            return Ok(());
        }
        let known: Vec<&str> = columns.iter().map(String::as_str).collect();
        let hint = ttx_scenario::did_you_mean(&self.metric, known.iter().copied())
            .map_or(String::new(), |m| format!("; did you mean \"{m}\"?"));
        bail!(
            "the stopping rule's metric \"{}\" is not a column of this study's rows{hint} (docs/batch.md lists them)",
            self.metric
        )
    }
}

/// Watches one metric per point as rows are written.
pub struct Stopper {
    pub rule: Precision,
    /// Position of the metric among the columns.
    pub column: usize,
    /// Positions of the point and status columns.
    point: usize,
    status: usize,
    points: Vec<Watch>,
}

impl Stopper {
    pub fn new(rule: &Precision, columns: &[String], points: usize) -> Result<Stopper> {
        rule.check(columns)?;
        let find = |n: &str| {
            columns
                .iter()
                .position(|c| c == n)
                .ok_or_else(|| anyhow!("the rows have no {n} column"))
        };
        Ok(Stopper {
            rule: rule.clone(),
            column: find(&rule.metric)?,
            point: find("point")?,
            status: find("status")?,
            points: (0..points).map(|_| Watch::new(&rule.metric)).collect(),
        })
    }

    /// One row, read as the summaries read it (from `runs.csv` or from the cells being written);
    /// failed runs are not watched.
    pub fn push(&mut self, row: &(impl Fields + ?Sized)) {
        if row.value(self.status) != Value::Text("ok") {
            return;
        }
        let point = row.text(self.point).parse().unwrap_or(usize::MAX);
        if let Some(w) = self.points.get_mut(point) {
            w.push(row.value(self.column));
        }
    }

    /// Whether every point's interval is narrow enough; the widest half-width seen.
    pub fn met(&self, level: Level) -> (bool, Option<f64>) {
        let mut widest: Option<f64> = None;
        for w in &self.points {
            match w.interval(level) {
                (_, Some((lo, hi))) => {
                    let h = (hi - lo) / 2.0;
                    widest = Some(widest.map_or(h, |x: f64| x.max(h)));
                }
                _ => return (false, None),
            }
        }
        (widest.is_some_and(|h| h <= self.rule.half_width), widest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_reads_the_way_researchers_write_it() {
        let p = Precision::parse_until("P(misattribution) ± 0.005").unwrap();
        assert_eq!((p.metric.as_str(), p.half_width), ("misattributed", 0.005));
        let p = Precision::parse_until("P(peak >= 5) +- 0.01").unwrap();
        assert_eq!(p.metric, "peak_ge5");
        let p = Precision::parse_precision("index=0.05").unwrap();
        assert_eq!((p.metric.as_str(), p.half_width), ("index", 0.05));
        assert!(Precision::parse_until("P(misattribution)").is_err());
        assert!(Precision::parse_until("P(misattribution) ± -1").is_err());
        let cols = vec!["point".to_string(), "misattributed".to_string()];
        let err = Precision::parse_precision("misatributed=0.1")
            .unwrap()
            .check(&cols)
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean \"misattributed\""), "{err}");
    }
}
