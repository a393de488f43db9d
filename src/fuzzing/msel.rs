//! MSEL spreadsheets: what `ttx import-msel` reads, as CSV or as a workbook (.xlsx, .ods). An
//! import either gives a scenario that validates and survives export and re-import unchanged (as
//! CSV, and as .xlsx), or refuses naming rows and columns inside the sheet.

use super::text;
use crate::commands::msel_sheet;
use ttx_scenario::msel::{ImportOptions, Sheet, export, import, import_sheet};
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
        strict: false,
    }
}

pub(super) fn check(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let base = ttx_scenario::load_str(BASE, "base").expect("the example base loads");
    one(text, || options(Some(base.clone())));
    one(text, || options(None));
}

/// A workbook's bytes: its first sheet, imported onto the example base and from scratch.
pub(super) fn check_workbook(data: &[u8]) {
    let Ok(sheet) = msel_sheet::read_workbook_bytes(data, None) else {
        return;
    };
    let base = ttx_scenario::load_str(BASE, "base").expect("the example base loads");
    let rows = sheet.first_row + sheet.rows.len();
    for opts in [options(Some(base)), options(None)] {
        let result = import_sheet(&sheet, &opts);
        same_promises(result, rows, &opts, Some(&sheet));
    }
}

fn one(text: &str, opts: impl Fn() -> ImportOptions) {
    same_promises(import(text, &opts()), rows(text), &opts(), None);
}

fn clone(o: &ImportOptions) -> ImportOptions {
    ImportOptions {
        name: o.name.clone(),
        start: o.start,
        base: o.base.clone(),
        duration: o.duration,
        strict: o.strict,
    }
}

/// The promises of an import of a sheet of `rows` rows; a workbook's import must also survive
/// an .xlsx export and re-import.
fn same_promises(
    result: Result<ttx_scenario::msel::Imported, Vec<ttx_scenario::msel::MselError>>,
    rows: usize,
    opts: &ImportOptions,
    workbook: Option<&Sheet>,
) {
    let opts = || clone(opts);
    match result {
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
            if workbook.is_some() {
                let xlsx = msel_sheet::write_xlsx(&sc).expect("an .xlsx is written");
                let sheet = msel_sheet::read_workbook_bytes(&xlsx, None)
                    .expect("ttx reads the .xlsx it writes");
                let again = import_sheet(&sheet, &opts())
                    .unwrap_or_else(|e| panic!("an exported .xlsx does not import again: {e:?}"));
                super::assert_same(&again.scenario, &sc, "the .xlsx does not round-trip");
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
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
    let mut out = vec![
        (
            "regional-exercise.csv".to_string(),
            SAMPLE.as_bytes().to_vec(),
        ),
        (
            "planner-columns.csv".to_string(),
            include_bytes!("../../tests/msel/planner-columns.csv").to_vec(),
        ),
    ];
    for b in library::all() {
        let sc = b.load().expect("bundled scenarios load");
        if !sc.injects.is_empty() {
            out.push((format!("{}.csv", b.name), export(&sc).into_bytes()));
        }
    }
    out
}

pub(super) fn workbook_seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for b in library::all() {
        let sc = b.load().expect("bundled scenarios load");
        if !sc.injects.is_empty() {
            let xlsx = msel_sheet::write_xlsx(&sc).expect("an .xlsx is written");
            out.push((format!("{}.xlsx", b.name), xlsx));
        }
    }
    out.push((
        "regional-exercise-openpyxl.xlsx".to_string(),
        include_bytes!("../../tests/msel/regional-exercise-openpyxl.xlsx").to_vec(),
    ));
    out.push((
        "planner-columns-libreoffice.ods".to_string(),
        include_bytes!("../../tests/msel/planner-columns-libreoffice.ods").to_vec(),
    ));
    out
}
