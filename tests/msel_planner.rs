//! The planner's own MSEL columns — Responsible controller, Actual time, Notes, Location,
//! Evaluator, any other — are kept through import and export, and workbooks LibreOffice made from
//! the CSVs (.ods, .xlsx) import exactly as the CSVs do (issue 12).

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use ttx::commands::msel_sheet::{read_workbook, write_xlsx};
use ttx_scenario::msel::{ImportOptions, export, import, import_sheet};
use ttx_scenario::{Scenario, library};

const PLANNER_CSV: &str = "tests/msel/planner-columns.csv";
const BASE: &str = "examples/msel/regional-exercise-base.ron";

/// The planner's columns of tests/msel/planner-columns.csv, in its order: a column without a
/// header but with a cell is named by its letter, a second Notes gets a number.
const KEPT: [&str; 7] = [
    "Responsible controller",
    "Location",
    "Notes",
    "Evaluator",
    "Actual time",
    "Column P",
    "Notes (2)",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

fn opts(strict: bool) -> ImportOptions {
    ImportOptions {
        name: "planner-columns".into(),
        start: None,
        base: Some(ttx_scenario::load_str(&read(BASE), "base").unwrap()),
        duration: None,
        strict,
    }
}

fn planner_csv() -> ttx_scenario::msel::Imported {
    import(&read(PLANNER_CSV), &opts(false)).unwrap_or_else(|e| panic!("{e:?}"))
}

fn cells(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_planners_own_columns_are_kept_on_every_inject_in_their_order() {
    let got = planner_csv();
    let sc = &got.scenario;
    assert_eq!(sc.planner_columns, KEPT);
    assert_eq!(
        sc.injects[0].planner,
        cells(&[
            ("Responsible controller", "Ana Ruiz"),
            ("Location", "Main hall"),
            (
                "Notes",
                "Read the ground rules first; remind players of TLP:AMBER+STRICT"
            ),
            ("Notes (2)", "Coffee at 10:30"),
        ])
    );
    assert_eq!(
        sc.injects[2].planner,
        cells(&[
            ("Responsible controller", "Ana Ruiz"),
            ("Location", "Control room"),
            ("Notes", "Print the SCADA screenshots\n(two copies)"),
            ("Evaluator", "Carla Mendes"),
            ("Actual time", "09:05"),
            ("Column P", "Screenshots in folder B"),
        ])
    );
    // Empty cells are not stored; the row is still the same row.
    assert_eq!(
        sc.injects[3].planner,
        cells(&[
            ("Responsible controller", "Ben Osei"),
            ("Location", "Remote")
        ])
    );
    // ttx's own columns among them are read as before.
    assert!(matches!(
        sc.injects[2].event,
        ttx_scenario::Event::Incident { severity: 3, .. }
    ));
    assert_eq!(sc.expectations.len(), 4, "{:?}", sc.expectations);
    // The import says what it kept and how it named what had no name.
    let notes = got.notes.join("\n");
    for said in [
        "kept the planner's own columns \"Responsible controller\", \"Location\", \"Notes\", \"Evaluator\", \"Actual time\", \"Column P\", \"Notes (2)\"",
        "column P has no header; its cells are kept as \"Column P\"",
        "a second column \"Notes\" (column Q) is kept as \"Notes (2)\"",
    ] {
        assert!(notes.contains(said), "{said}\nnot in:\n{notes}");
    }
    assert!(!notes.contains("ignored"), "{notes}");
}

#[test]
fn import_export_import_gives_the_same_scenario_through_csv_and_xlsx() {
    let sc = planner_csv().scenario;
    let csv = export(&sc);
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "Number,Time,From,To,Method,Subject,Message,Expected Action,Objective,Norm,Severity,Event,\
         Responsible controller,Location,Notes,Evaluator,Actual time,Column P,Notes (2)"
    );
    let again = import(&csv, &opts(false)).unwrap().scenario;
    assert_eq!(again, sc, "through CSV");
    assert_eq!(export(&again), csv, "the exported CSV is stable");

    let dir = TempDir::new("msel-planner-xlsx");
    let file = dir.path().join("planner.xlsx");
    std::fs::write(&file, write_xlsx(&sc).unwrap()).unwrap();
    let sheet = read_workbook(&file, None).unwrap();
    assert_eq!(&sheet.header[12..], KEPT);
    let again = import_sheet(&sheet, &opts(false)).unwrap().scenario;
    assert_eq!(again, sc, "through .xlsx");
}

#[test]
fn a_ctep_sheets_notes_come_back_on_export() {
    let ctep = "Event #,Scenario Time,Event Type,Inject,Expected Player Action,Objective,Notes\n\
                1,Day 1 17:00,Email,Hospital systems are encrypted.,Aurelia acknowledges receipt,Communication,Call the CISO first\n\
                2,Day 2 09:00,Phone,Borealia calls about the attack.,,Communication,\n";
    let base = library::find("hospital-ransomware")
        .unwrap()
        .load()
        .unwrap();
    let onto = || ImportOptions {
        name: "ctep".into(),
        start: None,
        base: Some(base.clone()),
        duration: None,
        strict: false,
    };
    let sc = import(ctep, &onto()).unwrap().scenario;
    assert_eq!(sc.planner_columns, ["Notes"]);
    assert_eq!(
        sc.injects[0].planner,
        cells(&[("Notes", "Call the CISO first")])
    );
    assert!(sc.injects[1].planner.is_empty());
    let back = import(&export(&sc), &onto()).unwrap().scenario;
    assert_eq!(back, sc);
}

#[test]
fn bundled_scenarios_have_no_planner_columns_and_export_only_ttxs() {
    for b in library::all() {
        let sc: Scenario = b.load().unwrap();
        assert!(sc.planner_columns.is_empty(), "{}", b.name);
        assert!(
            sc.injects.iter().all(|i| i.planner.is_empty()),
            "{}",
            b.name
        );
        // Nothing is written for them: the file, its hash and every trace stay as they were.
        assert!(!ttx_scenario::to_ron(&sc).contains("planner"), "{}", b.name);
        if !sc.injects.is_empty() {
            let csv = export(&sc);
            assert_eq!(
                csv.lines().next().unwrap(),
                "Number,Time,From,To,Method,Subject,Message,Expected Action,Objective,Norm,Severity,Event",
                "{}",
                b.name
            );
        }
    }
}

#[test]
fn the_cli_carries_the_planners_columns_through_export_and_import() {
    let dir = TempDir::new("msel-planner-cli");
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let import_to = |file: &str, out: &str| {
        let o = ttx_in(
            root(),
            &[
                "import-msel",
                file,
                "--base",
                BASE,
                "--name",
                "planner-columns",
                "-o",
                out,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        o
    };
    let o = import_to(PLANNER_CSV, &path("a.ron"));
    assert!(
        stderr(&o).contains("note: kept the planner's own columns \"Responsible controller\""),
        "{}",
        stderr(&o)
    );
    let ron = std::fs::read_to_string(path("a.ron")).unwrap();
    assert!(ron.contains("planner_columns: ["), "{ron}");
    assert!(
        ron.contains("\"Responsible controller\": \"Ana Ruiz\""),
        "{ron}"
    );

    let o = ttx_ok(&["validate", &path("a.ron")]);
    assert!(
        stdout(&o).contains(
            "ok (5 states, 5 injects; the planner's own MSEL columns: \"Responsible controller\", \"Location\", \"Notes\""
        ),
        "{}",
        stdout(&o)
    );

    for (sheet, back) in [("a.xlsx", "b.ron"), ("a.csv", "c.ron")] {
        let o = ttx_ok(&["export-msel", &path("a.ron"), "-o", &path(sheet)]);
        assert!(
            stderr(&o).contains(
                "(5 rows; the planner's own columns after ttx's: \"Responsible controller\""
            ),
            "{}",
            stderr(&o)
        );
        import_to(&path(sheet), &path(back));
        assert_eq!(
            std::fs::read_to_string(path(back)).unwrap(),
            ron,
            "import → export {sheet} → import"
        );
    }
}

#[test]
fn workbooks_libreoffice_made_import_as_their_csv_does() {
    // Made by LibreOffice Calc 7.4 from the CSVs (tests/msel/make-libreoffice-workbooks.sh): its
    // CSV import typed the cells (numbers, clock times), and it wrote OpenDocument and Excel files.
    let sample = read("examples/msel/regional-exercise.csv");
    let from_csv = import(&sample, &opts(true)).unwrap().scenario;
    for file in [
        "tests/msel/regional-exercise-libreoffice.ods",
        "tests/msel/regional-exercise-libreoffice.xlsx",
    ] {
        let sheet = read_workbook(&root().join(file), None).unwrap();
        assert_eq!(sheet.first_row, 1, "{file}");
        let got = import_sheet(&sheet, &opts(true))
            .unwrap_or_else(|e| panic!("{file}: {e:?}"))
            .scenario;
        assert_eq!(got, from_csv, "{file}");
    }
    let sheet = read_workbook(
        &root().join("tests/msel/planner-columns-libreoffice.ods"),
        None,
    )
    .unwrap();
    let got = import_sheet(&sheet, &opts(false)).unwrap().scenario;
    assert_eq!(got, planner_csv().scenario, "planner-columns .ods");
}

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the planner's columns are called and hold — blank or repeated headers, commas,
    /// quotes, line breaks, spaces around a cell, accents — and wherever they stand among ttx's
    /// own, each cell is kept (without the spaces around it) under its column's name, and import
    /// → export → import is the same scenario through CSV and .xlsx.
    #[test]
    fn any_planner_columns_round_trip(
        columns in proptest::collection::vec(
            (0usize..10, "[ A-Za-z,\"é]{0,6}", proptest::collection::vec("[ a-z,;\"\né\u{a0}]{0,8}", 3)),
            0..5,
        ),
    ) {
        let own = ["Number", "Time", "From", "To", "Method", "Subject", "Message", "Expected Action"];
        let rows: Vec<Vec<String>> = (1..=3)
            .map(|k| {
                [&k.to_string(), "T+1h", "Control", "Aurelia", "Email", "Subject", "Message", ""]
                    .map(str::to_string)
                    .to_vec()
            })
            .collect();
        // Each planner column goes in at its position among what is there so far.
        let mut header: Vec<String> = own.map(str::to_string).to_vec();
        let mut rows = rows;
        for (at, name, cells) in &columns {
            let at = (*at).min(header.len());
            header.insert(at, name.clone());
            for (row, cell) in rows.iter_mut().zip(cells) {
                row.insert(at, cell.clone());
            }
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for row in &rows {
            w.write_record(row).unwrap();
        }
        let csv = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let got = import(&csv, &opts(false));
        // A header can be the name of one of ttx's optional columns (Norm, Event …) the sheet lacks:
        // then it is that column and its cells must mean something, which is not this property.
        prop_assume!(got.is_ok());
        let sc = got.unwrap().scenario;
        prop_assert_eq!(sc.injects.len(), 3);
        // Every filled-in cell of a kept column is on its inject, trimmed.
        for (k, inj) in sc.injects.iter().enumerate() {
            let kept: usize = inj.planner.values().filter(|v| !v.is_empty()).count();
            prop_assert_eq!(kept, inj.planner.len(), "no empty cell is stored");
            for v in inj.planner.values() {
                prop_assert_eq!(v.trim(), v.as_str());
            }
            prop_assert!(inj.planner.keys().all(|c| sc.planner_columns.contains(c)), "row {}", k);
        }
        let again = import(&export(&sc), &opts(false)).unwrap().scenario;
        prop_assert_eq!(&again, &sc, "through CSV:\n{}", csv);
        let dir = TempDir::new("msel-planner-prop");
        let file = dir.path().join("p.xlsx");
        std::fs::write(&file, write_xlsx(&sc).unwrap()).unwrap();
        let again = import_sheet(&read_workbook(&file, None).unwrap(), &opts(false)).unwrap().scenario;
        prop_assert_eq!(&again, &sc, "through .xlsx:\n{}", csv);
    }
}
