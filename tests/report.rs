//! After-action reports from the command line: every evidence link lands on a record of the
//! page, failed expectations reach the improvement plan, `ttx report` rebuilds the same bytes,
//! study reports carry their probabilities, sweeps and paired differences, Markdown carries the
//! key tables, and nothing in a report reaches outside the file.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

fn ok(args: &[&str]) -> std::process::Output {
    let o = ttx(args);
    assert!(o.status.success(), "ttx {args:?}: {}", stderr(&o));
    o
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
}

/// Values of every `attr="…"` in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let end = rest.find('"').expect("attribute closes");
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The part of `html` from the first `start` to the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    let j = html[i..].find(end).map_or(html.len(), |j| i + j);
    &html[i..j]
}

fn run_report(dir: &Path, scenario: &str, seed: &str) -> String {
    ok(&[
        "run",
        scenario,
        "--seed",
        seed,
        "--out",
        dir.to_str().unwrap(),
    ]);
    read(dir, "report.html")
}

#[test]
fn every_norm_grid_link_and_every_evidence_link_lands_on_a_record_of_the_page() {
    let tmp = TempDir::new("report-links");
    for name in ttx_scenario::library::names() {
        let html = run_report(&tmp.path().join(name), name, "1");
        let ids: BTreeSet<&str> = attrs(&html, "id").into_iter().collect();
        let grid = between(&html, "<table class=\"grid\">", "</table>");
        let cell_links = attrs(grid, "href");
        let cells_with_evidence = grid.matches("<td class=\"cell v-").count()
            - grid.matches("<td class=\"cell v-na\"").count();
        assert_eq!(
            cell_links.len(),
            cells_with_evidence,
            "{name}: every cell with a verdict links to its evidence"
        );
        for href in &cell_links {
            let target = href
                .strip_prefix("#r")
                .unwrap_or_else(|| panic!("{name}: grid link {href} is not a record link"));
            assert!(target.parse::<u32>().is_ok(), "{name}: {href}");
            assert!(
                ids.contains(&href[1..]),
                "{name}: grid link {href} has no element with that id"
            );
        }
        // Every in-page link anywhere has its target.
        for href in attrs(&html, "href") {
            let target = href
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{name}: link {href} leaves the page"));
            assert!(ids.contains(target), "{name}: link {href} has no target");
        }
    }
}

#[test]
fn the_hospital_grid_links_borealias_breach_of_norm_c_to_its_notification() {
    let tmp = TempDir::new("report-grid");
    let html = run_report(tmp.path(), "hospital-ransomware", "1");
    let grid = between(&html, "<table class=\"grid\">", "</table>");
    let row = between(grid, "<th scope=\"row\">borealia</th>", "</tr>");
    // Columns a b c: the third cell is norm c, violated, linking to notification m8 (r22).
    let cells: Vec<&str> = row.split("<td").skip(1).collect();
    assert!(cells[2].contains("v-violated"), "{}", cells[2]);
    assert!(cells[2].contains("href=\"#r22\""), "{}", cells[2]);
    assert!(cells[2].contains("✗<span class=\"vh\"> violated</span>"));
    assert!(html.contains("<tr id=\"r22\""));
    assert!(between(&html, "<tr id=\"r22\"", "</tr>").contains("m8 aurelia → borealia"));
}

#[test]
fn failed_expectations_are_listed_in_the_improvement_plan() {
    let tmp = TempDir::new("report-plan");
    let html = run_report(tmp.path(), "hospital-ransomware", "1");
    let plan = between(&html, "<section id=\"plan\">", "</section>");
    for expected in [
        "e4 PARTIAL",
        "e5 FAILED",
        "borealia to acknowledge inc-1",
        "norm c (do not knowingly allow territory to be used for wrongful acts)",
        "objective o2",
        "corrective action",
        "href=\"#r23\"",
    ] {
        assert!(plan.contains(expected), "no {expected:?} in\n{plan}");
    }
    // Expectations that succeeded are not issues.
    assert!(!plan.contains("e2 "), "{plan}");
}

