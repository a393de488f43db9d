//! A scenario author's most common slip is a line lost in an edit. Every bundled scenario with
//! each of its lines deleted in turn (about 1,800 files) goes through the real `ttx validate`:
//! each file is answered — `ok`, or an error at a `file:line:col` inside the file — without a
//! panic and within a second a file. (Deleting the `organisations: [` line of
//! `ransomware-evidence.ron` used to make `ttx validate` run forever.)

mod common;
use common::*;
use std::collections::BTreeMap;
use std::time::Duration;
use ttx_scenario::library;

#[test]
fn every_bundled_scenario_with_any_one_line_deleted_gets_an_answer() {
    let dir = TempDir::new("deleted-lines");
    let mut failures = Vec::new();
    let mut checked = 0;
    for b in library::all() {
        let lines: Vec<&str> = b.source.lines().collect();
        // file name → number of lines in it
        let mut files: BTreeMap<String, usize> = BTreeMap::new();
        for skip in 0..lines.len() {
            let text: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != skip)
                .map(|(_, l)| *l)
                .collect();
            let name = format!("{}-without-line-{}.ron", b.name, skip + 1);
            std::fs::write(dir.path().join(&name), text.join("\n") + "\n").unwrap();
            files.insert(name, text.len());
        }
        let mut args = vec!["validate"];
        args.extend(files.keys().map(String::as_str));
        let limit = Duration::from_secs(files.len() as u64);
        let o = ttx_within(dir.path(), &args, limit);
        let (out, err) = (stdout(&o), stderr(&o));
        if !matches!(o.status.code(), Some(0 | 1)) || err.contains("panicked") {
            failures.push(format!("{}: exit {:?}\n{err}", b.name, o.status));
            continue;
        }
        for (name, n_lines) in &files {
            checked += 1;
            if out.contains(&format!("{name}: ok (")) {
                continue;
            }
            let positions: Vec<(usize, usize)> = err
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("{name}:")))
                .filter_map(|rest| {
                    let mut parts = rest.splitn(3, ':');
                    let line = parts.next()?.parse().ok()?;
                    let col = parts.next()?.parse().ok()?;
                    parts.next()?.starts_with(" error:").then_some((line, col))
                })
                .collect();
            if positions.is_empty() {
                failures.push(format!("{name}: neither ok nor a positioned error"));
            }
            for (line, col) in positions {
                if line == 0 || line > n_lines + 1 || col == 0 {
                    failures.push(format!("{name}: error at {line}:{col}, outside the file"));
                }
            }
        }
    }
    assert!(checked > 1500, "{checked} files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
