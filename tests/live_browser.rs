//! A short live exercise of the default scenario played in real headless Chromium (Debian's
//! `chromium` and `chromium-driver`, driven over the WebDriver protocol), by clicking and typing:
//! the facilitator starts the clock, the incident reaches team Aurelia's inbox, Aurelia notifies
//! Borealia, Borealia acknowledges (with the reply button) and offers assistance, the evaluator
//! rates an expectation, the facilitator ends the exercise. `ttx score` accepts the trace, and
//! its scorecard shows Borealia's norm c verdict and the acknowledgement latency the teams
//! produced. Screenshots of the console and a team inbox are left in target/ (the README's).
//!
//! Without Chromium the test says so loudly and skips, unless `TTX_REQUIRE_BROWSER=1` (as
//! `.ci/run` sets), in which case a missing browser is a failure.

mod common;
mod live;

use common::{TempDir, ttx_ok};
use live::{Server, request};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn loud(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n\n{message}\n");
}

fn on_path(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

struct Driver {
    child: Child,
    addr: String,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(
            &self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(
        chromium: &std::path::Path,
        driver: &std::path::Path,
        profile: &std::path::Path,
    ) -> Driver {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while request(&addr, "GET", "/status", None, None).is_err() {
            if Instant::now() >= deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromedriver does not answer");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": chromium.to_str().unwrap(),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1400,1100", format!("--user-data-dir={}", profile.display())]
        }}}});
        let r =
            request(&addr, "POST", "/session", None, Some(&caps.to_string())).expect("new session");
        let session = r.json()["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {}", r.body))
            .to_string();
        Driver {
            child,
            addr,
            session,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let p = format!("/session/{}{path}", self.session);
        let b = body.map(|b| b.to_string());
        let r = request(&self.addr, method, &p, None, b.as_deref()).expect("chromedriver answers");
        let v = r.json();
        assert!(
            r.status == 200,
            "WebDriver {method} {path}: {} {}",
            r.status,
            r.body
        );
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    fn find(&self, css: &str) -> Option<String> {
        let p = format!("/session/{}/element", self.session);
        let body = json!({"using": "css selector", "value": css}).to_string();
        let r = request(&self.addr, "POST", &p, None, Some(&body)).ok()?;
        (r.status == 200).then(|| r.json()["value"][ELEMENT].as_str().map(str::to_string))?
    }

    /// Waits (the page updates live) for an element.
    fn wait(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(e) = self.find(css) {
                return e;
            }
            if Instant::now() >= deadline {
                let p = format!("/session/{}/element", self.session);
                let body = json!({"using": "css selector", "value": css}).to_string();
                let r = request(&self.addr, "POST", &p, None, Some(&body)).map(|r| r.body);
                panic!("{css} never appeared ({r:?}); page:\n{}", self.source());
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    fn click(&self, css: &str) {
        let e = self.wait(css);
        self.call("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_in(&self, css: &str, text: &str) {
        let e = self.wait(css);
        self.call("POST", &format!("/element/{e}/clear"), Some(json!({})));
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }

    fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]"));
    }

    fn text(&self, css: &str) -> String {
        let e = self.wait(css);
        self.call("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn source(&self) -> String {
        self.call("GET", "/source", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits until `css`'s text contains `want` (a form's result line, a clock).
    fn wait_text(&self, css: &str, want: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let t = self.text(css);
            if t.contains(want) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{css} says \"{t}\", not \"{want}\""
            );
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    fn screenshot(&self, path: &std::path::Path) {
        use std::io::Write;
        let b64 = self
            .call("GET", "/screenshot", None)
            .as_str()
            .unwrap()
            .to_string();
        let bytes = base64_decode(&b64);
        std::fs::File::create(path)
            .unwrap()
            .write_all(&bytes)
            .unwrap();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= (val(*c) as u32) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

#[test]
fn a_short_exercise_played_in_the_browser() {
    let (Some(chromium), Some(driver)) = (
        on_path("chromium").or_else(|| on_path("chromium-browser")),
        on_path("chromedriver"),
    ) else {
        if std::env::var("TTX_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "chromium and chromedriver are required (TTX_REQUIRE_BROWSER=1): apt-get install chromium chromium-driver"
            );
        }
        loud(
            "SKIPPED live_browser: chromium or chromedriver is not installed (apt-get install chromium chromium-driver)",
        );
        return;
    };
    let tmp = TempDir::new("live-browser");
    let dir = tmp.path().join("ex");
    // The default scenario, with one expectation written in free text for the evaluator to rate
    // (the others are judged from the trace).
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/library/hospital-ransomware.ron"
    ))
    .unwrap();
    let judged = "        Expect(id: \"e9\", actor: \"borealia\", does: Judged(\"Borealia acknowledges receipt through its technical PoC\"), objective: \"o2\"),\n    ],\n)";
    let last = source
        .rfind("    ],\n)")
        .expect("the expectations close the file");
    let scenario = tmp.path().join("hospital-ransomware.ron");
    std::fs::write(&scenario, format!("{}{judged}\n", &source[..last])).unwrap();
    let server = Server::start(&[
        scenario.to_str().unwrap(),
        "--human",
        "aurelia,borealia",
        "--dir",
        dir.to_str().unwrap(),
    ]);
    let base = format!("http://{}", server.addr);
    let b = Driver::start(&chromium, &driver, &tmp.path().join("profile"));
    // Every role joins through its link; the cookies are scoped to each role's pages, so one
    // browser holds all four.
    for role in ["facilitator", "team aurelia", "team borealia", "evaluator"] {
        b.go(&format!("{base}{}", server.link(role)));
    }

    // The facilitator starts the exercise, paced, and moves to the incident and past its detection.
    b.go(&format!("{base}/console"));
    b.click("button[data-body*='\"running\":false']");
    b.wait_text("#clock-state", "Paused");
    b.click("button[data-body*='next_inject']");
    b.type_in("#advance-by", "3h");
    b.click("button[data-with='advance-by']");
    b.wait_text("#controls-result", "clock at");

    // Team Aurelia's CERT has detected the incident; the team notifies Borealia.
    b.go(&format!("{base}/team/aurelia"));
    b.wait("[data-lane='inbox'] article.own");
    b.select("#compose select[name=kind]", "incident_notification");
    b.select("#compose select[name=to]", "borealia");
    b.type_in("#compose input[name=about]", "inc-1");
    b.type_in("#compose textarea[name=text]", "Ransomware on our hospital network; indicators attached. Notification does not imply responsibility.");
    b.click("#compose button[type=submit]");
    b.wait_text("#compose .result", "recorded");

    // Time passes for delivery.
    b.go(&format!("{base}/console"));
    b.type_in("#advance-by", "4h");
    b.click("button[data-with='advance-by']");
    b.wait_text("#controls-result", "clock at");

    // Borealia finds it in its inbox, acknowledges with the reply button, and offers assistance.
    b.go(&format!("{base}/team/borealia"));
    b.wait("[data-lane='inbox'] article.received[data-kind='incident_notification']");
    b.click(
        "article.received[data-kind='incident_notification'] button[data-reply*='acknowledgement']",
    );
    b.type_in(
        "#compose textarea[name=text]",
        "Received; our CERT is on it.",
    );
    b.click("#compose button[type=submit]");
    b.wait_text("#compose .result", "recorded");
    b.click("article.received[data-kind='incident_notification'] button[data-reply*='assistance_offer']");
    b.type_in(
        "#compose input[name=offer_nature]",
        "incident-response team",
    );
    b.type_in(
        "#compose input[name=offer_scope]",
        "the hospital network's servers",
    );
    b.type_in("#compose input[name=offer_terms]", "at no cost");
    b.type_in("#compose input[name=offer_timeframe]", "48h");
    b.click("#compose button[type=submit]");
    b.wait_text("#compose .result", "recorded");

    // The evaluator rates Borealia's acknowledgement.
    b.go(&format!("{base}/evaluator"));
    b.select("#rate select[name=expectation]", "e9");
    b.select("#rate select[name=rating]", "SUCCESS");
    b.type_in(
        "#rate textarea[name=comment]",
        "Acknowledged through the technical PoC within hours.",
    );
    b.click("#rate button[type=submit]");
    b.wait_text("#rate .result", "recorded");

    // The facilitator lets the offer arrive and ends the exercise.
    b.go(&format!("{base}/console"));
    b.type_in("#advance-by", "4h");
    b.click("button[data-with='advance-by']");
    b.wait_text("#controls-result", "clock at");
    b.go(&format!("{base}/team/borealia"));
    b.wait("[data-lane='sent'] article.sent[data-kind='assistance_offer']");
    b.screenshot(
        &std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("live-team-inbox.png"),
    );
    b.go(&format!("{base}/console"));
    b.wait("[data-lane='timeline'] article");
    // Borealia acknowledged; its mitigation report is not due yet: norm c is open, not violated.
    b.wait("#panel-score td[data-state='borealia'][data-norm='c'].pending");
    b.screenshot(&std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("live-console.png"));
    b.click("button[data-post='/end']");
    b.wait_text("#clock-state", "Ended");
    b.wait_text("#controls-result", "trace.jsonl");

    // The trace is a trace like any other: `ttx score` reads it.
    let out = ttx_ok(&[
        "score",
        dir.join("trace.jsonl").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let card: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &card["norms"]["borealia"]["c"];
    assert!(
        c.is_object(),
        "a norm c verdict for Borealia: {}",
        card["norms"]
    );
    let rated = serde_json::to_string(&card["objectives"]).unwrap();
    assert!(
        rated.contains("e9") && rated.to_lowercase().contains("success"),
        "the evaluator's rating counts: {rated}"
    );
    assert_ne!(
        c["status"],
        json!("n/a"),
        "Borealia had a notification to answer: {c}"
    );
    let acks: Vec<&Value> = card["latency"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["step"] == json!("notify_to_acknowledge") && i["actor"] == json!("borealia"))
        .collect();
    assert!(
        acks.iter().any(|i| i["to_t"].is_number()),
        "the acknowledgement latency Borealia produced is measured: {acks:?}"
    );
    drop(b);
    drop(server);
}
