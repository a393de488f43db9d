//! MSEL import and export, and `ttx init`, from the library and from the command line.

mod common;
use common::*;
use std::path::Path;
use ttx_scenario::msel::{ImportOptions, export, import, subject_row};
use ttx_scenario::{Scenario, Timestamp, library};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample_base() -> Scenario {
    let text =
        std::fs::read_to_string(root().join("examples/msel/regional-exercise-base.ron")).unwrap();
    ttx_scenario::load_str(&text, "base").unwrap()
}

fn sample_csv() -> String {
    std::fs::read_to_string(root().join("examples/msel/regional-exercise.csv")).unwrap()
}

fn opts(base: Option<Scenario>) -> ImportOptions {
    ImportOptions {
        name: "regional-exercise".into(),
        start: None,
        base,
        duration: None,
        strict: true,
    }
}

#[test]
fn the_sample_msel_has_thirty_rows_and_imports_onto_its_base() {
    let csv = sample_csv();
    assert_eq!(
        csv.lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
            .count(),
        30
    );
    let imported = import(&csv, &opts(Some(sample_base()))).unwrap_or_else(|e| panic!("{e:?}"));
    let sc = imported.scenario;
    assert_eq!(sc.injects.len(), 30);
    assert!(sc.expectations.len() >= 20, "{}", sc.expectations.len());
    // Clock time 09:00 on the start day (Monday 07:00 UTC) is T+2h; D+1 08:00 is T+25h.
    assert_eq!(sc.injects[3].at.unwrap().fixed().unwrap().secs(), 2 * 3600);
    assert_eq!(sc.injects[9].at.unwrap().fixed().unwrap().secs(), 25 * 3600);
    assert!(sc.injects[8].when.is_some(), "row 10 fires on a condition");
    let note = sc.injects[22]
        .event
        .as_move()
        .expect("Cordovia's note verbale is its move");
    assert_eq!(
        (note.by.as_str(), note.message.kind),
        ("cordovia", ttx_scenario::MessageKind::ClarificationRequest)
    );
    ttx_sim::Simulation::new(&sc)
        .expect("the imported scenario validates")
        .run(1);
}

#[test]
fn a_row_from_a_state_through_a_channel_is_that_states_move_and_round_trips() {
    let base = sample_base();
    let csv = "Number,Time,From,To,Method,Subject,Message,Expected Action,Event\n\
               1,T+1h,Borealia,Aurelia,Technical PoC,PoC answers,The servers are a rented VPS cluster,,\n\
               2,T+2h,borealia,aurelia,Technical PoC,Acknowledged,,,\"Move(by: \"\"borealia\"\", message: Message(kind: Acknowledgement, to: \"\"aurelia\"\", answers: IncidentNotification))\"\n\
               3,T+3h,Cordovia,All,Media,Statement,Cordovia condemns the attack,,\n\
               4,T+4h,Minister's office,Aurelia,Technical PoC,Question,Who is behind it?,,\n";
    let sc = import(csv, &opts(Some(base.clone())))
        .unwrap_or_else(|e| panic!("{e:?}"))
        .scenario;
    let moves: Vec<_> = sc.injects.iter().map(|i| i.event.as_move()).collect();
    // From a state, through its technical PoC: a move of that state, an information share by
    // default, with the row's text.
    let m = moves[0].as_ref().expect("row 1 is a move");
    assert_eq!(m.by, "borealia");
    assert_eq!(m.message.kind, ttx_scenario::MessageKind::InformationShare);
    assert_eq!(m.message.to, "aurelia");
    assert_eq!(
        (m.message.channel(), m.message.poc_level()),
        (
            ttx_scenario::Channel::Poc,
            Some(ttx_scenario::PocLevel::Technical)
        )
    );
    assert_eq!(m.message.text, "The servers are a rented VPS cluster");
    assert_eq!(sc.injects[0].note, "PoC answers");
    // The Event column gives the rest of the message.
    let m = moves[1].as_ref().expect("row 2 is a move");
    assert_eq!(m.message.kind, ttx_scenario::MessageKind::Acknowledgement);
    assert_eq!(
        m.message.answers,
        Some(ttx_scenario::MessageKind::IncidentNotification)
    );
    // A state speaking to the media: a public statement to the public.
    let m = moves[2].as_ref().expect("row 3 is a move");
    assert_eq!(
        (m.message.kind, m.message.to.as_str()),
        (ttx_scenario::MessageKind::PublicStatement, "public")
    );
    // A sender that is no state stays a control-cell message.
    assert!(moves[3].is_none());
    // Export → import gives the same injects, and the export is stable.
    let csv = export(&sc);
    let back = import(&csv, &opts(Some(base)))
        .unwrap_or_else(|e| panic!("{e:?}\n{csv}"))
        .scenario;
    assert_eq!(back.injects, sc.injects);
    assert_eq!(export(&back), csv);
}

