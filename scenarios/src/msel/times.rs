//! MSEL time cells. Planners write relative times (`T+2h`, `D+1`, `H+2`, `M+30`, `D+1 09:00`) or
//! clock times (`14:30`, `2026-03-06 14:30`) that only mean something once the exercise start is
//! known. Clock times are UTC. A conditional inject is written `when <condition>` in RON.

use crate::time::{At, DAY_SECS, Span, Timestamp};

#[derive(Debug)]
pub(crate) enum When {
    At(At),
    Condition(String),
}

/// Parses a human duration as planners write it in Expected Action cells: `24h`, `1d6h`,
/// `24 hours`, `2 days`, `30 min`. The error says why, as the deadline's cell shows it.
pub(crate) fn loose_span(text: &str) -> Result<Span, String> {
    let t = text.trim();
    let unreadable =
        || format!("cannot read the deadline \"within {t}\": write e.g. \"within 24h\"");
    match Span::parse(t) {
        Ok(s) => return Ok(s),
        Err(e) if e.contains("10 years") => return Err(e),
        Err(_) => {}
    }
    let (num, unit) = t.split_once(char::is_whitespace).ok_or_else(unreadable)?;
    // Unsigned: a negative deadline is a typo, not a duration.
    let n: u32 = num.trim().parse().map_err(|_| unreadable())?;
    let unit = unit.trim().to_lowercase();
    let secs = match unit.trim_end_matches('s') {
        "second" | "sec" => 1,
        "minute" | "min" => 60,
        "hour" | "hr" => 3600,
        "day" => DAY_SECS,
        "week" | "wk" => 7 * DAY_SECS,
        _ => return Err(unreadable()),
    };
    Span::checked(i64::from(n) * secs, t)
}

#[cfg(test)]
pub(crate) fn parse(cell: &str, start: Option<Timestamp>) -> Result<When, String> {
    read(cell, start).map(|(when, _)| when)
}

/// A Time cell, and a warning when it was read by a guess the planner should check (`T+3`,
/// taken as hours).
pub(crate) fn read(cell: &str, start: Option<Timestamp>) -> Result<(When, Option<String>), String> {
    let t = cell.trim();
    if let Some(cond) = t.strip_prefix("when ").or_else(|| t.strip_prefix("When ")) {
        return Ok((When::Condition(cond.trim().to_string()), None));
    }
    if let Some(n) = t.strip_prefix("T+").or_else(|| t.strip_prefix("t+"))
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        let hours: u32 = n.parse().map_err(|_| too_late(t))?;
        let span = Span::checked(i64::from(hours) * 3600, t).map_err(|_| too_late(t))?;
        // T+0 is the start whatever the unit: nothing for the planner to check.
        let warning = (hours != 0).then(|| {
            format!(
                "\"{t}\" has no unit; read as {hours} hours (write T+{hours}h, or T+{hours}d for days)"
            )
        });
        return Ok((When::At(At(span)), warning));
    }
    if t.starts_with("T+") || t.starts_with("t+") || t == "T" {
        return At::parse(t).map(|a| (When::At(a), None));
    }
    if let Some(rest) = strip_prefix_ignore_case(t, "day ") {
        return day_n(rest.trim(), start, t).map(|a| (When::At(a), None));
    }
    if let Some(r) = relative(t, start) {
        return r.map(|w| (w, None));
    }
    if let Some((date, clock)) = t
        .split_once([' ', 'T'])
        .filter(|(d, _)| d.len() == 10 && d.as_bytes()[4] == b'-')
    {
        let Some(start) = start else {
            return Err(needs_start(t));
        };
        let ts = Timestamp::parse(&format!("{date}T{}Z", with_seconds(clock))).map_err(|_| {
            format!("\"{t}\": expected a date and time such as \"2026-03-06 14:30\"")
        })?;
        return since(start, ts, t).map(|w| (w, None));
    }
    if t.len() == 5 && t.as_bytes()[2] == b':' {
        return clock_on_day(t, 0, start, t).map(|a| (When::At(a), None));
    }
    Err(format!(
        "\"{t}\": expected an exercise time such as \"T+2h\", \"D+1\", \"D+2 H+3 M+45\", \"J+1\", \"D+1 09:00\", \"Day 2 09:00\", \"14:30\", \"2026-03-07 14:30\" or \"when …\""
    ))
}

fn strip_prefix_ignore_case<'a>(t: &'a str, prefix: &str) -> Option<&'a str> {
    let head = t.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &t[prefix.len()..])
}

