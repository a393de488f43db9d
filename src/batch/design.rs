//! Experimental designs: one study point per row of a design file (`--design FILE.csv`, whose
//! columns are `--set` paths — what SALib's or EMA Workbench's samplers write), or a Latin
//! hypercube drawn here (`--sample lhs:N` over `--range PATH=lo..hi`). Every point runs the same
//! seeds (common random numbers), and its rows carry the design row as `point`, so the outputs
//! line up with the design for SALib's analysers (docs/batch.md).

use anyhow::{Context, Result, anyhow, bail};
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ttx_scenario::Span;

/// The points of a design: a column per `--set` path, a row per point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// Where it came from: the design file's name, or `lhs:N`.
    pub source: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Design {
    /// Reads a design file. Errors name the file, line and column.
    pub fn read(path: &Path) -> Result<Design> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let columns: Vec<String> = reader
            .headers()
            .with_context(|| format!("{name}:1:1: cannot read the header"))?
            .iter()
            .map(str::to_string)
            .collect();
        if columns.is_empty() || columns.iter().any(String::is_empty) {
            bail!(
                "{name}:1:1: the header must name a --set path in every column, e.g. doctrines.hawkish.attribution_threshold"
            );
        }
        let mut rows = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let line = i + 2;
            let rec = rec.with_context(|| format!("{name}:{line}:1: cannot read this row"))?;
            if rec.len() != columns.len() {
                bail!(
                    "{name}:{line}:1: {} values for {} columns ({})",
                    rec.len(),
                    columns.len(),
                    columns.join(", ")
                );
            }
            if let Some(c) = rec.iter().position(str::is_empty) {
                bail!("{name}:{line}:{}: empty value for {}", c + 1, columns[c]);
            }
            rows.push(rec.iter().map(str::to_string).collect());
        }
        if rows.is_empty() {
            bail!("{name}: the design has a header but no rows");
        }
        let source = path
            .file_name()
            .map_or(name.clone(), |f| f.to_string_lossy().into_owned());
        Ok(Design {
            source,
            columns,
            rows,
        })
    }

    /// `file:line:col` of a design cell, for errors about its value.
    pub fn locate(&self, row: usize, col: usize) -> String {
        format!("{}:{}:{}", self.source, row + 2, col + 1)
    }

    /// The design as a CSV file (what `--sample` writes beside the study).
    pub fn to_csv(&self) -> String {
        use super::table::{Cell, csv_line, header_line};
        let mut out = header_line(&self.columns);
        for r in &self.rows {
            let cells: Vec<Cell> = r.iter().map(|v| Cell::Text(v.clone())).collect();
            out.push_str(&csv_line(&cells));
        }
        out
    }
}

/// A parameter range for `--sample`: numbers (`0.2..0.9`), whole numbers (`1..6`) or durations
/// (`2h..2d`).
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    pub path: String,
    lo: f64,
    hi: f64,
    kind: RangeKind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum RangeKind {
    Real,
    Whole,
    Duration,
}

impl Range {
    pub fn parse(text: &str) -> Result<Range> {
        let usage = || {
            anyhow!(
                "--range \"{text}\": expected PATH=LO..HI, e.g. doctrines.hawkish.attribution_threshold=0.3..0.9 or scoring.targets.acknowledge=6h..2d"
            )
        };
        let (path, span) = text.split_once('=').ok_or_else(usage)?;
        let (lo, hi) = span.split_once("..").ok_or_else(usage)?;
        let (lo, hi) = (lo.trim(), hi.trim());
        let (lo_v, hi_v, kind) = match (lo.parse::<f64>(), hi.parse::<f64>()) {
            (Ok(a), Ok(b)) => {
                let whole = !lo.contains(['.', 'e', 'E']) && !hi.contains(['.', 'e', 'E']);
                (
                    a,
                    b,
                    if whole {
                        RangeKind::Whole
                    } else {
                        RangeKind::Real
                    },
                )
            }
            _ => match (Span::parse(lo), Span::parse(hi)) {
                (Ok(a), Ok(b)) => (a.0 as f64, b.0 as f64, RangeKind::Duration),
                _ => return Err(usage()),
            },
        };
        if lo_v >= hi_v || lo_v.is_nan() || hi_v.is_nan() {
            bail!("--range {path}: the low end must be below the high end");
        }
        Ok(Range {
            path: path.trim().to_string(),
            lo: lo_v,
            hi: hi_v,
            kind,
        })
    }

