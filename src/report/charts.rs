//! Charts as SVG strings, drawn with plotters' SVG backend: escalation steps per dyad, bar charts
//! (distributions), intervals (estimates with 95% confidence intervals), metric-versus-parameter
//! lines with a confidence band, and latency bars with censored items left open.
//!
//! Plotters writes text as SVG `<text>` elements (no font files are read: its naive font metrics
//! only place labels), so the browser renders labels in the page's font and they stay selectable
//! and searchable. Meaning never rests on colour alone: markers, dash patterns, fill versus outline
//! and labels carry it, and every chart is paired with a table or sentence in the page.

use super::html::esc;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Default chart width in pixels; the page scales charts down to fit.
pub const WIDTH: u32 = 920;

/// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(60, 60, 60),
];
pub const INK: RGBColor = RGBColor(27, 31, 36);
pub const MUTED: RGBColor = RGBColor(110, 118, 129);
pub const GRID: RGBColor = RGBColor(225, 229, 235);
/// Public attribution and above: the part of the ladder the report warns about.
pub const ALARM: RGBColor = RGBColor(178, 34, 34);

pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Text style at `size` pixels (plotters divides font sizes by 1.24 when writing SVG).
pub fn font(size: f64) -> TextStyle<'static> {
    ("sans-serif", size * 1.24).into_font().color(&INK)
}

/// Draws with `draw` on a white `w`×`h` canvas and returns the SVG text. A drawing error (which
/// writing to a string should never give) becomes a visible note instead of a broken page.
pub fn render(w: u32, h: u32, draw: impl FnOnce(&Area) -> Drawn) -> String {
    let mut svg = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(Box::<dyn std::error::Error>::from)
            .and_then(|_| draw(&root))
            .and_then(|_| root.present().map_err(Into::into))
    };
    match result {
        Ok(()) => svg,
        Err(e) => format!(
            "<p class=\"note\">chart not drawn: {}</p>",
            esc(&e.to_string())
        ),
    }
}

/// Shortens a row label to `max` characters with an ellipsis, so long names never run off the
/// left edge of a chart; the table beside the chart has them whole.
pub fn clip(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// Tick labels: at most two decimals, trailing zeros dropped.
pub fn tick(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// One dyad's escalation: each rise of its running maximum as (hours since T+0, level).
pub struct Steps {
    pub label: String,
    pub rises: Vec<(f64, u8)>,
}

/// Escalation level per dyad over time, as step lines on the 0–9 ladder; each dyad has its own
/// marker and dash pattern, and the public-attribution rung (5) is drawn as a reference line.
pub fn escalation(series: &[Steps], hours: f64) -> String {
    let top = series
        .iter()
        .flat_map(|s| s.rises.iter().map(|r| r.1))
        .max()
        .unwrap_or(1)
        .max(5) as f64
        + 0.6;
    let h = 330 + 18 * series.len().min(8) as u32;
    render(WIDTH, h, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..hours.max(1.0), 0f64..top)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(GRID)
            .x_desc("hours since T+0")
            .y_desc("ladder level")
            .y_labels(top as usize + 1)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_label_formatter(&|v| tick(*v))
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .draw()?;
        chart.draw_series(DashedLineSeries::new(
            [(0.0, 5.0), (hours, 5.0)],
            6,
            4,
            ALARM.stroke_width(1),
        ))?;
        chart.draw_series(std::iter::once(Text::new(
            "5 public attribution",
            (hours * 0.995, 5.08),
            font(11.0)
                .color(&ALARM)
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        )))?;
        for (i, s) in series.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let lift = (i % 4) as f64 * 0.07;
            let mut path = vec![(0.0, lift)];
            let mut level = 0.0;
            for &(t, l) in &s.rises {
                path.push((t, level + lift));
                level = l as f64;
                path.push((t, level + lift));
            }
            path.push((hours, level + lift));
            let style = colour.stroke_width(2);
            let anno = if i % 2 == 0 {
                chart.draw_series(LineSeries::new(path, style))?
            } else {
                chart.draw_series(DashedLineSeries::new(path, 7, 4, style))?
            };
            anno.label(s.label.clone()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 22, y)], colour.stroke_width(2))
            });
            for &(t, l) in &s.rises {
                let at = (t, l as f64 + lift);
                let mark = match i % 3 {
                    0 => chart.draw_series(std::iter::once(Circle::new(at, 4, colour.filled()))),
                    1 => chart.draw_series(std::iter::once(TriangleMarker::new(
                        at,
                        6,
                        colour.filled(),
                    ))),
                    _ => chart.draw_series(std::iter::once(Cross::new(
                        at,
                        5,
                        colour.stroke_width(2),
                    ))),
                };
                mark?;
                chart.draw_series(std::iter::once(Text::new(
                    format!("{l}"),
                    (t, l as f64 + lift + 0.18),
                    font(11.0)
                        .color(&colour)
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(MUTED)
            .label_font(font(12.0))
            .draw()?;
        Ok(())
    })
}

/// A vertical bar chart over categories (e.g. ladder levels, or bins of a distribution).
pub struct Bars<'a> {
    pub categories: &'a [String],
    pub values: &'a [f64],
    /// Text above each bar (counts, percentages).
    pub labels: &'a [String],
    /// Bars drawn darker, e.g. peaks at or above public attribution.
    pub emphasise: &'a [bool],
    pub x_desc: &'a str,
    pub y_desc: &'a str,
}

