//! The trace: JSON Lines, one record per event. It is the contract between whatever produced an
//! exercise (the simulator, or a live exercise with human teams) and scoring, so it carries
//! everything scoring needs — including ground truth such as who really directed an incident.
//! Record types are documented in docs/trace-format.md.

use crate::actors::{ActorKind, PocLevel, PocStatus, Sector};
use crate::injects::{Inject, Technique};
use crate::live::Rating;
use crate::message::Message;
use crate::name::Name;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Format 2 changed how random streams are derived (sim/src/rng.rs), not the records: a format-1
/// trace reads and scores as before, but running its seed again gives another run.
pub const FORMAT: &str = "ttx-trace/2";
/// Formats this ttx reads.
pub const READS: [&str; 2] = ["ttx-trace/1", FORMAT];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderTag {
    Header,
}

/// First line of every trace.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    #[serde(rename = "type")]
    pub tag: HeaderTag,
    pub format: String,
    pub ttx_version: String,
    pub scenario: String,
    pub scenario_hash: String,
    pub seed: u64,
    pub start: Timestamp,
    /// Exercise length in seconds.
    pub duration: i64,
    /// The `--set PATH=VALUE` overrides the run was made with, in the order applied: with them
    /// the trace alone names its scenario exactly (the bundled one, overridden), and `ttx score`
    /// needs nothing typed again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// SHA-256 (first 128 bits) of everything else the trace says: this header without the
    /// digest and every record, in canonical JSON. [`Trace::to_jsonl`] writes it,
    /// [`Trace::from_jsonl`] refuses a trace that no longer matches it. `None` in a trace built
    /// in memory, and in a trace written by a recorder that adds none (scored as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// Two headers are equal when they say the same; the digest is a property of a file, not of
