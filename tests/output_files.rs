//! Output files are written whole or not at all, and keep that promise when the target is a
//! symbolic link (written through: the link stays, the file it names is replaced) and when the
//! directory or the file may not be written (refused, the old file untouched).

#![cfg(unix)]

mod common;
use common::*;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

fn export(to: &Path) -> std::process::Output {
    ttx(&["export-msel", "false-flag", "-o", to.to_str().unwrap()])
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

#[test]
fn a_symbolic_link_is_written_through_and_stays_a_link() {
    let dir = TempDir::new("out-links");
    let real_dir = dir.path().join("shared");
    std::fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("msel.csv");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    // link → (relative) link → file
    let middle = real_dir.join("current.csv");
    symlink("msel.csv", &middle).unwrap();
    let link = dir.path().join("link.csv");
    symlink(&middle, &link).unwrap();

    let o = export(&link);
    assert!(o.status.success(), "{}", stderr(&o));
    for l in [&link, &middle] {
        assert!(
            std::fs::symlink_metadata(l)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.starts_with("Number,Time,"), "{text}");
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the file keeps its permissions");
    assert!(leftovers(&real_dir).is_empty() && leftovers(dir.path()).is_empty());

    // A dangling link gets its target created.
    let dangling = dir.path().join("dangling.csv");
    symlink("created.csv", &dangling).unwrap();
    assert!(export(&dangling).status.success());
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(dir.path().join("created.csv"))
            .unwrap()
            .starts_with("Number")
    );

    // A loop of links is refused, not followed forever.
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    symlink(&b, &a).unwrap();
    symlink(&a, &b).unwrap();
    let o = export(&a);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("symbolic links in a row"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_read_only_file_is_refused_and_left_as_it_was() {
    let dir = TempDir::new("out-readonly");
    let file = dir.path().join("msel.csv");
    std::fs::write(&file, "keep me").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = export(&file);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the file is read-only"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_directory_that_cannot_be_written_is_refused_with_a_reason() {
    let dir = TempDir::new("out-locked");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let file = locked.join("msel.csv");
    std::fs::write(&file, "keep me").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores directory permissions (CI runs as root); there, Linux's /sys stands in for a
    // directory in which nobody may create files.
    let privileged = std::fs::write(locked.join("probe"), "").is_ok();
    let target = if privileged {
        Path::new("/sys/kernel/msel.csv").to_path_buf()
    } else {
        file.clone()
    };
    let o = export(&target);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not writable"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert!(leftovers(&locked).is_empty());
}
