//! Input that used to crash or hang ttx gets a clear error and exit 1 instead: nesting a hundred
//! thousand levels deep in a scenario, a trace line, a `--set` value or an MSEL cell (which used
//! to overflow the stack and abort). And output to a closed pipe ends quietly, the way `yes |
//! head` does, instead of panicking.

mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const DEEP: usize = 100_000;
/// The signal a process gets when it writes to a pipe nobody reads (the same on every Unix).
#[cfg(unix)]
const SIGPIPE: i32 = 13;

fn refused_as_too_deep(o: &std::process::Output, what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{what}: {err}");
    assert!(
        err.contains("nested more than 64 levels deep"),
        "{what}: {}",
        &err[..err.len().min(2000)]
    );
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{what}"
    );
    assert!(
        err.len() < 4000,
        "{what}: the message quotes the whole input"
    );
}

#[test]
fn nesting_a_hundred_thousand_deep_is_refused_with_its_position() {
    let dir = TempDir::new("deep");
    let source = ttx_scenario::library::find("hospital-ransomware")
        .unwrap()
        .source;
    for (name, value) in [
        ("list", format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP))),
        (
            "option",
            format!("{}\"x\"{}", "Some(".repeat(DEEP), ")".repeat(DEEP)),
        ),
        ("unclosed", "(".repeat(DEEP)),
    ] {
        let path = dir.path().join(format!("{name}.ron"));
        let text = source.replacen(
            "name: \"hospital-ransomware\"",
            &format!("name: {value}"),
            1,
        );
        std::fs::write(&path, text).unwrap();
        let o = ttx(&["validate", path.to_str().unwrap()]);
        refused_as_too_deep(&o, name);
        let line = source
            .lines()
            .position(|l| l.contains("name: \"hospital"))
            .unwrap()
            + 1;
        assert!(
            stderr(&o).starts_with(&format!("{}:{line}:", path.display())),
            "{name}: {}",
            &stderr(&o)[..300]
        );
        refused_as_too_deep(&ttx(&["run", path.to_str().unwrap()]), name);
    }

    let run = dir.path().join("run");
    assert!(
        ttx(&["run", "--out", run.to_str().unwrap()])
            .status
            .success()
    );
    let trace = std::fs::read_to_string(run.join("trace.jsonl")).unwrap();
    let mut lines: Vec<String> = trace.lines().map(str::to_string).collect();
    lines[3] = format!(
        "{{\"n\":3,\"t\":0,\"type\":\"decision\",\"actor\":{}{}}}",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    let deep_trace = dir.path().join("deep.jsonl");
    std::fs::write(&deep_trace, lines.join("\n") + "\n").unwrap();
    let o = ttx(&["score", deep_trace.to_str().unwrap()]);
    refused_as_too_deep(&o, "trace");
    assert!(stderr(&o).contains("deep.jsonl: line 4:"), "{}", stderr(&o));

    // A command-line argument is limited to 128 KiB, so the --set value opens 100,000 brackets
    // and closes none.
    let value = format!("states.borealia.doctrine={}", "[".repeat(DEEP));
    refused_as_too_deep(&ttx(&["run", "--set", &value]), "--set");
    let sweep = format!(
        "states.borealia.doctrine=cautious,{}",
        "{\"a\":".repeat(DEEP / 5)
    );
    let out = dir.path().join("sweep");
    refused_as_too_deep(
        &ttx(&[
            "batch",
            "--runs",
            "1",
            "--sweep",
            &sweep,
            "--out",
            out.to_str().unwrap(),
        ]),
        "--sweep",
    );

    let msel = dir.path().join("deep.csv");
    std::fs::write(
        &msel,
        format!(
            "Number,Time,From,To,Method,Subject,Message,Expected Action,Event\n1,T+1h,gang,All,Incident,a,b,,\"{}\"\n",
            "Incident(id: ".repeat(DEEP / 10)
        ),
    )
    .unwrap();
    let o = ttx(&[
        "import-msel",
        msel.to_str().unwrap(),
        "--base",
        "hospital-ransomware",
    ]);
    refused_as_too_deep(&o, "MSEL");
    assert!(stderr(&o).contains("row 2, column Event"), "{}", stderr(&o));
}

