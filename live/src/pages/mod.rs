//! Pages, rendered on the server with maud (every value escaped). The same functions render a
//! page's first view and the fragments its event stream sends later, so a live update always
//! looks exactly like a reload.

pub mod compose;
pub mod console;
pub mod evaluator;

pub mod items;
pub mod panels;

pub mod team;

use crate::board::Board;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use ttx_scenario::time::{WEEKDAYS, clock};
use ttx_scenario::{Scenario, Tlp, UtcOffset};

/// What every page needs besides its body.
pub struct Frame<'a> {
    pub scenario: &'a Scenario,
    /// "Facilitator", "Team", "Evaluator".
    pub role: &'a str,
    /// The big line under the role: the team's state, or the exercise title.
    pub title: String,
    /// The role's path prefix, for the script's requests and stream.
    pub base: String,
    /// The last record number the page shows; the stream continues after it.
    pub last: u32,
    /// Local time shown beside UTC (a team's own time zone).
    pub local: Option<UtcOffset>,
}

/// The page skeleton: the bar with the clock, then `body`.
pub fn page(frame: &Frame, board: &Board, body: Markup) -> Markup {
    let clock = board.clock.json();
    let clock_json = serde_json::to_string(&clock).expect("clock serialises");
    let sc = frame.scenario;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (frame.role) " · " (sc.title_or_name()) " · ttx" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/app.js" defer {}
            }
            body data-base=(frame.base) data-last=(frame.last) data-start=(sc.start.0)
                 data-offset=(frame.local.map_or(0, |o| o.0)) {
                header.bar {
                    div.who {
                        span.role { (frame.role) }
                        span.title { (frame.title) }
                        span.exercise { (sc.title_or_name()) }
                    }
                    span #clock-state .pill .(clock.state) { (clock.label) }
                    span #link-state .link-state { "connecting…" }
                    div.clock {
                        div {
                            div #clock-t .t data-clock=(clock_json) { (clock_text(clock.t)) }
                        }
                        div {
                            div #clock-wall .wall { (wall_text(sc, clock.t, UtcOffset(0))) }
                            @if let Some(off) = frame.local {
                                div #clock-local .wall data-offset=(off.0) {
                                    (wall_text(sc, clock.t, off))
                                }
                            }
                        }
                    }
                }
                (body)
            }
        }
    }
}

/// Exercise time as the big clock shows it: `T+1d 04:30:15`.
pub fn clock_text(t: i64) -> String {
    let (d, r) = (t / 86_400, t % 86_400);
    let days = if d > 0 {
        format!("{d}d ")
    } else {
        String::new()
    };
    format!(
        "T+{days}{:02}:{:02}:{:02}",
        r / 3600,
        (r % 3600) / 60,
        r % 60
    )
}

/// The scenario's calendar time at exercise time `t`: `Fri 6 Mar 2026 · 17:00 UTC`, or at a
/// state's offset `… · 12:00 local (UTC-05:00)`.
pub fn wall_text(sc: &Scenario, t: i64, offset: UtcOffset) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d, h, mi, _, wd) = sc.start.plus(t).fields(offset);
    let zone = if offset.0 == 0 {
        "UTC".to_string()
    } else {
        format!("local (UTC{offset})")
    };
    format!(
        "{} {d} {} {y} · {h:02}:{mi:02} {zone}",
        WEEKDAYS[wd as usize],
        MONTHS[(m - 1) as usize]
    )
}

/// Exercise time of an item: `T+08:51` (seconds when it has them).
pub fn when(t: i64) -> String {
    clock(t)
}

/// A TLP 2.0 marking, as FIRST shows it.
pub fn tlp(mark: Tlp) -> Markup {
    let class = match mark {
        Tlp::Red => "tlp-red",
        Tlp::AmberStrict => "tlp-amber-strict",
        Tlp::Amber => "tlp-amber",
        Tlp::Green => "tlp-green",
        Tlp::Clear => "tlp-clear",
    };
    html! { span.tlp.(class) { (mark.label()) } }
}

/// The TLP legend a team sees once, so every marking on the page reads the same way.
pub fn tlp_legend() -> Markup {
    html! {
        div.legend {
            (tlp(Tlp::Red)) span { "named recipients only" }
            (tlp(Tlp::AmberStrict)) span { "recipient's organisation only" }
            (tlp(Tlp::Amber)) span { "organisation and its clients" }
            (tlp(Tlp::Green)) span { "the community" }
            (tlp(Tlp::Clear)) span { "no limit" }
        }
    }
}

/// A page shown without the exercise frame (join help, errors).
pub fn plain(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · ttx" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                div.join.card {
                    h2 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A name for a party: "Republic of Aurelia (aurelia)", or the id alone.
pub fn party(sc: &Scenario, id: &str) -> String {
    if let Some(s) = sc.state(id).filter(|s| !s.name.is_empty()) {
        return format!("{} ({id})", s.name);
    }
    if let Some(o) = sc
        .organisations
        .iter()
        .find(|o| o.id == id && !o.name.is_empty())
    {
        return format!("{} ({id})", o.name);
    }
    match id {
        ttx_scenario::tlp::CONTROL => "the exercise control cell".into(),
        ttx_scenario::tlp::EVERY_STATE => "every state".into(),
        ttx_scenario::tlp::PUBLIC => "the public".into(),
        _ => id.to_string(),
    }
}

/// Raw markup the server wrote itself (never user text).
pub fn raw(s: &str) -> PreEscaped<&str> {
    PreEscaped(s)
}