/// what the trace says (a trace read back from its file equals the one written).
impl PartialEq for Header {
    fn eq(&self, other: &Header) -> bool {
        let Header {
            tag,
            format,
            ttx_version,
            scenario,
            scenario_hash,
            seed,
            start,
            duration,
            overrides,
            digest: _,
        } = self;
        (
            tag,
            format,
            ttx_version,
            scenario,
            scenario_hash,
            seed,
            start,
            duration,
            overrides,
        ) == (
            &other.tag,
            &other.format,
            &other.ttx_version,
            &other.scenario,
            &other.scenario_hash,
            &other.seed,
            &other.start,
            &other.duration,
            &other.overrides,
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InfraStatus {
    Operational,
    Degraded,
    Disrupted,
    Restored,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The victim's CERT contained it.
    Contained,
    /// The state of origin stopped the activity from its territory.
    Mitigated,
    /// It failed at once: the victim already knew of the vulnerability or compromise it relies
    /// on (it had found it, or been told) and had protected its systems.
    Prevented,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSource {
    Forensic,
    Media,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TraceEvent {
    InjectFired {
        inject: Name,
        kind: Name,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A malicious incident begins. `directed_by` is ground truth, hidden from players.
    IncidentStarted {
        incident: Name,
        target: Name,
        target_state: Name,
        sector: Sector,
        by: Name,
        actor_kind: ActorKind,
        territory: Name,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        directed_by: Option<Name>,
        /// Ground truth: a state that knowingly supports the actor without directing it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        supported_by: Option<Name>,
        #[serde(default)]
        uses_cert: bool,
        technique: Technique,
        rsit: Name,
        severity: u8,
        /// The measure (message id) that launched it, for operations taken as escalation steps.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        launched_by: Option<Name>,
        /// The vulnerability or supply-chain compromise it relies on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exploits: Option<Name>,
    },
    /// The victim state's CERT notices the incident.
    Detected {
        incident: Name,
        state: Name,
    },
    /// Detected but waiting: every analyst is busy.
    Queued {
        incident: Name,
        state: Name,
    },
    /// An analyst is free and takes a queued incident: its wait in the CERT's queue ends.
    Dequeued {
        incident: Name,
        state: Name,
    },
    /// A forensic or media finding about who is behind an incident, and the investigating state's
    /// resulting belief. `planted` is ground truth (false-flag evidence).
    Finding {
        incident: Name,
        state: Name,
        source: FindingSource,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        points_to: Option<Name>,
        planted: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        leading: Option<Name>,
        confidence: f64,
    },
    IncidentEnded {
        incident: Name,
        state: Name,
        how: EndReason,
    },
    InfraChanged {
        infra: Name,
        status: InfraStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<Name>,
    },
    /// The operator of an infrastructure hit by a non-malicious outage reports it to its state's
    /// CERT (A/75/816 ¶18: incidents affecting shared infrastructure).
    OutageReported {
        infra: Name,
        state: Name,
        /// The outage inject.
        cause: Name,
    },
    PocChanged {
        poc: Name,
        state: Name,
        level: PocLevel,
        status: PocStatus,
    },
    MessageSent(Box<Message>),
    MessageDelivered {
        msg: Name,
        to: Name,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        poc: Option<Name>,
    },
    DeliveryFailed {
        msg: Name,
        to: Name,
        reason: String,
    },
    /// Why an actor did what it did (or did not): makes the timeline explainable.
    Decision {
        actor: Name,
        decision: Name,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        about: Option<Name>,
        detail: String,
    },
    VulnerabilityFound {
        item: Name,
        state: Name,
        vendor_state: Name,
        product: Name,
        severity: u8,
    },
    CompromiseStarted {
        item: Name,
        vendor: Name,
        vendor_state: Name,
        affected: Vec<Name>,
        by: Name,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        directed_by: Option<Name>,
    },
    /// A state learns of a supply-chain compromise.
    CompromiseFound {
        item: Name,
        state: Name,
    },
    /// A state exploits a vulnerability or compromise instead of disclosing it (norms i, j).
    Exploited {
        item: Name,
        state: Name,
    },
    DisinformationStarted {
        item: Name,
        target: Name,
        by: Name,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        directed_by: Option<Name>,
    },
    /// Live exercise: the facilitator released a scripted inject ahead of its time or condition;
    /// it fires (`inject_fired`) the next second.
    InjectReleased {
        inject: Name,
    },
    /// Live exercise: the facilitator wrote this inject during the exercise; it fires the next
    /// second. The inject is not in the scenario file, so the trace carries it whole.
    InjectAdded {
        inject: Box<Inject>,
    },
    /// Live exercise: an evaluator's rating of an expectation that needs human judgement.
    Rating {
        expectation: Name,
        rating: Rating,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        comment: String,
        by: String,
    },
    /// Live exercise: an evaluator's observation, tied to a record when `record` says which.
    Observation {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<u32>,
        by: String,
    },
    /// Live exercise: a team's note; `decision: true` puts it in the team's decision log. Private
    /// to the team (and the facilitator): per-team views drop other teams' notes.
    Note {
        state: Name,
        text: String,
        #[serde(default)]
        decision: bool,
    },
    /// Last record: its absence means the trace was cut short.
    End {
        records: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Record number, 1-based, in trace order. Scorecards cite records by it.
    pub n: u32,
    /// Exercise time in seconds since T+0.
    pub t: i64,
    #[serde(flatten)]
    pub event: TraceEvent,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    pub header: Header,
    pub records: Vec<Record>,
}

impl Trace {
    /// JSON Lines: the header (with the digest of the rest), then one record per line.
    pub fn to_jsonl(&self) -> String {
        let (header, records) = self.canonical();
        let digest = digest_of(&header, &records);
        let mut out = serde_json::to_string(&Header {
            digest: Some(digest),
            ..self.header.clone()
        })
        .expect("header serialises");
        out.push('\n');
        out.push_str(&records);
        out
    }

    /// The header without its digest, and the records as JSON Lines: what the digest covers.
    /// Canonical (serde_json's own output of the parsed values), so a change of layout or key
    /// order leaves the digest alone and a change of any value does not.
    fn canonical(&self) -> (String, String) {
        let header = serde_json::to_string(&Header {
            digest: None,
            ..self.header.clone()
        })
        .expect("header serialises");
        let mut records = String::new();
        for r in &self.records {
            records.push_str(&serde_json::to_string(r).expect("record serialises"));
            records.push('\n');
        }
        (header, records)
    }

    /// Parses and checks a JSON Lines trace. Errors name the 1-based line.
    pub fn from_jsonl(text: &str) -> Result<Trace, TraceError> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, first) = lines.next().ok_or(TraceError {
            line: 1,
            message: "the trace is empty".into(),
        })?;
        not_too_deep(first, 1)?;
        let header: Header = serde_json::from_str(first).map_err(|e| TraceError {
            line: 1,
            message: format!("expected a ttx trace header record ({{\"type\":\"header\",…}}): {e}"),
        })?;
        if !READS.contains(&header.format.as_str()) {
            return Err(TraceError {
                line: 1,
                message: format!(
                    "unsupported trace format \"{}\" (this ttx reads \"{FORMAT}\")",
                    header.format
                ),
            });
        }
        let mut records: Vec<Record> = Vec::new();
        let mut last_line = 1;
        for (i, line) in lines {
            let line_no = i + 1;
            last_line = line_no;
            if records
                .last()
                .is_some_and(|r| matches!(r.event, TraceEvent::End { .. }))
            {
                return Err(TraceError {
                    line: line_no,
                    message: "record after the end record".into(),
                });
            }
            not_too_deep(line, line_no)?;
            let r: Record = serde_json::from_str(line).map_err(|e| TraceError {
                line: line_no,
                message: format!("malformed record: {e}"),
            })?;
            let expected = records.len() as u32 + 1;
            if r.n != expected {
                return Err(TraceError {
                    line: line_no,
                    message: format!(
                        "record number {} where {expected} was expected (records missing or reordered)",
                        r.n
                    ),
                });
            }
            if let Some(prev) = records.last()
                && r.t < prev.t
            {
                return Err(TraceError {
                    line: line_no,
                    message: format!("time goes backwards: t={} after t={}", r.t, prev.t),
                });
            }
            records.push(r);
        }
        match records.last() {
            Some(Record {
                event: TraceEvent::End { records: n },
                ..
            }) if *n as usize == records.len() => {}
            _ => {
                return Err(TraceError {
                    line: last_line + 1,
                    message: "the trace is truncated: it does not finish with an end record".into(),
                });
            }
        }
        let trace = Trace { header, records };
        if let Some(written) = &trace.header.digest {
            let (header, records) = trace.canonical();
            if digest_of(&header, &records) != *written {
                return Err(TraceError {
                    line: 1,
                    message: "the trace does not match its digest: what it says was changed after it was written (a record edited, added, dropped or reordered, or the header changed)\n  \
                              = help: a changed trace is not scored. If the change was deliberate (correcting a live exercise's record), delete the \"digest\" field from line 1: ttx then scores the trace as given, and says so".into(),
                });
            }
        }
        Ok(trace)
    }
}

/// `sha256:` and the first 128 bits, in hex, of the canonical header and records.
fn digest_of(header: &str, records: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(header.as_bytes());
    h.update(b"\n");
    h.update(records.as_bytes());
    let hex: String = h
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

/// A record nests three levels at most; a line nested past the cap is refused before serde_json
/// recurses into it (see `nesting`).
fn not_too_deep(line: &str, line_no: usize) -> Result<(), TraceError> {
    crate::nesting::check(line, crate::nesting::Syntax::Json).map_err(|deep| TraceError {
        line: line_no,
        message: format!(
            "values are nested more than {} levels deep (at column {}); a trace record nests three levels at most",
            crate::nesting::MAX_DEPTH,
            deep.col
        ),
    })
}

#[derive(Clone, Debug, PartialEq)]
pub struct TraceError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for TraceError {}