#[test]
fn a_run_without_failures_says_there_is_nothing_to_correct() {
    let tmp = TempDir::new("report-clean");
    // A cooperative Borealia acknowledges and mitigates: nothing of the hospital case fails.
    ok(&[
        "run",
        "hospital-ransomware",
        "--set",
        "states.borealia.doctrine=cooperative",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    let card: serde_json::Value =
        serde_json::from_str(&read(tmp.path(), "scorecard.json")).unwrap();
    let failed = card["objectives"]["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "FAILED" || e["status"] == "PARTIAL")
        .count();
    let html = read(tmp.path(), "report.html");
    let plan = between(&html, "<section id=\"plan\">", "</section>");
    assert_eq!(
        plan.matches(" FAILED").count() + plan.matches(" PARTIAL").count(),
        failed,
        "{plan}"
    );
}

#[test]
fn ttx_report_rebuilds_the_same_bytes_for_runs_and_studies() {
    let tmp = TempDir::new("report-regen");
    let run = tmp.path().join("run");
    let first = run_report(&run, "false-flag", "3");
    std::fs::remove_file(run.join("report.html")).unwrap();
    let o = ok(&["report", run.to_str().unwrap()]);
    assert!(stderr(&o).contains("report.html"), "{}", stderr(&o));
    assert_eq!(read(&run, "report.html"), first);
    // No path, clock or machine detail in it: the same run elsewhere gives the same bytes.
    let elsewhere = tmp.path().join("elsewhere");
    assert_eq!(run_report(&elsewhere, "false-flag", "3"), first);
    assert!(!first.contains(tmp.path().to_str().unwrap()));

    let study = tmp.path().join("study");
    ok(&[
        "batch",
        "false-flag",
        "--runs",
        "40",
        "--out",
        study.to_str().unwrap(),
    ]);
    let first = read(&study, "report.html");
    ok(&["report", study.to_str().unwrap()]);
    assert_eq!(read(&study, "report.html"), first);
    assert!(!first.contains(tmp.path().to_str().unwrap()));
}

#[test]
fn a_run_with_overrides_is_reported_again_from_its_directory_alone() {
    // The run directory holds the scenario it ran, overrides applied (scenario.ron), and the
    // trace header records the overrides: nothing needs typing again, whichever is used.
    let tmp = TempDir::new("report-set");
    let dir = tmp.path().to_str().unwrap();
    let set = "states.borealia.doctrine=hawkish";
    ok(&["run", "--set", set, "--out", dir]);
    let first = read(tmp.path(), "report.html");
    ok(&["report", dir]);
    assert_eq!(read(tmp.path(), "report.html"), first);
    ok(&["report", dir, "--set", set]);
    assert_eq!(read(tmp.path(), "report.html"), first);
    // Naming the bundled scenario instead: the header's overrides are applied to it.
    ok(&["report", dir, "--scenario", "hospital-ransomware"]);
    assert_eq!(read(tmp.path(), "report.html"), first);
    ok(&[
        "report",
        dir,
        "--scenario",
        "hospital-ransomware",
        "--set",
        set,
    ]);
    assert_eq!(read(tmp.path(), "report.html"), first);
    // Without scenario.ron, the bundled scenario named in the header and the header's overrides.
    std::fs::remove_file(tmp.path().join("scenario.ron")).unwrap();
    ok(&["report", dir]);
    assert_eq!(read(tmp.path(), "report.html"), first);
    // Other overrides typed: a different scenario, refused.
    let o = ttx(&["report", dir, "--set", "states.borealia.doctrine=cautious"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the trace was run with a different scenario"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_directory_with_neither_a_run_nor_a_study_is_refused() {
    let tmp = TempDir::new("report-empty");
    let o = ttx(&["report", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("holds neither a run"), "{}", stderr(&o));
}

#[test]
fn a_study_report_gives_the_probabilities_with_intervals_and_draws_the_sweep() {
    let tmp = TempDir::new("report-study");
    let plain = tmp.path().join("plain");
    ok(&[
        "batch",
        "false-flag",
        "--runs",
        "60",
        "--out",
        plain.to_str().unwrap(),
    ]);
    let html = read(&plain, "report.html");
    let headline = between(&html, "<section id=\"headline\">", "</section>");
    assert!(headline.contains("P(peak ≥ 5)"), "{headline}");
    assert!(headline.contains("P(misattribution)"), "{headline}");
    // A proportion with its Wilson interval, e.g. "88.3% [77.8%, 94.2%]".
    let body = between(headline, "<tbody>", "</tbody>");
    let row = between(body, "P(peak ≥ 5)", "</tr>");
    assert!(row.contains("% [") && row.contains("%]"), "{row}");
    assert!(!html.contains("<section id=\"sweep\">"));
    let norms = between(&html, "<section id=\"norms\">", "</section>");
    assert!(
        norms.contains("consider all relevant information"),
        "{norms}"
    );
    assert!(html.contains("<section id=\"distributions\">") && html.contains("<svg"));

    let swept = tmp.path().join("swept");
    ok(&[
        "batch",
        "hospital-ransomware",
        "--runs",
        "30",
        "--sweep",
        "doctrines.non-responsive.ack_probability=0,0.5,1",
        "--out",
        swept.to_str().unwrap(),
    ]);
    let html = read(&swept, "report.html");
    let sweep = between(&html, "<section id=\"sweep\">", "</section>");
    assert!(
        sweep.matches("<svg").count() >= 5,
        "a chart per headline metric"
    );
    assert!(sweep.contains("<polygon"), "the confidence band");
    assert!(sweep.contains("doctrines.non-responsive.ack_probability"));
    assert!(
        sweep.contains("aria-label=\"P(peak ≥ 5) against"),
        "{sweep}"
    );
}

#[test]
fn a_comparison_report_lists_the_paired_differences_largest_evidence_first() {
    let tmp = TempDir::new("report-compare");
    let out = tmp.path().join("c");
    ok(&[
        "compare",
        "hospital-ransomware",
        "false-flag",
        "--runs",
        "30",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = read(&out, "report.html");
    let paired = between(&html, "<section id=\"paired\">", "</section>");
    let table = between(paired, "<tbody>", "</tbody>");
    let first_row = between(table, "<tr>", "</tr>");
    assert!(
        first_row.contains("✱"),
        "significant differences first: {first_row}"
    );
    assert!(paired.contains("A = hospital-ransomware; B = false-flag"));
    assert!(paired.contains("different scenarios"));
    // The comparison's report is a study report too.
    assert!(html.contains("A = hospital-ransomware") && html.contains("B = false-flag"));
}

#[test]
fn markdown_carries_the_key_tables() {
    let tmp = TempDir::new("report-md");
    let run = tmp.path().join("run");
    run_report(&run, "hospital-ransomware", "1");
    ok(&["report", run.to_str().unwrap(), "--format", "md"]);
    let md = read(&run, "report.md");
    for expected in [
        "# After-action report — Ransomware on a hospital network",
        "## Key findings",
        "## Norm adherence",
        "| state | a | b | c | d | e | f | g | h | i | j | k |",
        "| borealia | · | · | ✗ r22 | ✗ r10 |",
        "## Objectives (HSEEP)",
        "## Improvement plan",
        "| 2 | e4 PARTIAL — borealia |",
    ] {
        assert!(md.contains(expected), "no {expected:?} in\n{md}");
    }
    let study = tmp.path().join("study");
    ok(&[
        "batch",
        "false-flag",
        "--runs",
        "20",
        "--out",
        study.to_str().unwrap(),
    ]);
    ok(&["report", study.to_str().unwrap(), "--format", "md"]);
    let md = read(&study, "report.md");
    assert!(md.contains("## Headline estimates"), "{md}");
    assert!(
        md.contains("| P(peak ≥ 5): public attribution or worse |"),
        "{md}"
    );
    assert!(md.contains("## Norm adherence"), "{md}");
}

#[test]
fn reports_reach_nothing_outside_the_file() {
    let tmp = TempDir::new("report-offline");
    let run = run_report(&tmp.path().join("run"), "false-flag", "1");
    let study_dir = tmp.path().join("study");
    ok(&[
        "batch",
        "false-flag",
        "--runs",
        "20",
        "--out",
        study_dir.to_str().unwrap(),
    ]);
    let study = read(&study_dir, "report.html");
    for (what, html) in [("run", &run), ("study", &study)] {
        for attr in ["src", "href", "xlink:href", "action"] {
            for v in attrs(html, attr) {
                let v = v.to_ascii_lowercase();
                assert!(
                    !v.starts_with("http://") && !v.starts_with("https://") && !v.starts_with("//"),
                    "{what}: {attr}=\"{v}\""
                );
            }
        }
        for tag in ["<script", "<img", "<link", "<iframe", "@import", "url("] {
            assert!(!html.contains(tag), "{what}: {tag}");
        }
        assert!(html.contains("Content-Security-Policy"));
        // Charts carry text alternatives.
        assert_eq!(
            html.matches("<svg ").count(),
            html.matches("<svg role=\"img\" aria-label=\"").count(),
            "{what}: every chart is labelled"
        );
        assert!(html.contains("<figcaption>"));
    }
}
