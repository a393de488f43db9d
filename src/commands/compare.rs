use anyhow::{Context, Result, anyhow};
use std::path::{Path, PathBuf};

use crate::batch::contrasts::{Comparison, Contrast, Paired};
use crate::batch::manifest::Manifest;
use crate::batch::plan::{self, Point};
use crate::batch::{self};
use crate::cli::CompareArgs;
use crate::commands::batch::{overrides, stopping_rule, threads};
use crate::report::study_report::num;
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
    let mut manifest = Manifest::new("compare", &[&a, &b], &args.study, Vec::new(), None, columns);
    manifest.until = stopping_rule(&args.study)?;
    if let Some(rule) = &manifest.until {
        rule.check(&manifest.columns)?;
    }
    // Both variants get the same seeds: run i of A and run i of B share their random numbers for
    // every actor they have in common (common random numbers).
    let specs = plan::specs(2, args.study.runs, args.study.seed, None);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("compare-{}-{}", a.name, b.name)));
    batch::execute(
        &dir,
        &manifest,
        &points,
        &specs,
        threads(&args.study),
        false,
    )?;
    report::write_study(&dir)?;
    let c = read(&dir)?;
    if let Some(k) = c.contrasts.first() {
        print!("{}", table(k, &manifest));
    }
    eprintln!(
        "→ {}/compare.csv, compare.json, runs.csv, summary.csv, report.html",
        dir.display()
    );
    Ok(())
}

/// Reads a study's `compare.json`.
pub fn read(dir: &Path) -> Result<Comparison> {
    let file = dir.join("compare.json");
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a ttx comparison", file.display()))
}

pub fn significant(m: &Paired) -> bool {
    m.ci.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0)
}

fn opt(v: Option<f64>) -> String {
    v.map_or("–".into(), num)
}

/// The metrics that differ, largest evidence first, then a count of those that do not; the
/// latency medians; and what each figure compares.
fn table(k: &Contrast, m: &Manifest) -> String {
    let level = m.level.percent();
    let mut out = format!(
        "paired comparison, {} seeds: A = {}, B = {} (difference = B − A, {level} CI)\n",
        m.runs,
        k.a_label.trim_start_matches("A: "),
        k.b_label.trim_start_matches("B: ")
    );
    out.push_str(
        "  own A / own B: each variant's mean over its own runs (n); B − A: mean paired difference over the runs both have (pairs)\n",
    );
    let mut differing: Vec<&Paired> = k
        .metrics
        .iter()
        .filter(|m| m.mean_diff != 0.0 || m.sd_diff.is_some_and(|s| s > 0.0))
        .collect();
    differing.sort_by_key(|m| !significant(m));
    out.push_str(&format!(
        "  {:<42} {:>16} {:>16} {:>7} {:>10}  {level} CI\n",
        "metric", "own A (n)", "own B (n)", "pairs", "B − A"
    ));
    for p in differing.iter().take(40) {
        let ci = p.ci.map_or("–".into(), |(lo, hi)| {
            format!("[{}, {}]", num(lo), num(hi))
        });
        let mark = if significant(p) { " *" } else { "" };
        out.push_str(&format!(
            "  {:<42} {:>16} {:>16} {:>7} {:>10}  {ci}{mark}\n",
            p.metric,
            format!("{} ({})", opt(p.own_mean_a), p.n_a),
            format!("{} ({})", opt(p.own_mean_b), p.n_b),
            p.pairs,
            num(p.mean_diff)
        ));
    }
    if differing.len() > 40 {
        out.push_str(&format!(
            "  … {} more in compare.csv\n",
            differing.len() - 40
        ));
    }
    let same = k.metrics.len() - differing.len();
    out.push_str(&format!(
        "  {same} metrics identical in every pair; * the interval excludes 0\n"
    ));
    if !k.latency.is_empty() {
        out.push_str(&format!(
            "latency, Kaplan–Meier median of the runs' half-answered times (h; NR = not reached), {level} CI:\n"
        ));
        for l in &k.latency {
            let q = |x: &crate::batch::survival::KmQuantile| opt(x.hours).replace('–', "NR");
            let ci = format!(
                "[{}, {}]",
                l.median_ci.0.map_or("–".into(), num),
                l.median_ci.1.map_or("–".into(), num)
            );
            out.push_str(&format!(
                "  {:<28} A {:>7} ({} censored)  B {:>7} ({} censored)  B − A {:>7}  {ci}\n",
                l.step,
                q(&l.median_a),
                l.censored_share_a
                    .map_or("–".into(), crate::report::study_report::pct),
                q(&l.median_b),
                l.censored_share_b
                    .map_or("–".into(), crate::report::study_report::pct),
                opt(l.median_diff),
            ));
        }
    }
    out
}
