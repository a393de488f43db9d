//! The run's timeline as a drawing (plotters' drawing API on an SVG canvas, one lane per actor:
//! the exercise control cell, active organisations, then the states); `records` puts the table of
//! trace records below it.
//!
//! The drawing shows the shape of the crisis — injects, incidents, messages between lanes with
//! an arrow at the receiver, escalation steps labelled with their ladder level, critical-
//! infrastructure status bands and weekends (time zones and weekends are what PoC drills test).
//! The table carries the words and the anchors: every record shown has `id="r<N>"`, so evidence
//! links from the norm grid, the findings and the improvement plan land on the record itself.
//! SVG drawn by plotters cannot carry ids, and a table prints and reads aloud better anyway.

use super::charts::{ALARM, Area, Drawn, GRID, INK, MUTED, PALETTE, font, render};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::{BTreeMap, BTreeSet};
use ttx_scenario::time::DAY_SECS;
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{MessageKind, Scenario, Trace, TraceEvent, UtcOffset};

/// States drawn with a lane of their own; beyond this (a UN-wide PoC directory) the states that
/// took part in anything but pings keep a lane and the rest share one.
const MAX_LANES: usize = 24;

const W: i32 = 1160;
const LEFT: i32 = 150;
const RIGHT: i32 = 20;
const TOP: i32 = 30;
/// Height of a lane without infrastructure rows; each infrastructure of the lane adds a row.
const LANE: i32 = 38;
const CI_ROW: i32 = 11;
const BOTTOM: i32 = 34;

/// Lanes in drawing order and where each actor goes.
struct Lanes {
    names: Vec<String>,
    of: BTreeMap<String, usize>,
    /// The shared lane of states without their own, if any.
    rest: Option<usize>,
}

impl Lanes {
    fn new(sc: &Scenario, trace: &Trace) -> Lanes {
        let mut names = vec!["exercise control".to_string()];
        let mut of = BTreeMap::from([("control".to_string(), 0)]);
        // Organisations that send or receive anything (a regional CERT network, a UN PoC
        // directory running a ping test) get a lane after the control cell.
        for o in &sc.organisations {
            let active = trace.records.iter().any(|r| {
                matches!(&r.event, TraceEvent::MessageSent(m) if m.from == o.id || m.to == o.id)
            });
            if active {
                of.insert(o.id.clone(), names.len());
                names.push(o.id.clone());
            }
        }
        let keep: Vec<&str> = if sc.states.len() <= MAX_LANES {
            sc.states.iter().map(|s| s.id.as_str()).collect()
        } else {
            let mut involved = BTreeSet::new();
            for r in &trace.records {
                match &r.event {
                    TraceEvent::MessageSent(m)
                        if !matches!(m.kind, MessageKind::Ping | MessageKind::PingReply) =>
                    {
                        involved.insert(m.from.as_str());
                        involved.insert(m.to.as_str());
                    }
                    TraceEvent::IncidentStarted {
                        target_state,
                        territory,
                        ..
                    } => {
                        involved.insert(target_state.as_str());
                        involved.insert(territory.as_str());
                    }
                    _ => {}
                }
            }
            sc.states
                .iter()
                .map(|s| s.id.as_str())
                .filter(|s| involved.contains(s))
                .take(MAX_LANES - 1)
                .collect()
        };
        for s in &keep {
            of.insert(s.to_string(), names.len());
            names.push(s.to_string());
        }
        let mut rest = None;
        if keep.len() < sc.states.len() {
            let i = names.len();
            names.push(format!("{} other states", sc.states.len() - keep.len()));
            for s in &sc.states {
                of.entry(s.id.clone()).or_insert(i);
            }
            rest = Some(i);
        }
        Lanes { names, of, rest }
    }

    fn lane(&self, actor: &str) -> Option<usize> {
        self.of.get(actor).copied().or(self.rest)
    }
}

/// Exercise seconds to pixels, and where each lane and infrastructure row lies.
struct Scale {
    end: f64,
    /// Top of each lane, and the bottom of the last.
    tops: Vec<i32>,
    /// Infrastructure id → its status row's top.
    ci_rows: BTreeMap<String, i32>,
}

