//! The live event stream (server-sent events). Each event carries the record number as its id,
//! so a browser that lost the connection reconnects with `Last-Event-ID` and gets exactly what
//! it missed — also across a server restart, since a resumed exercise numbers its records the
//! same way. A team's stream is filtered by [`crate::view`] like its page.

use crate::pages::items::item;
use crate::state::Shared;
use crate::view::{self, Viewer};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;

/// Whose stream.
#[derive(Clone, Debug, PartialEq)]
pub enum Audience {
    Facilitator,
    Evaluator,
    Team(String),
}

struct Cursor {
    shared: Arc<Shared>,
    audience: Audience,
    rx: tokio::sync::watch::Receiver<u64>,
    last: u32,
    clock: String,
    panels: u64,
    first: bool,
}

/// The events a viewer has not had yet, and where the cursor moves.
fn pending(c: &mut Cursor) -> Vec<Event> {
    let s = &c.shared;
    let b = s.board.read().expect("board");
    let mut out = Vec::new();
    let clock = serde_json::to_string(&b.clock.json()).expect("clock serialises");
    if clock != c.clock {
        out.push(Event::default().event("clock").data(&clock));
        c.clock = clock;
    }
    let viewer = match &c.audience {
        Audience::Team(st) => Viewer::Team(st),
        _ => Viewer::Control,
    };
    for (r, shown) in view::visible(&s.scenario, &b.feed, viewer, c.last) {
        let it = item(&s.scenario, &b.feed, r, shown);
        let data = serde_json::json!({ "n": it.n, "lane": it.lane, "html": it.html.into_string() });
        out.push(
            Event::default()
                .event("item")
                .id(r.n.to_string())
                .data(data.to_string()),
        );
    }
    c.last = b.feed.last();
    if !matches!(c.audience, Audience::Team(_)) && b.panels != c.panels {
        for (id, html) in crate::pages::panels::all(s, &b, &c.audience) {
            let data = serde_json::json!({ "id": id, "html": html.into_string() });
            out.push(Event::default().event("panel").data(data.to_string()));
        }
        c.panels = b.panels;
    }
    out
}

pub fn sse(
    shared: Arc<Shared>,
    audience: Audience,
    after: u32,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.changed.subscribe();
    let panels = shared.board.read().expect("board").panels;
    let cursor = Cursor {
        shared,
        audience,
        rx,
        last: after,
        clock: String::new(),
        panels,
        first: true,
    };
    let s = stream::unfold(cursor, |mut c| async move {
        if !c.first && c.rx.changed().await.is_err() {
            return None;
        }
        c.first = false;
        c.rx.mark_unchanged();
        let events = pending(&mut c);
        Some((events, c))
    })
    .flat_map(|events| stream::iter(events.into_iter().map(Ok)));
    Sse::new(s).keep_alive(KeepAlive::default())
}
