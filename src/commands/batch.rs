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
use crate::term::{self, Layout, count};
use crate::{report, scenario_source, study_text};

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

pub fn batch(args: &BatchArgs, layout: &Layout) -> Result<()> {
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
    let resolved =
        ttx_scenario::overrides::apply(&loaded.scenario, &sets).map_err(anyhow::Error::msg)?;
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
    let done = batch::execute(
        &dir,
        &manifest,
        &[(batch::SCENARIO_FILES[0], &resolved)],
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
    print!("{}", study_text::headline(&dir, layout)?);
    contrasts(&dir, &manifest, layout)?;
    let extra = if batch::has_contrasts(&manifest) {
        ", compare.csv"
    } else {
        ""
    };
    eprintln!(
        "{} in {secs:.1}s ({}) → {}/runs.csv, summary.json, summary.csv{extra}, scenario.ron, report.html",
        count(done, "run", "runs"),
        term::rate(done, secs),
        dir.display()
    );
    Ok(())
}

pub fn merge(dirs: &[PathBuf], out: &Path, layout: &Layout) -> Result<()> {
    let (manifest, rows) = merging::read_shards(dirs)?;
    merging::ensure_out_dir(out)?;
    if out.join("runs.csv").exists() {
        return Err(anyhow!(
            "{} already holds a study; choose another --out",
            out.display()
        ));
    }
    // Every shard wrote the same scenario files; the merged study keeps them.
    for file in batch::SCENARIO_FILES {
        if let Some(from) = dirs.iter().map(|d| d.join(file)).find(|p| p.is_file()) {
            let bytes =
                std::fs::read(&from).map_err(|e| anyhow!("cannot read {}: {e}", from.display()))?;
            write_atomic(&out.join(file), &bytes)?;
        }
    }
    write_atomic(&out.join("batch.json"), manifest.to_json().as_bytes())?;
    write_atomic(&out.join("runs.csv"), rows.as_bytes())?;
    batch::finish(out, &manifest)?;
    report::write_study(out)?;
    print!("{}", study_text::headline(out, layout)?);
    contrasts(out, &manifest, layout)?;
    eprintln!(
        "merged {} → {}",
        count(dirs.len() as u64, "shard", "shards"),
        out.display()
    );
    Ok(())
}

/// A sweep's paired differences between its points (every point against the first: they share
/// their seeds), after the headline table.
fn contrasts(dir: &Path, manifest: &Manifest, layout: &Layout) -> Result<()> {
    if !batch::has_contrasts(manifest) || !dir.join("compare.json").is_file() {
        return Ok(());
    }
    let comparison = batch::contrasts::read(dir)?;
    for k in &comparison.contrasts {
        println!();
        print!("{}", study_text::contrast(k, &comparison, layout));
    }
    Ok(())
}
