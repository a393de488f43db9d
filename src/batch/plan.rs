//! What a study runs: the points (a grid from `--sweep`, or the rows of a design, on top of
//! `--set`), the seeds of each point, and which of those runs this shard does. Every point uses the
//! same seeds, so differences between points are paired (common random numbers, DESIGN.md §3).
//! Runs are numbered seed-major — all points of seed 0, then all points of seed 1 — so the runs that
//! share a seed are adjacent in the rows (paired statistics stream), a study can stop after any
//! block of seeds (`--until`), and a shard holds whole pairs.

use super::design::Design;
use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use ttx_scenario::Scenario;
use ttx_scenario::overrides::{self, Override};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    pub path: String,
    pub values: Vec<String>,
}

impl Sweep {
    pub fn parse(text: &str) -> Result<Sweep> {
        let (path, values) = text
            .split_once('=')
            .ok_or_else(|| anyhow!("--sweep \"{text}\": expected PATH=v1,v2,…, e.g. doctrines.cautious.ack_probability=0.5,0.7,0.9"))?;
        let values: Vec<String> = values
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            bail!("--sweep {path}: no values given");
        }
        Ok(Sweep {
            path: path.trim().to_string(),
            values,
        })
    }
}

/// A shard `k/n` (1-based k) of a study spread over n machines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl Shard {
    pub fn parse(text: &str) -> Result<Shard> {
        let err = || anyhow!("--shard \"{text}\": expected K/N with 1 ≤ K ≤ N, e.g. --shard 3/8");
        let (k, n) = text.split_once('/').ok_or_else(err)?;
        let (k, n): (u64, u64) = (
            k.trim().parse().map_err(|_| err())?,
            n.trim().parse().map_err(|_| err())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(err());
        }
        Ok(Shard { k, n })
    }

    /// Seeds are dealt round-robin, all points of a seed together, so every shard gets a fair
    /// share of every point and holds whole pairs.
    pub fn owns(&self, rep: u64) -> bool {
        rep % self.n == self.k - 1
    }
}

/// One point of the parameter grid: the swept values and the scenario they give.
pub struct Point {
    pub values: Vec<String>,
    pub scenario: Scenario,
}

/// One run of the study.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Position in the whole study (all points, all shards): the row's `run` column.
    pub index: u64,
    pub point: usize,
    /// Position within its point; the seed depends only on it.
    pub rep: u64,
    pub seed: u64,
}

/// One point: the base scenario with the `--set` overrides, then the point's own values.
fn point(
    base: &Scenario,
    sets: &[Override],
    paths: &[String],
    values: Vec<String>,
) -> Result<Point, String> {
    let mut all: Vec<Override> = sets.to_vec();
    all.extend(paths.iter().zip(&values).map(|(p, v)| Override {
        path: p.clone(),
        value: v.clone(),
    }));
    let scenario = overrides::apply(base, &all)?;
    Ok(Point { values, scenario })
}

/// Builds the grid: the cartesian product of the sweeps, first sweep outermost.
pub fn points(base: &Scenario, sets: &[Override], sweeps: &[Sweep]) -> Result<Vec<Point>> {
    let mut combos: Vec<Vec<String>> = vec![Vec::new()];
    for s in sweeps {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                s.values
                    .iter()
                    .map(move |v| [c.clone(), vec![v.clone()]].concat())
            })
            .collect();
    }
    let paths: Vec<String> = sweeps.iter().map(|s| s.path.clone()).collect();
    combos
        .into_iter()
        .map(|values| point(base, sets, &paths, values).map_err(anyhow::Error::msg))
        .collect()
}

/// One point per design row; an error names the design file's line and the column at fault.
pub fn design_points(base: &Scenario, sets: &[Override], design: &Design) -> Result<Vec<Point>> {
    design
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            point(base, sets, &design.columns, row.clone()).map_err(|e| {
                let col = design
                    .columns
                    .iter()
                    .position(|c| e.contains(c.as_str()))
                    .unwrap_or(0);
                let e = e.replace("--set ", "");
                anyhow!("{}: {e}", design.locate(i, col))
            })
        })
        .collect()
}

/// The runs of a study, seed-major: run `rep × points + point`.
pub fn specs(points: usize, runs: u64, master: u64, shard: Option<Shard>) -> Vec<Spec> {
    (0..runs)
        .filter(|rep| shard.is_none_or(|sh| sh.owns(*rep)))
        .flat_map(|rep| {
            let seed = ttx_sim::run_seed(master, rep);
            (0..points).map(move |p| Spec {
                index: rep * points as u64 + p as u64,
                point: p,
                rep,
                seed,
            })
        })
        .collect()
}
