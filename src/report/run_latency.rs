//! Response latency in a run's report: the chain steps with p50/p90/max per PoC level, every
//! item as a bar (or, for a directory-wide ping test, a distribution per step), and the items
//! never answered listed by name — censored, kept, and never allowed to improve a statistic.

use super::charts::{self, ALARM, Bars, GRID, INK, PALETTE, WIDTH, clip, font, render, tick};
use super::html::{Links, Section, esc, figure, p, table};
use crate::scorecard_text::{hours, latency_cells};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use ttx_scoring::Scorecard;
use ttx_scoring::latency::Step;

/// Latency items drawn one bar each up to this many; beyond, a distribution per chain step.
const MAX_ITEM_BARS: usize = 60;
/// Censored items listed one by one.
const MAX_CENSORED_ROWS: usize = 40;

fn latency_table(card: &Scorecard) -> String {
    let mut rows = Vec::new();
    for s in card.latency.steps.iter().filter(|s| s.overall.count > 0) {
        let target = match (s.target_hours, s.step) {
            (Some(t), _) => format!("{}h", hours(t)),
            (None, Step::OfferToDeliver) => "as offered".into(),
            (None, _) => "–".into(),
        };
        let mut row = |label: String, level: &str, st: &ttx_scoring::stats::Stats| {
            let mut cells = vec![esc(&label), esc(level)];
            cells.extend(latency_cells(st, &target));
            rows.push(cells);
        };
        let first = match s.by_level.len() {
            0 => "–",
            1 => s.by_level.keys().next().map_or("–", |l| l.as_str()),
            _ => "all",
        };
        row(s.step.label().to_string(), first, &s.overall);
        if s.by_level.len() > 1 {
            for (level, st) in &s.by_level {
                row(String::new(), level.as_str(), st);
            }
        }
    }
    table(
        "data",
        &[
            "chain step",
            "PoC level",
            "items",
            "censored",
            "p50 h",
            "p90 h",
            "max h",
            "target",
            "breaches",
        ],
        &[2, 3, 4, 5, 6, 8],
        &rows,
    )
}

pub fn section(card: &Scorecard, links: &mut Links) -> Section {
    let items = &card.latency.items;
    let mut body = p(
        "Hours between the steps of each chain (detect → notify → acknowledge → mitigate; request → acknowledge → answer → deliver; ping → reply; clarification; legal requests). An item never answered by the end is censored: it is kept, ranked above every answer, and a quantile that falls on it reads “>end”.",
    );
    if items.is_empty() {
        body.push_str(&p("No chain was opened in this run."));
        return Section {
            id: "latency",
            title: "Response latency".into(),
            body,
        };
    }
    body.push_str(&latency_table(card));
    if items.len() <= MAX_ITEM_BARS {
        let bars: Vec<ItemBar> = items
            .iter()
            .map(|i| ItemBar {
                label: format!(
                    "{} {} · {}{}",
                    i.msg.as_deref().unwrap_or(&i.subject),
                    i.actor,
                    i.step.label(),
                    i.level
                        .map_or(String::new(), |l| format!(" ({})", l.as_str()))
                ),
                hours: i.hours,
                exposure: i.exposure_hours.unwrap_or(0.0),
                target: i.target_hours,
                breach: i.breach,
            })
            .collect();
        let censored = items.iter().filter(|i| i.censored).count();
        body.push_str(&figure(
            &latency_items(&bars),
            &format!(
                "Latency of {} response steps, {censored} of them never answered.",
                items.len()
            ),
            "Each response step as a bar: filled when answered (orange when later than the target), open with “no answer” when censored at the end of the exercise; the black tick is the target.",
            "",
        ));
    } else {
        for s in card.latency.steps.iter().filter(|s| s.overall.count > 0) {
            let edges = [1.0, 2.0, 4.0, 8.0, 12.0, 24.0, 48.0, 72.0];
            let mut counts = vec![0.0; edges.len() + 2];
            for i in items.iter().filter(|i| i.step == s.step) {
                let slot = match i.hours {
                    None => edges.len() + 1,
                    Some(h) => edges.iter().position(|&e| h <= e).unwrap_or(edges.len()),
                };
                counts[slot] += 1.0;
            }
            let mut cats: Vec<String> = vec!["≤1h".into()];
            cats.extend(edges.windows(2).map(|w| format!("{}–{}h", w[0], w[1])));
            cats.push(">72h".into());
            cats.push("no answer".into());
            let labels: Vec<String> = counts.iter().map(|c| format!("{c}")).collect();
            let mut emph = vec![false; counts.len()];
            emph[counts.len() - 1] = true;
            let alt: Vec<String> = cats
                .iter()
                .zip(&counts)
                .map(|(c, n)| format!("{c}: {n}"))
                .collect();
            body.push_str(&figure(
                &charts::bars(&Bars {
                    categories: &cats,
                    values: &counts,
                    labels: &labels,
                    emphasise: &emph,
                    x_desc: "hours to answer",
                    y_desc: "items",
                }),
                &format!(
                    "Distribution of {} latencies: {}.",
                    s.step.label(),
                    alt.join(", ")
                ),
                &format!(
                    "{}: how long {} items took; the last bar counts the items never answered.",
                    s.step.label(),
                    s.overall.count
                ),
                &p(&alt.join(" · ")),
            ));
        }
    }
    let censored: Vec<_> = items.iter().filter(|i| i.censored).collect();
    if !censored.is_empty() {
        body.push_str("<h3>Never answered (censored)</h3>\n");
        let rows: Vec<Vec<String>> = censored
            .iter()
            .take(MAX_CENSORED_ROWS)
            .map(|i| {
                vec![
                    esc(i.step.label()),
                    esc(&i.actor),
                    esc(i.level.map_or("–", |l| l.as_str())),
                    format!(
                        "{} {}",
                        esc(i.msg.as_deref().unwrap_or(&i.subject)),
                        links.rec(i.from_n)
                    ),
                    i.exposure_hours.map_or("–".into(), hours),
                    i.target_hours
                        .map_or("–".into(), |t| format!("{}h", hours(t))),
                ]
            })
            .collect();
        body.push_str(&table(
            "data",
            &[
                "chain step",
                "who should have answered",
                "PoC level",
                "opened by",
                "waited h (to the end)",
                "target",
            ],
            &[4],
            &rows,
        ));
        if censored.len() > MAX_CENSORED_ROWS {
            body.push_str(&p(&format!(
                "… and {} more; scorecard.json lists every item.",
                censored.len() - MAX_CENSORED_ROWS
            )));
        }
    }
    Section {
        id: "latency",
        title: "Response latency".into(),
        body,
    }
}

