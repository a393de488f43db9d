//! MSELs as planners keep them: Excel (.xlsx, .xls) and OpenDocument (.ods) workbooks, read with
//! calamine and written (.xlsx) with rust_xlsxwriter. Cells are read as what they mean: a date-time
//! as `2026-03-07 09:00`, a time of day as `09:00`, an elapsed time (`[h]:mm`) as `T+26h30m`, a
//! whole number as `7` (not `7.0`); the MSEL importer then reads the text as it reads CSV.

use anyhow::{Result, anyhow};
use calamine::{Data, Reader};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};
use std::path::Path;
use ttx_scenario::{Scenario, Span, msel};

/// Workbook files, by extension (lower case); anything else is read as CSV.
pub fn is_workbook(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
}

/// The named sheet (any case), or the first, as an MSEL sheet.
pub fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<msel::Sheet> {
    let shown = path.display().to_string();
    let wb = calamine::open_workbook_auto(path)
        .map_err(|e| anyhow!("{shown}: cannot read the workbook: {e}"))?;
    first_or_named(wb, sheet, &shown)
}

/// A workbook's bytes (.xlsx, .xls, .ods: recognised by content) as an MSEL sheet.
pub fn read_workbook_bytes(bytes: &[u8], sheet: Option<&str>) -> Result<msel::Sheet> {
    let wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| anyhow!("cannot read the workbook: {e}"))?;
    first_or_named(wb, sheet, "the workbook")
}

fn first_or_named<RS: std::io::Read + std::io::Seek>(
    mut wb: calamine::Sheets<RS>,
    sheet: Option<&str>,
    shown: &str,
) -> Result<msel::Sheet> {
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(s)))
            .cloned()
            .ok_or_else(|| {
                anyhow!(
                    "{shown}: no sheet named \"{s}\"\n  = help: its sheets are: {}",
                    names.join(", ")
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| anyhow!("{shown}: the workbook has no sheets"))?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| anyhow!("{shown}: cannot read sheet \"{name}\": {e}"))?;
    let first_row = range.start().map_or(1, |(r, _)| r as usize + 1);
    // Columns are found by header name, so the range's first column does not matter.
    let grid: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    Ok(msel::Sheet::from_grid(grid, first_row))
}

/// A cell as the text a planner would type for it.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_duration() => elapsed((d.as_f64() * 86_400.0).round() as i64),
        Data::DateTime(d) => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            let clock = if s == 0 {
                format!("{h:02}:{mi:02}")
            } else {
                format!("{h:02}:{mi:02}:{s:02}")
            };
            // A time with no date (a serial below one day) is a time of day.
            if d.as_f64() < 1.0 {
                clock
            } else {
                format!("{y:04}-{mo:02}-{da:02} {clock}")
            }
        }
        Data::DateTimeIso(s) => s.replacen('T', " ", 1),
        Data::DurationIso(s) => match iso_duration(s) {
            // OpenDocument stores a time of day as a duration since midnight.
            Some(secs) if secs < 86_400 => {
                let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
                if s == 0 {
                    format!("{h:02}:{m:02}")
                } else {
                    format!("{h:02}:{m:02}:{s:02}")
                }
            }
            Some(secs) => elapsed(secs),
            None => s.clone(),
        },
        Data::Error(e) => format!("#{e}"),
    }
}

fn elapsed(secs: i64) -> String {
    format!("T+{}", Span(secs))
}

/// `PT26H30M00S` (or with a day part, `P1DT2H`) in seconds.
fn iso_duration(s: &str) -> Option<i64> {
    let rest = s.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut secs = 0i64;
    let mut add = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut num = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
            } else {
                let unit = units.iter().find(|(u, _)| *u == c)?.1;
                let n: f64 = num.parse().ok()?;
                secs += (n * unit as f64).round() as i64;
                num.clear();
            }
        }
        num.is_empty().then_some(())
    };
    add(days, &[('D', 86_400)])?;
    add(time, &[('H', 3600), ('M', 60), ('S', 1)])?;
    Some(secs)
}

/// Column widths (in characters) of the MSEL sheet, by header (the planner's own columns: 20).
fn width(header: &str) -> f64 {
    match header {
        "Number" | "Norm" => 8.0,
        "Time" | "Severity" => 12.0,
        "From" | "Method" => 16.0,
        "To" => 22.0,
        "Subject" | "Objective" => 30.0,
        "Message" | "Expected Action" | "Event" => 50.0,
        _ => 20.0,
    }
}

/// The MSEL as an .xlsx workbook: the events on a first sheet ("MSEL", header row frozen, widths
/// set, long text wrapped), the exercise's objectives on a second ("Objectives"). Every cell is
/// text, so that it reads back exactly as written (`T+1h` is not a number, an id stays an id).
pub fn write_xlsx(sc: &Scenario) -> Result<Vec<u8>> {
    let (header, rows) = msel::export_table(sc);
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border_bottom(FormatBorder::Thin);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let ws = wb.add_worksheet();
    ws.set_name("MSEL")?;
    for (c, h) in header.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, h, &head)?;
        ws.set_column_width(c, width(h))?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string_with_format(r as u32 + 1, c as u16, text, &body)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)?;
    let objectives = wb.add_worksheet();
    objectives.set_name("Objectives")?;
    for (c, (h, w)) in [("Id", 12.0), ("Title", 40.0), ("Description", 60.0)]
        .iter()
        .enumerate()
    {
        objectives.write_string_with_format(0, c as u16, *h, &head)?;
        objectives.set_column_width(c as u16, *w)?;
    }
    for (r, o) in sc.objectives.iter().enumerate() {
        let r = r as u32 + 1;
        objectives.write_string_with_format(r, 0, &o.id, &body)?;
        objectives.write_string_with_format(r, 1, &o.title, &body)?;
        objectives.write_string_with_format(r, 2, &o.description, &body)?;
    }
    objectives.set_freeze_panes(1, 0)?;
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations() {
        assert_eq!(iso_duration("PT09H00M00S"), Some(9 * 3600));
        assert_eq!(iso_duration("PT26H30M00S"), Some(26 * 3600 + 1800));
        assert_eq!(iso_duration("P1DT2H"), Some(86_400 + 7200));
        assert_eq!(iso_duration("nonsense"), None);
    }

    #[test]
    fn cells_read_as_what_they_mean() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        assert_eq!(cell_text(&Data::Float(7.0)), "7");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        let dt = |v, t| Data::DateTime(ExcelDateTime::new(v, t, false));
        // 2026-03-07 09:00 is serial 46088.375.
        assert_eq!(
            cell_text(&dt(46088.375, ExcelDateTimeType::DateTime)),
            "2026-03-07 09:00"
        );
        assert_eq!(cell_text(&dt(0.375, ExcelDateTimeType::DateTime)), "09:00");
        assert_eq!(
            cell_text(&dt(1.0 + 2.5 / 24.0, ExcelDateTimeType::TimeDelta)),
            "T+1d2h30m"
        );
    }
}
