//! The evaluator's page: everything, read only, with the forms to rate expectations SUCCESS /
//! PARTIAL / FAILED and to write observations tied to a record.

use super::{Frame, page, panels};
use crate::board::Board;
use crate::state::Shared;
use maud::{Markup, html};

pub fn render(s: &Shared, b: &Board) -> Markup {
    let sc = &s.scenario;
    let timeline = super::items::everything_newest_first(sc, &b.feed);
    // Only expectations written in free text need a person's judgement; the engine refuses
    // ratings of the others.
    let judged: Vec<_> = sc
        .expectations
        .iter()
        .filter_map(|e| e.does.judged().map(|t| (e, t)))
        .collect();
    let frame = Frame {
        scenario: sc,
        role: "Evaluator",
        title: "Evaluation".into(),
        base: "/evaluator".into(),
        last: b.feed.last(),
        local: None,
    };
    page(
        &frame,
        b,
        html! {
            main.cols-2 {
                div.stack {
                    section.card {
                        h2 { "Rate an expectation" }
                        @if judged.is_empty() {
                            p.muted { "No expectation of this scenario is written in free text (Judged(\"…\")): the others are judged from the trace. Comment on them with an observation." }
                        }
                        form #rate data-api="/rate" autocomplete="off" hidden[judged.is_empty()] {
                            label { "Expectation"
                                select name="expectation" {
                                    @for (e, text) in &judged {
                                        option value=(e.id) { (e.id) " — " (e.actor) ": " (text) }
                                    }
                                }
                            }
                            label { "Rating"
                                select name="rating" {
                                    option value="SUCCESS" { "SUCCESS" }
                                    option value="PARTIAL" { "PARTIAL" }
                                    option value="FAILED" { "FAILED" }
                                }
                            }
                            label { "Evaluator" input type="text" name="by" placeholder="your name"; }
                            label { "Comment" textarea name="comment" rows="3" {} }
                            div.controls { button type="submit" { "Record rating" } }
                            div.result role="status" {}
                        }
                    }
                    section.card {
                        h2 { "Observation" }
                        form #observe data-api="/observe" autocomplete="off" {
                            label { "About record (optional)" input type="text" name="record" placeholder="#42"; }
                            label { "Evaluator" input type="text" name="by" placeholder="your name"; }
                            label { "Observation" textarea name="text" rows="3" {} }
                            div.controls { button type="submit" { "Record observation" } }
                            div.result role="status" {}
                        }
                    }
                    section.card {
                        h2 { "Live scorecard" }
                        div #panel-score { (panels::scorecard(sc, s.seed, b)) }
                    }
                }
                div.stack {
                    section.card.scroll {
                        h2 { "Timeline" span.count data-count="timeline" { (timeline.len()) } }
                        div.lane data-lane="timeline" data-empty="Nothing has happened yet." {
                            @for h in &timeline { (h) }
                        }
                    }
                }
            }
        },
    )
}
