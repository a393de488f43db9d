//! The rows file while a study runs: `runs.csv.partial`, appended chunk by chunk and flushed, then
//! renamed to `runs.csv` when complete. An interrupted study leaves the partial file; `--resume`
//! keeps every complete row in it and carries on from there.

use super::table::header_line;
use anyhow::{Context, Result, bail};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct RowsFile {
    partial: PathBuf,
    done: PathBuf,
    out: BufWriter<File>,
    synced: Instant,
}

/// How often flushed rows are also synced to disk. A flushed row survives the process being
/// killed, which is what `--resume` is for; a synced one survives the machine going down.
/// Syncing at every flush (every 512 rows) made a million-run study wait for the disk 2,000
/// times, some 4 s of its 70; once a second bounds what a crash loses to a second of rows.
const SYNC_EVERY: Duration = Duration::from_secs(1);

impl RowsFile {
    pub fn partial_path(dir: &Path) -> PathBuf {
        dir.join("runs.csv.partial")
    }

    pub fn create(dir: &Path, columns: &[String]) -> Result<RowsFile> {
        let partial = Self::partial_path(dir);
        let mut out = BufWriter::new(
            File::create(&partial)
                .with_context(|| format!("cannot create {}", partial.display()))?,
        );
        out.write_all(header_line(columns).as_bytes())?;
        out.flush()?;
        Ok(RowsFile {
            partial,
            done: dir.join("runs.csv"),
            out,
            synced: Instant::now(),
        })
    }

    /// Reopens an interrupted study's rows, dropping a last row that was cut off mid-write.
    /// Returns the file and how many complete rows it holds.
    pub fn resume(dir: &Path, columns: &[String]) -> Result<(RowsFile, u64)> {
        let partial = Self::partial_path(dir);
        let text = std::fs::read_to_string(&partial)
            .with_context(|| format!("cannot read {}", partial.display()))?;
        let header = header_line(columns);
        if !text.starts_with(&header) {
            bail!(
                "{} does not have this study's columns; it cannot be resumed",
                partial.display()
            );
        }
        let complete = text.rfind('\n').map_or(0, |i| i + 1).max(header.len());
        let rows = text[header.len()..complete].lines().count() as u64;
        let file = OpenOptions::new().write(true).open(&partial)?;
        file.set_len(complete as u64)?;
        let mut out = BufWriter::new(file);
        use std::io::Seek;
        out.seek(std::io::SeekFrom::End(0))?;
        Ok((
            RowsFile {
                partial,
                done: dir.join("runs.csv"),
                out,
                synced: Instant::now(),
            },
            rows,
        ))
    }

    pub fn append(&mut self, line: &str) -> Result<()> {
        self.out
            .write_all(line.as_bytes())
            .context("cannot write a row")
    }

    pub fn flush(&mut self) -> Result<()> {
        self.out.flush().context("cannot write rows")?;
        if self.synced.elapsed() >= SYNC_EVERY {
            self.sync();
        }
        Ok(())
    }

    fn sync(&mut self) {
        self.out.get_ref().sync_data().ok();
        self.synced = Instant::now();
    }

    /// Marks the rows complete: the partial file becomes `runs.csv`.
    pub fn finish(mut self) -> Result<PathBuf> {
        self.out.flush().context("cannot write rows")?;
        self.sync();
        std::fs::rename(&self.partial, &self.done)
            .with_context(|| format!("cannot rename {}", self.partial.display()))?;
        Ok(self.done)
    }
}
