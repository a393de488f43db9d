//! A team's own after-action report (`ttx report DIR --team STATE`) holds only what its state
//! sent, received and saw: nothing of another team's private traffic — TLP:RED messages to a
//! third state, its notes — while the facilitator's report holds everything.

mod common;
use common::*;
use ttx_scenario::{Draft, MessageKind, Move, Tlp, Trace};
use ttx_sim::Simulation;
use ttx_sim::live::{Action, LiveRun};

fn scenario() -> ttx_scenario::Scenario {
    ttx_scenario::library::find("live-hospital-ransomware")
        .unwrap()
        .load()
        .unwrap()
}

fn say(by: &str, to: &str, tlp: Tlp, text: &str) -> Action {
    let mut d = Draft::new(MessageKind::Clarification, to);
    d.tlp = Some(tlp);
    d.text = text.into();
    d.about = Some("inc-1".into());
    Action::Move(Move {
        by: by.into(),
        message: d,
    })
}

fn note(state: &str, text: &str) -> Action {
    Action::Note {
        state: state.into(),
        text: text.into(),
        decision: true,
    }
}

fn exercise() -> Trace {
    let sim = Simulation::new(&scenario()).unwrap();
    let mut run = LiveRun::start(&sim, 3);
    run.advance_to(2 * 3600);
    for a in [
        note("aurelia", "AURELIA-OWN-NOTE"),
        note("borealia", "BOREALIA-PRIVATE-NOTE"),
        say(
            "borealia",
            "cordovia",
            Tlp::Red,
            "RED-FROM-BOREALIA-TO-CORDOVIA",
        ),
        say(
            "borealia",
            "aurelia",
            Tlp::Red,
            "RED-FROM-BOREALIA-TO-AURELIA",
        ),
        say("aurelia", "borealia", Tlp::Amber, "AMBER-FROM-AURELIA"),
    ] {
        run.submit(&a).unwrap_or_else(|e| panic!("{a:?}: {e}"));
    }
    run.advance_to(run.end_time());
    run.finish()
}

#[test]
fn a_teams_report_holds_nothing_of_another_teams_private_traffic() {
    let dir = TempDir::new("live-team-report");
    let d = dir.path();
    std::fs::write(d.join("trace.jsonl"), exercise().to_jsonl()).unwrap();
    std::fs::write(d.join("scenario.ron"), ttx_scenario::to_ron(&scenario())).unwrap();
    let ds = d.to_str().unwrap();
    for args in [
        vec!["report", ds],
        vec!["report", ds, "--team", "aurelia"],
        vec!["report", ds, "--team", "borealia"],
    ] {
        let o = ttx(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    let (full, a, b) = (
        read("report.html"),
        read("report-aurelia.html"),
        read("report-borealia.html"),
    );
    // The facilitator's report has everything, so the checks below can fail.
    for text in [
        "AURELIA-OWN-NOTE",
        "BOREALIA-PRIVATE-NOTE",
        "RED-FROM-BOREALIA-TO-CORDOVIA",
        "RED-FROM-BOREALIA-TO-AURELIA",
        "borealia → cordovia",
    ] {
        assert!(full.contains(text), "the full report lacks {text}");
    }
    // Aurelia's: its own note and what reached it, nothing of Borealia's private traffic.
    for text in [
        "AURELIA-OWN-NOTE",
        "RED-FROM-BOREALIA-TO-AURELIA",
        "team report",
    ] {
        assert!(a.contains(text), "Aurelia's report lacks {text}");
    }
    for text in [
        "BOREALIA-PRIVATE-NOTE",
        "RED-FROM-BOREALIA-TO-CORDOVIA",
        "borealia → cordovia",
    ] {
        assert!(!a.contains(text), "Aurelia's report shows {text}");
    }
    // Borealia's: its own traffic, not Aurelia's note.
    for text in [
        "BOREALIA-PRIVATE-NOTE",
        "RED-FROM-BOREALIA-TO-CORDOVIA",
        "AMBER-FROM-AURELIA",
    ] {
        assert!(b.contains(text), "Borealia's report lacks {text}");
    }
    assert!(
        !b.contains("AURELIA-OWN-NOTE"),
        "Borealia's report shows Aurelia's note"
    );
    // Every record link has its target in the team's record table.
    for report in [&a, &b] {
        for link in report.split("href=\"#r").skip(1) {
            let n = link.split('"').next().unwrap();
            assert!(
                report.contains(&format!("id=\"r{n}\"")),
                "a link to r{n} without its record"
            );
        }
    }
    // The same bytes again.
    let o = ttx(&["report", ds, "--team", "aurelia"]);
    assert!(o.status.success());
    assert_eq!(read("report-aurelia.html"), a);
}

#[test]
fn a_team_report_is_for_a_team() {
    let dir = TempDir::new("live-team-report-errors");
    let d = dir.path();
    std::fs::write(d.join("trace.jsonl"), exercise().to_jsonl()).unwrap();
    std::fs::write(d.join("scenario.ron"), ttx_scenario::to_ron(&scenario())).unwrap();
    let ds = d.to_str().unwrap();
    let o = ttx(&["report", ds, "--team", "aurelai"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean \"aurelia\""),
        "{}",
        stderr(&o)
    );
    let o = ttx(&["report", ds, "--team", "delmara"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("played by the control cell")
            && stderr(&o).contains("the teams played aurelia, borealia"),
        "{}",
        stderr(&o)
    );
    let o = ttx(&["report", ds, "--team", "aurelia", "--format", "md"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!d.join("report-aurelia.html").exists());
    assert!(!d.join("report-delmara.html").exists());
}
