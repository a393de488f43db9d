//! Values checked where they are written: numbers that are not numbers (`NaN`, `inf`) or absurd
//! (`1e308`), and settings whose size would make a run never finish. Durations and instants are
//! bounded when they are read (`Span::MAX`, 10 years), so a 10,000-year exercise never gets here.

use super::Validator;

/// Ladder weights lie in this range; the defaults run from −2 (cooperation) to 60 (force).
pub(crate) const WEIGHT_LIMIT: f64 = 1_000.0;
/// The most escalation reviews of one open case a run may schedule: `duration / review_every`.
pub(crate) const MAX_REVIEWS: i64 = 100_000;

/// A number as a diagnostic shows it: `NaN (not a number)`, `inf`, `1e308`, `0.25`.
pub(crate) fn number(x: f64) -> String {
    if x.is_nan() {
        "NaN (not a number)".into()
    } else if x.is_finite() && x != 0.0 && !(1e-4..1e6).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A count with thousands separators: 5,256,000.
fn count(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Validator<'_> {
    pub(super) fn ranges(&mut self) {
        let sc = self.sc;
        for (i, w) in sc.scoring.ladder.iter().enumerate() {
            if w.weight.is_nan() || w.weight.abs() > WEIGHT_LIMIT {
                let what = if w.weight.is_nan() {
                    "; the accepted range is"
                } else {
                    " is outside the accepted range"
                };
                self.err(
                    format!("scoring.ladder[{i}].weight"),
                    format!(
                        "ladder weight {}{what} -{WEIGHT_LIMIT} to {WEIGHT_LIMIT}",
                        number(w.weight)
                    ),
                    Some(
                        "a weight says how much one step of that level adds to the escalation index; the defaults run from -2 (cooperation) to 60 (threat or use of force)".into(),
                    ),
                );
            }
        }
        for (i, d) in sc.doctrines.iter().enumerate() {
            let Some(every) = d.review_every.filter(|s| s.0 > 0) else {
                continue;
            };
            let reviews = sc.duration.0 / every.0;
            if reviews > MAX_REVIEWS {
                let least = crate::Span((sc.duration.0 + MAX_REVIEWS - 1) / MAX_REVIEWS);
                self.err(
                    format!("doctrines[{i}].review_every"),
                    format!(
                        "review_every {every} would review each open case {} times in this {} exercise; at most {} reviews fit in a run",
                        count(reviews),
                        sc.duration,
                        count(MAX_REVIEWS)
                    ),
                    Some(format!("review at most every {least}, e.g. review_every: \"8h\"")),
                );
            }
        }
    }
}
