//! Exercise time. One integer type (seconds) everywhere inside; human strings at the edges, because
//! facilitators write "4h" and "T+1d6h", never 14400.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// Seconds in a day.
pub const DAY_SECS: i64 = DAY;

/// A length of time in whole seconds, written `"90s"`, `"15m"`, `"4h"`, `"2d"` or combined `"1d6h"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span(pub i64);

impl Span {
    pub const ZERO: Span = Span(0);
    /// The longest duration (and the latest instant after T+0) ttx accepts: 10 years. Nothing an
    /// exercise or a study models lasts longer, and a larger value is a slip of the keyboard that
    /// would otherwise make a run never finish or its output explode (one index value per day).
    pub const MAX: Span = Span(3_650 * DAY);

    pub const fn secs(s: i64) -> Span {
        Span(s)
    }
    pub const fn minutes(m: i64) -> Span {
        Span(m * MINUTE)
    }
    pub const fn hours(h: i64) -> Span {
        Span(h * HOUR)
    }
    pub const fn days(d: i64) -> Span {
        Span(d * DAY)
    }
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / HOUR as f64
    }

    /// Parses `"1d6h"`-style strings. Units must appear largest first and at most once, so that a
    /// typo such as `"6h1d"` is an error rather than a surprise.
    pub fn parse(text: &str) -> Result<Span, String> {
        let s = text.trim();
        if s.is_empty() {
            return Err(expected_duration(text));
        }
        let mut total: i64 = 0;
        let mut digits = String::new();
        let mut last_rank = usize::MAX;
        for c in s.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let (rank, unit) = match c {
                'd' => (3, DAY),
                'h' => (2, HOUR),
                'm' => (1, MINUTE),
                's' => (0, 1),
                _ => return Err(expected_duration(text)),
            };
            if digits.is_empty() || rank >= last_rank {
                return Err(expected_duration(text));
            }
            let n: i64 = digits.parse().map_err(|_| too_long(text))?;
            total = n
                .checked_mul(unit)
                .and_then(|v| total.checked_add(v))
                .filter(|&v| v <= Span::MAX.0)
                .ok_or_else(|| too_long(text))?;
            digits.clear();
            last_rank = rank;
        }
        if !digits.is_empty() {
            return Err(format!(
                "duration \"{text}\" has a number without a unit: write e.g. \"{digits}m\" or \"{digits}h\""
            ));
        }
        Ok(Span(total))
    }

    /// Checks a duration computed rather than parsed (`D+400` in an MSEL, `2 weeks`).
    pub fn checked(secs: i64, text: &str) -> Result<Span, String> {
        if secs > Span::MAX.0 {
            Err(too_long(text))
        } else {
            Ok(Span(secs))
        }
    }
}

fn too_long(text: &str) -> String {
    format!(
        "duration \"{}\" is longer than 10 years ({}), the longest ttx accepts",
        text.trim(),
        Span::MAX
    )
}

fn too_late(text: &str) -> String {
    format!(
        "instant \"{}\" is more than 10 years ({}) after T+0, the latest ttx accepts",
        text.trim(),
        Span::MAX
    )
}

fn expected_duration(text: &str) -> String {
    format!(
        "invalid duration \"{text}\": expected numbers with units d, h, m, s, largest first, e.g. \"90m\", \"4h\" or \"1d6h\""
    )
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        if rest == 0 {
            return f.write_str("0s");
        }
        if rest < 0 {
            f.write_str("-")?;
            rest = -rest;
        }
        for (unit, suffix) in [(DAY, 'd'), (HOUR, 'h'), (MINUTE, 'm'), (1, 's')] {
            if rest >= unit {
                write!(f, "{}{}", rest / unit, suffix)?;
                rest %= unit;
            }
        }
        Ok(())
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Span::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An instant in exercise time, `"T+4h"`: seconds since the scenario's start (T+0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At(pub Span);

impl At {
    pub fn parse(text: &str) -> Result<At, String> {
        let s = text.trim();
        let rest = s.strip_prefix("T+").or_else(|| s.strip_prefix("t+"));
        match rest {
            Some("0") => Ok(At(Span::ZERO)),
            Some(r) => Span::parse(r).map(At).map_err(|e| {
                if e.contains("longer than 10 years") {
                    too_late(text)
                } else {
                    expected_instant(text)
                }
            }),
            None if s == "T" || s == "T+0" => Ok(At(Span::ZERO)),
            None => Err(expected_instant(text)),
        }
    }
    pub fn secs(self) -> i64 {
        self.0.0
    }
}

fn expected_instant(text: &str) -> String {
    format!(
        "invalid instant \"{text}\": expected exercise time such as \"T+0\", \"T+90m\" or \"T+1d6h\""
    )
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T+{}", self.0)
    }
}

