use anyhow::{Result, anyhow};
use std::path::PathBuf;

use crate::batch::manifest::Manifest;
use crate::batch::paired::{self, Paired};
use crate::batch::plan::{self, Point};
use crate::batch::{self};
use crate::cli::CompareArgs;
use crate::commands::batch::{overrides, threads};
use crate::output::write_atomic;
use crate::{report, scenario_source};

pub fn compare(args: &CompareArgs) -> Result<()> {
    if args.study.runs == 0 {
        return Err(anyhow!("--runs must be at least 1"));
    }
    let sets = overrides(&args.study)?;
    let a = scenario_source::load(Some(&args.a))?.scenario;
    let b = scenario_source::load(Some(&args.b))?.scenario;
    let apply = |sc: &ttx_scenario::Scenario| -> Result<ttx_scenario::Scenario> {
        ttx_scenario::overrides::apply(sc, &sets).map_err(anyhow::Error::msg)
    };
    let points = vec![
        Point {
            values: vec!["A".into()],
            scenario: apply(&a)?,
        },
        Point {
            values: vec!["B".into()],
            scenario: apply(&b)?,
        },
    ];
    let columns = batch::columns(&points, &["variant".to_string()]);
    let manifest = Manifest::new("compare", &[&a, &b], &args.study, Vec::new(), None, columns);
    // Both variants get the same seeds: run i of A and run i of B share their random numbers for
    // every actor they have in common (common random numbers).
    let specs = plan::specs(2, args.study.runs, args.study.seed, None);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("compare-{}-{}", a.name, b.name)));
    let files = [
        (batch::SCENARIO_FILES[1], &points[0].scenario),
        (batch::SCENARIO_FILES[2], &points[1].scenario),
    ];
    batch::execute(
        &dir,
        &manifest,
        &files,
        &points,
        &specs,
        threads(&args.study),
        false,
    )?;
    let paired = paired::paired(&dir.join("runs.csv"))?;
    write_atomic(
        &dir.join("compare.json"),
        (serde_json::to_string_pretty(&paired)? + "\n").as_bytes(),
    )?;
    write_atomic(&dir.join("compare.csv"), paired::to_csv(&paired).as_bytes())?;
    report::write_study(&dir)?;
    print!("{}", table(&paired, &a.name, &b.name, args.study.runs));
    eprintln!(
        "→ {}/compare.csv, compare.json, runs.csv, summary.csv, report.html",
        dir.display()
    );
    Ok(())
}

/// The metrics that differ, largest evidence first, then a count of those that do not.
fn table(p: &[Paired], a: &str, b: &str, runs: u64) -> String {
    let mut out =
        format!("paired comparison, {runs} seeds: A = {a}, B = {b} (difference = B − A, 95% CI)\n");
    let mut differing: Vec<&Paired> = p
        .iter()
        .filter(|m| m.mean_diff != 0.0 || m.sd_diff.is_some_and(|s| s > 0.0))
        .collect();
    let significant = |m: &Paired| m.ci95.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0);
    differing.sort_by_key(|m| !significant(m));
    out.push_str(&format!(
        "  {:<42} {:>10} {:>10} {:>10}  {}\n",
        "metric", "mean A", "mean B", "B − A", "95% CI"
    ));
    for m in differing.iter().take(40) {
        let ci = m
            .ci95
            .map_or("–".into(), |(lo, hi)| format!("[{lo}, {hi}]"));
        let mark = if significant(m) { " *" } else { "" };
        out.push_str(&format!(
            "  {:<42} {:>10} {:>10} {:>10}  {ci}{mark}\n",
            m.metric, m.mean_a, m.mean_b, m.mean_diff
        ));
    }
    if differing.len() > 40 {
        out.push_str(&format!(
            "  … {} more in compare.csv\n",
            differing.len() - 40
        ));
    }
    let same = p.len() - differing.len();
    out.push_str(&format!(
        "  {same} metrics identical in every pair; * the interval excludes 0\n"
    ));
    out
}
