//! Which sheet this is, from its header row. Besides ttx's own columns (docs/msel.md), two shapes
//! planners bring from elsewhere are recognised by their headers: an OpenAEV/OpenBAS-style inject
//! export (inject title, type, relative time `D+1 H+2 M+30`, description, teams) and a CISA
//! CTEP-style MSEL (Event #, Scenario Time, Event Type, Inject, Expected Player Action, Objective,
//! Notes). Each header is mapped to the ttx column it means; the mapping is documented in
//! docs/msel.md. Header names are matched ignoring case, spaces around them and a trailing colon.

use super::{OPTIONAL, REQUIRED};
use std::collections::BTreeMap;

/// Other names of ttx's columns, as other sheets head them.
const ALIASES: &[(&str, &str)] = &[
    ("#", "Number"),
    ("no", "Number"),
    ("no.", "Number"),
    ("event #", "Number"),
    ("event no", "Number"),
    ("event no.", "Number"),
    ("event number", "Number"),
    ("inject #", "Number"),
    ("inject number", "Number"),
    ("inject no.", "Number"),
    ("msel #", "Number"),
    ("scenario time", "Time"),
    ("relative time", "Time"),
    ("inject relative time", "Time"),
    ("exercise time", "Time"),
    ("inject time", "Time"),
    ("trigger time", "Time"),
    ("sender", "From"),
    ("recipients", "To"),
    ("recipient", "To"),
    ("teams", "To"),
    ("team", "To"),
    ("inject teams", "To"),
    ("players", "To"),
    ("type", "Method"),
    ("inject type", "Method"),
    ("event type", "Method"),
    ("delivery method", "Method"),
    ("title", "Subject"),
    ("inject title", "Subject"),
    ("description", "Message"),
    ("inject description", "Message"),
    ("inject", "Message"),
    ("inject text", "Message"),
    ("expected player action", "Expected Action"),
    ("expected player actions", "Expected Action"),
    ("expected actions", "Expected Action"),
    ("expected outcome", "Expected Action"),
    ("expectations", "Expected Action"),
    ("objectives", "Objective"),
];

/// A sheet's columns: ttx column name → index.
pub(crate) struct Shape {
    /// "an OpenAEV-style inject export", "a CISA CTEP-style MSEL"; `None`: ttx's own columns.
    pub name: Option<&'static str>,
    pub columns: BTreeMap<&'static str, usize>,
    required: &'static [&'static str],
}

impl Shape {
    /// The columns, among the first `width`, that ttx does not read: the planner's own.
    pub fn unread(&self, width: usize) -> Vec<usize> {
        (0..width)
            .filter(|i| !self.columns.values().any(|c| c == i))
            .collect()
    }

    pub fn missing(&self) -> Vec<&'static str> {
        self.required
            .iter()
            .copied()
            .filter(|c| !self.columns.contains_key(c))
            .collect()
    }
}

fn key(h: &str) -> String {
    h.trim().trim_end_matches(':').trim().to_lowercase()
}

/// The ttx column a header means, by name or alias.
fn column(h: &str) -> Option<&'static str> {
    let k = key(h);
    REQUIRED
        .iter()
        .chain(OPTIONAL.iter())
        .find(|c| c.to_lowercase() == k)
        .copied()
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == k).map(|(_, c)| *c))
}

pub(crate) fn recognise(headers: &[String]) -> Shape {
    let mut columns = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        // The first column of a name wins; a second is the planner's own.
        if let Some(c) = column(h)
            && !columns.contains_key(c)
        {
            columns.insert(c, i);
        }
    }
    let has = |name: &str| headers.iter().any(|h| key(h) == name);
    let own = REQUIRED.iter().all(|c| columns.contains_key(c));
    let (name, required): (Option<&'static str>, &'static [&'static str]) = if own {
        (None, &REQUIRED)
    } else if (has("event #") || has("event number") || has("event no.")) && has("scenario time") {
        (
            Some("a CISA CTEP-style MSEL"),
            &["Number", "Time", "Message"],
        )
    } else if (has("inject title") || has("title")) && columns.contains_key("Time") {
        (
            Some("an OpenAEV/OpenBAS-style inject export"),
            &["Time", "Subject"],
        )
    } else {
        (None, &REQUIRED)
    };
    Shape {
        name,
        columns,
        required,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_three_shapes_by_their_headers() {
        let own = recognise(&headers(&REQUIRED));
        assert_eq!((own.name, own.missing().len()), (None, 0));
        let ctep = recognise(&headers(&[
            "Event #",
            "Scenario Time",
            "Event Type",
            "Inject",
            "Expected Player Action",
            "Objective",
            "Notes",
        ]));
        assert_eq!(ctep.name, Some("a CISA CTEP-style MSEL"));
        assert!(ctep.missing().is_empty());
        assert_eq!(ctep.columns["Message"], 3);
        assert_eq!(ctep.unread(8), vec![6, 7]);
        let aev = recognise(&headers(&[
            "Inject title",
            "Type",
            "Relative time",
            "Description",
            "Teams",
        ]));
        assert_eq!(aev.name, Some("an OpenAEV/OpenBAS-style inject export"));
        assert!(aev.missing().is_empty());
        assert_eq!((aev.columns["To"], aev.columns["Method"]), (4, 1));
        let other = recognise(&headers(&["When", "What"]));
        assert_eq!(other.missing().len(), REQUIRED.len());
    }
}
