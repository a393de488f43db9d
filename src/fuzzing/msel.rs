//! MSEL spreadsheets: what `ttx import-msel` reads. An import either gives a scenario that
//! validates and survives export and re-import unchanged, or refuses naming rows and columns
//! inside the sheet.

use super::text;
use ttx_scenario::msel::{ImportOptions, export, import};
use ttx_scenario::{Scenario, Timestamp, library};

/// The example base scenario the sample MSEL is imported onto.
pub(super) const BASE: &str = include_str!("../../examples/msel/regional-exercise-base.ron");
const SAMPLE: &str = include_str!("../../examples/msel/regional-exercise.csv");

fn options(base: Option<Scenario>) -> ImportOptions {
    ImportOptions {
        name: "fuzz".into(),
        start: Timestamp::parse("2026-03-06T16:00:00Z").ok(),
        base,
        duration: None,
    }
}

pub(super) fn check(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let base = ttx_scenario::load_str(BASE, "base").expect("the example base loads");
    one(text, || options(Some(base.clone())));
    one(text, || options(None));
}

fn one(text: &str, opts: impl Fn() -> ImportOptions) {
    match import(text, &opts()) {
        Ok(imported) => {
            let sc = imported.scenario;
            let ron = ttx_scenario::to_ron(&sc);
            let written = ttx_scenario::load_str(&ron, "imported.ron").unwrap_or_else(|d| {
                panic!("an accepted MSEL writes a scenario that does not validate:\n{d}\n{ron}")
            });
            super::assert_same(
                &written,
                &sc,
                "the written scenario is not the imported one",
            );
            let csv = export(&sc);
            let again = import(&csv, &opts()).unwrap_or_else(|e| {
                panic!(
                    "an exported MSEL does not import again: {}\n{csv}",
                    e.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            });
            super::assert_same(&again.scenario, &sc, "the MSEL does not round-trip");
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            let rows = rows(text);
            for e in &errors {
                assert!(
                    e.row >= 1 && e.row <= rows.max(1),
                    "row {} outside the sheet ({rows} rows): {e}",
                    e.row
                );
                // Only a sheet that cannot be read at all is refused without a column.
                let whole_sheet = e.row == 1 && e.message.starts_with("cannot read the header row");
                assert!(e.column.is_some() || whole_sheet, "no column: {e}");
            }
        }
    }
}

/// Rows of the sheet as a spreadsheet numbers them (the header is row 1).
fn rows(text: &str) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader.records().count()
}

pub(super) fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = vec![(
        "regional-exercise.csv".to_string(),
        SAMPLE.as_bytes().to_vec(),
    )];
    for b in library::all() {
        let sc = b.load().expect("bundled scenarios load");
        if !sc.injects.is_empty() {
            out.push((format!("{}.csv", b.name), export(&sc).into_bytes()));
        }
    }
    out
}
