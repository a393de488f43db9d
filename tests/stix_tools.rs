//! The bundles against the tools CERTs use: the OASIS STIX 2.1 validator and MISP's converter
//! (both from PyPI, installed by `.ci/run` into `target/stix-venv`). Without them the tests say
//! so loudly and skip, unless `TTX_REQUIRE_STIX_VALIDATOR=1` (as `.ci/run` sets): then a missing
//! tool is a failure.
//!
//! Validator checks disabled: none. `stix2_validator --version 2.1 --strict` runs every check,
//! with warnings as errors. stix2-validator 3.x ships the IANA lists its "external sources"
//! checks read (mime-type, protocols, ipfix, …), so none of those needs the network. The one
//! validation that would need it is not run: checking extension properties against the OASIS
//! extension-definition schemas (`--schemas`, for the TLP 2.0 and Incident Core extensions),
//! because those schemas `$ref` the STIX base schemas by URL on raw.githubusercontent.com.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run_and_export(dir: &Path, scenario: &str, seed: u64, parties: &[&str]) -> Vec<PathBuf> {
    let run = dir.join(format!("{scenario}-{seed}"));
    run_into(&run, scenario, seed);
    let mut files = Vec::new();
    for party in std::iter::once(None).chain(parties.iter().map(Some)) {
        let out = dir.join(format!(
            "{scenario}-{seed}-{}.json",
            party.unwrap_or(&"control")
        ));
        let mut args = vec![
            "export-stix",
            run.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        if let Some(p) = party {
            args.extend(["--for", p]);
        }
        ttx_ok(&args);
        files.push(out);
    }
    files
}

fn parties(scenario: &str) -> Vec<String> {
    let sc = scenario_by_name(scenario);
    ttx_scenario::tlp::parties(&sc)
        .map(str::to_string)
        .collect()
}

fn scenario_by_name(name: &str) -> ttx_scenario::Scenario {
    ttx_scenario::library::find(name).unwrap().load().unwrap()
}

#[test]
fn every_bundle_passes_the_oasis_validator_in_strict_mode() {
    let Some(venv) = stix_venv("stix_tools validator") else {
        return;
    };
    let tmp = TempDir::new("stix-validator");
    let mut files = Vec::new();
    for name in ttx_scenario::library::names() {
        files.extend(run_and_export(tmp.path(), name, 1, &[]));
    }
    // Every state's (and organisation's) bundle of two scenarios.
    for name in ["hospital-ransomware", "iberoamerican-cert-drill"] {
        let ps = parties(name);
        let ps: Vec<&str> = ps.iter().map(String::as_str).collect();
        files.extend(run_and_export(tmp.path(), name, 2, &ps));
    }
    // Runs with public attributions, vulnerabilities and counter-operations.
    for seed in 2..5 {
        files.extend(run_and_export(tmp.path(), "false-flag", seed, &[]));
    }
    files.extend(run_and_export(tmp.path(), "backdoored-firmware", 3, &[]));
    let joined: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    for kind in [
        "\"relationship_type\": \"attributed-to\"",
        "\"type\": \"vulnerability\"",
        "\"type\": \"sighting\"",
        "\"type\": \"note\"",
    ] {
        assert!(joined.contains(kind), "no {kind} object was validated");
    }
    let o = Command::new(venv.join("bin/stix2_validator"))
        .args(["--version", "2.1", "--strict"])
        .args(&files)
        .output()
        .expect("stix2_validator runs");
    let out = String::from_utf8_lossy(&o.stdout);
    let invalid: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("[X]") || l.contains("[!]"))
        .collect();
    assert!(
        o.status.success() && invalid.is_empty(),
        "stix2_validator --strict rejects bundles:\n{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        out.matches("STIX JSON: Valid").count(),
        files.len(),
        "every bundle is reported valid:\n{out}"
    );
}

/// Converts a bundle with misp-stix as MISP imports it (one event per report or grouping) and
/// returns the events and the converter's messages, as JSON.
fn misp(venv: &Path, bundle: &Path, out: &Path) -> Value {
    let script = r#"
import json, sys
from misp_stix_converter import stix_2_to_misp
result = stix_2_to_misp(sys.argv[1], output_dir=sys.argv[2], overwrite=True, debug=True)
events = []
for f in result.get('results', []):
    e = json.load(open(f))
    events.append({
        'info': e['info'],
        'tags': [t['name'] for t in e.get('Tag', [])],
        'attributes': [{'type': a['type'], 'value': a['value'],
                        'tags': [t['name'] for t in a.get('Tag', [])]}
                       for a in e.get('Attribute', [])],
        'reports': [r['content'] for r in e.get('EventReport', [])],
    })
errors = [m for v in (result.get('errors') or {}).values() for m in v]
print(json.dumps({'success': result.get('success'), 'events': events, 'errors': errors}))
"#;
    std::fs::create_dir_all(out).unwrap();
    let o = Command::new(venv.join("bin/python"))
        .args([
            "-c",
            script,
            bundle.to_str().unwrap(),
            out.to_str().unwrap(),
        ])
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "misp-stix failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("the script prints JSON")
}

