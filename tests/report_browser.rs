//! Reports as a reader sees them: the single-run and study reports of bundled scenarios rendered
//! in headless Chromium (Debian's `chromium`, installed by `.ci/run`), with a screenshot of each.
//! The test fails on a blank page, on any console message from the page (reports carry no
//! script, so anything the console says about them — a blocked load, a parse error — is a
//! fault), and on any network request the page makes.
//!
//! Without Chromium the test says so loudly on stderr and skips, unless `TTX_REQUIRE_BROWSER=1`
//! (as `.ci/run` sets), in which case a missing browser is a failure.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Screenshots are this wide; tall enough to hold the header, findings and timeline.
const WINDOW: &str = "1280,4000";
/// Fewer non-white pixels than this share means a blank page.
const MIN_INK: f64 = 0.01;

/// Writes straight to the process's stderr: the test harness captures `eprintln!` of passing
/// tests, and a skipped browser test must not pass silently.
fn loud(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n\n{message}\n");
}

fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// What one page load left behind.
struct Render {
    screenshot: PathBuf,
    stderr: String,
    netlog: serde_json::Value,
}

fn render(chromium: &Path, html: &Path, out: &Path, name: &str) -> Render {
    let screenshot = out.join(format!("{name}.png"));
    let netlog = out.join(format!("{name}.netlog.json"));
    let profile = out.join(format!("{name}.profile"));
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    let mut child = Command::new(chromium)
        .args([
            "--headless=new",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={WINDOW}"))
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg(&url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let stderr_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let mut pipe = stderr_pipe;
        std::io::Read::read_to_string(&mut pipe, &mut s).ok();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{name}: chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = reader.join().unwrap();
    assert!(
        status.success(),
        "{name}: chromium failed: {status}\n{stderr}"
    );
    let netlog = std::fs::read_to_string(&netlog)
        .unwrap_or_else(|e| panic!("{name}: no net log: {e}\n{stderr}"));
    let netlog: serde_json::Value =
        serde_json::from_str(&netlog).unwrap_or_else(|e| panic!("{name}: unreadable net log: {e}"));
    let _ = std::fs::remove_dir_all(&profile);
    Render {
        screenshot,
        stderr,
        netlog,
    }
}

/// Console messages Chromium logged for the page. Headless Chromium writes every console
/// message at INFO level as `…:INFO:CONSOLE(…)] "text", source: URL (line)` (the exact
/// punctuation varies by version), without the message's own level, so any of them counts.
fn console_messages<'a>(stderr: &'a str, url_tail: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("CONSOLE("))
        .filter(|l| l.contains(url_tail) || l.contains("source: file://"))
        .collect()
}

/// Requests the page made that leave the file: any URL request whose URL is not `file:`,
/// `data:`, `about:`, `blob:` or `chrome:` and which the page (not the browser's own
/// background services, which headless Chromium keeps however it is started) asked for — its
/// network isolation key names the `file://` page or it has an initiator.
fn page_requests(netlog: &serde_json::Value) -> (Vec<String>, Vec<String>) {
    let types = &netlog["constants"]["logEventTypes"];
    let start_job = types["URL_REQUEST_START_JOB"].as_u64();
    let (mut page, mut browser) = (Vec::new(), Vec::new());
    for e in netlog["events"].as_array().into_iter().flatten() {
        if e["type"].as_u64() != start_job {
            continue;
        }
        let p = &e["params"];
        let url = p["url"].as_str().unwrap_or("");
        let local = ["file:", "data:", "about:", "blob:", "chrome:"]
            .iter()
            .any(|s| url.starts_with(s));
        if local {
            continue;
        }
        let nik = p["network_isolation_key"].as_str().unwrap_or("");
        let initiator = p["initiator"].as_str().unwrap_or("not an origin");
        if nik.contains("file://") || initiator != "not an origin" {
            page.push(url.to_string());
        } else {
            browser.push(url.to_string());
        }
    }
    (page, browser)
}

/// Share of pixels that are not (nearly) white.
fn ink(png_path: &Path) -> f64 {
    let file = std::io::BufReader::new(std::fs::File::open(png_path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let (mut total, mut inked) = (0u64, 0u64);
    for px in pixels.chunks_exact(channels) {
        total += 1;
        let rgb = if channels >= 3 { &px[..3] } else { &px[..1] };
        if rgb.iter().any(|&c| c < 235) {
            inked += 1;
        }
    }
    inked as f64 / total.max(1) as f64
}

#[test]
fn bundled_reports_render_in_chromium_without_errors_or_requests() {
    let Some(chromium) = find_chromium() else {
        let required = std::env::var("TTX_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "TTX_REQUIRE_BROWSER=1 but no chromium on PATH: install it (apt-get install chromium) or run .ci/run"
        );
        loud(
            "*** SKIPPED report_browser: no `chromium` on PATH, so the HTML reports were NOT rendered. \
             Install Debian's chromium (apt-get install -y --no-install-recommends chromium) or run .ci/run; \
             set TTX_REQUIRE_BROWSER=1 to make this a failure. ***",
        );
        return;
    };
    let tmp = TempDir::new("report-browser");
    // Screenshots outlive the test's temporary directory, for a human to look at.
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-browser-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();

    let dir = |n: &str| tmp.path().join(n);
    let run = |args: &[&str]| {
        let o = ttx(args);
        assert!(o.status.success(), "ttx {args:?}: {}", stderr(&o));
    };
    run(&["run", "--out", dir("run").to_str().unwrap()]);
    run(&[
        "run",
        "false-flag",
        "--out",
        dir("run-ff").to_str().unwrap(),
    ]);
    run(&[
        "batch",
        "false-flag",
        "--runs",
        "60",
        "--out",
        dir("batch").to_str().unwrap(),
    ]);
    run(&[
        "batch",
        "hospital-ransomware",
        "--runs",
        "30",
        "--sweep",
        "doctrines.non-responsive.ack_probability=0,0.5,1",
        "--out",
        dir("sweep").to_str().unwrap(),
    ]);
    run(&[
        "compare",
        "hospital-ransomware",
        "false-flag",
        "--runs",
        "30",
        "--out",
        dir("compare").to_str().unwrap(),
    ]);

    let mut problems = Vec::new();
    for name in ["run", "run-ff", "batch", "sweep", "compare"] {
        let html = dir(name).join("report.html");
        let r = render(&chromium, &html, &shots, name);
        println!("{name}: screenshot {}", r.screenshot.display());
        let share = ink(&r.screenshot);
        if share < MIN_INK {
            problems.push(format!(
                "{name}: blank page ({:.2}% of pixels not white)",
                share * 100.0
            ));
        }
        for line in console_messages(&r.stderr, "report.html") {
            problems.push(format!("{name}: console: {line}"));
        }
        let (page, browser) = page_requests(&r.netlog);
        for url in page {
            problems.push(format!("{name}: network request to {url}"));
        }
        if !browser.is_empty() {
            println!(
                "{name}: ignored {} background requests of the browser itself",
                browser.len()
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checks themselves catch what they are meant to: a page with a script error, a remote
/// image and nothing on it fails all three.
#[test]
fn the_browser_checks_catch_errors_requests_and_blank_pages() {
    let Some(chromium) = find_chromium() else {
        let required = std::env::var("TTX_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "TTX_REQUIRE_BROWSER=1 but no chromium on PATH");
        loud("*** SKIPPED report_browser checks: no `chromium` on PATH ***");
        return;
    };
    let tmp = TempDir::new("report-browser-bad");
    let html = tmp.path().join("bad.html");
    std::fs::write(
        &html,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>bad</title></head><body>\
         <script>console.error('boom')</script><img src=\"http://192.0.2.1/x.png\"></body></html>",
    )
    .unwrap();
    let r = render(&chromium, &html, tmp.path(), "bad");
    assert!(ink(&r.screenshot) < MIN_INK, "an empty page is blank");
    assert!(
        !console_messages(&r.stderr, "bad.html").is_empty(),
        "the console error is seen:\n{}",
        r.stderr
    );
    let (page, _) = page_requests(&r.netlog);
    assert!(
        page.iter().any(|u| u.contains("192.0.2.1")),
        "the remote image is seen: {page:?}"
    );
}
