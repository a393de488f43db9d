use anyhow::{Result, anyhow};
use std::path::{Path, PathBuf};
use ttx_scenario::overrides::Override;

use crate::batch::design::{self, Design, Range};
use crate::batch::manifest::Manifest;
use crate::batch::plan::{self, Shard, Sweep};
use crate::batch::stopping::Precision;
use crate::batch::{self, merge as merging};
use crate::cli::{BatchArgs, StudyArgs};
use crate::output::write_atomic;
use crate::{report, scenario_source};

pub fn overrides(study: &StudyArgs) -> Result<Vec<Override>> {
    study
        .set
        .iter()
        .map(|s| Override::parse(s).map_err(|e| anyhow!("--set {e}")))
        .collect()
}

/// The stopping rule of `--until` or `--precision`, if any.
pub fn stopping_rule(study: &StudyArgs) -> Result<Option<Precision>> {
    match (&study.until, &study.precision) {
        (Some(u), _) => Precision::parse_until(u).map(Some),
        (_, Some(p)) => Precision::parse_precision(p).map(Some),
        _ => Ok(None),
    }
}

/// The design of `--design FILE` or `--sample lhs:N --range …`.
fn design(args: &BatchArgs) -> Result<Option<Design>> {
    if let Some(path) = &args.design {
        return Design::read(path).map(Some);
    }
    let Some(sample) = &args.sample else {
        return Ok(None);
    };
    let n = design::parse_sample(sample)?;
    let ranges: Vec<Range> = args
        .range
        .iter()
        .map(|r| Range::parse(r))
        .collect::<Result<_>>()?;
    Ok(Some(design::latin_hypercube(n, &ranges, args.study.seed)))
}

pub fn threads(study: &StudyArgs) -> usize {
    study
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

pub fn batch(args: &BatchArgs) -> Result<()> {
    if args.study.runs == 0 {
        return Err(anyhow!("--runs must be at least 1"));
    }
    let loaded = scenario_source::load(args.scenario.as_deref())?;
    let sets = overrides(&args.study)?;
    let sweeps: Vec<Sweep> = args
        .sweep
        .iter()
        .map(|s| Sweep::parse(s))
        .collect::<Result<_>>()?;
    let shard = args.shard.as_deref().map(Shard::parse).transpose()?;
    let design = design(args)?;
    let (points, paths) = match &design {
        Some(d) => (
            plan::design_points(&loaded.scenario, &sets, d)?,
            d.columns.clone(),
        ),
        None => (
            plan::points(&loaded.scenario, &sets, &sweeps)?,
            sweeps.iter().map(|s| s.path.clone()).collect(),
        ),
    };
    let columns = batch::columns(&points, &paths);
    let mut manifest = Manifest::new(
        "batch",
        &[&loaded.scenario],
        &args.study,
        sweeps.clone(),
        shard,
        columns,
    );
    manifest.design = design;
    manifest.until = stopping_rule(&args.study)?;
    if let Some(rule) = &manifest.until {
        rule.check(&manifest.columns)?;
    }
    let specs = plan::specs(points.len(), args.study.runs, args.study.seed, shard);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("batch-{}", loaded.scenario.name)));
    let started = std::time::Instant::now();
    batch::execute(
        &dir,
        &manifest,
        &points,
        &specs,
        threads(&args.study),
        args.resume,
    )?;
    let secs = started.elapsed().as_secs_f64();
    if args.sample.is_some()
        && let Some(d) = &manifest.design
    {
        write_atomic(&dir.join("design.csv"), d.to_csv().as_bytes())?;
    }
    report::write_study(&dir)?;
    let done = rows_in(&dir)?;
    let extra = if batch::has_contrasts(&manifest) {
        ", compare.csv"
    } else {
        ""
    };
    eprintln!(
        "{done} runs in {secs:.1}s ({:.0} runs/s) → {}/runs.csv, summary.json, summary.csv{extra}, report.html",
        done as f64 / secs.max(1e-9),
        dir.display()
    );
    Ok(())
}

/// Rows in a finished study's runs.csv (a stopping rule may end it before the cap).
fn rows_in(dir: &Path) -> Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(dir.join("runs.csv"))?;
    let (mut buf, mut lines) = (vec![0u8; 1 << 16], 0u64);
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(lines.saturating_sub(1));
        }
        lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
}

pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<()> {
    let (manifest, rows) = merging::read_shards(dirs)?;
    merging::ensure_out_dir(out)?;
    if out.join("runs.csv").exists() {
        return Err(anyhow!(
            "{} already holds a study; choose another --out",
            out.display()
        ));
    }
    write_atomic(&out.join("batch.json"), manifest.to_json().as_bytes())?;
    write_atomic(&out.join("runs.csv"), rows.as_bytes())?;
    batch::finish(out, &manifest)?;
    report::write_study(out)?;
    eprintln!("merged {} shards → {}", dirs.len(), out.display());
    Ok(())
}
