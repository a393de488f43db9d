//! Monte Carlo studies: many seeds of one scenario (or of each point of a parameter grid or an
//! experimental design, or of two variants), run in parallel, one tidy row per run, summaries and
//! paired contrasts computed from the rows. See docs/batch.md for the files a study writes, the
//! estimator behind each figure, and how to spread a study over a cluster.

pub mod binned;
pub mod compare_csv;
pub mod contrasts;
pub mod design;
pub mod estimators;
pub mod fields;
pub mod manifest;
pub mod merge;
pub mod metric_key;
pub mod metrics;
pub mod plan;
pub mod runner;
pub mod stopping;
pub mod store;
pub mod summarise;
pub mod summary;
pub mod summary_csv;
pub mod survival;
pub mod table;
pub mod versus;

use anyhow::{Context, Result, bail};
use manifest::Manifest;
use plan::{Point, Spec};

/// Runs made and run at a time when no stopping rule asks for blocks of its own.
const BLOCK: usize = 1 << 16;
use std::path::Path;
use store::RowsFile;
use table::{Cell, push_csv_line};

use crate::output::write_atomic;

/// Identifier columns every row starts with, before the swept parameters.
pub const ID_COLUMNS: [&str; 4] = ["run", "point", "rep", "seed"];

/// All columns of a study's rows: ids, swept parameters, status, then the union of the points'
/// metric columns in first-seen order.
pub fn columns(points: &[Point], sweep_paths: &[String]) -> Vec<String> {
    let mut cols: Vec<String> = ID_COLUMNS.iter().map(|c| c.to_string()).collect();
    cols.extend(sweep_paths.iter().cloned());
    cols.push("status".into());
    let mut seen = std::collections::BTreeSet::new();
    for p in points {
        for c in metrics::columns(&p.scenario) {
            if seen.insert(c.clone()) {
                cols.push(c);
            }
        }
    }
    cols
}

/// What every run of a study needs: one prepared simulation and scorer per grid point and the
/// metric columns of the rows.
pub struct Study {
    /// Per grid point: the simulation, which owns the point's scenario, and its scorer.
    points: Vec<(ttx_sim::Simulation, ttx_scoring::Scorer)>,
    layout: metrics::RowLayout,
    /// Whether any point has per-state norm columns; rows skip those values otherwise.
    per_state_norms: bool,
}

