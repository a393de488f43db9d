use anyhow::{Result, anyhow, bail};
use std::path::Path;
use ttx_scenario::{Span, Timestamp, msel};

use super::msel_sheet;
use crate::cli::ImportMselArgs;
use crate::output::write_atomic;
use crate::scenario_source;

pub fn import(args: &ImportMselArgs) -> Result<()> {
    let origin = args.file.display().to_string();
    let sheet = if msel_sheet::is_workbook(&args.file) {
        msel_sheet::read_workbook(&args.file, args.sheet.as_deref())?
    } else {
        if args.sheet.is_some() {
            bail!("--sheet is for workbooks (.xlsx, .xls, .ods); {origin} is read as CSV");
        }
        let (text, warning) = crate::input::read_spreadsheet(&args.file)?;
        if let Some(w) = warning {
            eprintln!("{w}");
        }
        msel::Sheet::from_csv(&text).map_err(|e| anyhow!("{origin}: {e}"))?
    };
    let start = match &args.start {
        Some(s) => Some(Timestamp::parse(s).map_err(|e| anyhow!("--start: {e}"))?),
        None => None,
    };
    let duration = match &args.duration {
        Some(d) => Some(Span::parse(d).map_err(|e| anyhow!("--duration: {e}"))?),
        None => None,
    };
    let base = match &args.base {
        Some(b) => Some(scenario_source::load(Some(b))?.scenario),
        None => None,
    };
    let stem = args
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "msel".into());
    let name = args.name.clone().unwrap_or(stem);
    let opts = msel::ImportOptions {
        name,
        start,
        base,
        duration,
        strict: args.strict,
    };
    let imported = msel::import_sheet(&sheet, &opts).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("{origin}: {e}")).collect();
        anyhow!(
            "{}\n{} problem{} in {origin}; nothing was written",
            lines.join("\n"),
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        )
    })?;
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    for w in &imported.warnings {
        eprintln!("{origin}: warning: {w}");
    }
    if !imported.readings.is_empty() {
        eprintln!("Expected actions written as sentences (--strict asks for the grammar instead):");
        for r in &imported.readings {
            eprintln!("  {r}");
        }
    }
    let ron = ttx_scenario::to_ron(&imported.scenario);
    match &args.output {
        Some(path) => {
            write_atomic(path, ron.as_bytes())?;
            eprintln!(
                "wrote {} ({} injects, {} expectations, {} states)",
                path.display(),
                imported.scenario.injects.len(),
                imported.scenario.expectations.len(),
                imported.scenario.states.len()
            );
        }
        None => print!("{ron}"),
    }
    Ok(())
}

pub fn export(scenario: &str, output: &Path) -> Result<()> {
    let loaded = scenario_source::load(Some(scenario))?;
    if loaded.scenario.injects.is_empty() {
        bail!("{} has no injects: an MSEL would be empty", loaded.origin);
    }
    let bytes = if msel_sheet::is_workbook(output) {
        let ext = output
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if ext != "xlsx" {
            bail!(
                "{}: ttx writes workbooks as .xlsx (which LibreOffice and Excel open); give a .xlsx or .csv file",
                output.display()
            );
        }
        msel_sheet::write_xlsx(&loaded.scenario)?
    } else {
        msel::export(&loaded.scenario).into_bytes()
    };
    write_atomic(output, &bytes)?;
    let planner = &loaded.scenario.planner_columns;
    eprintln!(
        "wrote {} ({} rows{})",
        output.display(),
        loaded.scenario.injects.len(),
        if planner.is_empty() {
            String::new()
        } else {
            format!(
                "; the planner's own columns after ttx's: {}",
                msel::column_list(planner)
            )
        }
    );
    Ok(())
}
