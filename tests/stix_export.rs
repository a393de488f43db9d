//! `ttx export-stix` and `ttx import-stix` from the outside: every bundled scenario exports, the
//! same run always gives the same bytes, every reference resolves inside its bundle, every object
//! carries one of the five TLP 2.0 markings and its author; indicators exported come back through
//! `import-stix`, into a scenario that runs and exports them again; bad input is refused clearly.
//! The OASIS validator and MISP's converter are exercised in `stix_tools.rs`, the TLP rule in
//! `stix_tlp.rs`.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use ttx_scenario::{Event, Indicator};

fn export(dir: &Path, extra: &[&str]) -> String {
    let out = dir.join(format!("bundle-{}.json", extra.join("-")));
    let mut args = vec![
        "export-stix",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ttx_ok(&args);
    std::fs::read_to_string(out).unwrap()
}

/// Structure every bundle must have, whoever it is for.
fn check_structure(name: &str, bundle: &str) {
    let objects = stix_objects(bundle);
    let ids: BTreeSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), objects.len(), "{name}: duplicate ids");
    for o in &objects {
        let id = o["id"].as_str().unwrap();
        if o["type"] == "marking-definition" {
            continue;
        }
        assert!(tlp_of(o).is_some(), "{name}: {id} has no TLP marking");
        assert_eq!(
            o["object_marking_refs"].as_array().unwrap().len(),
            1,
            "{name}: {id} has more than one marking"
        );
        let author = o["created_by_ref"].as_str().unwrap_or_default();
        assert!(
            ids.contains(author),
            "{name}: {id} has no author in the bundle"
        );
        for r in refs(o) {
            assert!(
                ids.contains(r.as_str()),
                "{name}: {id} refers to {r}, not in the bundle"
            );
        }
    }
    bundle_report(&objects);
}

/// Every id an object refers to.
fn refs(o: &Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(k: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if k.ends_with("_ref") => out.push(s.clone()),
            Value::Array(a) if k.ends_with("_refs") => {
                out.extend(a.iter().filter_map(|x| x.as_str().map(str::to_string)))
            }
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(k, v, out)),
            _ => {}
        }
    }
    walk("", o, &mut out);
    out
}

