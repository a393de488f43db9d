//! Working hours of a point of contact, in its local time. This is what makes a Friday-evening
//! notification wait for Monday, which CERT drills exist to expose.

use crate::time::{DAY_SECS, WEEKDAYS};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const WEEK: i64 = 7 * DAY_SECS;

/// `"24/7"` or day groups such as `"Mon-Fri 09:00-18:00"` or `"Mon-Fri 08:00-17:00; Sat 09:00-12:00"`.
/// A window that ends at or before it starts runs overnight (`"Mon-Fri 22:00-06:00"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingHours {
    text: String,
    /// Sorted, non-overlapping `[start, end)` windows in seconds since Monday 00:00 local time.
    windows: Vec<(i64, i64)>,
}

impl Default for WorkingHours {
    fn default() -> Self {
        Self::always()
    }
}

impl WorkingHours {
    /// The hours as written, e.g. "Mon-Fri 09:00-17:00": what `Display` and serde write, without
    /// the formatter, for a scorecard that lists every PoC of a 193-state directory.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn always() -> Self {
        WorkingHours {
            text: "24/7".into(),
            windows: vec![(0, WEEK)],
        }
    }

    pub fn is_always(&self) -> bool {
        self.windows == [(0, WEEK)]
    }

    pub fn parse(text: &str) -> Result<WorkingHours, String> {
        let s = text.trim();
        if s == "24/7" {
            return Ok(Self::always());
        }
        let err = |why: &str| {
            format!(
                "invalid working hours \"{text}\": {why}; expected \"24/7\" or days and times such as \"Mon-Fri 09:00-18:00\""
            )
        };
        let mut raw = Vec::new();
        for group in s.split(';') {
            let group = group.trim();
            let (days, times) = group
                .split_once(' ')
                .ok_or_else(|| err("missing times after the days"))?;
            let days = parse_days(days).map_err(|d| err(&format!("unknown day \"{d}\"")))?;
            let (from, to) = times
                .trim()
                .split_once('-')
                .ok_or_else(|| err("times must look like 09:00-18:00"))?;
            let from = parse_clock(from).ok_or_else(|| err(&format!("bad time \"{from}\"")))?;
            let to = parse_clock(to).ok_or_else(|| err(&format!("bad time \"{to}\"")))?;
            if from == DAY_SECS {
                return Err(err(
                    "a window cannot start at 24:00; write 00:00 of the next day",
                ));
            }
            if from == to {
                return Err(err("a window must not be empty"));
            }
            for day in days {
                let start = day * DAY_SECS + from;
                let end = if to > from {
                    day * DAY_SECS + to
                } else {
                    (day + 1) * DAY_SECS + to
                };
                if end > WEEK {
                    raw.push((start, WEEK));
                    raw.push((0, end - WEEK));
                } else {
                    raw.push((start, end));
                }
            }
        }
        raw.sort_unstable();
        let mut windows: Vec<(i64, i64)> = Vec::new();
        for (s, e) in raw {
            match windows.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => windows.push((s, e)),
            }
        }
        Ok(WorkingHours {
            text: s.to_string(),
            windows,
        })
    }

    /// The first instant at or after `local` (local seconds since the epoch) when the PoC is on duty,
    /// and the end of that duty window.
    fn window_at_or_after(&self, local: i64) -> (i64, i64) {
        let days = local.div_euclid(DAY_SECS);
        let week_start = (days - crate::time::weekday(days)) * DAY_SECS;
        let ws = local - week_start;
        for &(s, e) in &self.windows {
            if ws < e {
                return (week_start + s.max(ws), week_start + e);
            }
        }
        let (s, e) = self.windows[0];
        (week_start + WEEK + s, week_start + WEEK + e)
    }

    pub fn is_open(&self, local: i64) -> bool {
        self.window_at_or_after(local).0 == local
    }

    /// Earliest on-duty instant at or after `local`.
    pub fn next_open(&self, local: i64) -> i64 {
        self.window_at_or_after(local).0
    }

    /// The instant at which `work` seconds of on-duty time have elapsed, starting at `local`.
    /// Off-duty time does not count: four hours of work begun at 17:00 on a 09:00–18:00 day end at
    /// 12:00 the next working day.
    pub fn add_working(&self, local: i64, work: i64) -> i64 {
        self.walk(local, work, false)
    }

    /// The first on-duty instant once `work` seconds of on-duty time have elapsed from `local`:
    /// `next_open(add_working(local, work))` in one walk over the windows. A desk's answer is
    /// done when its work is, and leaves when the desk is on duty: work that ends at closing
    /// time goes out when the desk next opens.
    pub fn open_after_working(&self, local: i64, work: i64) -> i64 {
        self.walk(local, work, true)
    }

    /// `add_working`, or with `open` its result moved on to the next opening when it falls at a
    /// window's end.
    fn walk(&self, local: i64, work: i64, open: bool) -> i64 {
        if self.is_always() {
            return local + work;
        }
        let (mut t, mut left) = (local, work.max(0));
        // Whole weeks of work at once: the loop below then walks one week's windows at most,
        // however long the work (a latency of years on a one-hour-a-week desk).
        let weekly: i64 = self.windows.iter().map(|(s, e)| e - s).sum();
        if weekly > 0 && left > weekly {
            let weeks = (left - 1) / weekly;
            t = t.saturating_add(weeks.saturating_mul(WEEK));
            left -= weeks * weekly;
        }
        loop {
            let (start, end) = self.window_at_or_after(t);
            if start + left < end || (!open && start + left == end) {
                return start + left;
            }
            left -= end - start;
            t = end;
        }
    }
}

