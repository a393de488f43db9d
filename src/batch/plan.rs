//! What a study runs: the grid of parameter points (from `--sweep`, on top of `--set`), the seeds
//! of each point, and which of those runs this shard does. Every point uses the same seeds, so
//! differences between points are paired (common random numbers, DESIGN.md §3).

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

    /// Runs are dealt round-robin, so every shard gets a fair share of every grid point.
    pub fn owns(&self, index: u64) -> bool {
        index % self.n == self.k - 1
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
    combos
        .into_iter()
        .map(|values| {
            let mut all: Vec<Override> = sets.to_vec();
            all.extend(sweeps.iter().zip(&values).map(|(s, v)| Override {
                path: s.path.clone(),
                value: v.clone(),
            }));
            let scenario = overrides::apply(base, &all).map_err(anyhow::Error::msg)?;
            Ok(Point { values, scenario })
        })
        .collect()
}

pub fn specs(points: usize, runs: u64, master: u64, shard: Option<Shard>) -> Vec<Spec> {
    (0..points)
        .flat_map(|p| {
            (0..runs).map(move |rep| Spec {
                index: p as u64 * runs + rep,
                point: p,
                rep,
                seed: ttx_sim::run_seed(master, rep),
            })
        })
        .filter(|s| shard.is_none_or(|sh| sh.owns(s.index)))
        .collect()
}