#[test]
fn a_moves_to_cell_splits_on_what_every_to_cell_splits_on() {
    // A To cell naming two parties is two parties in a move's row as in any row, whatever
    // separates them: a move names one addressee, so both rows are refused. A carriage return
    // kept in a name would create a state that export cannot write back (see the fuzz case
    // tests/fuzz/msel/created-state-name-with-carriage-return-lost.csv).
    for to in ["Aurelia / Cordovia", "\"Aurelia\rCordovia\""] {
        let csv = format!(
            "Number,Time,From,To,Method,Subject,Message,Expected Action,Event\n\
             1,T+1h,Borealia,{to},Technical PoC,PoC answers,The servers are a rented VPS cluster,,\n"
        );
        let errors = match import(&csv, &opts(Some(sample_base()))) {
            Ok(imported) => panic!(
                "{to:?} was read as one addressee: {:?}",
                imported.scenario.injects
            ),
            Err(errors) => errors,
        };
        assert!(
            format!("{errors:?}").contains("needs exactly one addressee"),
            "{to:?}: {errors:?}"
        );
    }
}

#[test]
fn import_export_import_gives_the_same_scenario() {
    let first = import(&sample_csv(), &opts(Some(sample_base())))
        .unwrap_or_else(|e| panic!("{e:?}"))
        .scenario;
    let csv = export(&first);
    let second = import(&csv, &opts(Some(sample_base())))
        .unwrap_or_else(|e| panic!("{e:?}\n{csv}"))
        .scenario;
    assert_eq!(first, second);
    assert_eq!(csv, export(&second), "export is stable too");
}

#[test]
fn every_bundled_scenario_round_trips_through_a_spreadsheet() {
    for b in library::all() {
        let sc = b.load().unwrap();
        let csv = export(&sc);
        let back = import(
            &csv,
            &ImportOptions {
                name: sc.name.clone(),
                start: None,
                base: Some(sc.clone()),
                duration: None,
                strict: true,
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e:?}", b.name))
        .scenario;
        assert_eq!(back.injects, sc.injects, "{}: injects", b.name);
        // Objectives come back in the order they first appear in the spreadsheet.
        let by_id = |v: &[ttx_scenario::Objective]| {
            let mut v = v.to_vec();
            v.sort_by(|a, b| a.id.cmp(&b.id));
            v
        };
        assert_eq!(
            by_id(&back.objectives),
            by_id(&sc.objectives),
            "{}: objectives",
            b.name
        );
        let mut expected = sc.expectations.clone();
        // Import orders expectations by the inject they check.
        expected.sort_by_key(|e| subject_row(&sc, &e.does));
        assert_eq!(back.expectations, expected, "{}: expectations", b.name);
    }
}

#[test]
fn without_a_base_missing_states_are_created_and_reported() {
    let csv = "Number,Time,From,To,Method,Subject,Message,Expected Action\n\
               1,T+0,Control,\"Borealia, Côte d'Ivoire\",Ping (technical),PoC check,,reply to ping within 4h\n\
               2,D+1,Control,All,Email,Update,Situation report,\n";
    let start = Timestamp::parse("2026-03-06T16:00:00Z").ok();
    let imported = import(
        csv,
        &ImportOptions {
            name: "x".into(),
            start,
            base: None,
            duration: None,
            strict: true,
        },
    )
    .unwrap();
    let ids: Vec<&str> = imported
        .scenario
        .states
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(ids, ["borealia", "cote-d-ivoire"]);
    assert_eq!(imported.scenario.states[1].name, "Côte d'Ivoire");
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("created state \"cote-d-ivoire\""))
    );
    assert_eq!(
        imported.scenario.expectations.len(),
        2,
        "one expectation per addressee"
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("duration set to 3d"))
    );
}

#[test]
fn malformed_rows_are_reported_by_row_and_column() {
    let start = Timestamp::parse("2026-03-06T16:00:00Z").ok();
    let o = ImportOptions {
        name: "x".into(),
        start,
        base: None,
        duration: None,
        strict: true,
    };
    let head = "Number,Time,From,To,Method,Subject,Message,Expected Action\n";
    let err = |body: &str| -> Vec<String> {
        import(&format!("{head}{body}"), &o)
            .err()
            .expect("must fail")
            .iter()
            .map(|e| e.to_string())
            .collect()
    };
    let bad_time = err("1,T+0,Control,All,Email,a,b,\n2,next tuesday,Control,All,Email,a,b,\n");
    assert_eq!(bad_time.len(), 1);
    assert!(
        bad_time[0].starts_with("row 3, column Time: \"next tuesday\": expected an exercise time"),
        "{bad_time:?}"
    );
    let bad_method = err("1,T+0,Control,All,Fax,a,b,\n");
    assert!(
        bad_method[0].starts_with("row 2, column Method: unknown method \"Fax\""),
        "{bad_method:?}"
    );
    let near_miss = err("1,T+0,Control,All,Emial,a,b,\n");
    assert!(
        near_miss[0].contains("did you mean \"Email\"?"),
        "{near_miss:?}"
    );
    let missing = import(
        "Number,Time,From,To,Method,Subject,Message\n1,T+0,Control,All,Email,a,b\n",
        &o,
    )
    .err()
    .unwrap();
    assert_eq!(missing[0].row, 1);
    assert!(
        missing[0]
            .to_string()
            .contains("missing column \"Expected Action\""),
        "{:?}",
        missing[0]
    );
    let clock_without_start = import(
        &format!("{head}1,14:30,Control,All,Email,a,b,\n"),
        &ImportOptions {
            start: None,
            ..o_clone(&o)
        },
    )
    .err()
    .unwrap();
    assert!(
        clock_without_start[0].to_string().contains("start"),
        "{clock_without_start:?}"
    );
    let typed_without_details = err("1,T+0,gang,All,Incident,a,b,\n");
    assert!(
        typed_without_details[0]
            .starts_with("row 2, column Event: this incident inject needs its details"),
        "{typed_without_details:?}"
    );
    let to_control = err("1,T+0,Control,\"Borealia, Control\",Email,a,b,\n");
    assert!(
        to_control[0].starts_with(
            "row 2, column To: \"Control\" is the exercise control cell, not a player state"
        ),
        "{to_control:?}"
    );
    let bad_expectation = err("1,T+0,Control,Borealia,Ping,a,,ponder deeply\n");
    assert!(
        bad_expectation[0].starts_with("row 2, column Expected Action: cannot read the action"),
        "{bad_expectation:?}"
    );
}