impl Serialize for At {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        At::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Exercise time to the minute, as timelines and scorecards show it: `T+1d04:30`.
pub fn clock_minutes(t: i64) -> String {
    let (d, rem) = (t / DAY, t % DAY);
    let days = if d > 0 {
        format!("{d}d")
    } else {
        String::new()
    };
    format!("T+{days}{:02}:{:02}", rem / HOUR, (rem % HOUR) / MINUTE)
}

/// Exercise time to the second when it has seconds: `T+1d04:30:15`.
pub fn clock(t: i64) -> String {
    Clock(t).to_string()
}

/// [`clock`] as a value that writes itself into whatever is being formatted: a scorecard has one
/// or two in every expectation's reason, and building each as a `String` of three `format!`s
/// cost more than judging the expectation.
pub struct Clock(pub i64);

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        let (days, rem) = (t / DAY, t % DAY);
        let (h, m, s) = (rem / HOUR, (rem % HOUR) / MINUTE, rem % MINUTE);
        if t < 0 {
            // Never in a trace; written as it always was, signs and all.
            f.write_str("T+")?;
            write!(f, "{h:02}:{m:02}")?;
            return if s != 0 { write!(f, ":{s:02}") } else { Ok(()) };
        }
        // Written backwards from the end: seconds, minutes, hours, days, "T+".
        fn two(buf: &mut [u8], at: &mut usize, v: i64) {
            *at -= 2;
            buf[*at] = b'0' + (v / 10) as u8;
            buf[*at + 1] = b'0' + (v % 10) as u8;
        }
        let mut buf = [0u8; 40];
        let mut at = buf.len();
        if s != 0 {
            two(&mut buf, &mut at, s);
            at -= 1;
            buf[at] = b':';
        }
        two(&mut buf, &mut at, m);
        at -= 1;
        buf[at] = b':';
        two(&mut buf, &mut at, h);
        if days > 0 {
            at -= 1;
            buf[at] = b'd';
            at = crate::digits::decimal_before(&mut buf, at, days as u64);
        }
        at -= 2;
        buf[at..at + 2].copy_from_slice(b"T+");
        f.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)
    }
}

/// A UTC instant in whole seconds since 1970-01-01T00:00:00Z, written ISO 8601 (`2026-03-06T16:00:00Z`).
/// Hand-rolled civil-date arithmetic (H. Hinnant's algorithm) keeps the scenario crate free of a
/// calendar dependency for the one conversion it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let err = || {
            format!(
                "invalid start instant \"{text}\": expected an ISO 8601 UTC time such as \"2026-03-06T16:00:00Z\""
            )
        };
        let s = text.trim();
        let b = s.as_bytes();
        if b.len() < 17 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
            s.get(r)
                .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|p| p.parse().ok())
                .ok_or_else(err)
        };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let h = num(11..13)?;
        if b[13] != b':' {
            return Err(err());
        }
        let mi = num(14..16)?;
        let (sec, rest) = if b.len() >= 19 && b[16] == b':' {
            (num(17..19)?, &s[19..])
        } else {
            (0, &s[16..])
        };
        let offset = match rest {
            "Z" | "z" => 0,
            other => UtcOffset::parse(other).map_err(|_| err())?.0 as i64,
        };
        if !(1..=12).contains(&mo)
            || d < 1
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || sec > 59
        {
            return Err(err());
        }
        Ok(Timestamp(
            days_from_civil(y, mo, d) * DAY + h * HOUR + mi * MINUTE + sec - offset,
        ))
    }

    /// Calendar fields at a UTC offset: (year, month, day, hour, minute, second, weekday Mon=0).
    pub fn fields(self, offset: UtcOffset) -> (i64, i64, i64, i64, i64, i64, i64) {
        let local = self.0 + offset.0 as i64;
        let days = local.div_euclid(DAY);
        let secs = local.rem_euclid(DAY);
        let (y, m, d) = civil_from_days(days);
        (
            y,
            m,
            d,
            secs / HOUR,
            (secs % HOUR) / MINUTE,
            secs % MINUTE,
            weekday(days),
        )
    }

    pub fn plus(self, secs: i64) -> Timestamp {
        Timestamp(self.0 + secs)
    }
}

pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Monday = 0. 1970-01-01 was a Thursday.
pub fn weekday(days_since_epoch: i64) -> i64 {
    (days_since_epoch + 3).rem_euclid(7)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d, h, mi, s, _) = self.fields(UtcOffset(0));
        write!(f, "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Offset of local time from UTC in seconds, written `"+01:00"`, `"-05:00"`, `"+05:45"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcOffset(pub i32);

impl UtcOffset {
    pub fn parse(text: &str) -> Result<UtcOffset, String> {
        let s = text.trim();
        let err = || {
            format!(
                "invalid UTC offset \"{text}\": expected \"+HH:MM\" or \"-HH:MM\", e.g. \"-05:00\" or \"+05:45\""
            )
        };
        if s == "Z" || s.eq_ignore_ascii_case("utc") {
            return Ok(UtcOffset(0));
        }
        let (sign, rest) = match s.as_bytes().first() {
            Some(b'+') => (1, &s[1..]),
            Some(b'-') => (-1, &s[1..]),
            _ => return Err(err()),
        };
        let (h, m) = rest.split_once(':').ok_or_else(err)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(err());
        }
        let h: i32 = h.parse().map_err(|_| err())?;
        let m: i32 = m.parse().map_err(|_| err())?;
        if h > 14 || m > 59 {
            return Err(err());
        }
        Ok(UtcOffset(sign * (h * 3600 + m * 60)))
    }
}

