//! The exercise's journal: an SQLite database in the exercise directory (`journal.sqlite`).
//!
//! The trace of a live exercise is a pure function of (scenario, seed, journal), so the journal
//! is what must survive a crash: every action a human or the facilitator takes, with the
//! exercise time it took effect, is committed here — WAL mode, `synchronous = FULL`, one
//! transaction per action — *before* the client is told it succeeded. The scenario (as played,
//! with who controls each state), the seed and the role secrets are stored too, so
//! `ttx serve --resume DIR` needs nothing but this file.
//!
//! Besides the journal proper, two things are kept that do not influence the trace: the clock
//! (how far the exercise had got, its speed, whether it had started), saved before any record
//! past the last saved time is shown to anyone — so a resumed exercise never shows a client a
//! time it had not reached — and the end time once the facilitator ends the exercise.

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// Name of the journal in the exercise directory.
pub const FILE: &str = "journal.sqlite";
/// Written into every journal; a journal of another format is refused on resume.
/// Format 2: bots draw from trace format 2's random streams, so a format-1 journal would not replay
/// to the exercise it recorded.
pub const FORMAT: &str = "ttx-live-journal/2";

/// What an exercise was set up with, written once when the exercise is created.
#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    /// The scenario as played (RON), who controls each state included.
    pub scenario_ron: String,
    pub scenario_hash: String,
    pub seed: u64,
    pub ttx_version: String,
    /// Wall-clock creation time, RFC 3339 UTC; for people, never for the trace.
    pub created: String,
}

/// A role's two secrets: the token of its join link and the value of its session cookie.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredRole {
    /// `facilitator`, `evaluator` or `team:<state>`.
    pub key: String,
    pub link: String,
    pub session: String,
}

/// One action as it was submitted: its exercise time, the role that took it, and the action
/// itself as JSON (the engine's `Action`).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// 1-based position in the journal.
    pub seq: u64,
    pub t: i64,
    pub role: String,
    pub action: String,
    /// Wall-clock time it was committed, RFC 3339 UTC; for the after-action review only.
    pub wall: String,
}

/// The clock as last saved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SavedClock {
    pub t: i64,
    pub started: bool,
    pub running: bool,
    pub speed: f64,
}

/// Everything a journal holds, read back for a resume.
#[derive(Clone, Debug)]
pub struct Stored {
    pub meta: Meta,
    pub roles: Vec<StoredRole>,
    pub entries: Vec<Entry>,
    pub clock: Option<SavedClock>,
    pub ended: Option<i64>,
}

pub struct Journal {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE roles (key TEXT PRIMARY KEY, link TEXT NOT NULL, session TEXT NOT NULL);
CREATE TABLE journal (
    seq INTEGER PRIMARY KEY,
    t INTEGER NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    wall TEXT NOT NULL,
    client TEXT UNIQUE
);
CREATE TABLE clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    t INTEGER NOT NULL,
    started INTEGER NOT NULL,
    running INTEGER NOT NULL,
    speed REAL NOT NULL
);
CREATE TABLE ended (id INTEGER PRIMARY KEY CHECK (id = 1), t INTEGER NOT NULL);
";