/// `Day 2` or `Day 2 09:00`: planners number the exercise's days from Day 1, the start's date.
fn day_n(rest: &str, start: Option<Timestamp>, t: &str) -> Result<At, String> {
    let (n, clock) = match rest.split_once(' ') {
        Some((n, c)) => (n, Some(c.trim())),
        None => (rest, None),
    };
    let n: u32 = n.trim().parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
        format!("\"{t}\": expected a day number from 1 (Day 1 is the start's date)")
    })?;
    let day = i64::from(n) - 1;
    match clock {
        Some(c) => clock_on_day(c, day, start, t),
        None => Span::checked(day * DAY_SECS, t)
            .map(At)
            .map_err(|_| too_late(t)),
    }
}

/// Relative times in the notations exercise platforms use: `D+1`, `H+2`, `M+30`, their sums
/// (`D+2 H+3 M+45`, also without spaces), `J+1` (French *jour*, a day), and `D+1 09:00` (day 1 at
/// a clock time, UTC). `None` when the cell is not of this kind.
fn relative(t: &str, start: Option<Timestamp>) -> Option<Result<When, String>> {
    let first = t.chars().next()?.to_ascii_uppercase();
    if !matches!(first, 'D' | 'J' | 'H' | 'M') || t.as_bytes().get(1) != Some(&b'+') {
        return None;
    }
    // Split `D+2 H+3M+45` into `D+2`, `H+3`, `M+45`, and an optional trailing clock time.
    let mut parts: Vec<String> = Vec::new();
    let mut clock = None;
    for word in t.split_whitespace() {
        if word.contains(':') {
            if clock.is_some() {
                return Some(Err(format!("\"{t}\": more than one clock time")));
            }
            clock = Some(word);
            continue;
        }
        for c in word.chars() {
            if c.is_ascii_alphabetic() && !parts.last().is_some_and(|p| p.ends_with('+')) {
                parts.push(String::new());
            }
            match parts.last_mut() {
                Some(p) => p.push(c),
                None => parts.push(c.to_string()),
            }
        }
    }
    let mut total: i64 = 0;
    let mut seen = Vec::new();
    for part in &parts {
        let mut chars = part.chars();
        let unit = chars.next()?.to_ascii_uppercase();
        let rest = chars.as_str();
        let Some(n) = rest.strip_prefix('+') else {
            return Some(Err(format!(
                "\"{t}\": expected D+, J+, H+ or M+ followed by a number"
            )));
        };
        let secs = match unit {
            'D' | 'J' => DAY_SECS,
            'H' => 3600,
            'M' => 60,
            _ => {
                return Some(Err(format!(
                    "\"{t}\": expected D+ (or J+), H+ and M+ parts, e.g. \"D+2 H+3 M+45\""
                )));
            }
        };
        let key = if unit == 'J' { 'D' } else { unit };
        if seen.contains(&key) {
            return Some(Err(format!("\"{t}\": {key}+ is given twice")));
        }
        seen.push(key);
        // Unsigned: `D+-1` would import as an inject before T+0, which no scenario accepts.
        let Ok(n) = n.trim().parse::<u32>() else {
            return Some(Err(format!(
                "\"{t}\": expected a whole number, 0 or more, after {unit}+"
            )));
        };
        total = total.saturating_add(i64::from(n).saturating_mul(secs));
    }
    if let Some(c) = clock {
        if seen != ['D'] {
            return Some(Err(format!(
                "\"{t}\": only a day (D+ or J+) takes a clock time"
            )));
        }
        return Some(clock_on_day(c, total / DAY_SECS, start, t).map(When::At));
    }
    Some(match Span::checked(total, t) {
        Ok(s) => Ok(When::At(At(s))),
        Err(_) => Err(too_late(t)),
    })
}

fn with_seconds(clock: &str) -> String {
    let c = clock.trim().trim_end_matches('Z');
    if c.len() == 5 {
        format!("{c}:00")
    } else {
        c.to_string()
    }
}

fn needs_start(t: &str) -> String {
    format!(
        "\"{t}\" is a clock time; give the exercise start with --start (e.g. --start 2026-03-06T16:00:00Z)"
    )
}

/// `HH:MM` on the `day`-th day of the exercise (day 0 is the start's date, UTC).
fn clock_on_day(clock: &str, day: i64, start: Option<Timestamp>, t: &str) -> Result<At, String> {
    let Some(start) = start else {
        return Err(needs_start(t));
    };
    let (h, m) = clock
        .split_once(':')
        .ok_or_else(|| format!("\"{t}\": expected a clock time HH:MM"))?;
    let (h, m): (i64, i64) = match (h.trim().parse(), m.trim().parse()) {
        (Ok(h), Ok(m)) if h < 24 && m < 60 => (h, m),
        _ => return Err(format!("\"{t}\": expected a clock time HH:MM")),
    };
    let midnight = start.0.div_euclid(DAY_SECS) * DAY_SECS;
    match since(
        start,
        Timestamp(midnight + day * DAY_SECS + h * 3600 + m * 60),
        t,
    )? {
        When::At(a) => Ok(a),
        When::Condition(_) => unreachable!("since() only returns instants"),
    }
}

