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
pub fn specs(points: usize, runs: u64, master: u64, shard: Option<Shard>) -> Specs {
    Specs {
        points,
        runs,
        master,
        shard,
    }
}

/// The runs of a study (or of one shard), in study order, made on demand: a study of a million
/// runs holds the few it is running, not a million specs.
#[derive(Clone, Copy, Debug)]
pub struct Specs {
    points: usize,
    runs: u64,
    master: u64,
    shard: Option<Shard>,
}

impl Specs {
    /// Seeds this study (or shard) runs.
    fn reps(&self) -> u64 {
        match self.shard {
            None => self.runs,
            Some(sh) => (self.runs + sh.n - sh.k) / sh.n,
        }
    }

    pub fn len(&self) -> usize {
        (self.reps() * self.points as u64) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The specs at positions `start..end` of the study order (seed-major).
    pub fn range(&self, start: usize, end: usize) -> Vec<Spec> {
        let points = self.points.max(1);
        (start..end.min(self.len()))
            .map(|i| {
                let j = (i / points) as u64;
                let p = i % points;
                let rep = match self.shard {
                    None => j,
                    Some(sh) => j * sh.n + sh.k - 1,
                };
                Spec {
                    index: rep * points as u64 + p as u64,
                    point: p,
                    rep,
                    seed: ttx_sim::run_seed(self.master, rep),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the specs were when they were made all at once: every owned seed, every point.
    fn eager(points: usize, runs: u64, master: u64, shard: Option<Shard>) -> Vec<Spec> {
        (0..runs)
            .filter(|rep| shard.is_none_or(|sh| sh.owns(*rep)))
            .flat_map(|rep| {
                (0..points).map(move |p| Spec {
                    index: rep * points as u64 + p as u64,
                    point: p,
                    rep,
                    seed: ttx_sim::run_seed(master, rep),
                })
            })
            .collect()
    }

    #[test]
    fn specs_made_block_by_block_are_the_whole_list() {
        for (points, runs) in [(1, 0), (1, 7), (3, 10), (2, 1)] {
            let mut shards = vec![None];
            shards.extend((1..=4).map(|k| Some(Shard { k, n: 4 })));
            for shard in shards {
                let all = eager(points, runs, 9, shard);
                let specs = specs(points, runs, 9, shard);
                assert_eq!(specs.len(), all.len(), "{points} × {runs}, {shard:?}");
                assert_eq!(specs.range(0, specs.len()), all);
                let pieces: Vec<Spec> = (0..specs.len())
                    .step_by(4)
                    .flat_map(|i| specs.range(i, i + 4))
                    .collect();
                assert_eq!(pieces, all);
            }
        }
    }
}
