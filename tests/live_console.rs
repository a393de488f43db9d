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
