//! The escalation section: how high each dyad climbed on the ladder (levels 0–9, named wherever
//! they appear), what the escalation index says and what its sign means, spirals and
//! misattributions. The ladder and its weights are in docs/scorecard.md; why escalation matters
//! to the norms is A/75/816 ¶24 and ¶41 (misperception and conflict prevention) and A/68/98 ¶6–7
//! (misattribution).

use super::format::{ground_truth, hours, level, some_of};
use crate::term::Layout;
use ttx_scenario::time::clock_minutes;
use ttx_scoring::Scorecard;

/// Dyads, spirals and misattributions listed before "… and N more".
const MAX_LISTED: usize = 8;
/// Exercises up to this many days show the index day by day; longer ones its range.
const MAX_DAYS_LISTED: usize = 14;

/// What the sign of the escalation index means, in words.
fn index_meaning(index: f64) -> &'static str {
    if index < 0.0 {
        "negative, so cooperation outweighed escalation (each cooperation message weighs -2)"
    } else if index > 0.0 {
        "positive, so escalation outweighed cooperation (steps weigh 0 to 60 by level)"
    } else {
        "no cooperation or escalation steps, or they balanced"
    }
}

/// The per-day index: every day of a short exercise, the range of a long one.
fn daily(days: &[f64]) -> String {
    if days.len() <= MAX_DAYS_LISTED {
        let v: Vec<String> = days.iter().map(|d| format!("{d}")).collect();
        return format!("per day: {}", v.join(" "));
    }
    let (lo_day, lo) =
        days.iter().enumerate().fold(
            (0, f64::INFINITY),
            |a, (i, &d)| if d < a.1 { (i, d) } else { a },
        );
    let (hi_day, hi) =
        days.iter().enumerate().fold(
            (0, f64::NEG_INFINITY),
            |a, (i, &d)| if d > a.1 { (i, d) } else { a },
        );
    format!(
        "per day over {} days: lowest {lo} (day {}), highest {hi} (day {}); every day in the JSON scorecard",
        days.len(),
        lo_day + 1,
        hi_day + 1
    )
}

pub(super) fn render(out: &mut String, card: &Scorecard, l: &Layout) {
    let e = &card.escalation;
    out.push_str(&l.line(
        "",
        "ESCALATION (ladder 0–9 in docs/scorecard.md; A/75/816 ¶24, ¶41)",
        2,
    ));
    let peak_dyad = e
        .dyads
        .iter()
        .find(|d| Some(d.peak_n) == e.peak_n && d.peak == e.peak)
        .map_or(String::new(), |d| {
            format!(", {} → {} (r{})", d.from, d.to, d.peak_n)
        });
    out.push_str(&l.para(2, &format!("peak {}{peak_dyad}", level(e.peak))));
    match e.at_or_above_5_from_n {
        Some(n) => out.push_str(&l.para(
            2,
            &format!(
                "at or above public attribution (level 5) for {}h, from r{n}",
                hours(e.hours_at_or_above_5)
            ),
        )),
        None => out.push_str(&l.para(2, "never reached public attribution (level 5)")),
    }
    out.push_str(&l.para(
        2,
        &format!("escalation index {}: {}", e.index, index_meaning(e.index)),
    ));
    out.push_str(&l.para(4, &daily(&e.daily)));
    if !e.dyads.is_empty() {
        let mut dyads: Vec<_> = e.dyads.iter().collect();
        // Highest first; the scorecard's own order (from, to) breaks ties.
        dyads.sort_by_key(|d| std::cmp::Reverse(d.peak));
        let peaks: Vec<String> = dyads
            .iter()
            .map(|d| format!("{} → {} at {}", d.from, d.to, level(d.peak)))
            .collect();
        out.push_str(&l.line("  dyad peaks: ", &some_of(&peaks, MAX_LISTED, "; "), 4));
    }
    let spirals: Vec<String> = e
        .spirals
        .iter()
        .map(|s| {
            format!(
                "{} {} (r{}) answered by {} {} (r{})",
                s.first,
                level(s.first_level),
                s.first_n,
                s.answer,
                level(s.answer_level),
                s.answer_n
            )
        })
        .collect();
    let listed = if spirals.is_empty() {
        String::new()
    } else {
        format!(" — {}", some_of(&spirals, MAX_LISTED, "; "))
    };
    out.push_str(&l.para(2, &format!("spirals: {}{listed}", spirals.len())));
    out.push_str(&l.para(
        2,
        &format!(
            "misattributions: {} · correct attributions: {}",
            e.misattributions.len(),
            e.correct_attributions.len()
        ),
    ));
    for m in e.misattributions.iter().take(MAX_LISTED) {
        let conf = m
            .confidence
            .map_or(String::new(), |c| format!(", confidence {c}"));
        let text = format!(
            "{} attributed {} to {} at {} (r{}{conf}); ground truth: {} (r{})",
            m.by,
            m.incident,
            m.attributed_to,
            clock_minutes(m.t),
            m.n,
            ground_truth(m),
            m.incident_n
        );
        out.push_str(&l.line("    ✗ ", &text, 6));
    }
    if e.misattributions.len() > MAX_LISTED {
        let more = e.misattributions.len() - MAX_LISTED;
        out.push_str(&l.para(4, &format!("… and {more} more in the JSON scorecard")));
    }
}