fn o_clone(o: &ImportOptions) -> ImportOptions {
    ImportOptions {
        name: o.name.clone(),
        start: o.start,
        base: o.base.clone(),
        duration: o.duration,
        strict: o.strict,
    }
}

#[test]
fn cli_import_writes_nothing_on_error_and_a_valid_scenario_on_success() {
    let dir = TempDir::new("msel-cli");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Number,Time,From,To,Method,Subject,Message,Expected Action\n1,soon,Control,All,Email,a,b,\n").unwrap();
    let out = dir.path().join("out.ron");
    let o = ttx(&[
        "import-msel",
        bad.to_str().unwrap(),
        "--start",
        "2026-03-06T16:00:00Z",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad.csv: row 2, column Time"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("nothing was written"));
    assert!(!out.exists());

    let csv = root().join("examples/msel/regional-exercise.csv");
    let base = root().join("examples/msel/regional-exercise-base.ron");
    let o = ttx(&[
        "import-msel",
        csv.to_str().unwrap(),
        "--base",
        base.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run = ttx(&["run", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let exported = dir.path().join("again.csv");
    let o = ttx(&[
        "export-msel",
        out.to_str().unwrap(),
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(exported)
            .unwrap()
            .starts_with("Number,Time,From,To,Method,Subject,Message,Expected Action")
    );
}

#[test]
fn init_writes_a_starter_that_validates_and_runs() {
    let dir = TempDir::new("init");
    let o = ttx_in(dir.path(), &["init", "x"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run = ttx_in(dir.path(), &["run", "x.ron"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("INCIDENT inc-1"));
    let again = ttx_in(dir.path(), &["init", "x"]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "never overwrites without --force"
    );
    assert!(stderr(&again).contains("already exists"));
}

#[test]
fn states_an_import_creates_keep_their_names_and_order_through_export_and_import() {
    let start = Timestamp::parse("2026-03-06T16:00:00Z").ok();
    let o = || ImportOptions {
        name: "x".into(),
        start,
        base: None,
        duration: None,
        strict: true,
    };
    // Côte d'Ivoire first appears in an Expected Action cell of row 3, Borealia in row 2's To.
    let csv = "Number,Time,From,To,Method,Subject,Message,Expected Action\n\
               1,T+0,Control,\"Borealia, Zembla\",Ping (technical),PoC check,,reply to ping within 4h\n\
               2,T+1h,Control,All,Email,Update,Situation report,\"Côte d'Ivoire: reply to ping inj-1 within 4h\"\n";
    let first = import(csv, &o()).unwrap().scenario;
    let ids: Vec<&str> = first.states.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["borealia", "cote-d-ivoire", "zembla"],
        "created states in id order"
    );
    let exported = export(&first);
    assert!(
        exported.contains("\"Borealia, Zembla\"") && exported.contains("Côte d'Ivoire: reply"),
        "names, not ids, in the sheet:\n{exported}"
    );
    let second = import(&exported, &o()).unwrap().scenario;
    assert_eq!(second, first);
    assert_eq!(second.states[1].name, "Côte d'Ivoire");
}

#[test]
fn a_problem_with_a_state_the_import_created_names_the_cell_that_named_it() {
    // "aurelia-grid" is infrastructure in the base, not a state: the import would create a
    // state with the same id. The refusal points at the To cell that named it.
    let csv = "Number,Time,From,To,Method,Subject,Message,Expected Action\n\
               1,T+0,Control,All,Email,a,b,\n\
               2,T+1h,Control,aurelia-grid,Email,a,b,\n";
    let errors = import(csv, &opts(Some(sample_base())))
        .err()
        .expect("refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].row, errors[0].column.as_deref()),
        (3, Some("To"))
    );
    assert!(
        errors[0].message.contains("duplicate id \"aurelia-grid\""),
        "{}",
        errors[0]
    );
}
