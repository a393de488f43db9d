//! Reading the files users hand ttx (scenarios, traces, MSEL spreadsheets) as text. A file that is
//! not UTF-8 — a spreadsheet saved as Latin-1 or Windows-1252 — is refused with the line and
//! column of its first bad byte and what to do about it, rather than a bare "stream did not
//! contain valid UTF-8". An MSEL, which planners export from spreadsheets, is read as
//! Windows-1252 instead, with a warning: that is what such an export almost always is.

use anyhow::{Context, Result, anyhow};
use std::path::Path;

/// Where the first byte that is not UTF-8 sits: (line, column, byte), 1-based, the column
/// counted in characters.
fn first_bad_byte(bytes: &[u8], e: &std::str::Utf8Error) -> (usize, usize, u8) {
    let good = &bytes[..e.valid_up_to()];
    let text = std::str::from_utf8(good).expect("valid up to here");
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col, bytes[e.valid_up_to()])
}

fn not_utf8(origin: &str, bytes: &[u8], e: &std::str::Utf8Error) -> anyhow::Error {
    let (line, col, byte) = first_bad_byte(bytes, e);
    anyhow!(
        "{origin}:{line}:{col}: error: the file is not UTF-8 text (byte 0x{byte:02X} here is not a UTF-8 character)\n  \
         = help: it was probably saved as Latin-1 or Windows-1252; save it again as UTF-8 (in most editors: Save As, encoding UTF-8)"
    )
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A UTF-8 text file, or an error naming the first bad byte's line and column.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read(path)?;
    match std::str::from_utf8(&bytes) {
        Ok(_) => Ok(String::from_utf8(bytes).expect("checked")),
        Err(e) => Err(not_utf8(&path.display().to_string(), &bytes, &e)),
    }
}

/// A spreadsheet export: UTF-8 if it is, else decoded as Windows-1252 (a superset of Latin-1),
/// with the warning to show the user.
pub fn read_spreadsheet(path: &Path) -> Result<(String, Option<String>)> {
    let bytes = read(path)?;
    match std::str::from_utf8(&bytes) {
        Ok(_) => Ok((String::from_utf8(bytes).expect("checked"), None)),
        Err(e) => {
            let (line, col, byte) = first_bad_byte(&bytes, &e);
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
            let warning = format!(
                "{}:{line}:{col}: warning: the file is not UTF-8 (byte 0x{byte:02X}); read it as Windows-1252, the encoding spreadsheets saved on Windows use\n  \
                 = help: check names with accents in the result; save the sheet as \"CSV UTF-8\" to be sure",
                path.display()
            );
            Ok((text.into_owned(), Some(warning)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_placed_by_line_and_character() {
        let mut bytes = b"Scenario(\n  name: \"C".to_vec();
        bytes.extend([0xF4, b't', b'e', b'"']);
        let e = std::str::from_utf8(&bytes).unwrap_err();
        assert_eq!(first_bad_byte(&bytes, &e), (2, 11, 0xF4));
        let mut bytes = "é\n·x".as_bytes().to_vec();
        bytes.push(0xE9);
        let e = std::str::from_utf8(&bytes).unwrap_err();
        assert_eq!(first_bad_byte(&bytes, &e), (2, 3, 0xE9));
    }
}