impl Scale {
    /// Each lane gets a row per infrastructure (owned by its states) whose status changes.
    fn new(end: i64, lanes: &Lanes, scenario: &Scenario, periods: &[CiPeriod]) -> Scale {
        let mut rows: Vec<Vec<&str>> = vec![Vec::new(); lanes.names.len()];
        for x in &scenario.infrastructure {
            if periods.iter().any(|p| p.0 == x.id)
                && let Some(l) = lanes.lane(&x.state)
            {
                rows[l].push(&x.id);
            }
        }
        let mut tops = vec![TOP];
        let mut ci_rows = BTreeMap::new();
        for r in &rows {
            let top = *tops.last().expect("starts with TOP");
            for (k, id) in r.iter().enumerate() {
                ci_rows.insert(id.to_string(), top + LANE - 4 + k as i32 * CI_ROW);
            }
            tops.push(top + LANE + r.len() as i32 * CI_ROW);
        }
        Scale {
            end: end as f64,
            tops,
            ci_rows,
        }
    }
    fn x(&self, t: i64) -> i32 {
        LEFT + ((t as f64 / self.end) * (W - LEFT - RIGHT) as f64).round() as i32
    }
    /// The line marks and messages of a lane sit on.
    fn y(&self, lane: usize) -> i32 {
        self.tops[lane] + 18
    }
    fn bottom(&self) -> i32 {
        *self.tops.last().expect("starts with TOP")
    }
}

/// Places labels where they do not overlap labels already placed: tries the requested spot,
/// then a line above, a line below, two lines above…, and gives up (the record table has every
/// label's event in words) when all are taken. Widths are estimates: SVG text is measured only by
/// the browser.
#[derive(Default)]
struct Placer {
    boxes: Vec<(i32, i32, i32, i32)>,
}

impl Placer {
    const LINE: i32 = 12;

    fn width(text: &str) -> i32 {
        (text.chars().count() as f64 * 6.4).ceil() as i32
    }

    /// Reserves the box of a text whose left end and baseline are (x, y); returns the baseline
    /// it got.
    fn place(&mut self, x: i32, y: i32, text: &str) -> Option<(i32, i32)> {
        let w = Self::width(text);
        if x + w > W - 2 {
            return self.place(W - 2 - w, y, text).filter(|_| x < W);
        }
        for dy in [0, -1, 1, -2, 2] {
            let y = y + dy * Self::LINE;
            let b = (x, y - Self::LINE + 1, x + w, y);
            let free = self
                .boxes
                .iter()
                .all(|o| b.2 <= o.0 || o.2 <= b.0 || b.3 <= o.1 || o.3 <= b.1);
            if free && y - Self::LINE >= 0 {
                self.boxes.push(b);
                return Some((x, y));
            }
        }
        None
    }
}

/// An infrastructure's degraded or disrupted period: (infra, from, to, status).
type CiPeriod = (String, i64, i64, InfraStatus);

/// Status periods of each infrastructure: (infra, from, to, status).
fn ci_periods(trace: &Trace, end: i64) -> Vec<CiPeriod> {
    let mut open: BTreeMap<&str, (i64, InfraStatus)> = BTreeMap::new();
    let mut out = Vec::new();
    for r in &trace.records {
        if let TraceEvent::InfraChanged { infra, status, .. } = &r.event {
            if let Some((from, s)) = open.remove(infra.as_str()) {
                out.push((infra.to_string(), from, r.t, s));
            }
            if matches!(status, InfraStatus::Degraded | InfraStatus::Disrupted) {
                open.insert(infra, (r.t, *status));
            }
        }
    }
    for (infra, (from, s)) in open {
        out.push((infra.to_string(), from, end, s));
    }
    out.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    out
}

fn step_style(step: Option<u8>) -> (RGBColor, u32) {
    match step.unwrap_or(0) {
        l if l >= 5 => (ALARM, 3),
        3 | 4 => (PALETTE[1], 2),
        2 => (PALETTE[0], 2),
        _ => (MUTED, 1),
    }
}

fn arrow(root: &Area, from: (i32, i32), to: (i32, i32), colour: RGBColor) -> Drawn {
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let back = (to.0 as f64 - ux * 8.0, to.1 as f64 - uy * 8.0);
    let side = (-uy * 4.0, ux * 4.0);
    let pts = vec![
        to,
        ((back.0 + side.0) as i32, (back.1 + side.1) as i32),
        ((back.0 - side.0) as i32, (back.1 - side.1) as i32),
    ];
    root.draw(&Polygon::new(pts, colour.filled()))?;
    Ok(())
}

