//! Planners' own spreadsheets: Excel workbooks in and out, sentences in Expected Action, severity
//! words, unknown methods, the time notations of other platforms, and the sheet shapes other
//! platforms export (issue 12).

mod common;
use common::*;
use std::path::Path;
use ttx::commands::msel_sheet::{read_workbook, write_xlsx};
use ttx_scenario::msel::{ImportOptions, Sheet, import, import_sheet, subject_row};
use ttx_scenario::{Action, Scenario, library};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn onto(base: &Scenario) -> ImportOptions {
    ImportOptions {
        name: base.name.clone(),
        start: None,
        base: Some(base.clone()),
        duration: None,
        strict: false,
    }
}

#[test]
fn every_bundled_scenario_round_trips_through_an_xlsx_workbook() {
    let dir = TempDir::new("msel-xlsx");
    for b in library::all() {
        let sc = b.load().unwrap();
        let file = dir.path().join(format!("{}.xlsx", b.name));
        std::fs::write(&file, write_xlsx(&sc).unwrap()).unwrap();
        let sheet = read_workbook(&file, None).unwrap();
        let back = import_sheet(&sheet, &onto(&sc))
            .unwrap_or_else(|e| panic!("{}: {e:?}", b.name))
            .scenario;
        assert_eq!(back.injects, sc.injects, "{}: injects", b.name);
        let mut expected = sc.expectations.clone();
        expected.sort_by_key(|e| subject_row(&sc, &e.does));
        assert_eq!(back.expectations, expected, "{}: expectations", b.name);
        let ids = |v: &[ttx_scenario::Objective]| {
            let mut v: Vec<String> = v.iter().map(|o| format!("{}: {}", o.id, o.title)).collect();
            v.sort();
            v
        };
        assert_eq!(ids(&back.objectives), ids(&sc.objectives), "{}", b.name);
        // The same scenario as through CSV, cell for cell.
        let csv = import(&ttx_scenario::msel::export(&sc), &onto(&sc)).unwrap();
        assert_eq!(back, csv.scenario, "{}: xlsx and CSV differ", b.name);
    }
}