fn configure(conn: &Connection) -> Result<()> {
    // WAL: readers never block the writer; FULL: a commit is on disk (WAL fsynced) when
    // `commit` returns, which is what "committed before the client hears done" needs.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        bail!("SQLite refused write-ahead logging (journal mode {mode})");
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

impl Journal {
    /// Creates the journal of a new exercise. Refuses to overwrite one.
    pub fn create(path: &Path, meta: &Meta, roles: &[StoredRole]) -> Result<Journal> {
        if path.exists() {
            bail!(
                "{} already holds an exercise journal: continue that exercise with `ttx serve --resume {}`, or choose another --dir",
                path.display(),
                path.parent().unwrap_or(Path::new(".")).display()
            );
        }
        let mut conn = Connection::open(path)
            .with_context(|| format!("cannot create the journal {}", path.display()))?;
        configure(&conn)?;
        let tx = conn.transaction()?;
        tx.execute_batch(SCHEMA)?;
        for (k, v) in [
            ("format", FORMAT.to_string()),
            ("scenario", meta.scenario_ron.clone()),
            ("scenario_hash", meta.scenario_hash.clone()),
            ("seed", meta.seed.to_string()),
            ("ttx_version", meta.ttx_version.clone()),
            ("created", meta.created.clone()),
        ] {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![k, v],
            )?;
        }
        for r in roles {
            tx.execute(
                "INSERT INTO roles (key, link, session) VALUES (?1, ?2, ?3)",
                params![r.key, r.link, r.session],
            )?;
        }
        tx.commit()?;
        Ok(Journal { conn })
    }

    /// Opens an existing journal and reads everything in it.
    pub fn open(path: &Path) -> Result<(Journal, Stored)> {
        if !path.is_file() {
            bail!(
                "no exercise journal at {}: `--resume` continues an exercise started with `ttx serve --dir {}`",
                path.display(),
                path.parent().unwrap_or(Path::new(".")).display()
            );
        }
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the journal {}", path.display()))?;
        configure(&conn)?;
        let journal = Journal { conn };
        let stored = journal.read().with_context(|| {
            format!("{} is not a readable ttx exercise journal", path.display())
        })?;
        Ok((journal, stored))
    }

    fn meta(&self, key: &str) -> Result<String> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?
            .with_context(|| format!("the journal has no {key}"))
    }

    /// Everything the journal holds.
    pub fn read(&self) -> Result<Stored> {
        let format = self.meta("format")?;
        if format != FORMAT {
            bail!(
                "journal format \"{format}\" (this ttx reads \"{FORMAT}\"): it was written by \
                 another ttx, whose bots draw other random numbers, so it cannot be replayed here. \
                 Resume it with the ttx that started it"
            );
        }
        let seed = self.meta("seed")?;
        let meta = Meta {
            scenario_ron: self.meta("scenario")?,
            scenario_hash: self.meta("scenario_hash")?,
            seed: seed
                .parse()
                .with_context(|| format!("seed \"{seed}\" is not a number"))?,
            ttx_version: self.meta("ttx_version")?,
            created: self.meta("created")?,
        };
        let mut stmt = self
            .conn
            .prepare("SELECT key, link, session FROM roles ORDER BY rowid")?;
        let roles = stmt
            .query_map([], |r| {
                Ok(StoredRole {
                    key: r.get(0)?,
                    link: r.get(1)?,
                    session: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self
            .conn
            .prepare("SELECT seq, t, role, action, wall FROM journal ORDER BY seq")?;
        let entries = stmt
            .query_map([], |r| {
                Ok(Entry {
                    seq: r.get::<_, i64>(0)? as u64,
                    t: r.get(1)?,
                    role: r.get(2)?,
                    action: r.get(3)?,
                    wall: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (i, e) in entries.iter().enumerate() {
            if e.seq != i as u64 + 1 {
                bail!("journal entry {} is missing", i + 1);
            }
        }
        let clock = self
            .conn
            .query_row(
                "SELECT t, started, running, speed FROM clock WHERE id = 1",
                [],
                |r| {
                    Ok(SavedClock {
                        t: r.get(0)?,
                        started: r.get(1)?,
                        running: r.get(2)?,
                        speed: r.get(3)?,
                    })
                },
            )
            .optional()?;
        let ended = self
            .conn
            .query_row("SELECT t FROM ended WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        Ok(Stored {
            meta,
            roles,
            entries,
            clock,
            ended,
        })
    }

    /// Appends one action; when this returns `Ok`, the action is on disk. Returns its position.
    /// `client` is the id the client gave the action, so that a retry is recognised.
    pub fn append(
        &mut self,
        t: i64,
        role: &str,
        action_json: &str,
        wall: &str,
        client: Option<&str>,
    ) -> Result<u64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO journal (t, role, action, wall, client) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![t, role, action_json, wall, client],
        )?;
        let seq = tx.last_insert_rowid() as u64;
        tx.commit()
            .context("cannot commit to the exercise journal")?;
        Ok(seq)
    }

    /// The position and time of the action a client gave this id, if it was recorded.
    pub fn by_client(&self, client: &str) -> Result<Option<(u64, i64)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, t FROM journal WHERE client = ?1",
                [client],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
            )
            .optional()?)
    }

    /// Saves the clock; on disk when this returns `Ok`.
    pub fn save_clock(&mut self, c: &SavedClock) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO clock (id, t, started, running, speed) VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET t = ?1, started = ?2, running = ?3, speed = ?4",
                params![c.t, c.started, c.running, c.speed],
            )
            .context("cannot save the exercise clock to the journal")?;
        Ok(())
    }

    /// Records that the exercise ended at `t`.
    pub fn end(&mut self, t: i64) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO ended (id, t) VALUES (1, ?1) ON CONFLICT (id) DO NOTHING",
                [t],
            )
            .context("cannot record the end of the exercise in the journal")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            scenario_ron: "Scenario(name: \"x\")".into(),
            scenario_hash: "sha256:00".into(),
            seed: 7,
            ttx_version: "0.1.0".into(),
            created: "2026-01-01T00:00:00Z".into(),
        }
    }

    fn temp(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ttx-live-journal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(FILE)
    }

    #[test]
    fn what_is_written_reads_back_in_order() {
        let path = temp("roundtrip");
        let roles = vec![StoredRole {
            key: "facilitator".into(),
            link: "aa".into(),
            session: "bb".into(),
        }];
        let mut j = Journal::create(&path, &meta(), &roles).unwrap();
        assert_eq!(
            j.append(10, "team:a", "{\"x\":1}", "w1", Some("c1"))
                .unwrap(),
            1
        );
        assert_eq!(
            j.append(10, "facilitator", "{\"x\":2}", "w2", None)
                .unwrap(),
            2
        );
        let clock = SavedClock {
            t: 20,
            started: true,
            running: true,
            speed: 60.0,
        };
        j.save_clock(&clock).unwrap();
        j.save_clock(&SavedClock { t: 30, ..clock }).unwrap();
        drop(j);
        let (mut j, stored) = Journal::open(&path).unwrap();
        assert_eq!(stored.meta, meta());
        assert_eq!(stored.roles, roles);
        assert_eq!(stored.entries.len(), 2);
        assert_eq!(stored.entries[1].action, "{\"x\":2}");
        assert_eq!(stored.entries[1].role, "facilitator");
        assert_eq!(stored.clock.unwrap().t, 30);
        assert_eq!(j.by_client("c1").unwrap(), Some((1, 10)));
        assert_eq!(j.by_client("c2").unwrap(), None);
        assert_eq!(stored.ended, None);
        j.end(40).unwrap();
        j.end(50).unwrap();
        drop(j);
        assert_eq!(Journal::open(&path).unwrap().1.ended, Some(40));
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn an_existing_journal_is_never_overwritten_and_a_missing_one_is_named() {
        let path = temp("exists");
        Journal::create(&path, &meta(), &[]).unwrap();
        let e = Journal::create(&path, &meta(), &[]).err().unwrap();
        assert!(e.to_string().contains("--resume"), "{e}");
        let missing = path.with_file_name("nothing.sqlite");
        let e = Journal::open(&missing).err().unwrap();
        assert!(e.to_string().contains("no exercise journal"), "{e}");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn the_journal_is_in_wal_mode_with_full_sync() {
        let path = temp("pragmas");
        let j = Journal::create(&path, &meta(), &[]).unwrap();
        let mode: String = j
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let sync: i64 = j
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous = FULL");
        drop(j);
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
