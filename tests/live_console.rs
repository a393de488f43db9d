//! The facilitator's console over HTTP on a real `ttx serve`: the live scorecard judges no
//! deadline before it comes, a message sent as a control-cell state reaches the addressee
//! team's inbox and the trace, and the real-time clock stands still while paused.

mod common;
mod live;

use common::TempDir;
use live::{Server, get, post};
use serde_json::{Value, json};

/// The `class` of the live scorecard's norm cell for (`state`, `norm`), from a console page.
fn norm_cell(page: &str, state: &str, norm: &str) -> String {
    let key = format!("data-state=\"{state}\" data-norm=\"{norm}\"");
    let at = page
        .find(&key)
        .unwrap_or_else(|| panic!("no norm cell {state}/{norm} on the console"));
    let td = page[..at].rfind("<td").expect("a table cell");
    let cell = &page[td..at];
    let class = cell
        .split("class=\"")
        .nth(1)
        .and_then(|c| c.split('"').next())
        .expect("the cell has a class");
    class.to_string()
}

fn clock(addr: &str, fac: &str, body: Value) -> Value {
    let r = post(addr, "/console/clock", Some(fac), body);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The records of a team's download, parsed.
fn download(addr: &str, team: &str, cookie: &str) -> Vec<Value> {
    let r = get(addr, &format!("/team/{team}/download"), Some(cookie));
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect()
}

/// The id of the first message of `kind` to `to` in `records`.
fn message_to(records: &[Value], kind: &str, to: &str) -> Option<String> {
    records.iter().find_map(|r| {
        (r["type"] == json!("message_sent") && r["kind"] == json!(kind) && r["to"] == json!(to))
            .then(|| r["msg"].as_str().unwrap().to_string())
    })
}

#[test]
fn the_live_scorecard_judges_no_deadline_before_it_comes() {
    let tmp = TempDir::new("live-scorecard");
    let dir = tmp.path().join("ex");
    let server = Server::start(&[
        "hospital-ransomware",
        "--human",
        "aurelia,borealia",
        "--dir",
        dir.to_str().unwrap(),
    ]);
    let addr = server.addr.as_str();
    let fac = server.join("facilitator");
    let a = server.join("team aurelia");
    let b = server.join("team borealia");

    // The incident, its detection, Aurelia's notification to Borealia (whose territory the
    // activity came from) and Borealia's acknowledgement through the same channel.
    clock(addr, &fac, json!({"do": "start", "running": false}));
    clock(addr, &fac, json!({"do": "next_inject"}));
    clock(addr, &fac, json!({"do": "advance", "by": "3h"}));
    let r = post(
        addr,
        "/team/aurelia/move",
        Some(&a),
        json!({"kind": "incident_notification", "to": "borealia", "about": "inc-1",
               "text": "Ransomware on our hospital network."}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    clock(addr, &fac, json!({"do": "advance", "by": "4h"}));
    let note = message_to(
        &download(addr, "borealia", &b),
        "incident_notification",
        "borealia",
    )
    .expect("the notification reached Borealia");
    let r = post(
        addr,
        "/team/borealia/move",
        Some(&b),
        json!({"kind": "acknowledgement", "to": "aurelia", "about": "inc-1",
               "refers_to": note, "text": "Received; our CERT is on it."}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let ack_t = r.json()["t"].as_i64().unwrap();
    clock(addr, &fac, json!({"do": "advance", "by": "5h"}));

    // Hours later, Borealia's mitigation report is not yet due (72h after the acknowledgement):
    // norm c is open, not violated — on the console and in the files written now.
    let console = get(addr, "/console", Some(&fac)).body;
    assert_eq!(norm_cell(&console, "borealia", "c"), "pending", "T+12h");
    assert!(console.contains("As of T+"), "the scorecard says when");
    let r = post(addr, "/console/files", Some(&fac), json!({}));
    assert_eq!(r.status, 200, "{}", r.body);
    let card: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("scorecard.json")).unwrap())
            .unwrap();
    assert_eq!(card["norms"]["borealia"]["c"]["status"], json!("pending"));

    // Past the deadline, with nothing reported, it is violated.
    let due = ack_t + 72 * 3600;
    clock(addr, &fac, json!({"do": "advance", "to": due + 60}));
    let console = get(addr, "/console", Some(&fac)).body;
    assert_eq!(
        norm_cell(&console, "borealia", "c"),
        "bad",
        "past the deadline"
    );
    let evaluator = server.join("evaluator");
    let page = get(addr, "/evaluator", Some(&evaluator)).body;
    assert_eq!(
        norm_cell(&page, "borealia", "c"),
        "bad",
        "the evaluator's too"
    );
}

#[test]
fn the_facilitator_speaks_for_a_control_cell_state() {
    let tmp = TempDir::new("live-control-move");
    let dir = tmp.path().join("ex");
    // Delmara is played by the control cell; Aurelia and Borealia by teams.
    let server = Server::start(&["live-hospital-ransomware", "--dir", dir.to_str().unwrap()]);
    let addr = server.addr.as_str();
    let fac = server.join("facilitator");
    let a = server.join("team aurelia");
    let b = server.join("team borealia");
    clock(addr, &fac, json!({"do": "start", "running": false}));
    clock(addr, &fac, json!({"do": "advance", "by": "2h"}));
    let r = post(
        addr,
        "/console/move",
        Some(&fac),
        json!({"by": "delmara", "kind": "information_share", "to": "aurelia", "tlp": "TLP:AMBER",
               "text": "DELMARA-SAYS-HELLO"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // A bot's state is not the facilitator's to speak for.
    let r = post(
        addr,
        "/console/move",
        Some(&fac),
        json!({"by": "cordovia", "kind": "information_share", "to": "aurelia", "text": "x"}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    clock(addr, &fac, json!({"do": "advance", "by": "12h"}));

    // It reached Aurelia's inbox (page and log), from Delmara, and nobody else's.
    let page = get(addr, "/team/aurelia", Some(&a)).body;
    assert!(page.contains("DELMARA-SAYS-HELLO"), "Aurelia's inbox");
    let log = download(addr, "aurelia", &a);
    let from_delmara = log
        .iter()
        .find(|r| r["type"] == json!("message_sent") && r["text"] == json!("DELMARA-SAYS-HELLO"))
        .expect("the message in Aurelia's log");
    assert_eq!(from_delmara["from"], json!("delmara"), "{from_delmara}");
    assert!(
        log.iter().any(|r| r["type"] == json!("message_delivered")
            && r["msg"] == from_delmara["msg"]
            && r["to"] == json!("aurelia")),
        "delivered to Aurelia"
    );
    assert!(
        !get(addr, "/team/borealia", Some(&b))
            .body
            .contains("DELMARA-SAYS-HELLO")
    );
    let console = get(addr, "/console", Some(&fac)).body;
    assert!(
        console.contains("delmara sends information share to aurelia"),
        "the action log"
    );

    // And the trace, as Delmara's message.
    let r = post(addr, "/console/end", Some(&fac), json!({}));
    assert_eq!(r.status, 200, "{}", r.body);
    let trace = std::fs::read_to_string(dir.join("trace.jsonl")).unwrap();
    let sent = trace
        .lines()
        .find(|l| l.contains("DELMARA-SAYS-HELLO"))
        .expect("the message is in the trace");
    assert!(
        sent.contains("\"from\":\"delmara\"") && sent.contains("\"to\":\"aurelia\""),
        "{sent}"
    );
    assert!(trace.lines().any(|l| l.contains("message_delivered")
        && l.contains(&format!(
            "\"msg\":{}",
            serde_json::from_str::<Value>(sent).unwrap()["msg"]
        ))));
}

/// The real-time clock over HTTP, with no timed assertion: a paused clock stands still whatever
/// real time passes and whatever its speed; a running one moves on (waited for, not timed).
#[test]
fn a_paused_clock_stands_still_and_a_running_one_moves_on() {
    let tmp = TempDir::new("live-clock");
    let dir = tmp.path().join("ex");
    let server = Server::start(&["live-hospital-ransomware", "--dir", dir.to_str().unwrap()]);
    let addr = server.addr.as_str();
    let fac = server.join("facilitator");
    let a = server.join("team aurelia");
    let t = |v: Value| v["t"].as_i64().expect("the clock's time");
    clock(addr, &fac, json!({"do": "start", "running": true}));
    let paused = t(clock(addr, &fac, json!({"do": "pause"})));
    std::thread::sleep(std::time::Duration::from_millis(300));
    // A speed change while paused moves nothing.
    assert_eq!(
        t(clock(addr, &fac, json!({"do": "speed", "speed": 3600}))),
        paused
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        t(clock(addr, &fac, json!({"do": "speed", "speed": 3600}))),
        paused
    );
    let page = get(addr, "/console", Some(&fac)).body;
    assert!(page.contains("Paused"), "the console says so");

    // Resumed at 3600× (an exercise hour per second) it moves on, and the engine with it.
    let resumed = t(clock(addr, &fac, json!({"do": "resume"})));
    assert!(resumed >= paused);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let moved = loop {
        let now = t(clock(addr, &fac, json!({"do": "speed", "speed": 3600})));
        if now > resumed + 3600 {
            break now;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the running clock never moved"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let stopped = t(clock(addr, &fac, json!({"do": "pause"})));
    assert!(stopped >= moved);
    // The engine followed the clock: the communication check sent at T+00:15 is in Aurelia's
    // inbox.
    let inbox = get(addr, "/team/aurelia", Some(&a)).body;
    assert!(
        inbox.contains("data-kind=\"ping\""),
        "the engine ran to the clock"
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(t(clock(addr, &fac, json!({"do": "pause"}))), stopped);
}
