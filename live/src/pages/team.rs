//! A team's page: its inbox (everything that reached its CERT and PoCs, every inject released
//! to it, what its own CERT and systems experience), the compose form, what it sent and what
//! became of it, and its decision log and private notes. Only what [`crate::view`] lets the
//! team see is rendered, here and in its event stream.

use super::items::item;
use super::{Frame, compose, page, tlp_legend};
use crate::board::Board;
use crate::view::{self, Viewer};
use maud::{Markup, html};
use ttx_scenario::{Scenario, TraceEvent};

pub fn render(sc: &Scenario, board: &Board, state: &str) -> Markup {
    let feed = &board.feed;
    let viewer = Viewer::Team(state);
    let mut inbox = Vec::new();
    let mut sent = Vec::new();
    let mut notes = Vec::new();
    let mut subjects: Vec<ttx_scenario::Name> = Vec::new();
    for (r, shown) in view::visible(sc, feed, viewer, 0) {
        let it = item(sc, feed, r, shown);
        match it.lane {
            "inbox" => inbox.push(it.html),
            "sent" => sent.push(it.html),
            "notes" => notes.push(it.html),
            _ => {}
        }
        // What the team can name in "About": subjects of the messages it saw, incidents its
        // CERT detected, items it found.
        let subject = match &r.event {
            TraceEvent::MessageSent(m) => m.about,
            TraceEvent::MessageDelivered { msg, .. } => feed.message(msg).and_then(|m| m.about),
            TraceEvent::Detected { incident, .. } => Some(*incident),
            TraceEvent::VulnerabilityFound { item, .. }
            | TraceEvent::CompromiseFound { item, .. } => Some(*item),
            _ => None,
        };
        if let Some(s) = subject.filter(|s| !subjects.contains(s)) {
            subjects.push(s);
        }
    }
    let s = sc.state(state);
    let frame = Frame {
        scenario: sc,
        role: "Team",
        title: s.map_or(state.to_string(), |s| s.display_name().to_string()),
        base: format!("/team/{state}"),
        last: feed.last(),
        local: s.map(|s| s.utc_offset),
    };
    inbox.reverse();
    sent.reverse();
    notes.reverse();
    let base = frame.base.clone();
    page(
        &frame,
        board,
        html! {
            main.cols-2 {
                div.stack {
                    @if let Some(n) = &board.standing.notice { div.banner.warn { (n) } }
                    section.card.scroll {
                        h2 { "Inbox" span.count data-count="inbox" { (inbox.len()) } }
                        (tlp_legend())
                        div.lane data-lane="inbox" data-empty="Nothing has reached your CERT or points of contact yet." {
                            @for h in &inbox { (h) }
                        }
                    }
                    section.card.scroll {
                        h2 { "Sent" span.count data-count="sent" { (sent.len()) } }
                        div.lane data-lane="sent" data-empty="You have sent nothing yet." {
                            @for h in &sent { (h) }
                        }
                    }
                }
                div.stack {
                    section.card {
                        h2 { "Compose" }
                        (compose::form(sc, &[state], &subjects, "/move"))
                    }
                    section.card {
                        h2 { "Decision log and notes" span.muted { "private to your team" } }
                        form data-api="/note" {
                            label { "Note"
                                textarea name="text" rows="3" placeholder="What you decided, and why; or a note for the after-action review" {}
                            }
                            label.inline { input type="checkbox" name="decision"; "This is a decision (it goes in your decision log)" }
                            div.controls { button type="submit" { "Record" } }
                            div.result role="status" {}
                        }
                        div.lane data-lane="notes" data-empty="No notes yet." {
                            @for h in &notes { (h) }
                        }
                        p.muted {
                            a href=(format!("{base}/download")) { "Download your team's log" }
                            " (JSON Lines: what your team saw and did)"
                        }
                    }
                }
            }
        },
    )
}
