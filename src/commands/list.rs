use anyhow::Result;
use ttx_scenario::library;

use crate::term::Layout;

/// One line per bundled scenario (wrapped under its summary when the terminal is narrow); the
/// default is marked once.
pub fn list(layout: &Layout) -> Result<()> {
    let width = library::names().iter().map(|n| n.len()).max().unwrap_or(0);
    for b in library::all() {
        let summary = b.summary();
        let marker = if b.name == library::DEFAULT && !summary.contains("default") {
            " (default)"
        } else {
            ""
        };
        let prefix = format!("{:width$}  ", b.name);
        print!(
            "{}",
            layout.line(&prefix, &format!("{summary}{marker}"), width + 2)
        );
    }
    Ok(())
}