    /// The value at `u` ∈ [0, 1) of the range, as the scenario file would write it.
    fn value(&self, u: f64) -> String {
        let x = self.lo + (self.hi - self.lo) * u;
        match self.kind {
            RangeKind::Real => format!("{}", super::table::round(x)),
            // Each whole number in lo..=hi gets an equal share of the unit interval.
            RangeKind::Whole => format!(
                "{}",
                (self.lo + ((self.hi - self.lo + 1.0) * u).floor()).min(self.hi)
            ),
            RangeKind::Duration => format!("{}s", x.round() as i64),
        }
    }
}

/// `--sample lhs:N`.
pub fn parse_sample(text: &str) -> Result<u64> {
    let n = text
        .strip_prefix("lhs:")
        .and_then(|n| n.trim().parse::<u64>().ok())
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            anyhow!("--sample \"{text}\": expected lhs:N with N ≥ 1, e.g. --sample lhs:50")
        })?;
    Ok(n)
}

/// A Latin hypercube of `n` points over the ranges: each range is cut into `n` equal strata and
/// every stratum is used exactly once, in an order shuffled per range. Drawn from a ChaCha8
/// stream seeded by the master seed, so the same command gives the same design.
pub fn latin_hypercube(n: u64, ranges: &[Range], seed: u64) -> Design {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x4c48_5330_6465_7367);
    let n_us = n as usize;
    let mut columns_of_values: Vec<Vec<String>> = Vec::new();
    for r in ranges {
        let mut strata: Vec<usize> = (0..n_us).collect();
        strata.shuffle(&mut rng);
        let col = strata
            .iter()
            .map(|&k| {
                let u: f64 = rng.random();
                r.value((k as f64 + u) / n as f64)
            })
            .collect();
        columns_of_values.push(col);
    }
    Design {
        source: format!("lhs:{n}"),
        columns: ranges.iter().map(|r| r.path.clone()).collect(),
        rows: (0..n_us)
            .map(|i| columns_of_values.iter().map(|c| c[i].clone()).collect())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stratum_of_every_range_is_used_once() {
        let ranges = [
            Range::parse("a.x=0..1.0").unwrap(),
            Range::parse("b.y=2h..4h").unwrap(),
        ];
        let d = latin_hypercube(10, &ranges, 7);
        assert_eq!(d.rows.len(), 10);
        let mut strata: Vec<usize> = d
            .rows
            .iter()
            .map(|r| (r[0].parse::<f64>().unwrap() * 10.0).floor() as usize)
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
        assert!(d.rows.iter().all(|r| {
            let s: i64 = r[1].trim_end_matches('s').parse().unwrap();
            (7200..=14400).contains(&s)
        }));
        assert_eq!(d, latin_hypercube(10, &ranges, 7), "deterministic");
        assert_ne!(d, latin_hypercube(10, &ranges, 8));
    }

    #[test]
    fn bad_ranges_and_samples_say_what_is_expected() {
        assert!(Range::parse("x=3..1").is_err());
        assert!(
            Range::parse("x=a..b")
                .unwrap_err()
                .to_string()
                .contains("PATH=LO..HI")
        );
        assert_eq!(parse_sample("lhs:12").unwrap(), 12);
        assert!(parse_sample("sobol:12").is_err());
        let whole = Range::parse("x=1..3").unwrap();
        assert_eq!(whole.value(0.0), "1");
        assert_eq!(whole.value(0.999), "3");
    }
}