fn since(start: Timestamp, ts: Timestamp, t: &str) -> Result<When, String> {
    if ts < start {
        return Err(format!("\"{t}\" is before the exercise starts ({start})"));
    }
    let offset = Span::checked(ts.0 - start.0, t).map_err(|_| too_late(t))?;
    Ok(When::At(At(offset)))
}

fn too_late(t: &str) -> String {
    format!(
        "\"{t}\" is more than 10 years ({}) after the exercise starts, the latest ttx accepts",
        Span::MAX
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(cell: &str) -> i64 {
        let start = Timestamp::parse("2026-03-06T16:00:00Z").ok();
        match parse(cell, start).unwrap() {
            When::At(a) => a.secs(),
            When::Condition(c) => panic!("{c}"),
        }
    }

    #[test]
    fn relative_and_clock_times() {
        assert_eq!(at("T+2h"), 7200);
        assert_eq!(at("D+1"), 86_400);
        assert_eq!(at("H+2"), 7200);
        assert_eq!(at("M+30"), 1800);
        assert_eq!(at("D+1 09:00"), 86_400 - 16 * 3600 + 9 * 3600);
        assert_eq!(at("18:30"), 2 * 3600 + 1800);
        assert_eq!(at("2026-03-07 16:00"), 86_400);
    }

    #[test]
    fn platform_notations_days_and_bare_hours() {
        assert_eq!(at("D+2 H+3 M+45"), 2 * 86_400 + 3 * 3600 + 45 * 60);
        assert_eq!(at("D+2H+3M+45"), 2 * 86_400 + 3 * 3600 + 45 * 60);
        assert_eq!(at("H+3 M+45"), 3 * 3600 + 45 * 60);
        assert_eq!(at("J+1"), 86_400);
        assert_eq!(at("j+1 09:00"), at("D+1 09:00"));
        assert_eq!(at("Day 1 18:00"), 2 * 3600);
        assert_eq!(at("Day 2 09:00"), at("D+1 09:00"));
        assert_eq!(at("day 3"), 2 * 86_400);
        let start = Timestamp::parse("2026-03-06T16:00:00Z").ok();
        let (when, warning) = read("T+3", start).unwrap();
        assert!(matches!(when, When::At(a) if a.secs() == 3 * 3600));
        assert!(warning.unwrap().contains("read as 3 hours"));
        assert!(read("T+3h", start).unwrap().1.is_none());
        assert!(
            read("T+0", start).unwrap().1.is_none(),
            "T+0 is unambiguous"
        );
        assert!(parse("Day 0", start).unwrap_err().contains("from 1"));
        assert!(parse("D+1 D+2", start).unwrap_err().contains("twice"));
        assert!(
            parse("H+2 09:00", start)
                .unwrap_err()
                .contains("only a day")
        );
        assert!(
            parse("yesterday at noon", start)
                .unwrap_err()
                .contains("expected an exercise time")
        );
    }

    #[test]
    fn clock_times_need_a_start_and_must_not_precede_it() {
        assert!(parse("14:30", None).unwrap_err().contains("--start"));
        let start = Timestamp::parse("2026-03-06T16:00:00Z").ok();
        assert!(
            parse("09:00", start)
                .unwrap_err()
                .contains("before the exercise starts")
        );
        assert!(
            parse("tomorrow", start)
                .unwrap_err()
                .contains("expected an exercise time")
        );
        assert!(matches!(
            parse("when InfraDown(infra: \"x\")", start),
            Ok(When::Condition(_))
        ));
    }

    #[test]
    fn loose_spans() {
        assert_eq!(loose_span("24 hours"), Ok(Span::hours(24)));
        assert_eq!(loose_span("2 days"), Ok(Span::days(2)));
        assert_eq!(loose_span("90m"), Ok(Span::minutes(90)));
        assert!(loose_span("soon").unwrap_err().contains("cannot read"));
        assert!(loose_span("-2 days").unwrap_err().contains("cannot read"));
        assert_eq!(
            loose_span("600 weeks").unwrap_err(),
            "duration \"600 weeks\" is longer than 10 years (3650d), the longest ttx accepts"
        );
    }

    #[test]
    fn negative_and_far_relative_times_are_refused() {
        let start = Timestamp::parse("2026-03-06T16:00:00Z").ok();
        assert_eq!(
            parse("D+-1", start).unwrap_err(),
            "\"D+-1\": expected a whole number, 0 or more, after D+"
        );
        assert!(parse("H+-3", start).is_err());
        assert_eq!(
            parse("D+4000", start).unwrap_err(),
            "\"D+4000\" is more than 10 years (3650d) after the exercise starts, the latest ttx accepts"
        );
        assert!(parse("D+4000 09:00", start).is_err());
        assert!(
            parse("2040-01-01 00:00", start)
                .unwrap_err()
                .contains("10 years")
        );
    }
}
