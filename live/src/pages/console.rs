//! The facilitator's console: the clock controls, the MSEL with what is released, due and
//! pending, the ad-hoc inject form, messages sent as a control-cell state, every team's traffic
//! on the live timeline, the live scorecard and the action log.

use super::{Frame, compose, page, panels, party};
use crate::board::Board;
use crate::clock::SPEEDS;
use crate::state::Shared;
use maud::{Markup, html};
use ttx_scenario::Control;

fn clock_button(label: &str, body: serde_json::Value, when: &str) -> Markup {
    html! {
        button type="button" data-post="/clock" data-body=(body.to_string()) data-when=(when) { (label) }
    }
}

pub fn render(s: &Shared, b: &Board) -> Markup {
    let sc = &s.scenario;
    let timeline = super::items::everything_newest_first(sc, &b.feed);
    let control: Vec<&str> = sc
        .states
        .iter()
        .filter(|x| x.control == Control::Control)
        .map(|x| x.id.as_str())
        .collect();
    let frame = Frame {
        scenario: sc,
        role: "Facilitator",
        title: "Exercise control".into(),
        base: "/console".into(),
        last: b.feed.last(),
        local: None,
    };
    let players: Vec<String> = sc
        .states
        .iter()
        .map(|x| format!("{} — {}", party(sc, &x.id), x.control.label()))
        .collect();
    page(
        &frame,
        b,
        html! {
            main.cols-2 {
                div.stack {
                    section.card #controls {
                        h2 { "Clock" }
                        div.controls {
                            (clock_button("Start (real time)", serde_json::json!({"do": "start", "running": true}), "waiting"))
                            (clock_button("Start (facilitator-paced)", serde_json::json!({"do": "start", "running": false}), "waiting"))
                            (clock_button("Pause", serde_json::json!({"do": "pause"}), "running"))
                            (clock_button("Resume", serde_json::json!({"do": "resume"}), "paused"))
                            (clock_button("Next inject", serde_json::json!({"do": "next_inject"}), "running paused"))
                            (clock_button("Next event", serde_json::json!({"do": "next_event"}), "running paused"))
                        }
                        div.controls {
                            label.inline { "Speed "
                                select #speed name="speed" {
                                    @for (v, l) in SPEEDS {
                                        option value=(v) selected[(*v - b.clock.clock.speed()).abs() < 1e-9] { (l) }
                                    }
                                }
                            }
                            button type="button" data-post="/clock" data-body=(serde_json::json!({"do": "speed"}).to_string()) data-with="speed" data-when="waiting running paused" { "Set speed" }
                            label.inline { "Advance by "
                                input #advance-by type="text" name="by" value="1h" size="6";
                            }
                            button type="button" data-post="/clock" data-body=(serde_json::json!({"do": "advance"}).to_string()) data-with="advance-by" data-when="running paused" { "Advance" }
                        }
                        div.controls {
                            button.danger type="button" data-post="/end" data-when="running paused" { "End exercise" }
                            button.secondary type="button" data-post="/files" data-when="running paused" { "Write files now" }
                        }
                        div #controls-result .result role="status" {}
                        div #panel-files { (panels::files(b)) }
                    }
                    section.card.scroll {
                        h2 { "MSEL" }
                        div #panel-msel { (panels::msel(b)) }
                    }
                    section.card {
                        h2 { "Ad-hoc inject" }
                        form data-api="/inject" autocomplete="off" {
                            label { "To (hold Ctrl to choose several)"
                                select name="to" multiple size=(sc.states.len().min(6)) {
                                    @for x in &sc.states { option value=(x.id) { (party(sc, &x.id)) } }
                                }
                            }
                            label.inline { input type="checkbox" name="ping"; "A PoC communication check (ping) rather than a message" }
                            label { "What the control cell says"
                                textarea name="text" rows="3" {}
                            }
                            details {
                                summary { "Or write any inject in the scenario language" }
                                textarea name="ron" rows="4" placeholder="Inject(event: Outage(infra: \"grid\", for: \"6h\"))" {}
                            }
                            div.controls { button type="submit" { "Fire now" } }
                            div.result role="status" {}
                        }
                    }
                    @if !control.is_empty() {
                        section.card {
                            h2 { "Send as a control-cell state" }
                            (compose::form(sc, &control, &[], "/move"))
                        }
                    }
                }
                div.stack {
                    section.card {
                        h2 { "Live scorecard" }
                        div #panel-score { (panels::scorecard(sc, s.seed, b)) }
                    }
                    section.card.scroll {
                        h2 { "Timeline" span.count data-count="timeline" { (timeline.len()) } }
                        div.lane data-lane="timeline" data-empty="Nothing has happened yet." {
                            @for h in &timeline { (h) }
                        }
                    }
                    section.card.scroll {
                        h2 { "Action log" }
                        div #panel-log { (panels::log(b)) }
                    }
                    section.card {
                        h2 { "Who plays what" }
                        ul { @for p in &players { li { (p) } } }
                    }
                }
            }
        },
    )
}
