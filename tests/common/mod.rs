//! Helpers for end-to-end tests that run the real `ttx` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn ttx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .output()
        .expect("ttx runs")
}

/// Runs `ttx` and requires it to succeed.
pub fn ttx_ok(args: &[&str]) -> Output {
    let o = ttx(args);
    assert!(o.status.success(), "ttx {args:?}: {}", stderr(&o));
    o
}

pub fn ttx_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("ttx runs")
}

/// Runs ttx and fails the test if it has not finished after `limit`: a watchdog for hangs (the
/// limit is generous; speed is measured by the benches, not here). Output goes through files, so
/// a large output cannot block the child while nobody reads it.
pub fn ttx_within(dir: &Path, args: &[&str], limit: std::time::Duration) -> Output {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let k = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ttx-within-{}-{k}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let (out, err) = (scratch.join("stdout"), scratch.join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_ttx"))
        .current_dir(dir)
        .args(args)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("ttx runs");
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ttx {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: std::fs::read(&out).unwrap(),
        stderr: std::fs::read(&err).unwrap(),
    };
    let _ = std::fs::remove_dir_all(&scratch);
    output
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh, empty directory under the target directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub mod scripted;

// Traces of bundled scenarios, for the library tests.

use ttx_scenario::{Message, MessageKind, Scenario, Trace, TraceEvent, library};
use ttx_sim::Simulation;

pub fn scenario(name: &str) -> Scenario {
    library::find(name)
        .unwrap_or_else(|| panic!("{name} is not bundled"))
        .load()
        .unwrap_or_else(|d| panic!("{d}"))
}

/// One trace per seed, with its seed.
pub fn runs(name: &str, seeds: std::ops::Range<u64>) -> Vec<(u64, Trace)> {
    let sim = Simulation::new(&scenario(name)).expect("bundled scenarios are valid");
    seeds.map(|s| (s, sim.run(s))).collect()
}

/// Every message sent, with the time it left.
pub fn sent(trace: &Trace) -> impl Iterator<Item = (i64, &Message)> {
    trace.records.iter().filter_map(|r| match &r.event {
        TraceEvent::MessageSent(m) => Some((r.t, &**m)),
        _ => None,
    })
}

pub fn sent_kind(trace: &Trace, kind: MessageKind) -> Vec<(i64, &Message)> {
    sent(trace).filter(|(_, m)| m.kind == kind).collect()
}

pub fn events(trace: &Trace) -> impl Iterator<Item = (i64, &TraceEvent)> {
    trace.records.iter().map(|r| (r.t, &r.event))
}

// ---------------------------------------------------------------------------------------------
// The library as a whole.

// ---------------------------------------------------------------------------------------------
// STIX bundles.

/// `ttx run SCENARIO --seed SEED --out DIR`, which must succeed.
pub fn run_into(dir: &Path, scenario: &str, seed: u64) {
    ttx_ok(&[
        "run",
        scenario,
        "--seed",
        &seed.to_string(),
        "--out",
        dir.to_str().unwrap(),
    ]);
}

/// The report that says whose bundle it is: the only one with no ttx origin.
pub fn bundle_report(objects: &[serde_json::Value]) -> &serde_json::Value {
    let mut own = objects
        .iter()
        .filter(|o| o["type"] == "report" && o.get("external_references").is_none());
    let report = own.next().expect("a bundle has its own report");
    assert!(own.next().is_none(), "a bundle has one report of its own");
    report
}

/// A bundle's objects, parsed.
pub fn stix_objects(bundle: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(bundle).expect("a bundle is JSON");
    assert_eq!(v["type"], "bundle");
    v["objects"]
        .as_array()
        .expect("a bundle has objects")
        .clone()
}

/// The ttx id (message or case) an object comes from, from its `external_references`.
pub fn ttx_ref(o: &serde_json::Value) -> Option<&str> {
    o["external_references"]
        .as_array()?
        .iter()
        .find(|r| r["source_name"] == "ttx")?["external_id"]
        .as_str()
}

/// The TLP marking of an object, as its marking-definition id's name says.
pub fn tlp_of(o: &serde_json::Value) -> Option<ttx_scenario::Tlp> {
    use ttx_scenario::Tlp;
    let id = o["object_marking_refs"].as_array()?.first()?.as_str()?;
    Some(match id {
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487" => Tlp::Clear,
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb" => Tlp::Green,
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421" => Tlp::Amber,
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003" => Tlp::AmberStrict,
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1" => Tlp::Red,
        other => panic!("{} is marked with {other}, not a TLP 2.0 marking", o["id"]),
    })
}

/// The virtualenv holding the STIX tools (stix2-validator, misp-stix) that `.ci/run` installs:
/// `TTX_STIX_VENV`, else `target/stix-venv`. `None` (after saying so loudly) when it is missing,
/// unless `TTX_REQUIRE_STIX_VALIDATOR=1`, which makes a missing tool a failure.
pub fn stix_venv(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("TTX_STIX_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/stix-venv"));
    let ok = dir.join("bin/stix2_validator").is_file()
        && Command::new(dir.join("bin/python"))
            .args(["-c", "import misp_stix_converter, stix2validator"])
            .output()
            .is_ok_and(|o| o.status.success());
    if ok {
        return Some(dir);
    }
    let required = std::env::var("TTX_REQUIRE_STIX_VALIDATOR").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "TTX_REQUIRE_STIX_VALIDATOR=1 but {} holds no stix2-validator and misp-stix: run .ci/run \
         (or python3 -m venv {0} && {0}/bin/pip install stix2-validator misp-stix)",
        dir.display()
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n\n*** SKIPPED {test}: no stix2-validator and misp-stix in {} (run .ci/run to install them); \
         set TTX_REQUIRE_STIX_VALIDATOR=1 to make this a failure. ***\n",
        dir.display()
    );
    None
}