#[test]
fn misp_imports_the_incident_its_indicators_and_the_tlp_tags() {
    let Some(venv) = stix_venv("stix_tools misp") else {
        return;
    };
    let tmp = TempDir::new("stix-misp");
    let files = run_and_export(tmp.path(), "hospital-ransomware", 1, &["borealia"]);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let bundle = std::fs::read_to_string(file).unwrap();
        let objects = stix_objects(&bundle);
        let result = misp(&venv, file, &tmp.path().join(format!("misp-{name}")));
        assert_eq!(result["success"], 1, "{name}: {result}");
        // MISP has no incident object: the converter says so and goes on. Nothing else may fail.
        for e in result["errors"].as_array().unwrap() {
            let e = e.as_str().unwrap();
            assert!(
                e.starts_with("Unable to load STIX object type: incident")
                    || e.starts_with("Unknown STIX object type: "),
                "{name}: misp-stix error {e}"
            );
        }
        let events = result["events"].as_array().unwrap();
        // The incident comes through as the event of its case file, tagged with its class.
        let incident = objects.iter().find(|o| o["type"] == "incident").unwrap();
        let title = incident["name"].as_str().unwrap();
        let case = events
            .iter()
            .find(|e| e["info"].as_str().unwrap().contains(title))
            .unwrap_or_else(|| panic!("{name}: no MISP event for incident {title}: {result}"));
        let tags: Vec<&str> = case["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(tags.contains(&"rsit:malicious-code"), "{name}: {tags:?}");
        // Every indicator becomes an attribute with its value.
        let values: BTreeSet<&str> = events
            .iter()
            .flat_map(|e| e["attributes"].as_array().unwrap())
            .map(|a| a["value"].as_str().unwrap())
            .collect();
        let indicators: Vec<&Value> = objects
            .iter()
            .filter(|o| o["type"] == "indicator")
            .collect();
        assert!(!indicators.is_empty());
        for ind in &indicators {
            let pattern = ind["pattern"].as_str().unwrap();
            let value = pattern
                .rsplit_once(" = '")
                .unwrap()
                .1
                .trim_end_matches("']");
            assert!(
                values.contains(value),
                "{name}: {value} did not come through"
            );
        }
        // TLP markings become MISP tlp tags: on every event, and on the indicators' attributes
        // in the events of the reports that handed them over.
        let tag_of = |o: &Value| {
            format!(
                "tlp:{}",
                tlp_of(o)
                    .unwrap()
                    .label()
                    .trim_start_matches("TLP:")
                    .to_lowercase()
            )
        };
        // MISP also puts the marking of a sighting on the event holding the indicator it
        // sights: the sender's own detection (TLP:AMBER+STRICT, src/stix/cases.rs) shows up on
        // the event of its TLP:GREEN information share of the same indicators. That is the one
        // second tag allowed (seen since trace format 2's seed 1 shares indicators; an open
        // question for the export, see the closing note of that stop).
        let sighting_tags: BTreeSet<String> = objects
            .iter()
            .filter(|o| o["type"] == "sighting")
            .map(tag_of)
            .collect();
        for e in events {
            let tlp: Vec<&str> = e["tags"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t.as_str().filter(|t| t.starts_with("tlp:")))
                .collect();
            let report = objects
                .iter()
                .find(|o| o["name"] == e["info"] && o.get("object_marking_refs").is_some());
            match report {
                Some(r) => {
                    let own = tag_of(r);
                    assert!(
                        tlp.contains(&own.as_str()),
                        "{name}: event {} tags {tlp:?}",
                        e["info"]
                    );
                    assert!(
                        tlp.iter().all(|t| *t == own || sighting_tags.contains(*t)),
                        "{name}: event {} tags {tlp:?}",
                        e["info"]
                    );
                }
                None => assert_eq!(
                    tlp.iter().filter(|t| !sighting_tags.contains(**t)).count(),
                    1,
                    "{name}: event {} tags {tlp:?}",
                    e["info"]
                ),
            }
        }
        let marked: Vec<String> = indicators
            .iter()
            .map(|i| {
                format!(
                    "tlp:{}",
                    tlp_of(i)
                        .unwrap()
                        .label()
                        .trim_start_matches("TLP:")
                        .to_lowercase()
                )
            })
            .collect();
        let attribute_tags: BTreeSet<&str> = events
            .iter()
            .flat_map(|e| e["attributes"].as_array().unwrap())
            .flat_map(|a| a["tags"].as_array().unwrap())
            .map(|t| t.as_str().unwrap())
            .collect();
        for m in &marked {
            assert!(
                attribute_tags.contains(m.as_str()),
                "{name}: no attribute tagged {m}"
            );
        }
        let summary_tag = if name.contains("control") {
            "tlp:red"
        } else {
            "tlp:amber+strict"
        };
        assert!(
            events.iter().any(|e| e["info"]
                .as_str()
                .unwrap()
                .starts_with("ttx exercise record")
                && e["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t == summary_tag)),
            "{name}: the bundle's own event is {summary_tag}"
        );
    }
}