/// One latency item: answered after `hours`, or never (censored) with `exposure` hours of waiting.
pub struct ItemBar {
    pub label: String,
    pub hours: Option<f64>,
    pub exposure: f64,
    pub target: Option<f64>,
    pub breach: bool,
}

/// Latency items as horizontal bars: answered items filled, censored items as open bars running
/// to the end of the exercise with "no answer", the target as a tick across each bar.
pub fn latency_items(items: &[ItemBar]) -> String {
    let n = items.len().max(1) as f64;
    let xmax = items
        .iter()
        .flat_map(|i| [i.hours.unwrap_or(i.exposure), i.target.unwrap_or(0.0)])
        .fold(1.0, f64::max)
        * 1.02;
    let h = 70 + 22 * items.len() as u32;
    render(WIDTH, h, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .margin_left(330)
            .margin_right(96)
            .x_label_area_size(40)
            .build_cartesian_2d(0f64..xmax, 0f64..n)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(GRID)
            .x_desc("hours")
            .x_label_formatter(&|v| tick(*v))
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .draw()?;
        for (i, it) in items.iter().enumerate() {
            let y = n - i as f64 - 0.5;
            let (end, note) = match it.hours {
                Some(hv) => {
                    let colour = if it.breach { PALETTE[1] } else { PALETTE[0] };
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.3), (hv, y + 0.3)],
                        colour.mix(0.85).filled(),
                    )))?;
                    (hv, if it.breach { "late" } else { "" })
                }
                None => {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.3), (it.exposure, y + 0.3)],
                        ALARM.stroke_width(2),
                    )))?;
                    (it.exposure, "no answer ▸")
                }
            };
            if let Some(t) = it.target {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(t, y - 0.45), (t, y + 0.45)],
                    INK.stroke_width(3),
                )))?;
            }
            if !note.is_empty() {
                chart.draw_series(std::iter::once(
                    EmptyElement::at((end, y))
                        + Text::new(
                            note,
                            (6, 0),
                            font(11.0).pos(Pos::new(HPos::Left, VPos::Center)),
                        ),
                ))?;
            }
            chart.draw_series(std::iter::once(
                EmptyElement::at((0.0, y))
                    + Text::new(
                        clip(&it.label, 48),
                        (-10, 0),
                        font(12.0).pos(Pos::new(HPos::Right, VPos::Center)),
                    ),
            ))?;
        }
        Ok(())
    })
}
