use anyhow::Result;
use ttx_scenario::library;

pub fn list() -> Result<()> {
    let width = library::names().iter().map(|n| n.len()).max().unwrap_or(0);
    for b in library::all() {
        let marker = if b.name == library::DEFAULT {
            " (default)"
        } else {
            ""
        };
        println!("{:width$}  {}{marker}", b.name, b.summary());
    }
    Ok(())
}
