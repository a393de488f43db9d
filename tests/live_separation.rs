//! No one where they don't belong, checked at the HTTP level on a real `ttx serve`: with team
//! Aurelia's cookie, every route and the event stream of team Borealia are refused, Aurelia
//! cannot act as Borealia, and nothing of Borealia's — TLP:RED traffic to a third state, private
//! notes — reaches Aurelia's page, stream or download (and the other way round). Without a
//! cookie only the join page answers; forged and truncated tokens are refused.

mod common;
mod live;

use common::TempDir;
use live::{Server, get, post, stream};
use serde_json::json;
use std::time::Duration;

fn msg(kind: &str, to: &str, tlp: &str, text: &str) -> serde_json::Value {
    json!({"kind": kind, "to": to, "tlp": tlp, "text": text, "about": "inc-1"})
}

#[test]
fn a_team_sees_and_does_only_what_is_its_own() {
    let dir = TempDir::new("live-separation");
    let d = dir.path().join("ex");
    let server = Server::start(&[
        "hospital-ransomware",
        "--human",
        "aurelia,borealia",
        "--dir",
        d.to_str().unwrap(),
    ]);
    let addr = server.addr.as_str();
    let labels: Vec<&str> = server.links.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        labels,
        ["facilitator", "team aurelia", "team borealia", "evaluator"]
    );
    for (_, link) in &server.links {
        let token = link.trim_start_matches("/join/");
        assert!(
            token.len() >= 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
            "{token}"
        );
    }

    // Without a cookie: the join page only.
    assert_eq!(get(addr, "/", None).status, 200);
    for path in [
        "/console",
        "/console/events",
        "/evaluator",
        "/evaluator/events",
        "/team/aurelia",
        "/team/aurelia/events",
        "/team/aurelia/download",
        "/team/borealia",
    ] {
        let r = get(addr, path, None);
        assert_eq!(r.status, 401, "GET {path} without a cookie");
        assert!(
            r.header("content-security-policy")
                .is_some_and(|c| c.contains("default-src 'none'"))
        );
    }
    for path in [
        "/console/clock",
        "/console/release",
        "/team/aurelia/move",
        "/team/aurelia/note",
        "/evaluator/rate",
    ] {
        assert_eq!(
            post(addr, path, None, json!({})).status,
            401,
            "POST {path} without a cookie"
        );
    }

    // Forged and truncated tokens.
    let a_link = server.link("team aurelia").to_string();
    assert_eq!(
        get(addr, &a_link[..a_link.len() - 1], None).status,
        403,
        "truncated link"
    );
    assert_eq!(
        get(addr, &format!("/join/{}", "0".repeat(64)), None).status,
        403,
        "forged link"
    );
    assert_eq!(get(addr, "/join/", None).status, 404);
    let forged = format!("ttx_session={}", "ab".repeat(32));
    assert_eq!(get(addr, "/team/aurelia", Some(&forged)).status, 403);
    let link_as_cookie = format!("ttx_session={}", a_link.trim_start_matches("/join/"));
    assert_eq!(
        get(addr, "/team/aurelia", Some(&link_as_cookie)).status,
        403,
        "a link token is not a session"
    );

    let fac = server.join("facilitator");
    let a = server.join("team aurelia");
    let b = server.join("team borealia");
    let ev = server.join("evaluator");
    assert_ne!(a, b);
    let r = get(addr, "/team/aurelia", Some(&a));
    assert_eq!(r.status, 200);
    let csp = r.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );

    // Aurelia's cookie on Borealia's routes, the console and the evaluator's: refused.
    for path in [
        "/team/borealia",
        "/team/borealia/events",
        "/team/borealia/download",
        "/console",
        "/evaluator",
    ] {
        assert_eq!(
            get(addr, path, Some(&a)).status,
            403,
            "GET {path} with Aurelia's cookie"
        );
    }
    for path in [
        "/team/borealia/move",
        "/team/borealia/note",
        "/console/clock",
        "/console/move",
        "/evaluator/rate",
    ] {
        assert_eq!(
            post(
                addr,
                path,
                Some(&a),
                msg("information_share", "cordovia", "TLP:RED", "x")
            )
            .status,
            403,
            "POST {path} with Aurelia's cookie"
        );
    }
    // The evaluator cannot act as a team; the facilitator cannot speak for a team's state.
    assert_eq!(
        post(
            addr,
            "/team/aurelia/move",
            Some(&ev),
            msg("ping", "borealia", "", "x")
        )
        .status,
        403
    );
    let r = post(
        addr,
        "/console/move",
        Some(&fac),
        json!({"by": "aurelia", "kind": "ping", "to": "borealia"}),
    );
    assert_eq!(r.status, 403, "{}", r.body);

    // Play: Aurelia writes to Cordovia under TLP:RED and to Borealia; both teams keep notes.
    assert_eq!(
        post(
            addr,
            "/console/clock",
            Some(&fac),
            json!({"do": "start", "running": false})
        )
        .status,
        200
    );
    assert_eq!(
        post(
            addr,
            "/console/clock",
            Some(&fac),
            json!({"do": "advance", "by": "2h"})
        )
        .status,
        200
    );
    let sent = |cookie: &str, team: &str, body: serde_json::Value| {
        let r = post(addr, &format!("/team/{team}/move"), Some(cookie), body);
        assert_eq!(r.status, 200, "{}", r.body);
    };
    sent(
        &a,
        "aurelia",
        msg(
            "information_share",
            "cordovia",
            "TLP:RED",
            "RED-FOR-CORDOVIA-ONLY",
        ),
    );
    sent(
        &a,
        "aurelia",
        msg(
            "information_share",
            "borealia",
            "TLP:RED",
            "RED-FOR-BOREALIA",
        ),
    );
    // A `by` in the form is ignored: a team always speaks for its own state.
    let mut spoof = msg(
        "information_share",
        "cordovia",
        "TLP:AMBER",
        "SPOOF-ATTEMPT",
    );
    spoof["by"] = json!("borealia");
    sent(&a, "aurelia", spoof);
    for (c, team, text) in [
        (&a, "aurelia", "AURELIA-PRIVATE-NOTE"),
        (&b, "borealia", "BOREALIA-PRIVATE-NOTE"),
    ] {
        let r = post(
            addr,
            &format!("/team/{team}/note"),
            Some(c),
            json!({"text": text, "decision": true}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(
        post(
            addr,
            "/console/clock",
            Some(&fac),
            json!({"do": "advance", "by": "2d"})
        )
        .status,
        200
    );

    let b_page = get(addr, "/team/borealia", Some(&b)).body;
    let b_stream = stream(
        addr,
        "/team/borealia/events?after=0",
        Some(&b),
        None,
        Duration::from_millis(1500),
    );
    let b_file = get(addr, "/team/borealia/download", Some(&b)).body;
    let a_page = get(addr, "/team/aurelia", Some(&a)).body;
    let a_stream = stream(
        addr,
        "/team/aurelia/events",
        Some(&a),
        Some(0),
        Duration::from_millis(1500),
    );
    let console = get(addr, "/console", Some(&fac)).body;
    for (what, text) in [
        ("Borealia's page", &b_page),
        ("Borealia's stream", &b_stream),
        ("Borealia's download", &b_file),
    ] {
        assert!(
            text.contains("BOREALIA-PRIVATE-NOTE"),
            "{what} lacks its own note"
        );
        assert!(
            text.contains("RED-FOR-BOREALIA"),
            "{what} lacks the TLP:RED message addressed to it"
        );
        for secret in [
            "RED-FOR-CORDOVIA-ONLY",
            "AURELIA-PRIVATE-NOTE",
            "SPOOF-ATTEMPT",
        ] {
            assert!(!text.contains(secret), "{what} shows {secret}");
        }
    }
    for (what, text) in [("Aurelia's page", &a_page), ("Aurelia's stream", &a_stream)] {
        assert!(
            text.contains("AURELIA-PRIVATE-NOTE") && text.contains("RED-FOR-CORDOVIA-ONLY"),
            "{what}"
        );
        assert!(
            !text.contains("BOREALIA-PRIVATE-NOTE"),
            "{what} shows Borealia's note"
        );
    }
    for text in [
        "RED-FOR-CORDOVIA-ONLY",
        "AURELIA-PRIVATE-NOTE",
        "BOREALIA-PRIVATE-NOTE",
    ] {
        assert!(
            console.contains(text),
            "the facilitator sees everything: {text}"
        );
    }
    assert!(
        b_stream.contains("event: item") && b_stream.contains("id: "),
        "{b_stream}"
    );

    // The trace says Aurelia sent the spoofed message, not Borealia.
    assert_eq!(
        post(addr, "/console/end", Some(&fac), json!({})).status,
        200
    );
    let trace = std::fs::read_to_string(d.join("trace.jsonl")).unwrap();
    let spoofed = trace
        .lines()
        .find(|l| l.contains("SPOOF-ATTEMPT"))
        .expect("the message is in the trace");
    assert!(spoofed.contains("\"from\":\"aurelia\""), "{spoofed}");
    for f in ["scorecard.json", "report.html", "scenario.ron"] {
        assert!(d.join(f).is_file(), "{f} written at the end");
    }
}

#[test]
fn bad_serve_requests_are_refused_with_what_to_do() {
    let dir = TempDir::new("live-serve-errors");
    let d = dir.path().join("ex");
    let o = common::ttx(&["serve", "--human", "aurelai", "--dir", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("did you mean \"aurelia\""),
        "{}",
        common::stderr(&o)
    );
    let o = common::ttx(&["serve", "--dir", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("--human"),
        "{}",
        common::stderr(&o)
    );
    let o = common::ttx(&["serve", "--resume", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("no exercise journal"),
        "{}",
        common::stderr(&o)
    );
    assert!(
        !d.join("journal.sqlite").exists(),
        "nothing written on error"
    );
}
