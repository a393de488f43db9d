//! Durations (`1d6h`), instants (`T+4h`), start instants (ISO 8601), UTC offsets and working
//! hours (`Mon-Fri 09:00-18:00`): each either refused with a message quoting the text, or read
//! into a value that prints back to text reading as the same value.

use super::text;
use ttx_scenario::hours::WorkingHours;
use ttx_scenario::{At, Span, Timestamp, UtcOffset};

pub(super) fn check(data: &[u8]) {
    let Some(text) = text(data) else { return };
    round_trip(text, Span::parse);
    round_trip(text, At::parse);
    round_trip(text, Timestamp::parse);
    round_trip(text, UtcOffset::parse);
    round_trip(text, WorkingHours::parse);
    if let Ok(hours) = WorkingHours::parse(text) {
        // Four weeks of work from a few starting points: bounded, and never earlier than asked.
        for start in [0, 1_234_567, 1_780_000_000] {
            let open = hours.next_open(start);
            assert!(open >= start);
            let done = hours.add_working(start, 28 * 86_400 / 7);
            assert!(done >= open, "work ends before it starts");
        }
    }
}

fn round_trip<T, F>(text: &str, parse: F)
where
    T: std::fmt::Display + PartialEq + std::fmt::Debug,
    F: Fn(&str) -> Result<T, String>,
{
    match parse(text) {
        Ok(v) => {
            let shown = v.to_string();
            let back = parse(&shown)
                .unwrap_or_else(|e| panic!("{v:?} prints as {shown:?}, which does not read: {e}"));
            assert_eq!(back, v, "{text:?} → {shown:?} reads as another value");
        }
        Err(e) => assert!(!e.is_empty()),
    }
}

pub(super) fn seeds() -> Vec<(String, Vec<u8>)> {
    [
        "90s",
        "1d6h",
        "T+1d6h30m",
        "T+0",
        "2026-03-06T16:00:00Z",
        "2024-02-29T00:00:00+01:00",
        "+05:45",
        "-05:00",
        "24/7",
        "Mon-Fri 09:00-18:00",
        "Mon-Fri 08:00-17:00; Sat 09:00-12:00",
        "Mon-Fri 22:00-06:00",
        "Sun-Thu 09:00-17:00",
    ]
    .iter()
    .enumerate()
    .map(|(k, s)| (format!("time-{k}.txt"), s.as_bytes().to_vec()))
    .collect()
}