#[test]
fn export_writes_a_workbook_with_the_msel_and_its_objectives() {
    let dir = TempDir::new("msel-xlsx-cli");
    let file = dir.path().join("hospital.xlsx");
    ttx_ok(&[
        "export-msel",
        "hospital-ransomware",
        "-o",
        file.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip archive");
    let objectives = read_workbook(&file, Some("Objectives")).unwrap();
    assert_eq!(objectives.header, vec!["Id", "Title", "Description"]);
    assert_eq!(objectives.rows.len(), 4);
    // The first sheet is the MSEL, read back by import-msel onto the same base.
    let out = dir.path().join("back.ron");
    let o = ttx(&[
        "import-msel",
        file.to_str().unwrap(),
        "--base",
        "hospital-ransomware",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = ttx(&["import-msel", file.to_str().unwrap(), "--sheet", "Nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no sheet named \"Nope\"") && stderr(&o).contains("MSEL, Objectives"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_workbook_made_by_another_program_imports_as_its_csv_does() {
    // Made with openpyxl (tests/msel/make-openpyxl-workbook.py): a title row above the header,
    // numbers as numbers, clock times as Excel times, days as Excel date-times, a second sheet.
    let base = {
        let text = std::fs::read_to_string(root().join("examples/msel/regional-exercise-base.ron"))
            .unwrap();
        ttx_scenario::load_str(&text, "base").unwrap()
    };
    let opts = || ImportOptions {
        name: "regional-exercise".into(),
        start: None,
        base: Some(base.clone()),
        duration: None,
        strict: true,
    };
    let sheet = read_workbook(
        &root().join("tests/msel/regional-exercise-openpyxl.xlsx"),
        None,
    )
    .unwrap();
    assert_eq!(
        sheet.first_row, 2,
        "the header is found under the title row"
    );
    let from_xlsx = import_sheet(&sheet, &opts()).unwrap().scenario;
    let csv = std::fs::read_to_string(root().join("examples/msel/regional-exercise.csv")).unwrap();
    let from_csv = import(&csv, &opts()).unwrap().scenario;
    assert_eq!(from_xlsx, from_csv);
}

fn planner_import(dir: &Path, extra: &[&str]) -> std::process::Output {
    let out = dir.join("planner.ron");
    let mut args = vec![
        "import-msel",
        "tests/msel/planner-sentences.csv",
        "--base",
        "hospital-ransomware",
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    ttx_in(root(), &args)
}

#[test]
fn a_planners_sheet_imports_runs_and_is_scored() {
    let dir = TempDir::new("msel-planner");
    let o = planner_import(dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    // Row by row, how each sentence was understood.
    for line in [
        "row 2: \"Aurelia notifies Borealia within 24 hours\" → [e1-1] Republic of Aurelia: notify inc-1 within 1d",
        "row 2: \"Borealia acknowledges receipt through its technical point of contact\" → [e1-2] Kingdom of Borealia: acknowledge inc-1",
        "row 2: \"Borealia reports mitigation within 3 days\" → [e1-3] Kingdom of Borealia: mitigate inc-1 within 3d",
        "row 2: \"Cordovia offers assistance to Aurelia\" → [e1-4] Federal Republic of Cordovia: offer assistance inc-1",
        "row 2: \"Aurelia shares indicators with its neighbours\" → [e1-5] Republic of Aurelia: share information inc-1",
        "row 2: \"Aurelia avoids public attribution\" → [e1-6] Republic of Aurelia: stay below level 5",
        "row 2: \"Borealia answers the clarification request\" → [e1-7] Kingdom of Borealia: clarify inc-1",
        "row 2: \"Players discuss the ransom demand\" → kept for an evaluator (needs an evaluator when scored): no action ttx can score was recognised",
        "row 2: \"Borealia does not pay the ransom\" → kept for an evaluator (needs an evaluator when scored): \"not\" makes it negative or conditional",
        "row 3: \"Every state replies to the communication check within 4 hours\" → [e2-1-aurelia] Republic of Aurelia: reply to ping inj-2 within 4h",
    ] {
        assert!(err.contains(line), "missing «{line}» in:\n{err}");
    }
    // Guesses the planner should check are warnings naming the row.
    assert!(
        err.contains("row 3, column Time: \"T+2\" has no unit; read as 2 hours"),
        "{err}"
    );
    assert!(
        err.contains("row 4, column Method: \"Press\" is not a method ttx models"),
        "{err}"
    );
    let text = std::fs::read_to_string(dir.path().join("planner.ron")).unwrap();
    let sc = ttx_scenario::load_str(&text, "planner.ron").unwrap();
    let does: Vec<(&str, &Action)> = sc
        .expectations
        .iter()
        .map(|e| (e.actor.as_str(), &e.does))
        .collect();
    assert!(does.contains(&(
        "borealia",
        &Action::Acknowledge {
            incident: "inc-1".into()
        }
    )));
    assert!(does.contains(&("aurelia", &Action::StayBelow { level: 5 })));
    assert_eq!(
        does.iter()
            .filter(|(_, a)| matches!(a, Action::ReplyPing { .. }))
            .count(),
        3,
        "one reply per addressee"
    );
    // Severity words, J+1 and Day 2 09:00, the unknown method as a control-cell message.
    let inc = &sc.injects[0];
    assert!(matches!(
        inc.event,
        ttx_scenario::Event::Incident { severity: 4, .. }
    ));
    assert_eq!(sc.injects[2].at.unwrap().fixed().unwrap().secs(), 86_400);
    match &sc.injects[2].event {
        ttx_scenario::Event::Message { text, via, .. } => {
            assert!(text.ends_with("[via Press]"), "{text}");
            assert_eq!(*via, None);
        }
        other => panic!("{other:?}"),
    }
    // The sentences ttx is not sure of are kept as expectations an evaluator judges: about the
    // state the sentence names, else the row's addressee.
    let judged = |text: &str| Action::Judged(text.to_string());
    assert!(does.contains(&("aurelia", &judged("Players discuss the ransom demand"))));
    assert!(does.contains(&("borealia", &judged("Borealia does not pay the ransom"))));
    // It runs; the typed expectations are rated automatically, the judged ones need an evaluator.
    let o = ttx(&[
        "run",
        dir.path().join("planner.ron").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let card: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let status = |id: &str| status_of(&card, id).unwrap_or_else(|| panic!("{id} not scored"));
    for id in ["e1-1", "e1-2", "e1-3", "e1-6", "e2-1-aurelia"] {
        assert_ne!(status(id), "NEEDS_EVALUATOR", "{id}");
        assert_ne!(status(id), "", "{id}");
    }
    assert_eq!(status("e1-8"), "NEEDS_EVALUATOR");
    assert_eq!(status("e1-9"), "NEEDS_EVALUATOR");
    // And they survive export and import, in --strict too (`judged "…"` is in the grammar).
    let csv = dir.path().join("again.csv");
    ttx_ok(&[
        "export-msel",
        dir.path().join("planner.ron").to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    let again = dir.path().join("again.ron");
    let o = ttx(&[
        "import-msel",
        csv.to_str().unwrap(),
        "--base",
        "hospital-ransomware",
        "--strict",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let back = ttx_scenario::load_str(&std::fs::read_to_string(&again).unwrap(), "again").unwrap();
    assert_eq!(back.expectations.len(), sc.expectations.len());
    for e in &sc.expectations {
        assert!(back.expectations.contains(e), "{e:?} lost");
    }
}

/// The status of expectation `id` anywhere in a scorecard's JSON.
fn status_of(v: &serde_json::Value, id: &str) -> Option<String> {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("id").and_then(|x| x.as_str()) == Some(id)
                && let Some(s) = m.get("status").and_then(|x| x.as_str())
            {
                return Some(s.to_string());
            }
            m.values().find_map(|x| status_of(x, id))
        }
        serde_json::Value::Array(a) => a.iter().find_map(|x| status_of(x, id)),
        _ => None,
    }
}

#[test]
fn strict_restores_the_grammar_and_the_known_methods() {
    let dir = TempDir::new("msel-planner-strict");
    let o = planner_import(dir.path(), &["--strict"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("row 2, column Expected Action: cannot read the action"),
        "{err}"
    );
    assert!(
        err.contains("row 4, column Method: unknown method \"Press\""),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!dir.path().join("planner.ron").exists());
}

#[test]
fn a_broken_workbook_names_the_row_and_column_and_writes_nothing() {
    let dir = TempDir::new("msel-broken-xlsx");
    let file = dir.path().join("broken.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows = [
        [
            "Number",
            "Time",
            "From",
            "To",
            "Method",
            "Subject",
            "Message",
            "Expected Action",
            "Severity",
        ],
        [
            "1", "T+1h", "Control", "Aurelia", "Email", "Start", "Go.", "", "",
        ],
        [
            "2",
            "yesterday at noon",
            "Control",
            "Aurelia",
            "Email",
            "Late",
            "Hm.",
            "",
            "",
        ],
        [
            "3", "T+3h", "Control", "Aurelia", "Email", "Odd", "Hm.", "", "Critical",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    std::fs::write(&file, wb.save_to_buffer().unwrap()).unwrap();
    let out = dir.path().join("out.ron");
    let o = ttx(&[
        "import-msel",
        file.to_str().unwrap(),
        "--start",
        "2026-03-06T16:00:00Z",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "row 3, column Time: \"yesterday at noon\": expected an exercise time such as"
        ),
        "{err}"
    );
    assert!(
        err.contains("row 4, column Severity: \"Critical\" is not a severity")
            && err.contains("Emergency 5, Severe 4, High 3, Medium 2, Low 1, Baseline 0")
            && err.contains("black 5"),
        "{err}"
    );
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing but the workbook"
    );
}

#[test]
fn openaev_and_ctep_shaped_sheets_are_recognised_by_their_headers() {
    let start = ttx_scenario::Timestamp::parse("2026-03-06T16:00:00Z").ok();
    let opts = || ImportOptions {
        name: "other".into(),
        start,
        base: None,
        duration: None,
        strict: false,
    };
    let openaev = "Inject title,Type,Relative time,Description,Teams\n\
                   Phishing wave,Email,D+0 H+1 M+30,Staff receive a credential-phishing email.,Aurelia\n\
                   Ransom note,Manual,D+1 H+2,A ransom note appears on the file servers.,\"Aurelia, Borealia\"\n";
    let got = import(openaev, &opts()).unwrap();
    assert!(
        got.notes.iter().any(|n| n.contains("OpenAEV")),
        "{:?}",
        got.notes
    );
    let sc = &got.scenario;
    assert_eq!(sc.injects.len(), 2);
    assert_eq!(sc.injects[0].at.unwrap().fixed().unwrap().secs(), 5400);
    assert_eq!(
        sc.injects[1].at.unwrap().fixed().unwrap().secs(),
        86_400 + 7200
    );
    assert_eq!(sc.injects[0].note, "Phishing wave");
    assert_eq!(
        got.warnings.len(),
        1,
        "\"Manual\" is not a method ttx models"
    );
    assert_eq!(got.warnings[0].row, 3);

    let ctep = "Event #,Scenario Time,Event Type,Inject,Expected Player Action,Objective,Notes\n\
                1,Day 1 17:00,Email,Hospital systems are encrypted.,Aurelia acknowledges receipt,Communication,Start\n\
                2,Day 2 09:00,Phone,Borealia calls about the attack.,,Communication,\n";
    // No To column: the players are the base scenario's states.
    let base = library::find("hospital-ransomware")
        .unwrap()
        .load()
        .unwrap();
    let got = import(ctep, &onto(&base)).unwrap();
    assert!(
        got.notes.iter().any(|n| n.contains("CTEP")),
        "{:?}",
        got.notes
    );
    assert!(got.notes.iter().any(|n| n.contains("\"Notes\"")));
    let sc = &got.scenario;
    assert_eq!(sc.injects.len(), 2);
    assert_eq!(sc.injects[0].at.unwrap().fixed().unwrap().secs(), 3600);
    assert_eq!(sc.injects[1].id.as_deref(), Some("inj-2"));
    // No incident to acknowledge: an expectation for an evaluator, not an error.
    assert_eq!(got.readings.len(), 1);
    assert!(got.readings[0].understood.is_none());
    assert_eq!(sc.expectations.len(), 1);
    assert_eq!(sc.expectations[0].actor, "aurelia");
    assert_eq!(
        sc.expectations[0].does,
        Action::Judged("Aurelia acknowledges receipt".into())
    );
    assert_eq!(sc.objectives.len(), 1);
}

#[test]
fn a_sheet_read_from_csv_or_cells_is_the_same_sheet() {
    let csv = "Number,Time\n1,T+1h\n";
    let a = Sheet::from_csv(csv).unwrap();
    let b = Sheet::from_grid(
        vec![
            vec!["Number".into(), "Time".into()],
            vec!["1".into(), "T+1h".into()],
        ],
        1,
    );
    assert_eq!((a.header, a.first_row), (b.header, b.first_row));
}