impl fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { '-' } else { '+' };
        let a = self.0.abs();
        write!(f, "{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
    }
}

impl Serialize for UtcOffset {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UtcOffset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        UtcOffset::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Clock`, written digit by digit, reads exactly as the `format!`s it replaced.
    #[test]
    fn clock_reads_as_it_always_did() {
        fn formatted(t: i64) -> String {
            let days = t / DAY;
            let rem = t % DAY;
            let (h, m, s) = (rem / HOUR, (rem % HOUR) / MINUTE, rem % MINUTE);
            let mut out = String::from("T+");
            if days > 0 {
                out.push_str(&format!("{days}d"));
            }
            out.push_str(&format!("{h:02}:{m:02}"));
            if s != 0 {
                out.push_str(&format!(":{s:02}"));
            }
            out
        }
        let mut ts: Vec<i64> = (-200_000..400_000).step_by(7).collect();
        ts.extend([
            0,
            59,
            60,
            3599,
            86_399,
            86_400,
            864_000_000,
            i64::MAX,
            i64::MIN,
            -1,
        ]);
        for t in ts {
            assert_eq!(clock(t), formatted(t), "{t} s");
        }
    }

    #[test]
    fn spans_parse_and_print_round_trip() {
        for (text, secs) in [
            ("90s", 90),
            ("15m", 900),
            ("4h", 14_400),
            ("2d", 172_800),
            ("1d6h", 108_000),
            ("1h30m", 5_400),
        ] {
            assert_eq!(Span::parse(text), Ok(Span(secs)), "{text}");
        }
        assert_eq!(Span(5_400).to_string(), "1h30m");
        assert_eq!(Span(108_000).to_string(), "1d6h");
        assert_eq!(Span(0).to_string(), "0s");
    }

    #[test]
    fn bad_spans_are_rejected_with_a_hint() {
        for bad in ["", "4x", "h", "6h1d", "1h1h", "90", "-4h", "4 h"] {
            let err = Span::parse(bad).unwrap_err();
            assert!(err.contains(bad) || err.contains("unit"), "{bad}: {err}");
        }
        assert!(Span::parse("90").unwrap_err().contains("\"90m\""));
    }

    #[test]
    fn durations_and_instants_stop_at_ten_years() {
        assert_eq!(Span::parse("3650d"), Ok(Span::MAX));
        assert_eq!(
            Span::parse("3650000d").unwrap_err(),
            "duration \"3650000d\" is longer than 10 years (3650d), the longest ttx accepts"
        );
        assert!(Span::parse("3650d1s").is_err());
        assert!(
            Span::parse("99999999999999999999d")
                .unwrap_err()
                .contains("10 years")
        );
        assert_eq!(
            At::parse("T+4000d").unwrap_err(),
            "instant \"T+4000d\" is more than 10 years (3650d) after T+0, the latest ttx accepts"
        );
        assert!(Span::checked(Span::MAX.0 + 1, "D+3651").is_err());
    }

    #[test]
    fn instants() {
        assert_eq!(At::parse("T+0"), Ok(At(Span(0))));
        assert_eq!(At::parse("T+1d6h"), Ok(At(Span(108_000))));
        assert!(At::parse("4h").is_err());
        assert_eq!(At(Span(3600)).to_string(), "T+1h");
        assert_eq!(clock(93_600 + 1800), "T+1d02:30");
    }

    #[test]
    fn timestamps_round_trip_and_know_the_weekday() {
        let t = Timestamp::parse("2026-03-06T16:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-03-06T16:00:00Z");
        let (_, _, _, h, _, _, wd) = t.fields(UtcOffset(0));
        assert_eq!((h, WEEKDAYS[wd as usize]), (16, "Fri"));
        let (_, _, d, h, _, _, wd) = t.fields(UtcOffset(9 * 3600));
        assert_eq!((d, h, WEEKDAYS[wd as usize]), (7, 1, "Sat"));
        assert_eq!(
            Timestamp::parse("2024-02-29T00:00:00+01:00")
                .unwrap()
                .to_string(),
            "2024-02-28T23:00:00Z"
        );
        assert!(Timestamp::parse("2026-02-30T00:00:00Z").is_err());
        assert!(Timestamp::parse("yesterday").is_err());
    }

    #[test]
    fn offsets() {
        assert_eq!(UtcOffset::parse("-05:00"), Ok(UtcOffset(-18_000)));
        assert_eq!(UtcOffset::parse("+05:45"), Ok(UtcOffset(20_700)));
        assert_eq!(UtcOffset(20_700).to_string(), "+05:45");
        assert!(UtcOffset::parse("5").is_err());
        assert!(UtcOffset::parse("+15:00").is_err());
    }
}