pub fn bars(b: &Bars) -> String {
    let n = b.categories.len().max(1);
    let top = b.values.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.18;
    render(WIDTH.min(120 + 70 * n as u32).max(420), 300, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..n as f64, 0f64..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(GRID)
            .x_labels(0)
            .y_desc(b.y_desc)
            .y_label_formatter(&|v| tick(*v))
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .draw()?;
        for (i, &v) in b.values.iter().enumerate() {
            let x = i as f64;
            let strong = b.emphasise.get(i).copied().unwrap_or(false);
            let colour = if strong { ALARM } else { PALETTE[0] };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x + 0.14, 0.0), (x + 0.86, v)],
                colour.mix(if strong { 0.95 } else { 0.8 }).filled(),
            )))?;
            if let Some(l) = b.labels.get(i).filter(|l| !l.is_empty()) {
                chart.draw_series(std::iter::once(Text::new(
                    l.clone(),
                    (x + 0.5, v),
                    font(11.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))?;
            }
            chart.draw_series(std::iter::once(
                EmptyElement::at((x + 0.5, 0.0))
                    + Text::new(
                        b.categories[i].clone(),
                        (0, 6),
                        font(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
                    ),
            ))?;
        }
        chart.draw_series(std::iter::once(
            EmptyElement::at((n as f64 / 2.0, 0.0))
                + Text::new(
                    b.x_desc.to_string(),
                    (0, 26),
                    font(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
                ),
        ))?;
        Ok(())
    })
}

/// One row of an interval chart: an estimate and its 95% confidence interval.
pub struct Interval {
    pub label: String,
    pub value: f64,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    /// Drawn filled (e.g. "the interval excludes 0"); hollow otherwise.
    pub strong: bool,
}

/// Horizontal dot-and-whisker chart, one row per estimate, labels on the left; `reference` draws
/// a dashed vertical line (0 for differences).
pub fn intervals(rows: &[Interval], x: (f64, f64), x_desc: &str, reference: Option<f64>) -> String {
    let n = rows.len().max(1) as f64;
    let h = 70 + 24 * rows.len() as u32;
    let pad = (x.1 - x.0).abs().max(1e-9) * 0.04;
    let (x0, x1) = (x.0 - pad, x.1 + pad);
    render(WIDTH, h, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .margin_left(300)
            .margin_right(24)
            .x_label_area_size(40)
            .build_cartesian_2d(x0..x1, 0f64..n)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(GRID)
            .x_desc(x_desc)
            .x_label_formatter(&|v| tick(*v))
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .draw()?;
        if let Some(r) = reference {
            chart.draw_series(DashedLineSeries::new(
                [(r, 0.0), (r, n)],
                5,
                4,
                MUTED.stroke_width(1),
            ))?;
        }
        for (i, r) in rows.iter().enumerate() {
            let y = n - i as f64 - 0.5;
            let colour = if r.strong { PALETTE[1] } else { PALETTE[0] };
            if let (Some(lo), Some(hi)) = (r.lo, r.hi) {
                let (lo, hi) = (lo.max(x0), hi.min(x1));
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(lo, y), (hi, y)],
                    colour.stroke_width(2),
                )))?;
                for end in [lo, hi] {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(end, y - 0.2), (end, y + 0.2)],
                        colour.stroke_width(2),
                    )))?;
                }
            }
            let style = if r.strong {
                colour.filled()
            } else {
                WHITE.filled()
            };
            let at = (r.value.clamp(x0, x1), y);
            chart.draw_series(std::iter::once(Circle::new(at, 5, style)))?;
            chart.draw_series(std::iter::once(Circle::new(at, 5, colour.stroke_width(2))))?;
            chart.draw_series(std::iter::once(
                EmptyElement::at((x0, y))
                    + Text::new(
                        clip(&r.label, 44),
                        (-10, 0),
                        font(12.0).pos(Pos::new(HPos::Right, VPos::Center)),
                    ),
            ))?;
        }
        Ok(())
    })
}

/// One line of a metric-versus-parameter chart: at each parameter position, the estimate and
/// its 95% confidence interval.
pub struct BandLine {
    pub label: String,
    pub points: Vec<(f64, f64, f64, f64)>,
}

