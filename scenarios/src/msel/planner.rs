//! The planner's own columns — Responsible controller, Actual time, Notes, Location, Evaluator, any
//! column ttx does not read. Planners keep their MSEL in one sheet for the whole exercise cycle, so
//! import keeps each such column by its header, on every inject (`Inject::planner`), with the
//! sheet's order of them (`Scenario::planner_columns`); export writes them back after ttx's own
//! columns, in that order. Nothing a planner wrote is lost on the way through ttx.

use super::shapes::Shape;
use super::sheet::Sheet;
use super::{MselError, OPTIONAL, REQUIRED};
use crate::scenario::Scenario;
use std::collections::{BTreeMap, BTreeSet};

/// The most columns of their own an MSEL can keep: a workbook has 16,384 columns, and export
/// writes ttx's own before them.
pub const MAX_COLUMNS: usize = 16_384 - REQUIRED.len() - OPTIONAL.len();

/// The columns of a sheet that are the planner's own, and the names they are kept under.
pub(super) struct Kept {
    /// In the sheet's order.
    pub names: Vec<String>,
    /// For each column of the sheet, its place in `names`, if it is kept.
    at: Vec<Option<usize>>,
}

impl Kept {
    /// The sheet's columns ttx does not read: every one with a header, and every one without a
    /// header that has a cell filled in ("Column H", by its spreadsheet letter). A name met
    /// twice gets a number ("Notes (2)"), so that no cell is lost; the import says so.
    pub fn of(sheet: &Sheet, shape: &Shape, notes: &mut Vec<String>) -> Result<Kept, MselError> {
        let rows = || sheet.rows.iter().filter_map(|r| r.as_ref().ok());
        let width = rows()
            .map(Vec::len)
            .chain([sheet.header.len()])
            .max()
            .unwrap_or(0);
        // One pass over the cells, so that a wide sheet with many rows costs what it holds.
        let mut filled = vec![false; width];
        for row in rows() {
            for (i, c) in row.iter().enumerate() {
                if !c.trim().is_empty() {
                    filled[i] = true;
                }
            }
        }
        let mut kept = Kept {
            names: Vec::new(),
            at: vec![None; width],
        };
        let mut taken = BTreeSet::new();
        for i in shape.unread(width) {
            let header = sheet.header.get(i).map_or("", |h| h.trim());
            if header.is_empty() && !filled[i] {
                continue;
            }
            if kept.names.len() == MAX_COLUMNS {
                return Err(MselError::new(
                    sheet.first_row,
                    Some(&format!("column {}", letter(i))),
                    format!(
                        "the sheet has more than {MAX_COLUMNS} columns of its own besides ttx's: an exported workbook could not hold them"
                    ),
                )
                .help("move what is in the extra columns into fewer columns"));
            }
            let name = if header.is_empty() {
                format!("Column {}", letter(i))
            } else {
                header.to_string()
            };
            let mut unique = name.clone();
            let mut n = 1;
            while taken.contains(&unique) {
                n += 1;
                unique = format!("{name} ({n})");
            }
            if header.is_empty() {
                notes.push(format!(
                    "column {} has no header; its cells are kept as \"{unique}\"",
                    letter(i)
                ));
            } else if unique != name {
                notes.push(format!(
                    "a second column \"{name}\" (column {}) is kept as \"{unique}\"",
                    letter(i)
                ));
            }
            taken.insert(unique.clone());
            kept.at[i] = Some(kept.names.len());
            kept.names.push(unique);
        }
        if !kept.names.is_empty() {
            notes.push(format!(
                "kept the planner's own column{} {}: ttx does not read {}, export-msel writes {} back",
                if kept.names.len() == 1 { "" } else { "s" },
                column_list(&kept.names),
                if kept.names.len() == 1 { "it" } else { "them" },
                if kept.names.len() == 1 { "it" } else { "them" },
            ));
        }
        Ok(kept)
    }

    /// A row's filled-in cells in the planner's columns, by column name.
    pub fn cells(&self, record: &[String]) -> BTreeMap<String, String> {
        record
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let name = &self.names[(*self.at.get(i)?)?];
                let c = c.trim();
                (!c.is_empty()).then(|| (name.clone(), c.to_string()))
            })
            .collect()
    }
}

/// The planner's columns export writes, after ttx's own: the scenario's `planner_columns`, then
/// any name an inject has that the list lacks, in name order.
pub(super) fn columns(sc: &Scenario) -> Vec<&str> {
    let listed: BTreeSet<&str> = sc.planner_columns.iter().map(String::as_str).collect();
    let unlisted: BTreeSet<&str> = sc
        .injects
        .iter()
        .flat_map(|i| i.planner.keys().map(String::as_str))
        .filter(|k| !listed.contains(k))
        .collect();
    sc.planner_columns
        .iter()
        .map(String::as_str)
        .chain(unlisted)
        .collect()
}

/// "Notes", "Location" and "Evaluator" (the first few of a long list, and how many more).
pub fn column_list(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut list: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("\"{n}\""))
        .collect();
    if names.len() > SHOWN {
        list.push(format!("{} more", names.len() - SHOWN));
    }
    list.join(", ")
}

/// A column's spreadsheet letter: 0 → A, 25 → Z, 26 → AA.
fn letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(7), "H");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
        assert_eq!(letter(701), "ZZ");
        assert_eq!(letter(702), "AAA");
        assert_eq!(letter(16_383), "XFD");
    }

    fn kept(csv: &str) -> (Kept, Vec<String>) {
        let sheet = Sheet::from_csv(csv).unwrap();
        let shape = super::super::shapes::recognise(&sheet.header);
        let mut notes = Vec::new();
        let k = Kept::of(&sheet, &shape, &mut notes).unwrap();
        (k, notes)
    }

    #[test]
    fn every_column_ttx_does_not_read_is_kept_by_its_header() {
        let head = REQUIRED.join(",");
        let csv = format!(
            "Responsible controller,{head},Notes,Notes,,,Actual time\n\
             Ana,1,T+0,Control,All,Control,S,M,,note,second note,,M-cell,\n"
        );
        let (k, notes) = kept(&csv);
        assert_eq!(
            k.names,
            vec![
                "Responsible controller",
                "Notes",
                "Notes (2)",
                "Column M",
                "Actual time"
            ]
        );
        let sheet = Sheet::from_csv(&csv).unwrap();
        let cells = k.cells(sheet.rows[0].as_ref().unwrap());
        assert_eq!(
            cells.len(),
            4,
            "the empty Actual time is not stored: {cells:?}"
        );
        assert_eq!(cells["Notes (2)"], "second note");
        assert_eq!(cells["Column M"], "M-cell");
        assert!(notes.iter().any(|n| n.contains("kept as \"Notes (2)\"")));
        assert!(notes.iter().any(|n| n.contains("column M has no header")));
        // A column with neither a header nor a cell (column L) is not a column.
        assert!(!k.names.iter().any(|n| n == "Column L"));
    }
}
