//! Files are written whole or not at all: into a temporary file beside the target, then renamed
//! over it, so an interrupted or failed command never leaves a half-written output behind.
//!
//! Two cases the rename alone would get wrong, decided here:
//! - **The target is a symbolic link** (a report linked into a shared folder, a scenario kept
//!   under version control elsewhere): ttx writes *through* the link — the file the link points
//!   to is replaced, atomically, and the link stays a link. Renaming onto the link itself would
//!   silently turn it into a plain file and leave the real file stale. A chain of links is
//!   followed to its end; a dangling link gets its target created.
//! - **The directory is not writable**, or the target is read-only: the temporary file cannot
//!   be made (or must not replace the target), so ttx refuses with a message that says which and
//!   why, and the existing file is left exactly as it was. It never falls back to overwriting
//!   in place, which would break the promise above.

use anyhow::{Context, Result, bail};
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// How many symbolic links in a row are followed, as the kernel's own limit (ELOOP).
const MAX_LINKS: usize = 40;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = through_links(path)?;
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let existing = fs::metadata(&target).ok();
    if let Some(m) = &existing {
        if m.is_dir() {
            bail!("cannot write {}: it is a directory", path.display());
        }
        if m.permissions().readonly() {
            bail!(
                "cannot write {}: the file is read-only\n  = help: make it writable (chmod u+w) or write elsewhere",
                shown(path, &target)
            );
        }
    }
    let (tmp, mut file) = temporary_beside(&target).map_err(|e| {
        if e.kind() == ErrorKind::PermissionDenied || e.kind() == ErrorKind::ReadOnlyFilesystem {
            anyhow::anyhow!(
                "cannot write {}: the directory {} is not writable ({e})\n  = help: ttx writes a temporary file beside the target and renames it, so that no file is ever left half-written; give write access to the directory or choose another output",
                shown(path, &target),
                dir.display()
            )
        } else {
            anyhow::anyhow!("cannot write {}: {e}", shown(path, &target))
        }
    })?;
    let result = (|| -> std::io::Result<()> {
        file.write_all(bytes)?;
        if let Some(m) = &existing {
            // The new file takes the old one's permissions (a report kept group-readable stays so).
            file.set_permissions(m.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", shown(path, &target)))
}

/// `path`, or `path → target` when a link was followed, for messages.
fn shown(path: &Path, target: &Path) -> String {
    if path == target {
        path.display().to_string()
    } else {
        format!("{} (→ {})", path.display(), target.display())
    }
}

/// The file `path` names once symbolic links in its last component are followed; a relative
/// link is relative to the directory holding the link.
fn through_links(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)
                    .with_context(|| format!("cannot read the link {}", p.display()))?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    bail!(
        "cannot write {}: more than {MAX_LINKS} symbolic links in a row (a loop?)",
        path.display()
    )
}

/// A new file beside `target`, never an existing one (nor a link someone left at its name).
fn temporary_beside(target: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut k = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.tmp-{}-{k}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists && k < 100 => k += 1,
            Err(e) => return Err(e),
        }
    }
}
