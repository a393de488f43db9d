use anyhow::{Result, anyhow};
use std::path::PathBuf;

use crate::batch::contrasts;
use crate::batch::manifest::Manifest;
use crate::batch::plan::{self, Point};
use crate::batch::{self};
use crate::cli::CompareArgs;
use crate::commands::batch::{overrides, stopping_rule, threads};
use crate::term::Layout;
use crate::{report, scenario_source, study_text};

/// What to call the two variants: their scenario names, or the files they came from when the
/// names are equal (a variant is often a copy of its base with one value changed).
fn labels(a_arg: &str, b_arg: &str, a: &str, b: &str) -> Option<[String; 2]> {
    if a != b {
        return None;
    }
    let file = |arg: &str| {
        std::path::Path::new(arg)
            .file_name()
            .map_or(arg.to_string(), |f| f.to_string_lossy().into_owned())
    };
    let (fa, fb) = (file(a_arg), file(b_arg));
    Some(if fa != fb {
        [fa, fb]
    } else {
        [a_arg.to_string(), b_arg.to_string()]
    })
}

pub fn compare(args: &CompareArgs, layout: &Layout) -> Result<()> {
    let Some(b_arg) = &args.b else {
        let dir = std::path::Path::new(&args.a);
        if dir.join("trace.jsonl").is_file() {
            return super::compare_live::compare(dir, args, layout);
        }
        return Err(anyhow!(
            "give two scenarios to compare (ttx compare A B), or a live exercise's directory (holding trace.jsonl)"
        ));
    };
    if args.study.runs == 0 {
        return Err(anyhow!("--runs must be at least 1"));
    }
    let sets = overrides(&args.study)?;
    let a = scenario_source::load(Some(&args.a))?.scenario;
    let b = scenario_source::load(Some(b_arg))?.scenario;
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
    if let Some(l) = labels(&args.a, b_arg, &a.name, &b.name) {
        manifest.variants = l.to_vec();
    }
    let (name_a, name_b) = (
        manifest.variant(0).to_string(),
        manifest.variant(1).to_string(),
    );
    // Both variants get the same seeds: run i of A and run i of B share their random numbers for
    // every actor they have in common (common random numbers).
    let specs = plan::specs(2, args.study.runs, args.study.seed, None);
    let dir = args.out.clone().unwrap_or_else(|| {
        let stem = |s: &str| s.trim_end_matches(".ron").replace(['/', '\\'], "-");
        PathBuf::from(format!("compare-{}-{}", stem(&name_a), stem(&name_b)))
    });
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
    report::write_study(&dir)?;
    print!("{}", study_text::headline(&dir, layout)?);
    let comparison = contrasts::read(&dir)?;
    for k in &comparison.contrasts {
        println!();
        print!("{}", study_text::contrast(k, &comparison, layout));
    }
    eprintln!(
        "→ {}/compare.csv, compare.json, runs.csv, summary.csv, scenario-a.ron, scenario-b.ron, report.html",
        dir.display()
    );
    Ok(())
}
