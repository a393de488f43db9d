//! The cluster path on a real Slurm cluster: the job-array script of docs/batch.md, submitted as
//! written with four array tasks, one task requeued while it runs, the merge submitted as a job
//! depending on the array — and the merged study byte-identical to the same study on one machine.
//!
//! Needs a running cluster (`ci/slurm/start.sh` brings up a single node by hand). Without one the
//! test says so loudly and skips, unless `TTX_REQUIRE_SLURM=1` (as `.ci/run` sets), in which case
//! a missing cluster is a failure.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

// Large enough that a shard is still running when the test requeues it: a faster engine once let
// a 2,000-run shard finish before the requeue landed (the task then had nothing to resume). A
// shard's rows are synced once a second, so the requeue lands a second or more into the shard;
// 80,000 runs take several seconds on one core (a million runs on two take about 20 s).
const STUDY: [&str; 3] = ["hospital-ransomware", "320000", "3"];
const FILES: [&str; 5] = [
    "batch.json",
    "runs.csv",
    "summary.json",
    "summary.csv",
    "report.html",
];

fn loud(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n\n{message}\n");
}

fn cluster_up() -> bool {
    Command::new("sinfo")
        .args(["-h", "-o", "%t"])
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("idle"))
}

/// The job-array script exactly as docs/batch.md shows it.
fn documented_script() -> String {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/batch.md"))
        .expect("docs/batch.md");
    let after = doc
        .split_once("<!-- slurm-study.sh")
        .expect("docs/batch.md marks the job-array script")
        .1;
    let body = after.split_once("```sh\n").expect("a sh block").1;
    body.split_once("\n```")
        .expect("the block ends")
        .0
        .to_string()
        + "\n"
}

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().expect("slurm command runs");
    assert!(
        o.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn job_field(job: &str, field: &str) -> Option<String> {
    let o = Command::new("scontrol")
        .args(["show", "job", job])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.split_whitespace()
        .find_map(|w| w.strip_prefix(&format!("{field}=")).map(str::to_string))
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool, logs: &Path) {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > limit {
            let mut text = String::new();
            for e in std::fs::read_dir(logs).unwrap().flatten() {
                if e.file_name().to_string_lossy().starts_with("slurm-") {
                    text += &format!(
                        "--- {}\n{}",
                        e.path().display(),
                        std::fs::read_to_string(e.path()).unwrap_or_default()
                    );
                }
            }
            panic!("timed out waiting for {what}; job logs:\n{text}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_documented_job_array_with_a_requeued_task_merges_into_the_single_machine_study() {
    if !cluster_up() {
        let required = std::env::var("TTX_REQUIRE_SLURM").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "TTX_REQUIRE_SLURM=1 but no Slurm cluster answers: run ci/slurm/start.sh (or .ci/run)"
        );
        loud(
            "*** SKIPPED slurm: no Slurm cluster answers `sinfo`, so the job-array script was NOT \
             submitted. Run ci/slurm/start.sh as root to bring up a single-node cluster; set \
             TTX_REQUIRE_SLURM=1 to make this a failure. ***",
        );
        return;
    }
    let tmp = TempDir::new("slurm");
    let work = tmp.path();
    std::fs::write(work.join("study.sh"), documented_script()).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_ttx")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let sbatch = |args: &[&str]| {
        run(Command::new("sbatch")
            .current_dir(work)
            .env("PATH", &path)
            .env("SCENARIO", STUDY[0])
            .env("RUNS", STUDY[1])
            .env("SEED", STUDY[2])
            .arg("--parsable")
            .args(args))
    };
    // The docs' array is 32 tasks of 4 CPUs; the command line overrides both for this one node.
    let job = sbatch(&["--array=1-4", "--cpus-per-task=1", "study.sh"]);
    let job = job.split(';').next().unwrap().to_string();
    let merge = sbatch(&[
        &format!("--dependency=afterok:{job}"),
        "--job-name=ttx-merge",
        "--wrap",
        "ttx merge shards/* --out study",
    ]);

    // Requeue task 2 mid-way, once it has written rows, and release it from Slurm's hold.
    let task = format!("{job}_2");
    let partial = work.join("shards/2/runs.csv.partial");
    wait_for(
        "task 2 to write rows",
        Duration::from_secs(60),
        || std::fs::read_to_string(&partial).is_ok_and(|t| t.lines().count() > 3),
        work,
    );
    run(Command::new("scontrol").args(["requeue", &task]));
    wait_for(
        "the requeued task to be held",
        Duration::from_secs(30),
        || job_field(&task, "JobState").as_deref() == Some("PENDING"),
        work,
    );
    run(Command::new("scontrol").args(["update", &format!("JobId={task}"), "StartTime=now"]));

    // Meanwhile, the same study on this machine.
    let single = work.join("single");
    ttx_ok(&[
        "batch",
        STUDY[0],
        "--runs",
        STUDY[1],
        "--seed",
        STUDY[2],
        "--threads",
        "2",
        "--out",
        single.to_str().unwrap(),
    ]);

    wait_for(
        "the merge job",
        Duration::from_secs(120),
        || {
            let state = job_field(&merge, "JobState").unwrap_or_default();
            assert!(
                !["FAILED", "CANCELLED", "TIMEOUT"].contains(&state.as_str()),
                "merge job {merge} ended {state}: {}",
                std::fs::read_to_string(work.join(format!("slurm-{merge}.out")))
                    .unwrap_or_default()
            );
            state == "COMPLETED"
        },
        work,
    );
    assert_eq!(job_field(&task, "Restarts").as_deref(), Some("1"));
    let log = std::fs::read_to_string(work.join(format!("slurm-{task}.out"))).unwrap();
    assert!(
        log.contains("--resume") && log.contains("resuming: "),
        "the requeued task resumed its shard: {log}"
    );
    let study = work.join("study");
    for f in FILES {
        let a = std::fs::read(study.join(f)).unwrap_or_else(|e| panic!("study/{f}: {e}"));
        let b = std::fs::read(single.join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs between the merged and the single-machine study"
        );
    }
}