fn parse_days(s: &str) -> Result<Vec<i64>, String> {
    let day = |d: &str| {
        WEEKDAYS
            .iter()
            .position(|w| w.eq_ignore_ascii_case(d.trim()))
            .map(|i| i as i64)
            .ok_or_else(|| d.trim().to_string())
    };
    let mut out = Vec::new();
    for part in s.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                let mut d = a;
                loop {
                    out.push(d);
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => out.push(day(part)?),
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn parse_clock(s: &str) -> Option<i64> {
    let (h, m) = s.trim().split_once(':')?;
    let two_digits = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if (h == 24 && m == 0) || (h < 24 && m < 60) {
        Some(h * 3600 + m * 60)
    } else {
        None
    }
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for WorkingHours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for WorkingHours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        WorkingHours::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn t(s: &str) -> i64 {
        Timestamp::parse(s).unwrap().0
    }

    #[test]
    fn office_hours_wait_for_monday() {
        let h = WorkingHours::parse("Mon-Fri 09:00-18:00").unwrap();
        // Friday 19:00 (local, offset applied by caller) -> Monday 09:00.
        assert_eq!(
            h.next_open(t("2026-03-06T19:00:00Z")),
            t("2026-03-09T09:00:00Z")
        );
        assert!(h.is_open(t("2026-03-06T17:59:00Z")));
        assert!(!h.is_open(t("2026-03-07T12:00:00Z")));
        // Four hours of work from Friday 17:00: one hour Friday, three hours Monday.
        assert_eq!(
            h.add_working(t("2026-03-06T17:00:00Z"), 4 * 3600),
            t("2026-03-09T12:00:00Z")
        );
    }

    #[test]
    fn always_open_and_overnight_windows() {
        let h = WorkingHours::parse("24/7").unwrap();
        assert_eq!(h.add_working(100, 50), 150);
        let night = WorkingHours::parse("Sun 22:00-06:00").unwrap();
        // Sunday 23:00 is open, Monday 05:00 still open (wrapped into the next week), Monday 07:00 not.
        assert!(night.is_open(t("2026-03-08T23:00:00Z")));
        assert!(night.is_open(t("2026-03-09T05:00:00Z")));
        assert!(!night.is_open(t("2026-03-09T07:00:00Z")));
    }

    #[test]
    fn long_work_on_a_short_week_takes_whole_weeks_at_once() {
        let h = WorkingHours::parse("Wed 10:00-11:00").unwrap();
        let wed = t("2026-03-04T10:00:00Z");
        // 520 hours of work at one hour a week: the 520th Wednesday's hour.
        assert_eq!(
            h.add_working(wed, 520 * 3600),
            wed + 519 * 7 * 86_400 + 3600
        );
        assert_eq!(h.add_working(wed, 3600), wed + 3600);
        assert_eq!(h.add_working(wed - 86_400, 1800), wed + 1800);
        // Ten years of on-duty time at one hour a week: some 87,600 weeks, computed at once.
        let years = h.add_working(wed, 10 * 365 * 86_400);
        assert_eq!(years, wed + (10 * 365 * 24 - 1) * 7 * 86_400 + 3600);
    }

    #[test]
    fn open_after_working_is_add_working_then_next_open() {
        let hours = [
            "24/7",
            "Mon-Fri 09:00-18:00",
            "Sun 22:00-06:00",
            "Wed 10:00-11:00",
            "Mon-Fri 08:00-17:00; Sat 09:00-12:00",
            "Mon-Sun 00:00-12:00; Sun 18:00-24:00",
        ];
        let monday = t("2026-03-09T00:00:00Z");
        for text in hours {
            let h = WorkingHours::parse(text).unwrap();
            let weekly: i64 = h.windows.iter().map(|(s, e)| e - s).sum();
            let mut works = vec![1, 59, 900, 3600, 9 * 3600, weekly, weekly + 1, 3 * weekly];
            works.extend(h.windows.iter().map(|(s, e)| e - s));
            // Every quarter hour of two weeks, and each window's edges and a second either side.
            let mut starts: Vec<i64> = (0..2 * 7 * 96).map(|q| monday + q * 900).collect();
            for &(s, e) in &h.windows {
                for edge in [s, e] {
                    starts.extend([edge - 1, edge, edge + 1].map(|x| monday + x));
                }
            }
            for &local in &starts {
                for &work in &works {
                    let expected = h.next_open(h.add_working(local, work));
                    assert_eq!(
                        h.open_after_working(local, work),
                        expected,
                        "{text}: {work} s from {local}"
                    );
                }
            }
        }
    }

    #[test]
    fn several_groups_merge() {
        let h = WorkingHours::parse("Mon-Fri 08:00-17:00; Sat 09:00-12:00").unwrap();
        assert!(h.is_open(t("2026-03-07T10:00:00Z")));
        assert_eq!(h.to_string(), "Mon-Fri 08:00-17:00; Sat 09:00-12:00");
    }

    #[test]
    fn errors_explain() {
        for bad in [
            "9-5",
            "Mon-Fry 09:00-18:00",
            "Mon-Fri 9-18",
            "Mon-Fri 09:00-09:00",
            "Mon-Fri 25:00-26:00",
            "Mon-Fri 24:00-00:00",
            "Mon 09:00--1:00",
            "Mon +9:00-18:00",
        ] {
            let e = WorkingHours::parse(bad).unwrap_err();
            assert!(e.contains("invalid working hours"), "{bad}: {e}");
        }
    }
}
