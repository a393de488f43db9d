//! How the scorecard writes figures and verdicts, shared with the after-action reports so that
//! the terminal, HTML and Markdown say the same thing the same way.

use ttx_scoring::norms::{NormVerdict, VerdictStatus};
use ttx_scoring::objectives::{ExpStatus, Rating};
use ttx_scoring::stats::Quantile;

/// What each norm-grid symbol means: status, word, and a note where the word is not enough.
pub const NORM_LEGEND: [(VerdictStatus, &str, &str); 5] = [
    (VerdictStatus::Fulfilled, "fulfilled", ""),
    (VerdictStatus::Violated, "violated", ""),
    (VerdictStatus::Mixed, "mixed", ""),
    (VerdictStatus::Pending, "pending", "deadline after the end"),
    (VerdictStatus::NotApplicable, "n/a", "no opportunity"),
];

/// Hours with three significant figures at most, trailing zeros dropped: 0.48, 13.7, 24, 128.
pub fn hours(h: f64) -> String {
    let text = if h >= 100.0 {
        format!("{h:.0}")
    } else if h >= 10.0 {
        format!("{h:.1}")
    } else {
        format!("{h:.2}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A latency quantile: hours, `>end` when it falls on an item never answered, `–` when empty.
pub fn quantile(q: &Quantile) -> String {
    match (q.hours, q.censored_above) {
        (Some(h), _) => hours(h),
        (None, true) => ">end".into(),
        (None, false) => "–".into(),
    }
}

/// A latency row's figures after its label, as the terminal and the report show them: items,
/// censored, p50, p90, max, target, breaches.
pub fn latency_cells(st: &ttx_scoring::stats::Stats, target: &str) -> Vec<String> {
    vec![
        st.count.to_string(),
        st.censored.to_string(),
        quantile(&st.p50),
        quantile(&st.p90),
        quantile(&st.max),
        target.to_string(),
        st.breaches.to_string(),
    ]
}

/// A proportion as a whole percentage, `–` when there was nothing to count.
pub fn rate(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| format!("{:.0}%", r * 100.0))
}

/// The norm-grid symbol of a verdict.
pub fn symbol(v: &NormVerdict) -> char {
    status_symbol(v.status)
}

/// Symbols, not colours, carry the verdict: ✓ ✗ ~ ? ·.
pub fn status_symbol(s: VerdictStatus) -> char {
    match s {
        VerdictStatus::Fulfilled => '✓',
        VerdictStatus::Violated => '✗',
        VerdictStatus::Mixed => '~',
        VerdictStatus::Pending => '?',
        VerdictStatus::NotApplicable => '·',
    }
}

/// An HSEEP rating letter, `–` when unrated.
pub fn rating(r: Option<Rating>) -> &'static str {
    match r {
        Some(Rating::P) => "P",
        Some(Rating::S) => "S",
        Some(Rating::M) => "M",
        Some(Rating::U) => "U",
        None => "–",
    }
}

/// An objective's expectation counts, success / partial / failed / pending with `sep` between,
/// and those still needing an evaluator when there are any.
pub fn counts(o: &ttx_scoring::objectives::ObjectiveResult, sep: &str) -> String {
    let mut s = [o.success, o.partial, o.failed, o.pending]
        .map(|n| n.to_string())
        .join(sep);
    if o.needs_evaluator > 0 {
        s.push_str(&format!(" + {} need an evaluator", o.needs_evaluator));
    }
    s
}

/// An expectation status as the scorecard spells it.
pub fn status(s: ExpStatus) -> &'static str {
    match s {
        ExpStatus::Success => "SUCCESS",
        ExpStatus::Partial => "PARTIAL",
        ExpStatus::Failed => "FAILED",
        ExpStatus::Pending => "PENDING",
        ExpStatus::NeedsEvaluator => "NEEDS EVALUATOR",
    }
}

/// What really happened behind a misattribution, in words.
pub fn ground_truth(m: &ttx_scoring::escalation::Attribution) -> String {
    m.directed_by
        .as_deref()
        .map_or("no state directed it".to_string(), |d| {
            format!("{d} directed it")
        })
}

/// A ladder level with its name: "level 5 (public attribution)".
pub fn level(l: u8) -> String {
    format!("level {l} ({})", ttx_scenario::ladder::rung(l).name)
}

/// `items` joined by `sep`, whether they are `String`s or ids (`Name`s, which `[T]::join` does
/// not take: it needs `Borrow<str>`, which a name cannot have).
pub fn join<S: AsRef<str>>(items: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(s.as_ref());
    }
    out
}

/// The first `max` items joined by `sep`, then "… and N more" when there are more.
pub fn some_of<S: AsRef<str>>(items: &[S], max: usize, sep: &str) -> String {
    let shown = join(&items[..items.len().min(max)], sep);
    if items.len() > max {
        format!("{shown}{sep}… and {} more", items.len() - max)
    } else {
        shown
    }
}
