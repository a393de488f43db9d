//! Values are checked where they are written — in files, `--set`, `--sweep` and MSEL cells — with
//! the place and the accepted range, before anything runs or is written; and a file saved in the
//! wrong encoding gets its first bad byte's line and column, not a crash far away.

mod common;
use common::*;

fn fails(o: &std::process::Output) -> String {
    assert_eq!(o.status.code(), Some(1), "{}", stdout(o));
    stderr(o)
}

#[test]
fn a_scenario_saved_as_latin_1_is_refused_at_its_first_bad_byte() {
    let dir = TempDir::new("latin1");
    let mut bytes = b"Scenario(\n    name: \"c".to_vec();
    bytes.push(0xF4); // "ô" in Latin-1 and Windows-1252
    bytes.extend_from_slice(
        b"te\", start: \"2026-03-06T16:00:00Z\", duration: \"1d\", states: [])\n",
    );
    std::fs::write(dir.path().join("x.ron"), bytes).unwrap();
    let err = fails(&ttx_in(dir.path(), &["validate", "x.ron"]));
    assert!(
        err.starts_with(
            "x.ron:2:13: error: the file is not UTF-8 text (byte 0xF4 here is not a UTF-8 character)\n  \
             = help: it was probably saved as Latin-1 or Windows-1252; save it again as UTF-8"
        ),
        "{err}"
    );
}

#[test]
fn a_windows_1252_msel_is_read_with_a_warning_and_its_accents_kept() {
    let dir = TempDir::new("cp1252");
    let mut csv = b"Number,Time,From,To,Method,Subject,Message,Expected Action\n\
        1,T+1h,Control,C"
        .to_vec();
    csv.push(0xF4);
    csv.extend_from_slice(b"te d'Ivoire,Email,Start,Le minist");
    csv.push(0xE8);
    csv.extend_from_slice(b"re demande un point,\n");
    std::fs::write(dir.path().join("msel.csv"), csv).unwrap();
    let o = ttx_in(
        dir.path(),
        &[
            "import-msel",
            "msel.csv",
            "--start",
            "2026-03-06T16:00:00Z",
            "-o",
            "x.ron",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "msel.csv:2:17: warning: the file is not UTF-8 (byte 0xF4); read it as Windows-1252"
        ),
        "{}",
        stderr(&o)
    );
    let ron = std::fs::read_to_string(dir.path().join("x.ron")).unwrap();
    assert!(ron.contains("name: \"Côte d"), "{ron}");
    assert!(ron.contains("Le ministère demande un point"), "{ron}");
}

#[test]
fn an_msel_time_before_the_start_or_beyond_ten_years_names_its_cell() {
    let dir = TempDir::new("msel-times");
    std::fs::write(
        dir.path().join("msel.csv"),
        "Number,Time,From,To,Method,Subject,Message,Expected Action\n\
         1,D+-1,Control,All,Email,Early,Too early,\n\
         2,D+4000,Control,All,Email,Late,Too late,\n",
    )
    .unwrap();
    let err = fails(&ttx_in(
        dir.path(),
        &[
            "import-msel",
            "msel.csv",
            "--start",
            "2026-03-06T16:00:00Z",
            "-o",
            "x.ron",
        ],
    ));
    assert!(
        err.contains(
            "msel.csv: row 2, column Time: \"D+-1\": expected a whole number, 0 or more, after D+"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "msel.csv: row 3, column Time: \"D+4000\" is more than 10 years (3650d) after the exercise starts, the latest ttx accepts"
        ),
        "{err}"
    );
    assert!(
        !dir.path().join("x.ron").exists(),
        "nothing is written on error"
    );
}

#[test]
fn set_and_sweep_values_are_checked_before_anything_runs() {
    let err = fails(&ttx(&["run", "--set", "duration=3650000d"]));
    assert!(
        err.contains(
            "--set duration: duration \"3650000d\" is longer than 10 years (3650d), the longest ttx accepts"
        ),
        "{err}"
    );
    let err = fails(&ttx(&[
        "run",
        "--set",
        r#"scoring.ladder=[{"level": 5, "weight": 1e308}]"#,
    ]));
    assert!(
        err.contains(
            "scoring.ladder[0].weight: ladder weight 1e308 is outside the accepted range -1000 to 1000"
        ),
        "{err}"
    );
    let dir = TempDir::new("sweep-bound");
    let out = dir.path().join("study");
    let err = fails(&ttx(&[
        "batch",
        "--runs",
        "2",
        "--sweep",
        "scoring.targets.acknowledge=12h,4000d",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(
        err.contains("duration \"4000d\" is longer than 10 years (3650d)"),
        "{err}"
    );
    assert!(!out.exists(), "a refused study writes nothing");
}