fn grid(root: &Area, trace: &Trace, sc: &Scale) -> Drawn {
    let bottom = sc.bottom();
    let end = sc.end as i64;
    // UTC days: weekends shaded, midnights labelled at the top.
    let start = trace.header.start;
    let first_midnight = (DAY_SECS - start.0.rem_euclid(DAY_SECS)) % DAY_SECS;
    let days = end / DAY_SECS + 2;
    let every = (days / 14).max(1);
    for k in -1..days {
        let from = first_midnight + k * DAY_SECS;
        let (_, _, d, _, _, _, wd) = start.plus(from.max(0)).fields(UtcOffset(0));
        let (a, b) = (from.max(0), (from + DAY_SECS).min(end));
        if a >= b {
            continue;
        }
        if wd >= 5 {
            root.draw(&Rectangle::new(
                [(sc.x(a), TOP), (sc.x(b), bottom)],
                RGBColor(244, 241, 232).filled(),
            ))?;
        }
        if from >= 0 && k % every == 0 {
            root.draw(&PathElement::new(
                vec![(sc.x(from), TOP - 4), (sc.x(from), bottom)],
                GRID.stroke_width(1),
            ))?;
            let label = format!("{} {d} · 00Z", ttx_scenario::time::WEEKDAYS[wd as usize]);
            if sc.x(from) + 3 + Placer::width(&label) < W {
                root.draw(&Text::new(
                    label,
                    (sc.x(from) + 3, TOP - 6),
                    font(11.0)
                        .color(&MUTED)
                        .pos(Pos::new(HPos::Left, VPos::Bottom)),
                ))?;
            }
        }
    }
    for &y in &sc.tops[..sc.tops.len() - 1] {
        root.draw(&PathElement::new(
            vec![(LEFT, y), (W - RIGHT, y)],
            GRID.stroke_width(1),
        ))?;
    }
    root.draw(&PathElement::new(
        vec![(LEFT, bottom), (W - RIGHT, bottom)],
        INK.stroke_width(1),
    ))?;
    // Exercise days along the bottom.
    let mut k = 0;
    while k * DAY_SECS <= end {
        let x = sc.x(k * DAY_SECS);
        root.draw(&PathElement::new(
            vec![(x, bottom), (x, bottom + 5)],
            INK.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            if k == 0 {
                "T+0".to_string()
            } else {
                format!("T+{k}d")
            },
            (x, bottom + 8),
            font(11.0).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        k += every;
    }
    Ok(())
}

/// The drawn timeline and a one-sentence summary of it for screen readers.
pub fn drawing(scenario: &Scenario, trace: &Trace) -> (String, String) {
    let lanes = Lanes::new(scenario, trace);
    let end = trace
        .records
        .last()
        .map_or(trace.header.duration, |r| r.t.max(trace.header.duration))
        .max(1);
    let periods = ci_periods(trace, end);
    let sc = Scale::new(end, &lanes, scenario, &periods);
    let h = (sc.bottom() + BOTTOM) as u32;
    let (mut injects, mut incidents, mut messages, mut high) = (0, 0, 0, 0);
    let svg = render(W as u32, h, |root| {
        grid(root, trace, &sc)?;
        for (i, name) in lanes.names.iter().enumerate() {
            root.draw(&Text::new(
                name.clone(),
                (LEFT - 8, sc.y(i)),
                font(12.5).pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        // Critical-infrastructure status, one row per infrastructure at the foot of its owner's
        // lane: disrupted fills the row and is dark, degraded fills a third and is light, so the
        // two differ without colour. The name sits after the last period, or before the first.
        let mut placer = Placer::default();
        let mut last_end: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for (infra, from, to, status) in &periods {
            let Some(&row) = sc.ci_rows.get(infra) else {
                continue;
            };
            let base = row + CI_ROW - 2;
            let (top, colour) = match status {
                InfraStatus::Disrupted => (row + 1, RGBColor(120, 40, 40).mix(0.85)),
                _ => (base - 3, RGBColor(214, 140, 60).mix(0.8)),
            };
            root.draw(&Rectangle::new(
                [(sc.x(*from), top), (sc.x(*to).max(sc.x(*from) + 2), base)],
                colour.filled(),
            ))?;
            let e = last_end.entry(infra).or_insert((*from, *to));
            e.1 = e.1.max(*to);
        }
        for (infra, (first, last)) in &last_end {
            let Some(&row) = sc.ci_rows.get(*infra) else {
                continue;
            };
            let width = Placer::width(infra);
            let x = if sc.x(*last) + 4 + width < W - RIGHT {
                sc.x(*last) + 4
            } else {
                sc.x(*first) - 4 - width
            };
            let baseline = row + CI_ROW - 1;
            placer.boxes.push((x, row, x + width, baseline));
            root.draw(&Text::new(
                infra.to_string(),
                (x, baseline),
                font(10.0)
                    .color(&MUTED)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
            ))?;
        }
        let mut delivered: BTreeMap<&str, i64> = BTreeMap::new();
        let mut bounced: BTreeMap<&str, i64> = BTreeMap::new();
        for r in &trace.records {
            match &r.event {
                TraceEvent::MessageDelivered { msg, .. } => {
                    delivered.entry(msg).or_insert(r.t);
                }
                TraceEvent::DeliveryFailed { msg, .. } => {
                    bounced.entry(msg).or_insert(r.t);
                }
                _ => {}
            }
        }
        let mut labels = Vec::new();
        for r in &trace.records {
            let x = sc.x(r.t);
            match &r.event {
                TraceEvent::InjectFired { inject, .. } => {
                    injects += 1;
                    let y = sc.y(0);
                    root.draw(&Polygon::new(
                        vec![(x - 6, y - 7), (x + 6, y - 7), (x, y + 4)],
                        PALETTE[6].filled(),
                    ))?;
                    labels.push((x + 5, y + 5, inject.to_string(), MUTED));
                }
                TraceEvent::IncidentStarted {
                    incident,
                    target_state,
                    ..
                } => {
                    incidents += 1;
                    if let Some(l) = lanes.lane(target_state) {
                        let y = sc.y(l);
                        root.draw(&Polygon::new(
                            vec![(x, y - 8), (x + 7, y), (x, y + 8), (x - 7, y)],
                            ALARM.filled(),
                        ))?;
                        labels.push((x + 6, y - 8, incident.to_string(), ALARM));
                    }
                }
                TraceEvent::Detected { state, .. } | TraceEvent::PocChanged { state, .. } => {
                    if let Some(l) = lanes.lane(state) {
                        root.draw(&Circle::new((x, sc.y(l)), 4, INK.stroke_width(1)))?;
                    }
                }
                TraceEvent::IncidentEnded { state, .. } => {
                    if let Some(l) = lanes.lane(state) {
                        let y = sc.y(l);
                        root.draw(&Rectangle::new(
                            [(x - 1, y - 9), (x + 2, y + 9)],
                            PALETTE[2].filled(),
                        ))?;
                    }
                }
                TraceEvent::VulnerabilityFound { state, .. }
                | TraceEvent::CompromiseFound { state, .. }
                | TraceEvent::Exploited { state, .. } => {
                    if let Some(l) = lanes.lane(state) {
                        let y = sc.y(l);
                        root.draw(&Polygon::new(
                            vec![(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)],
                            PALETTE[3].filled(),
                        ))?;
                    }
                }
                TraceEvent::MessageSent(m) => {
                    messages += 1;
                    let Some(a) = lanes.lane(&m.from) else {
                        continue;
                    };
                    let b = lanes.lane(&m.to).unwrap_or(a);
                    let failed = bounced.get(m.msg.as_str()).copied();
                    let t1 = failed
                        .or_else(|| delivered.get(m.msg.as_str()).copied())
                        .unwrap_or(r.t);
                    let (colour, width) = step_style(m.step);
                    let from = (x, sc.y(a));
                    let to = if a == b {
                        (sc.x(t1), sc.y(a) - 12)
                    } else {
                        (sc.x(t1), sc.y(b))
                    };
                    if failed.is_some() {
                        root.draw(&DashedPathElement::new(
                            vec![from, to],
                            4,
                            3,
                            colour.stroke_width(width),
                        ))?;
                        root.draw(&Cross::new(to, 4, ALARM.stroke_width(2)))?;
                    } else {
                        root.draw(&PathElement::new(
                            vec![from, to],
                            colour.stroke_width(width),
                        ))?;
                        arrow(root, from, to, colour)?;
                    }
                    if let Some(l) = m.step.filter(|&l| l >= 2) {
                        high += 1;
                        let mid = ((from.0 + to.0) / 2, (from.1 + to.1) / 2);
                        labels.push((mid.0 + 4, mid.1, format!("L{l} {}", m.msg), colour));
                    }
                }
                _ => {}
            }
        }
        // Labels last, so lines never hide them.
        for (x, y, text, colour) in labels {
            let Some((x, y)) = placer.place(x, y, &text) else {
                continue;
            };
            // A light backing keeps a label readable where it crosses a line or a band.
            root.draw(&Rectangle::new(
                [
                    (x - 1, y - Placer::LINE + 1),
                    (x + Placer::width(&text), y + 1),
                ],
                WHITE.mix(0.75).filled(),
            ))?;
            root.draw(&Text::new(
                text,
                (x, y),
                font(11.0)
                    .color(&colour)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
            ))?;
        }
        Ok(())
    });
    let summary = format!(
        "Timeline of the exercise over {} hours, one lane per actor ({}): {injects} injects, {incidents} incidents, {messages} messages, {high} of them escalation steps at level 2 or above. The table of trace records below lists every event in words.",
        crate::scorecard_text::hours(end as f64 / 3600.0),
        lanes.names.join(", ")
    );
    (svg, summary)
}