/// The indicators a bundle's patterns carry, as ttx writes them.
fn bundle_indicators(bundle: &str) -> BTreeSet<String> {
    stix_objects(bundle)
        .iter()
        .filter(|o| o["type"] == "indicator")
        .map(|o| o["pattern"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_bundled_scenario_exports_the_same_bytes_from_the_same_run() {
    let tmp = TempDir::new("stix-determinism");
    for name in ttx_scenario::library::names() {
        let a = tmp.path().join(format!("{name}-a"));
        let b = tmp.path().join(format!("{name}-b"));
        let c = tmp.path().join(format!("{name}-c"));
        run_into(&a, name, 5);
        run_into(&b, name, 5);
        run_into(&c, name, 6);
        let bundle = export(&a, &[]);
        assert_eq!(bundle, export(&a, &[]), "{name}: exporting twice");
        assert_eq!(bundle, export(&b, &[]), "{name}: the same run made twice");
        assert_ne!(
            bundle,
            export(&c, &[]),
            "{name}: another seed is another run"
        );
        check_structure(name, &bundle);
        let objects = stix_objects(&bundle);
        let summary = bundle_report(&objects);
        assert!(
            summary["name"]
                .as_str()
                .unwrap()
                .contains("the control cell's complete bundle"),
            "{name}: {}",
            summary["name"]
        );
        assert_eq!(tlp_of(summary), Some(ttx_scenario::Tlp::Red));
    }
}

#[test]
fn a_states_bundle_is_written_beside_the_run_and_says_whose_it_is() {
    let tmp = TempDir::new("stix-for");
    let dir = tmp.path().join("run");
    run_into(&dir, "hospital-ransomware", 1);
    ttx_ok(&["export-stix", dir.to_str().unwrap(), "--for", "borealia"]);
    let bundle = std::fs::read_to_string(dir.join("stix-borealia.json")).unwrap();
    check_structure("borealia", &bundle);
    let objects = stix_objects(&bundle);
    let summary = bundle_report(&objects);
    assert!(
        summary["name"]
            .as_str()
            .unwrap()
            .contains("what Kingdom of Borealia may see")
    );
    assert_eq!(tlp_of(summary), Some(ttx_scenario::Tlp::AmberStrict));
    // Borealia was notified: the incident and its indicators reached it.
    assert!(objects.iter().any(|o| o["type"] == "incident"));
    assert!(!bundle_indicators(&bundle).is_empty());
    // The control cell's bundle holds more than any one state's.
    ttx_ok(&["export-stix", dir.join("trace.jsonl").to_str().unwrap()]);
    let full = std::fs::read_to_string(dir.join("stix-control.json")).unwrap();
    assert!(stix_objects(&full).len() > objects.len());
}

#[test]
fn export_refuses_an_unknown_recipient_and_a_missing_run() {
    let tmp = TempDir::new("stix-bad-export");
    let dir = tmp.path().join("run");
    run_into(&dir, "hospital-ransomware", 1);
    let o = ttx(&["export-stix", dir.to_str().unwrap(), "--for", "borelia"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean \"borealia\"?"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("stix-borelia.json").exists());
    let o = ttx(&["export-stix", tmp.path().join("nowhere").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}

#[test]
fn exported_indicators_come_back_through_import_and_run_again() {
    let tmp = TempDir::new("stix-roundtrip");
    let dir = tmp.path().join("run");
    run_into(&dir, "hospital-ransomware", 1);
    let bundle = export(&dir, &[]);
    let exported = bundle_indicators(&bundle);
    assert!(!exported.is_empty());

    // As an incident added to a scenario, which then runs and exports them again.
    let scenario_file = tmp.path().join("with-stix.ron");
    let bundle_file = dir.join("bundle-.json");
    ttx_ok(&[
        "import-stix",
        bundle_file.to_str().unwrap(),
        "--scenario",
        "hospital-ransomware",
        "--target",
        "aurelia-grid",
        "--by",
        "lockbit-like",
        "--at",
        "T+2h",
        "--technique",
        "Ransomware",
        "-o",
        scenario_file.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&scenario_file).unwrap();
    let sc = ttx_scenario::load_str(&text, "with-stix.ron").unwrap();
    let imported: Vec<Indicator> = sc
        .injects
        .iter()
        .find_map(|i| match &i.event {
            Event::Incident { id, indicators, .. } if id == "stix-1" => Some(indicators.clone()),
            _ => None,
        })
        .expect("the imported incident is in the scenario");
    let patterns: BTreeSet<String> = imported.iter().map(ttx::stix::indicator_pattern).collect();
    assert_eq!(patterns, exported, "import gives back what export wrote");

    let rerun = tmp.path().join("rerun");
    ttx_ok(&[
        "run",
        scenario_file.to_str().unwrap(),
        "--out",
        rerun.to_str().unwrap(),
    ]);
    ttx_ok(&[
        "export-stix",
        rerun.to_str().unwrap(),
        "--scenario",
        scenario_file.to_str().unwrap(),
    ]);
    let again = std::fs::read_to_string(rerun.join("stix-control.json")).unwrap();
    let of_new: BTreeSet<String> = stix_objects(&again)
        .iter()
        .filter(|o| o["type"] == "indicator" && ttx_ref(o) == Some("stix-1"))
        .map(|o| o["pattern"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        of_new, exported,
        "the declared indicators are the ones exported"
    );

    // As a fragment to paste, without a scenario.
    let o = ttx_ok(&[
        "import-stix",
        bundle_file.to_str().unwrap(),
        "--target",
        "x",
        "--by",
        "y",
    ]);
    let fragment = stdout(&o);
    assert!(fragment.starts_with("Inject("), "{fragment}");
    for ind in &imported {
        assert!(fragment.contains(ind.value()), "{fragment}");
    }
}

#[test]
fn import_says_why_it_cannot_use_a_bundle() {
    let tmp = TempDir::new("stix-bad-import");
    let write = |name: &str, text: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let import = |p: &Path| {
        ttx(&[
            "import-stix",
            p.to_str().unwrap(),
            "--target",
            "x",
            "--by",
            "y",
        ])
    };
    let ind = |id: &str, pattern: &str, pattern_type: &str| {
        format!(
            r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--{id}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"{pattern}","pattern_type":"{pattern_type}","valid_from":"2026-01-01T00:00:00.000Z"}}"#
        )
    };
    let bundle = |objects: &[String]| {
        format!(
            r#"{{"type":"bundle","id":"bundle--7d2ab0a5-0a39-4c3b-9d0b-6f1c0b9f1a11","objects":[{}]}}"#,
            objects.join(",")
        )
    };
    let cases = [
        (
            "broken.json",
            "{\"type\": \"bundle\",\n \"objects\": [}".to_string(),
            "2:",
        ),
        (
            "single.json",
            ind("a", "[ipv4-addr:value = '198.51.100.1']", "stix"),
            "but found a single \"indicator\" object",
        ),
        (
            "empty.json",
            bundle(&[r#"{"type":"identity","id":"identity--1","name":"x"}"#.to_string()]),
            "no indicator objects, so there is nothing to import (it holds 1 identity)",
        ),
        (
            "sigma.json",
            bundle(&[ind("b", "title: x", "sigma")]),
            "written in sigma; ttx reads STIX patterns",
        ),
        (
            "and.json",
            bundle(&[ind(
                "c",
                "[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 443]",
                "stix",
            )]),
            "combines conditions with AND",
        ),
    ];
    for (name, text, expected) in cases {
        let o = import(&write(name, &text));
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = stderr(&o);
        assert!(err.contains(expected), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: the error names the file: {err}"
        );
        assert!(stdout(&o).is_empty());
    }
    // One usable indicator is enough; what was left out is said.
    let mixed = write(
        "mixed.json",
        &bundle(&[
            ind("d", "[domain-name:value = 'a.example']", "stix"),
            ind("e", "x", "yara"),
        ]),
    );
    let o = import(&mixed);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("left out indicator--e"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("Domain(\"a.example\")"),
        "{}",
        stdout(&o)
    );
    // An incident that does not fit the scenario is refused, and nothing is written.
    let out = tmp.path().join("out.ron");
    let o = ttx(&[
        "import-stix",
        mixed.to_str().unwrap(),
        "--scenario",
        "hospital-ransomware",
        "--target",
        "aurelia-gird",
        "--by",
        "lockbit-like",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("aurelia-gird"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn the_example_in_docs_is_what_ttx_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/stix.md")).unwrap();
    let example = doc
        .rsplit_once("```json\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .map(|(json, _)| json)
        .expect("docs/stix.md ends with a JSON example");
    let tmp = TempDir::new("stix-doc");
    let out = tmp.path().join("borealia.json");
    let fixture = root.join("tests/fixtures/stix-example");
    ttx_ok(&[
        "export-stix",
        fixture.to_str().unwrap(),
        "--scenario",
        fixture.join("scenario.ron").to_str().unwrap(),
        "--for",
        "borealia",
        "-o",
        out.to_str().unwrap(),
    ]);
    let written = std::fs::read_to_string(out).unwrap();
    assert_eq!(
        example,
        written.trim_end(),
        "docs/stix.md's example is out of date: replace it with the output of \
         `ttx export-stix tests/fixtures/stix-example --scenario tests/fixtures/stix-example/scenario.ron --for borealia -o -`"
    );
    // What the example's prose says.
    let objects = stix_objects(&written);
    let from_trace: BTreeSet<&str> = objects.iter().filter_map(ttx_ref).collect();
    assert!(from_trace.contains("m1") && from_trace.contains("m3") && from_trace.contains("m4"));
    assert!(
        !from_trace.contains("m2"),
        "the share with Cordovia is not Borealia's"
    );
    assert!(!objects.iter().any(|o| o["type"] == "sighting"));
}