/// Runs ttx with standard output connected to a pipe nobody reads any more.
fn into_closed_pipe(args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn output_to_a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let dir = TempDir::new("closed-pipe");
    let out = dir.path().join("run");
    for args in [
        vec!["run"],
        vec!["list"],
        vec!["validate", "false-flag"],
        vec!["run", "--out", out.to_str().unwrap()],
    ] {
        let o = into_closed_pipe(&args);
        assert_eq!(o.status.signal(), Some(SIGPIPE), "{args:?}: {:?}", o.status);
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    // Files are written before the terminal output, so the run directory is complete.
    let trace = std::fs::read_to_string(out.join("trace.jsonl")).unwrap();
    ttx_scenario::Trace::from_jsonl(&trace).expect("a whole trace");
    assert!(out.join("report.html").is_file());
}

#[test]
fn ttx_run_piped_into_head_prints_one_line_without_a_panic() {
    // A real pipeline: the reader takes one line and goes away while ttx is still writing (the
    // verbose timeline of 193 states is larger than a pipe's buffer).
    let mut child = Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(["run", "un-poc-directory", "-v"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("ttx "), "{first}");
    let o = child.wait_with_output().unwrap();
    assert_eq!(stderr(&o), "", "no panic message");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(o.status.signal(), Some(SIGPIPE), "{:?}", o.status);
    }
}

#[test]
fn long_chains_and_thousands_of_mistakes_are_checked_without_recursion_or_quadratic_work() {
    let dir = TempDir::new("big-scenarios");
    // 100,000 infrastructure items each depending on the next, and 20,000 doctrines each based
    // on the next: the dependency and base chains used to be followed by recursion, one stack
    // frame per link, and overflowed.
    let n = 100_000;
    let infra: Vec<String> = (0..n)
        .map(|i| {
            let next = if i + 1 < n {
                format!("[\"x{}\"]", i + 1)
            } else {
                "[]".into()
            };
            format!("Infra(id: \"x{i}\", state: \"s\", sector: Health, depends_on: {next})")
        })
        .collect();
    let doctrines: Vec<String> = (0..20_000)
        .map(|i| {
            let base = if i + 1 < 20_000 {
                format!("d{}", i + 1)
            } else {
                "cautious".into()
            };
            format!("Doctrine(name: \"d{i}\", base: \"{base}\")")
        })
        .collect();
    let chains = format!(
        "Scenario(name: \"chains\", start: \"2026-03-06T16:00:00Z\", duration: \"1d\",\n\
         states: [State(id: \"s\", utc_offset: \"+00:00\", capacity: Emerging, doctrine: \"d0\")],\n\
         infrastructure: [{}],\ndoctrines: [{}],\n)\n",
        infra.join(",\n"),
        doctrines.join(",\n")
    );
    let path = dir.path().join("chains.ron");
    std::fs::write(&path, chains).unwrap();
    let o = ttx_within(
        dir.path(),
        &["validate", "chains.ron"],
        Duration::from_secs(120),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        &stderr(&o)[..stderr(&o).len().min(2000)]
    );

    // 3,000 states with a misspelt doctrine: every one is reported, the first 100 with a
    // "did you mean", the rest with the list of known doctrines (comparing each misspelling with
    // every known name would make a large file's check quadratic).
    let states: Vec<String> = (0..3000)
        .map(|i| format!("State(id: \"s{i}\", utc_offset: \"+00:00\", capacity: Emerging, doctrine: \"cautios\")"))
        .collect();
    let typos = format!(
        "Scenario(name: \"typos\", start: \"2026-03-06T16:00:00Z\", duration: \"1d\",\nstates: [\n{}\n],\n)\n",
        states.join(",\n")
    );
    std::fs::write(dir.path().join("typos.ron"), typos).unwrap();
    let o = ttx_within(
        dir.path(),
        &["validate", "typos.ron"],
        Duration::from_secs(120),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("3000 errors in typos.ron"),
        "{}",
        &err[err.len() - 300..]
    );
    assert_eq!(err.matches("did you mean \"cautious\"?").count(), 100);
    assert_eq!(err.matches("known doctrines: ").count(), 2900);
}
