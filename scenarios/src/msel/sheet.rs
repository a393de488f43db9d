//! A spreadsheet as rows of text cells, whatever it was read from: the one shape the importer
//! reads, so CSV and workbooks (.xlsx, .ods) go through the same rules.

use super::MselError;

/// A spreadsheet as rows of text cells, whatever it was read from (CSV, .xlsx, .ods). `first_row`
/// is the spreadsheet row number of the header, so that problems name the planner's rows.
pub struct Sheet {
    pub header: Vec<String>,
    /// Each row's cells, or why the row could not be read.
    pub rows: Vec<Result<Vec<String>, String>>,
    pub first_row: usize,
}

impl Sheet {
    /// A sheet from a workbook's rows (`first_row` is the spreadsheet number of `grid[0]`). The
    /// header is the first row that reads as one of the sheet shapes ttx knows, among the first
    /// ten (planners put a title above it); else the first row.
    pub fn from_grid(mut grid: Vec<Vec<String>>, first_row: usize) -> Sheet {
        let at = grid
            .iter()
            .take(10)
            .position(|r| super::shapes::recognise(r).missing().is_empty())
            .unwrap_or(0);
        let rest = grid.split_off((at + 1).min(grid.len()));
        let header = grid.pop().unwrap_or_default();
        Sheet {
            header,
            rows: rest.into_iter().map(Ok).collect(),
            first_row: first_row + at,
        }
    }

    /// Reads CSV text (a leading byte-order mark is skipped); rows may have fewer or more cells
    /// than the header.
    pub fn from_csv(text: &str) -> Result<Sheet, MselError> {
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|c| c.to_string()).collect(),
            Err(e) => {
                return Err(MselError::new(
                    1,
                    None,
                    format!("cannot read the header row: {e}"),
                ));
            }
        };
        let rows = reader
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_string).collect())
                    .map_err(|e| format!("cannot read the row: {e}"))
            })
            .collect();
        Ok(Sheet {
            header,
            rows,
            first_row: 1,
        })
    }
}