/// A metric against a swept parameter: a line with a shaded 95% confidence band. `ticks` names
/// the parameter values at their x positions (categories are placed at 0, 1, 2…).
pub fn sweep(
    lines: &[BandLine],
    ticks: &[(f64, String)],
    x_desc: &str,
    y_desc: &str,
    proportion: bool,
) -> String {
    let xs: Vec<f64> = ticks.iter().map(|t| t.0).collect();
    let (xmin, xmax) = (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let xpad = ((xmax - xmin).abs() * 0.06).max(0.3);
    let ys = lines
        .iter()
        .flat_map(|l| l.points.iter().flat_map(|p| [p.2, p.3, p.1]));
    let (ymin, ymax) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (ymin, ymax) = if ymin.is_finite() {
        (ymin, ymax)
    } else {
        (0.0, 1.0)
    };
    let ypad = ((ymax - ymin).abs() * 0.1).max(0.05);
    // Proportions stay within [0, 1], and counts or hours that are never negative get no axis
    // below 0.
    let (ylo, yhi) = if proportion {
        ((ymin - ypad).max(0.0), (ymax + ypad).clamp(0.05, 1.0))
    } else if ymin >= 0.0 {
        ((ymin - ypad).max(0.0), ymax + ypad)
    } else {
        (ymin - ypad, ymax + ypad)
    };
    render(440, 280, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .margin_right(18)
            .x_label_area_size(46)
            .y_label_area_size(54)
            .build_cartesian_2d((xmin - xpad)..(xmax + xpad), ylo..yhi)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(GRID)
            .y_desc(y_desc)
            .y_label_formatter(&|v| tick(*v))
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .draw()?;
        for (x, label) in ticks {
            chart.draw_series(std::iter::once(
                EmptyElement::at((*x, ylo))
                    + PathElement::new(vec![(0, 0), (0, 5)], INK.stroke_width(1))
                    + Text::new(
                        label.clone(),
                        (0, 8),
                        font(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
                    ),
            ))?;
        }
        chart.draw_series(std::iter::once(
            EmptyElement::at(((xmin + xmax) / 2.0, ylo))
                + Text::new(
                    x_desc.to_string(),
                    (0, 28),
                    font(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
                ),
        ))?;
        for (i, l) in lines.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let mut band: Vec<(f64, f64)> = l.points.iter().map(|p| (p.0, p.3)).collect();
            band.extend(l.points.iter().rev().map(|p| (p.0, p.2)));
            chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.18))))?;
            let anno = chart.draw_series(LineSeries::new(
                l.points.iter().map(|p| (p.0, p.1)),
                colour.stroke_width(2),
            ))?;
            anno.label(l.label.clone()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
            chart.draw_series(
                l.points
                    .iter()
                    .map(|p| Circle::new((p.0, p.1), 4, colour.filled())),
            )?;
        }
        if lines.len() > 1 {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.9))
                .border_style(MUTED)
                .label_font(font(11.0))
                .draw()?;
        }
        Ok(())
    })
}

/// Kaplan–Meier step curves, one per chain step: the share of runs still waiting against hours.
pub fn survival(lines: &[(String, Vec<(f64, f64)>)], x_desc: &str, y_desc: &str) -> String {
    let xmax = lines
        .iter()
        .flat_map(|(_, c)| c.iter().map(|p| p.0))
        .fold(1.0f64, f64::max)
        * 1.05;
    render(WIDTH, 300, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .margin_right(18)
            .x_label_area_size(40)
            .y_label_area_size(54)
            .build_cartesian_2d(0.0..xmax, 0.0..1.0)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(GRID)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .draw()?;
        for (i, (label, curve)) in lines.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let mut path = vec![(0.0, 1.0)];
            let mut s = 1.0;
            for &(t, v) in curve {
                path.push((t, s));
                path.push((t, v));
                s = v;
            }
            path.push((xmax, s));
            chart
                .draw_series(LineSeries::new(path, colour.stroke_width(2)))?
                .label(label.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(MUTED)
            .label_font(font(11.0))
            .draw()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_text_elements_and_are_deterministic() {
        let s = vec![Steps {
            label: "a → b".into(),
            rises: vec![(2.0, 2), (30.5, 5)],
        }];
        let one = escalation(&s, 120.0);
        assert!(one.starts_with("<svg "), "{one}");
        assert!(one.contains("<text") && one.contains("a → b"));
        assert_eq!(one, escalation(&s, 120.0));
        let b = bars(&Bars {
            categories: &["0".into(), "1".into()],
            values: &[3.0, 0.0],
            labels: &["3".into(), "0".into()],
            emphasise: &[false, false],
            x_desc: "level",
            y_desc: "runs",
        });
        assert!(b.contains("<rect"));
    }

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(20.0), "20");
        assert_eq!(tick(0.30000000000000004), "0.3");
        assert_eq!(tick(-0.0001), "0");
    }
}
