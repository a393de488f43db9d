//! What `ttx run` prints fits the terminal: golden files of the default scenario at 80 and 120
//! columns (no line longer than the width, tables whole), piped output that is exactly the
//! 80-column layout whatever the environment, `--wide` with one line per record, and every
//! bundled scenario's timeline and scorecard within 60, 80 and 120 columns.
//!
//! After an intended change of the output, regenerate the golden files with
//! `TTX_BLESS=1 cargo test --test terminal_output` and read the diff before committing it.

mod common;
use common::*;
use std::path::PathBuf;
use ttx::term::{Layout, width};

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn too_wide(text: &str, w: usize) -> Vec<String> {
    text.lines()
        .filter(|l| width(l) > w)
        .map(|l| format!("{} columns: {l}", width(l)))
        .collect()
}

/// The lines of the table whose heading line starts with `first` and ends with `last`, heading
/// included.
fn table<'a>(text: &'a str, first: &str, last: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with(first) && l.ends_with(last))
        .unwrap_or_else(|| panic!("no table headed {first} … {last}"));
    let indent = lines[start].len() - lines[start].trim_start().len();
    lines[start..]
        .iter()
        .take_while(|l| {
            let i = l.len() - l.trim_start().len();
            let legend = ["PoCs:", "✓ fulfilled"]
                .iter()
                .any(|x| l.trim_start().starts_with(x));
            !l.trim().is_empty() && i == indent && !legend
        })
        .copied()
        .collect()
}

#[test]
fn run_matches_its_golden_files_at_80_and_120_columns() {
    let mut failures = Vec::new();
    for w in [80, 120] {
        let o = ttx(&["run", "--width", &w.to_string()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = stdout(&o);
        let path = golden(&format!("run-{w}.txt"));
        if std::env::var_os("TTX_BLESS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if text != expected {
            failures.push(format!(
                "{}: differs (TTX_BLESS=1 regenerates it)\n--- got\n{text}",
                path.display()
            ));
        }
        let long = too_wide(&text, w);
        assert!(long.is_empty(), "at {w} columns:\n{}", long.join("\n"));
        // Tables stay whole: one line per row, right-aligned columns ending together.
        for (first, last) in [
            ("chain step", "breaches"),
            ("state", "reached"),
            ("state", "k"),
        ] {
            let rows = table(&text, first, last);
            assert!(rows.len() >= 3, "{first}: {rows:?}");
            let widths: Vec<usize> = rows.iter().map(|r| width(r)).collect();
            assert!(
                widths.iter().all(|&x| x == widths[0]),
                "{first} … {last} at {w}: {rows:#?}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn piped_output_is_the_80_column_layout_whatever_the_environment() {
    let piped = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .arg("run")
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    assert_eq!(stdout(&piped), stdout(&ttx(&["run", "--width", "80"])));
}

#[test]
fn wide_gives_one_line_per_timeline_record() {
    let sc = scenario("hospital-ransomware");
    let trace = ttx_sim::Simulation::new(&sc).unwrap().run(1);
    let shown = trace
        .records
        .iter()
        .filter(|r| ttx::timeline::shown(&r.event))
        .count();
    let text = stdout(&ttx(&["run", "--wide"]));
    let timeline = text
        .split("\n\n")
        .nth(1)
        .expect("the timeline follows the header");
    assert_eq!(timeline.lines().count(), shown);
    assert!(too_wide(&text, 80).len() > 10, "--wide does not wrap");
}

#[test]
fn every_bundled_scenario_fits_60_80_and_120_columns() {
    for name in ttx_scenario::library::names() {
        let sc = scenario(name);
        let trace = ttx_sim::Simulation::new(&sc).unwrap().run(1);
        let card = ttx_scoring::score(&sc, &trace);
        for w in [60, 80, 120] {
            let layout = Layout::fixed(w);
            let options = ttx::timeline::Options {
                verbose: true,
                layout,
            };
            let text = ttx::timeline::header(&sc, &trace, &layout)
                + &ttx::timeline::render(&trace, &options)
                + &ttx::scorecard_text::render(&card, &sc, &layout);
            let long = too_wide(&text, w);
            assert!(long.is_empty(), "{name} at {w}:\n{}", long.join("\n"));
        }
    }
}
