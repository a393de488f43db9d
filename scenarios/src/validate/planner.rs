//! Checks of the planner's own MSEL columns (`planner_columns`, each inject's `planner`): what
//! export writes must read back as the same columns.

use super::Validator;
use crate::msel::MAX_COLUMNS;
use std::collections::BTreeSet;

impl Validator<'_> {
    pub(super) fn planner(&mut self) {
        let sc = self.sc;
        let mut seen = BTreeSet::new();
        for (i, name) in sc.planner_columns.iter().enumerate() {
            let p = format!("planner_columns[{i}]");
            if name.trim().is_empty() || name.trim() != name {
                self.err(
                    p,
                    format!("planner column \"{name}\" needs a name without spaces around it"),
                    Some("a spreadsheet header is read without the spaces around it".into()),
                );
            } else if !seen.insert(name.as_str()) {
                self.err(
                    p,
                    format!("planner column \"{name}\" is listed twice"),
                    Some("a sheet's columns have different names; rename one".into()),
                );
            }
        }
        if sc.planner_columns.len() > MAX_COLUMNS {
            self.err(
                "planner_columns",
                format!(
                    "{} planner columns: an exported workbook holds at most {MAX_COLUMNS} besides ttx's own",
                    sc.planner_columns.len()
                ),
                None,
            );
        }
        for (i, inj) in sc.injects.iter().enumerate() {
            let Some(name) = inj.planner.keys().find(|k| !seen.contains(k.as_str())) else {
                continue;
            };
            // A "did you mean" for the first problems only, as for every reference: see
            // `SUGGESTIONS`.
            let guess = (self.out.len() < super::SUGGESTIONS)
                .then(|| crate::did_you_mean(name, sc.planner_columns.iter().map(String::as_str)))
                .flatten();
            let help = match guess {
                Some(m) => {
                    format!("did you mean \"{m}\"? Otherwise add \"{name}\" to planner_columns")
                }
                None => format!("add \"{name}\" to planner_columns"),
            } + " (its place in that list is the column's place in an exported MSEL)";
            self.err(
                format!("injects[{i}].planner"),
                format!("column \"{name}\" is not one of the scenario's planner_columns"),
                Some(help),
            );
        }
    }
}
