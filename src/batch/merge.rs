//! Combining the outputs of a study's shards into exactly the files a single machine would have
//! written: rows in study order, the manifest without its shard, summaries recomputed from the rows.

use super::manifest::Manifest;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest of the whole study and its rows in order, read from shard directories.
pub fn read_shards(dirs: &[PathBuf]) -> Result<(Manifest, String)> {
    let mut manifests = Vec::new();
    for d in dirs {
        let m = Manifest::read(d)?;
        if !d.join("runs.csv").is_file() {
            bail!(
                "{} has no runs.csv: that shard is not finished (use --resume in it first)",
                d.display()
            );
        }
        manifests.push((d.clone(), m));
    }
    let (first_dir, first) = manifests
        .first()
        .cloned()
        .context("give at least one batch directory")?;
    let plan = first.plan();
    let mut shards: BTreeMap<u64, PathBuf> = BTreeMap::new();
    let mut n = None;
    for (d, m) in &manifests {
        if m.plan() != plan {
            bail!(
                "{} and {} are not shards of the same study (scenario, overrides, sweeps, runs or seed differ)",
                first_dir.display(),
                d.display()
            );
        }
        match m.shard {
            Some(s) => {
                if *n.get_or_insert(s.n) != s.n {
                    bail!(
                        "{} is shard {}/{} but the others are out of {}",
                        d.display(),
                        s.k,
                        s.n,
                        n.unwrap_or(0)
                    );
                }
                if let Some(prev) = shards.insert(s.k, d.clone()) {
                    bail!(
                        "shard {}/{} is given twice: {} and {}",
                        s.k,
                        s.n,
                        prev.display(),
                        d.display()
                    );
                }
            }
            None => bail!("{} is a complete study, not a shard", d.display()),
        }
    }
    let n = n.unwrap_or(0);
    let missing: Vec<String> = (1..=n)
        .filter(|k| !shards.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        bail!("shards missing: {}", missing.join(", "));
    }
    let mut header = None;
    let mut rows: BTreeMap<u64, String> = BTreeMap::new();
    for d in shards.values() {
        let text = std::fs::read_to_string(d.join("runs.csv"))?;
        let mut lines = text.split_inclusive('\n');
        let h = lines.next().unwrap_or("").to_string();
        if *header.get_or_insert(h.clone()) != h {
            bail!("{}/runs.csv has different columns", d.display());
        }
        for line in lines {
            let run: u64 = line
                .split(',')
                .next()
                .and_then(|r| r.parse().ok())
                .with_context(|| format!("{}/runs.csv: bad row {line:?}", d.display()))?;
            rows.insert(run, line.to_string());
        }
    }
    let total = plan.runs * plan.points();
    if rows.len() as u64 != total || rows.keys().next_back().is_some_and(|&k| k + 1 != total) {
        bail!(
            "the shards hold {} rows but the study has {total} runs",
            rows.len()
        );
    }
    let mut out = header.unwrap_or_default();
    for line in rows.values() {
        out.push_str(line);
    }
    Ok((plan, out))
}

pub fn ensure_out_dir(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))
}
