//! `batch.json`: what a study is (scenario, overrides, sweeps or design, runs, seed, confidence
//! level, stopping rule, shard) and the columns of its rows. Resuming checks that the study is the same; merging checks that the shards belong to
//! the same study; reports read it to label their charts.

use super::design::Design;
use super::estimators::Level;
use super::plan::{Shard, Sweep};
use super::stopping::Precision;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Format 3: runs drawn with trace format 2's random streams. A study of format 2 cannot be resumed
/// or merged: its rows came from other random numbers.
pub const FORMAT: &str = "ttx-batch/3";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub ttx_version: String,
    /// `batch`, or `compare` for a paired comparison of two variants.
    pub kind: String,
    /// Scenario names and content hashes, one per variant (one for a batch).
    pub scenarios: Vec<(String, String)>,
    pub sets: Vec<String>,
    pub sweeps: Vec<Sweep>,
    /// The points of an experimental design (`--design`, `--sample`), instead of a sweep grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<Design>,
    /// Runs per point; with a stopping rule, the most it may run.
    pub runs: u64,
    pub master_seed: u64,
    /// Confidence level of every interval (`--level`).
    pub level: Level,
    /// Stop once this metric's interval is this narrow (`--until`, `--precision`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Precision>,
    pub shard: Option<Shard>,
    pub columns: Vec<String>,
    /// What a comparison calls its two variants when their scenario names are equal: the files
    /// they came from (`ttx compare base.ron variant.ron`). Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
}

impl Manifest {
    /// A study of `kind` over `scenarios`; the version and format are this ttx's.
    pub fn new(
        kind: &str,
        scenarios: &[&ttx_scenario::Scenario],
        study: &crate::cli::StudyArgs,
        sweeps: Vec<Sweep>,
        shard: Option<Shard>,
        columns: Vec<String>,
    ) -> Manifest {
        Manifest {
            format: FORMAT.into(),
            ttx_version: env!("CARGO_PKG_VERSION").into(),
            kind: kind.into(),
            scenarios: scenarios
                .iter()
                .map(|s| (s.name.clone(), s.content_hash()))
                .collect(),
            sets: study.set.clone(),
            sweeps,
            design: None,
            runs: study.runs,
            master_seed: study.seed,
            level: study.level,
            until: None,
            shard,
            columns,
            variants: Vec::new(),
        }
    }

    /// The name of variant (or scenario) `i`: its label if the comparison set one, else its
    /// scenario's name.
    pub fn variant(&self, i: usize) -> &str {
        self.variants
            .get(i)
            .or_else(|| self.scenarios.get(i).map(|s| &s.0))
            .map_or("", String::as_str)
    }

    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join("batch.json");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {} (is {} a batch directory?)",
                path.display(),
                dir.display()
            )
        })?;
        let m: Manifest = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a ttx batch manifest", path.display()))?;
        if m.format == "ttx-batch/2" {
            bail!(
                "{}: this study was made by an earlier ttx, whose random streams differ (trace \
                 format 1); its runs cannot be resumed or merged with new ones. Run the study \
                 again into a new --out directory",
                path.display()
            );
        }
        if m.format != FORMAT {
            bail!(
                "{}: unsupported batch format \"{}\"",
                path.display(),
                m.format
            );
        }
        Ok(m)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("manifest serialises") + "\n"
    }

    /// The columns that name a row's point: swept paths or design columns.
    pub fn params(&self) -> Vec<String> {
        match &self.design {
            Some(d) => d.columns.clone(),
            None => self.sweeps.iter().map(|s| s.path.clone()).collect(),
        }
    }

    /// Number of points: grid points or design rows, times the variants.
    pub fn points(&self) -> u64 {
        let grid: u64 = match &self.design {
            Some(d) => d.rows.len() as u64,
            None => self.sweeps.iter().map(|s| s.values.len() as u64).product(),
        };
        grid * self.scenarios.len() as u64
    }

    /// Everything but the shard: two shards of one study have the same plan.
    pub fn plan(&self) -> Manifest {
        Manifest {
            shard: None,
            ..self.clone()
        }
    }
}
