//! `compare.csv`: the contrasts of `compare.json` as one flat row per contrast and metric.

use super::contrasts::{Comparison, DiffEstimator};
use super::table::{Cell, csv_line, header_line};

fn opt(v: Option<f64>) -> Cell {
    Cell::num(v)
}

/// `compare.csv`: one row per contrast and metric. Latency rows (`lat:STEP:km_median_h`,
/// `lat:STEP:km_p90_h`) give the Kaplan–Meier quantiles in the own-mean columns and their
/// difference; rating rows (`rating:OBJ=R`) the share of pairs with that rating.
pub fn to_csv(c: &Comparison) -> String {
    let head: Vec<String> = [
        "a",
        "b",
        "metric",
        "estimator",
        "n_a",
        "own_a",
        "n_b",
        "own_b",
        "pairs",
        "paired_a",
        "paired_b",
        "diff",
        "sd_diff",
        "ci_low",
        "ci_high",
    ]
    .map(String::from)
    .to_vec();
    let mut out = header_line(&head);
    for k in &c.contrasts {
        let lead = || vec![Cell::UInt(k.a), Cell::UInt(k.b)];
        for m in &k.metrics {
            let est = match m.estimator {
                DiffEstimator::PairedT => "paired_t",
                DiffEstimator::Newcombe => "newcombe",
            };
            let mut cells = lead();
            cells.extend([
                Cell::Text(m.metric.clone()),
                Cell::Text(est.into()),
                Cell::UInt(m.n_a),
                opt(m.own_mean_a),
                Cell::UInt(m.n_b),
                opt(m.own_mean_b),
                Cell::UInt(m.pairs),
                Cell::Num(m.mean_a),
                Cell::Num(m.mean_b),
                Cell::Num(m.mean_diff),
                opt(m.sd_diff),
                opt(m.ci.map(|c| c.0)),
                opt(m.ci.map(|c| c.1)),
            ]);
            out.push_str(&csv_line(&cells));
        }
        for l in &k.latency {
            for (part, a, b, d, ci) in [
                (
                    "km_median_h",
                    l.median_a,
                    l.median_b,
                    l.median_diff,
                    l.median_ci,
                ),
                ("km_p90_h", l.p90_a, l.p90_b, l.p90_diff, l.p90_ci),
            ] {
                let mut cells = lead();
                cells.extend([
                    Cell::Text(format!("lat:{}:{part}", l.step)),
                    Cell::Text("kaplan_meier_paired".into()),
                    Cell::UInt(l.runs_a),
                    opt(a.hours),
                    Cell::UInt(l.runs_b),
                    opt(b.hours),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    opt(d),
                    Cell::Empty,
                    opt(ci.0),
                    opt(ci.1),
                ]);
                out.push_str(&csv_line(&cells));
            }
        }
        for r in &k.ratings {
            for s in &r.ratings {
                let mut cells = lead();
                cells.extend([
                    Cell::Text(format!("rating:{}={}", r.objective, s.rating)),
                    Cell::Text("newcombe".into()),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::UInt(r.pairs),
                    Cell::Num(s.share_a),
                    Cell::Num(s.share_b),
                    Cell::Num(s.diff),
                    Cell::Empty,
                    Cell::Num(s.ci.0),
                    Cell::Num(s.ci.1),
                ]);
                out.push_str(&csv_line(&cells));
            }
        }
    }
    out
}