impl Study {
    pub fn new(points: &[Point], columns: &[String]) -> Result<Study> {
        let sims = points
            .iter()
            .map(|p| {
                ttx_sim::Simulation::new(&p.scenario).map_err(|d| {
                    anyhow::anyhow!("{}", ttx_scenario::Diagnostics::new("scenario", "", d))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let points = sims
            .into_iter()
            .map(|s: ttx_sim::Simulation| {
                let scorer = ttx_scoring::Scorer::with_hash(s.scenario(), s.scenario_hash().into());
                (s, scorer)
            })
            .collect();
        let metrics_from = columns
            .iter()
            .position(|c| c == "status")
            .map_or(0, |i| i + 1);
        let metric_cols = columns[metrics_from..].to_vec();
        Ok(Study {
            points,
            per_state_norms: metrics::has_per_state_norms(&metric_cols),
            layout: metrics::RowLayout::new(&metric_cols),
        })
    }

    /// One run: simulate, score, and return the metric cells in column order. Nothing of the
    /// trace is kept.
    pub fn run(&self, s: &Spec) -> runner::Outcome {
        let (sim, scorer) = &self.points[s.point];
        let trace = sim.run(s.seed);
        let tally = scorer.tally(sim.scenario(), &trace);
        Ok(self.layout.row(&tally, self.per_state_norms))
    }
}

/// The scenario files a study directory holds beside its rows: the scenario of a batch (or of
/// each variant of a comparison) with `--set` applied — the base every grid point starts from —
/// so that the study, or any of its runs, can be run again from the directory alone.
pub const SCENARIO_FILES: [&str; 3] = ["scenario.ron", "scenario-a.ron", "scenario-b.ron"];

/// Runs (or resumes) a study into `dir` and writes its summaries. `scenarios` are written
/// beside the rows when the study starts (file name, scenario). Returns how many runs this
/// call did (after `--resume`, not those already done), for an honest rate.
pub fn execute(
    dir: &Path,
    manifest: &Manifest,
    scenarios: &[(&str, &ttx_scenario::Scenario)],
    points: &[Point],
    specs: &plan::Specs,
    threads: usize,
    resume: bool,
) -> Result<u64> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let done_file = dir.join("runs.csv");
    let partial = RowsFile::partial_path(dir);
    let (mut rows, skip) = match (resume, done_file.exists(), partial.exists()) {
        (false, true, _) => bail!(
            "{} already holds a finished study; choose another --out or remove it",
            dir.display()
        ),
        (false, false, true) => {
            bail!(
                "{} holds an interrupted study; add --resume to complete it, or remove it",
                dir.display()
            )
        }
        (true, true, _) => {
            check_same(dir, manifest)?;
            eprintln!("{} is already complete", dir.display());
            return finish(dir, manifest).map(|()| 0);
        }
        (true, false, true) => {
            check_same(dir, manifest)?;
            let (rows, done) = RowsFile::resume(dir, &manifest.columns)?;
            eprintln!("resuming: {done} of {} runs already done", specs.len());
            (rows, done as usize)
        }
        (true, false, false) => bail!(
            "nothing to resume in {}: it holds no interrupted study",
            dir.display()
        ),
        (false, false, false) => {
            for (file, sc) in scenarios {
                crate::scenario_source::write_beside(dir, file, sc)?;
            }
            write_atomic(&dir.join("batch.json"), manifest.to_json().as_bytes())?;
            (RowsFile::create(dir, &manifest.columns)?, 0)
        }
    };
    let study = Study::new(points, &manifest.columns)?;
    // The summaries and the stopping rule take each row as it is written; a resumed study's
    // earlier rows first, on one pass over its file.
    let mut summariser = summary::Summariser::new(&manifest.columns, &manifest.params())?;
    let mut stopper = match &manifest.until {
        Some(rule) => Some(stopping::Stopper::new(
            rule,
            &manifest.columns,
            points.len(),
        )?),
        None => None,
    };
    if skip > 0 {
        rows.flush()?;
        let mut earlier = csv::Reader::from_path(&partial)
            .with_context(|| format!("cannot read {}", partial.display()))?;
        summariser.feed(&mut earlier, &mut |row| {
            if let Some(st) = stopper.as_mut() {
                st.push(row);
            }
        })?;
    }
    // Specs are made a block at a time, so memory does not grow with the study. With a stopping
    // rule a block is CHECK_REPS seeds of every point, and the rule is looked at after each.
    let block = match stopper {
        Some(_) => stopping::CHECK_REPS as usize * points.len(),
        None => BLOCK,
    };
    let mut failed = 0u64;
    let mut written = 0u64;
    let start = skip.min(specs.len());
    let mut done = start;
    let bar = runner::progress((specs.len() - start) as u64);
    let mut line = String::new();
    while done < specs.len() {
        if let Some(st) = &stopper
            && done > 0
            && done.is_multiple_of(block)
            && st.met(manifest.level).0
        {
            break;
        }
        let end = ((done / block + 1) * block).min(specs.len());
        runner::run_with(
            &specs.range(done, end),
            threads,
            &bar,
            |s| study.run(s),
            |s, outcome| {
                let mut cells = vec![
                    Cell::UInt(s.index),
                    Cell::Int(s.point as i64),
                    Cell::UInt(s.rep),
                    Cell::UInt(s.seed),
                ];
                cells.extend(points[s.point].values.iter().map(|v| Cell::Text(v.clone())));
                match outcome {
                    Ok(m) => {
                        cells.push(Cell::Text("ok".into()));
                        cells.extend(m);
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("run {} (seed {}) failed: {e}", s.index, s.seed);
                        cells.push(Cell::Text(format!("failed: {}", e.replace('\n', " "))));
                        cells.extend((0..study.layout.width()).map(|_| Cell::Empty));
                    }
                }
                if let Some(st) = stopper.as_mut() {
                    st.push(&cells[..]);
                }
                summariser.push(&cells[..])?;
                line.clear();
                push_csv_line(&mut line, &cells);
                rows.append(&line)?;
                written += 1;
                if written.is_multiple_of(512) {
                    rows.flush()?;
                }
                Ok(())
            },
        )?;
        done = end;
    }
    bar.finish_and_clear();
    if let Some(st) = &stopper {
        let (met, widest) = st.met(manifest.level);
        let reps = done / points.len().max(1);
        let h = widest.map_or("–".into(), |h| format!("{h:.4}"));
        if met {
            eprintln!(
                "stopped after {reps} seeds per point: the {} interval of {} is ±{h} (asked ±{})",
                manifest.level.percent(),
                st.rule.metric,
                st.rule.half_width
            );
        } else {
            eprintln!(
                "ran the cap of {reps} seeds per point (--runs) without reaching ±{} on {}: the widest {} interval is ±{h}",
                st.rule.half_width,
                st.rule.metric,
                manifest.level.percent()
            );
        }
    }
    rows.finish()?;
    if failed > 0 {
        eprintln!(
            "{} failed; their rows say why and `ttx run --seed SEED` replays one",
            crate::term::count(failed, "run", "runs")
        );
    }
    write_summaries(dir, manifest, &summariser.summary(manifest.level))?;
    Ok((done - start) as u64)
}

fn check_same(dir: &Path, manifest: &Manifest) -> Result<()> {
    let existing = Manifest::read(dir)?;
    if existing != *manifest {
        bail!(
            "{} holds a different study (scenario, overrides, sweeps, runs, seed or shard differ); it cannot be resumed with these options",
            dir.display()
        );
    }
    Ok(())
}

/// Labels of a study's points, as contrasts name them: "A: name" / "B: name" in a comparison,
/// the swept values otherwise.
pub fn point_labels(manifest: &Manifest, summary: &summary::Summary) -> Vec<String> {
    summary
        .points
        .iter()
        .map(|p| {
            if manifest.kind == "compare" {
                let (tag, i) = if p.point == 0 { ("A", 0) } else { ("B", 1) };
                return format!("{tag}: {}", manifest.variant(i));
            }
            let params: Vec<String> = manifest
                .params()
                .iter()
                .map(|k| format!("{k}={}", p.params.get(k).map_or("", String::as_str)))
                .collect();
            if params.is_empty() {
                "all runs".into()
            } else {
                params.join(", ")
            }
        })
        .collect()
}

/// Whether a study writes paired contrasts: a comparison, or a sweep grid (a design's rows are
/// analysed by SALib or EMA Workbench instead).
pub fn has_contrasts(manifest: &Manifest) -> bool {
    manifest.kind == "compare" || (manifest.design.is_none() && !manifest.sweeps.is_empty())
}

/// Writes the summaries (and, for comparisons and sweeps, the paired contrasts) of a complete
/// rows file.
pub fn finish(dir: &Path, manifest: &Manifest) -> Result<()> {
    let runs = dir.join("runs.csv");
    let summary = summary::summarise(&runs, &manifest.params(), manifest.level)?;
    write_summaries(dir, manifest, &summary)
}

/// Writes `summary` of the complete rows file in `dir`, and the paired contrasts of comparisons
/// and sweeps (which read the rows again: they pair runs by seed).
fn write_summaries(dir: &Path, manifest: &Manifest, summary: &summary::Summary) -> Result<()> {
    let params = manifest.params();
    let runs = dir.join("runs.csv");
    write_atomic(
        &dir.join("summary.json"),
        (serde_json::to_string_pretty(summary)? + "\n").as_bytes(),
    )?;
    write_atomic(
        &dir.join("summary.csv"),
        summary_csv::to_csv(summary, &params).as_bytes(),
    )?;
    if has_contrasts(manifest) && summary.points.len() > 1 {
        let labels = point_labels(manifest, summary);
        let c = contrasts::compare(&runs, summary, &labels, manifest.level)?;
        write_atomic(
            &dir.join("compare.json"),
            (serde_json::to_string_pretty(&c)? + "\n").as_bytes(),
        )?;
        write_atomic(&dir.join("compare.csv"), compare_csv::to_csv(&c).as_bytes())?;
    }
    Ok(())
}
