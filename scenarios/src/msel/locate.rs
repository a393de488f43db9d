//! Where in the spreadsheet a problem found by validating the imported scenario comes from, so
//! that the planner is sent to a row and column rather than to a scenario path.

use super::import::{Importer, Row};

impl Importer {
    /// Where in the spreadsheet a validation problem at `path` comes from: the row and column
    /// of the inject, expectation, objective or created state at fault. Problems with what the
    /// base scenario brings are reported at the header row, naming no column.
    pub(super) fn locate(
        &self,
        path: &str,
        rows: &[Row],
        expectation_rows: &[usize],
    ) -> (usize, Option<&'static str>) {
        let index = |prefix: &str| -> Option<usize> {
            path.strip_prefix(prefix)?.split(']').next()?.parse().ok()
        };
        if let Some(i) = index("injects[") {
            let field = path.split("].").nth(1).unwrap_or("");
            let column = match field {
                f if f.starts_with("at") || f.starts_with("when") => "Time",
                f if f.starts_with("id") => "Number",
                f if f.starts_with("event.to") => "To",
                f if f.starts_with("event.from") => "From",
                _ => "Event",
            };
            return (rows.get(i).map_or(1, |r| r.row), Some(column));
        }
        if let Some(j) = index("expectations[") {
            let column = if path.contains("objective") {
                "Objective"
            } else {
                "Expected Action"
            };
            return (expectation_rows.get(j).copied().unwrap_or(1), Some(column));
        }
        let named = |key: String| self.first_named.get(&key).map(|&(r, c)| (r, Some(c)));
        if let Some(j) = index("objectives[")
            && let Some(at) = self
                .sc
                .objectives
                .get(j)
                .and_then(|o| named(format!("objective {}", o.id)))
        {
            return at;
        }
        // A created state, or a base item whose id a created state took (the duplicate is
        // reported at the base's item, which is declared later).
        let item_id = match path.split('[').next().unwrap_or("") {
            "states" => index("states[")
                .and_then(|k| self.sc.states.get(k))
                .map(|x| &x.id),
            "organisations" => index("organisations[")
                .and_then(|k| self.sc.organisations.get(k))
                .map(|x| &x.id),
            "infrastructure" => index("infrastructure[")
                .and_then(|k| self.sc.infrastructure.get(k))
                .map(|x| &x.id),
            "actors" => index("actors[")
                .and_then(|k| self.sc.actors.get(k))
                .map(|x| &x.id),
            _ => None,
        };
        if let Some(at) = item_id.and_then(|id| named(format!("state {id}"))) {
            return at;
        }
        (1, None)
    }
}
