//! Norm adherence: for every state and each of the eleven norms (A/70/174 ¶13 a–k, reaffirmed in
//! A/75/816), the situations in which the norm applied (*opportunities*) and how each ended.
//! The operational rules come from the implementation guidance in the annex to the Chair's
//! summary of A/75/816 (Canada's proposal for ¶41), one file per group of norms:
//!
//! - `exchange`: a (cooperate, reachable PoCs), d (law-enforcement requests), h (assistance);
//! - `incident`: c (activity from one's territory), g (protect one's own CI);
//! - `attribution`: b (consider all information before escalating);
//! - `restraint`: e (human rights), f (do not damage CI), k (leave CERTs alone);
//! - `disclosure`: i (supply chain), j (vulnerabilities).
//!
//! A norm with no opportunity is "n/a", never 100%: a state that was never asked anything has
//! not shown that it answers. Each opportunity is one evidence entry naming the trace records
//! that decided it, so a facilitator can say "borealia breached norm c at T+27h because it never
//! acknowledged notification m3".

mod attribution;
mod disclosure;
mod exchange;
mod incident;
mod restraint;

use crate::Detail;
use crate::index::Index;
use crate::stats::{self, ratio};
use crate::tally::NormTally;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use ttx_scenario::{MessageKind, Name, Norm, Scenario, State, Targets, TraceEvent};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Fulfilled,
    Violated,
    /// The exercise ended before the deadline passed: not counted either way.
    Pending,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictStatus {
    /// No opportunity arose.
    #[serde(rename = "n/a")]
    NotApplicable,
    /// Every decided opportunity fulfilled.
    Fulfilled,
    /// Every decided opportunity violated.
    Violated,
    /// Some fulfilled, some violated.
    Mixed,
    /// Opportunities arose but none was decided by the end.
    Pending,
}

/// One opportunity and how it ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The record that opened the opportunity (the notification, the request, the step…).
    pub n: u32,
    /// When the outcome was decided (exercise seconds): the reply, or the deadline that passed.
    pub t: i64,
    pub outcome: Outcome,
    pub reason: String,
    /// Every record that decided it, ascending.
    pub records: Vec<u32>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct NormVerdict {
    pub status: VerdictStatus,
    pub opportunities: u32,
    pub fulfilled: u32,
    pub violated: u32,
    pub pending: u32,
    /// fulfilled / (fulfilled + violated); `null` when nothing was decided.
    pub rate: Option<f64>,
    pub evidence: Vec<Evidence>,
    /// Norm b only: the state's public attributions that named a state which did not direct the
    /// incident (the simulator's ground truth), by record. Listed beside the verdict, which is
    /// judged on the process the state could see; a misattribution is not by itself a breach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misattributions: Vec<u32>,
    /// The paragraph the rule rests on. Borrowed from [`basis`] when scored: every state has a
    /// verdict per norm, and a 193-state scorecard would otherwise copy this text 2,123 times.
    pub basis: Cow<'static, str>,
}

/// By hand, for the empty lists: a full scorecard starts every state's verdicts as a copy of eleven
/// "n/a" ones (`compute`), and cloning an empty `Vec` through `to_vec` cost more than the rest of
/// the copy.
impl Clone for NormVerdict {
    #[inline]
    fn clone(&self) -> NormVerdict {
        use ttx_scenario::clone_list as list;
        NormVerdict {
            status: self.status,
            opportunities: self.opportunities,
            fulfilled: self.fulfilled,
            violated: self.violated,
            pending: self.pending,
            rate: self.rate,
            evidence: list(&self.evidence),
            misattributions: list(&self.misattributions),
            basis: self.basis.clone(),
        }
    }
}

/// Where each rule comes from; quoted in every verdict.
pub fn basis(norm: Norm) -> &'static str {
    match norm {
        Norm::A => {
            "A/75/816, Chair's summary annex, norm a guidance ii (incident response functions able to coordinate and cooperate); A/75/816 ¶47 and ¶51 (PoCs at technical, diplomatic and policy levels); A/68/98 ¶26 c–d (exchange information on incidents); Chair's summary ¶30 (regular PoC exercises keep the directory current)"
        }
        Norm::B => {
            "A/75/816, Chair's summary annex, norm b guidance i–iii (careful examination of serious ICT incidents before responding); A/68/98 ¶6–7 (proxies and the risk of misattribution)"
        }
        Norm::C => {
            "A/75/816, Chair's summary annex, norm c guidance i (the notified state acknowledges through the corresponding PoC and takes reasonable measures to stop the activity; notification does not imply responsibility) and ii (lacking capacity, request assistance)"
        }
        Norm::D => {
            "A/75/816, Chair's summary annex, norm d (2015 ¶13 d: cooperate to exchange information and assist each other against criminal use of ICTs) and China's proposal on terrorism (preserve online evidence at another state's request and respond rapidly)"
        }
        Norm::E => {
            "A/75/816, Chair's summary annex, norm e guidance i (meet human rights obligations when applying cybersecurity measures; the same rights apply online)"
        }
        Norm::F => {
            "A/75/816, Chair's summary annex, norm f (2015 ¶13 f: do not conduct or knowingly support ICT activity that damages critical infrastructure) and guidance i (critical infrastructure: energy, water, sanitation, health, education, finance, transport, telecommunications, crisis response, elections, internet core; each state determines which of its infrastructure is critical)"
        }
        Norm::G => {
            "A/75/816, Chair's summary annex, norm g guidance i (incident management procedures and tools for critical infrastructure) and iv (resilience and recovery)"
        }
        Norm::H => {
            "A/75/816, Chair's summary annex, norm h guidance i (acknowledge through the corresponding PoC; indicate nature, scope and terms, including a timeframe; provide agreed assistance expeditiously)"
        }
        Norm::I => {
            "A/75/816, Chair's summary annex, norm i guidance i (share information on vulnerabilities and harmful hidden functions in ICT products)"
        }
        Norm::J => {
            "A/75/816, Chair's summary annex, norm j guidance i–ii (responsible reporting of vulnerabilities; share technical information through CERT coordination mechanisms)"
        }
        Norm::K => {
            "A/75/816, Chair's summary annex, norm k (2015 ¶13 k: do not conduct or knowingly support activity that harms authorized emergency response teams' systems, nor use them for malicious international activity)"
        }
    }
}

/// What every rule reads.
pub(crate) struct Cx<'i, 'a> {
    pub ix: &'i Index<'a>,
    pub sc: &'i Scenario,
    pub targets: &'i Targets,
    /// The scenario's states by id: rules ask per state and per message, and
    /// `Scenario::state` is a scan, quadratic over a 193-state directory.
    pub states: FxHashMap<&'i str, &'i State>,
    /// [`h`] of the reply targets norms a and d quote, written once each when first quoted:
    /// every ping, clarification, information and legal request quotes its target.
    pub quoted: [(i64, OnceCell<String>); 4],
    /// Whether evidence explains itself: a study's rows read outcomes, never reasons.
    pub detail: Detail,
}

impl<'i> Cx<'i, '_> {
    pub fn end(&self) -> i64 {
        self.ix.end
    }

    /// An evidence reason, or one of its parts: `text()` for a full scorecard, empty for a
    /// study's rows (`Detail::Numbers`), which never read reasons, while writing them cost
    /// about as much as judging the evidence.
    pub fn reason(&self, text: impl FnOnce() -> String) -> String {
        self.detail.text(text)
    }

    /// Appends [`h`]`(secs)`, from `quoted` when it is one of the targets there.
    #[inline]
    pub fn push_target(&self, out: &mut String, secs: i64) {
        match self.quoted.iter().find(|q| q.0 == secs) {
            Some((_, text)) => out.push_str(text.get_or_init(|| {
                let mut text = String::new();
                push_hours(&mut text, secs);
                text
            })),
            None => push_hours(out, secs),
        }
    }

    pub fn state(&self, id: &str) -> Option<&'i State> {
        self.states.get(id).copied()
    }

    /// Whether an incident's target is critical infrastructure: as the scenario marks it
    /// (`critical`), else by sector (CERT systems included, DESIGN.md §3).
    pub fn critical(&self, inc: &crate::index::IncidentFacts) -> bool {
        self.sc
            .infra(&inc.target)
            .map_or(inc.sector.is_critical(), |x| x.is_critical())
    }
}

/// The common shape of a deadline: a reply due `target` seconds after `from`.
#[derive(Clone, Copy)]
pub(crate) enum Due {
    OnTime(i64),
    Late(i64),
    Missed,
    /// Not answered, and the exercise ended before the deadline.
    Open,
}

pub(crate) fn due(answer_t: Option<i64>, from: i64, target: i64, end: i64) -> Due {
    match answer_t {
        Some(t) if t - from <= target => Due::OnTime(t),
        Some(t) => Due::Late(t),
        None if end - from >= target => Due::Missed,
        None => Due::Open,
    }
}

/// Hours for reasons, e.g. "26.5h": written into the reason being formatted rather than
/// formatted into a string of its own first, since every request of a big exercise has a reason.
pub(crate) fn h(secs: i64) -> Hours {
    Hours(secs)
}

pub(crate) struct Hours(i64);

impl std::fmt::Display for Hours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = [0; HOURS_BUF];
        match hours_text(self.0, &mut buf) {
            Some(text) => f.write_str(std::str::from_utf8(text).map_err(|_| std::fmt::Error)?),
            None => write!(f, "{}h", stats::hours(self.0)),
        }
    }
}

/// Appends [`h`]`(secs)` to `out` without the formatting machinery: norm a writes two of these
/// into the reason of every ping, clarification and information request.
#[inline]
pub(crate) fn push_hours(out: &mut String, secs: i64) {
    let mut buf = [0; HOURS_BUF];
    match hours_text(secs, &mut buf) {
        Some(text) => {
            // ASCII, pushed byte by byte into room made once: `from_utf8` checked them at
            // about the cost of writing them.
            out.reserve(text.len());
            for &b in text {
                out.push(char::from(b));
            }
        }
        None => {
            use std::fmt::Write;
            let _ = write!(out, "{}h", stats::hours(secs));
        }
    }
}

const HOURS_BUF: usize = 32;

/// `stats::hours(secs)` as `f64`'s `Display` writes it, plus "h", in ASCII, for times from 0 to 2^40 s,
/// without float formatting. `stats::hours` rounds to thousandths (k / 1000 with k an integer far
/// below 2^53), and the shortest decimal that reads back as that `f64` is k / 1000 itself with
/// trailing zeros dropped: another decimal of three places or fewer lies at least 0.001 away,
/// far more than an ulp at these sizes. Negative and larger times (`None`) take the `f64` path.
#[inline(always)]
fn hours_text(secs: i64, buf: &mut [u8; HOURS_BUF]) -> Option<&[u8]> {
    let k = stats::thousandths(secs)?;
    let (whole, mut frac) = (k / 1000, k % 1000);
    let mut end = HOURS_BUF;
    end -= 1;
    buf[end] = b'h';
    if frac != 0 {
        let mut digits = 3;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        for _ in 0..digits {
            end -= 1;
            buf[end] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        end -= 1;
        buf[end] = b'.';
    }
    let end = ttx_scenario::digits::decimal_before(buf, end, whole);
    Some(&buf[end..])
}

impl Cx<'_, '_> {
    /// One opportunity's evidence. Its records, like its reason, only for a full scorecard: a
    /// study's tally counts outcomes, and copying the records was an allocation per ping.
    pub fn evidence(
        &self,
        n: u32,
        t: i64,
        outcome: Outcome,
        reason: String,
        records: &[u32],
    ) -> Evidence {
        let records = match self.detail {
            Detail::Full => records.to_vec(),
            Detail::Numbers => Vec::new(),
        };
        evidence_of(n, t, outcome, reason, records)
    }
}

/// [`Cx::evidence`] taking the records it keeps, for rules that build them in a `Vec` anyway.
#[inline]
pub(crate) fn evidence_of(
    n: u32,
    t: i64,
    outcome: Outcome,
    reason: String,
    mut records: Vec<u32>,
) -> Evidence {
    // Most rules gather their records in trace order already.
    if !records.is_sorted_by(|a, b| a < b) {
        records.sort_unstable();
        records.dedup();
    }
    Evidence {
        n,
        t,
        outcome,
        reason,
        records,
    }
}

fn verdict(norm: Norm, mut evidence: Vec<Evidence>) -> NormVerdict {
    if !evidence.is_sorted_by_key(|e| e.n) {
        evidence.sort_by_key(|e| e.n);
    }
    let (mut fulfilled, mut violated, mut pending) = (0, 0, 0);
    for e in &evidence {
        *match e.outcome {
            Outcome::Fulfilled => &mut fulfilled,
            Outcome::Violated => &mut violated,
            Outcome::Pending => &mut pending,
        } += 1;
    }
    let status = match (evidence.is_empty(), fulfilled > 0, violated > 0) {
        (true, _, _) => VerdictStatus::NotApplicable,
        (_, true, true) => VerdictStatus::Mixed,
        (_, false, true) => VerdictStatus::Violated,
        (_, true, false) => VerdictStatus::Fulfilled,
        (_, false, false) => VerdictStatus::Pending,
    };
    NormVerdict {
        status,
        opportunities: evidence.len() as u32,
        fulfilled,
        violated,
        pending,
        rate: ratio(fulfilled, fulfilled + violated),
        evidence,
        misattributions: Vec::new(),
        basis: Cow::Borrowed(basis(norm)),
    }
}

fn rule(cx: &Cx, norm: Norm, state: Name) -> Vec<Evidence> {
    match norm {
        Norm::A => exchange::a(cx, state),
        Norm::B => attribution::b(cx, state),
        Norm::C => incident::c(cx, state),
        Norm::D => exchange::d(cx, state),
        Norm::E => restraint::e(cx, state),
        Norm::F => restraint::f(cx, state),
        Norm::G => incident::g(cx, state),
        Norm::H => exchange::h(cx, state),
        Norm::I => disclosure::i(cx, state),
        Norm::J => disclosure::j(cx, state),
        Norm::K => restraint::k(cx, state),
    }
}

/// Per norm in `Norm::ALL` order, whether the trace holds anything its rule reads, and then
/// whether it holds public statements (misattributions): a rule with nothing to read finds no
/// opportunity for any state, and a directory exercise that only pings would otherwise run ten
/// such rules, each walking the state's messages or hashing its name, for each of 193 states.
fn arising(ix: &Index) -> ([bool; 11], bool) {
    let sent = |kind| ix.count(kind) > 0;
    let top_step = ix.msgs.iter().filter_map(|s| s.m.step).max();
    let steps_from = |level| top_step.is_some_and(|top| top >= level);
    let bounced = ix.msgs.iter().any(|s| s.failed.is_some());
    let (mut disinformation, mut compromise, mut vulnerability) = (false, false, false);
    for r in ix.records() {
        match r.event {
            TraceEvent::DisinformationStarted { .. } => disinformation = true,
            TraceEvent::CompromiseStarted { .. } => compromise = true,
            TraceEvent::VulnerabilityFound { .. } => vulnerability = true,
            _ => {}
        }
    }
    let incidents = !ix.incidents.is_empty();
    // Dispute partners of f and k are states that exchanged steps ≥ 3 (`restraint::disputes`).
    let restraint = incidents || steps_from(3);
    let by_norm = Norm::ALL.map(|norm| match norm {
        Norm::A => {
            bounced
                || sent(MessageKind::Ping)
                || sent(MessageKind::ClarificationRequest)
                || sent(MessageKind::InformationRequest)
        }
        Norm::B => steps_from(ttx_scenario::ladder::ATTRIBUTION),
        Norm::C => ix.notified_pairs() > 0,
        Norm::D => sent(MessageKind::LegalRequest),
        Norm::E => disinformation || sent(MessageKind::Measure),
        Norm::F | Norm::K => restraint,
        Norm::G => incidents,
        Norm::H => sent(MessageKind::AssistanceRequest),
        Norm::I => compromise,
        Norm::J => vulnerability,
    });
    (by_norm, sent(MessageKind::PublicStatement))
}

/// A norm's letter as a name: the key of its verdicts in a [`NormGrid`] row. Interned once per
/// process rather than once per scorecard, since the grid keys every state's verdicts by it.
pub fn letter(norm: Norm) -> Name {
    static LETTERS: LazyLock<[Name; 11]> =
        LazyLock::new(|| Norm::ALL.map(|n| Name::new(n.letter().encode_utf8(&mut [0; 4]))));
    LETTERS[norm as usize]
}

/// Verdicts keyed by state id, then by norm letter ("a"–"k").
pub type NormGrid = BTreeMap<Name, BTreeMap<Name, NormVerdict>>;

impl<'i, 'a> Cx<'i, 'a> {
    fn new(ix: &'i Index<'a>, sc: &'i Scenario, detail: Detail) -> Cx<'i, 'a> {
        Cx {
            ix,
            sc,
            targets: &sc.scoring.targets,
            // Reversed, so that of two states with one id the first wins, as in `Scenario::state`.
            states: sc.states.iter().rev().map(|s| (s.id.as_str(), s)).collect(),
            quoted: {
                let t = &sc.scoring.targets;
                [t.ping_reply, t.clarification, t.information, t.legal_reply]
                    .map(|d| (d.0, OnceCell::new()))
            },
            detail,
        }
    }
}

/// `states`: the scenario's, sorted by id (`crate::order::by_id`).
pub(crate) fn compute(ix: &Index, sc: &Scenario, states: &[(Name, &State)]) -> NormGrid {
    let cx = Cx::new(ix, sc, Detail::Full);
    // Every state's verdicts start as a copy of one map with a slot per norm, filled in place:
    // eleven keys fit one B-tree leaf, and collecting them per state meant a `Vec`, a sort and a
    // bulk build, moving each verdict three times, for each of 193 states. Keyed by names, a
    // copy copies the letters instead of allocating eleven strings.
    let slots: BTreeMap<Name, NormVerdict> = Norm::ALL
        .iter()
        .map(|&norm| (letter(norm), verdict(norm, Vec::new())))
        .collect();
    debug_assert!(slots.keys().copied().eq(Norm::ALL.map(letter)));
    let (arises, statements) = arising(ix);
    states
        .iter()
        .map(|&(name, s)| {
            let mut verdicts = slots.clone();
            for (norm, arises) in Norm::ALL.into_iter().zip(arises) {
                // Most states have no opportunity for most norms: their slot is right as copied.
                let evidence = if arises {
                    rule(&cx, norm, name)
                } else {
                    // Every test runs the rule anyway, so a gate that misses what its rule
                    // reads shows up in any trace that has it.
                    debug_assert!(
                        rule(&cx, norm, name).is_empty(),
                        "norm {} was skipped for {} but its rule finds evidence: `arising` misses what it reads",
                        norm.letter(),
                        s.id
                    );
                    Vec::new()
                };
                let misattributions = if norm == Norm::B && statements {
                    attribution::misattributions(&cx, name)
                } else {
                    debug_assert!(
                        norm != Norm::B || attribution::misattributions(&cx, name).is_empty(),
                        "misattributions skipped for {} without public statements, yet found",
                        s.id
                    );
                    Vec::new()
                };
                if evidence.is_empty() && misattributions.is_empty() {
                    continue;
                }
                let mut v = verdict(norm, evidence);
                v.misattributions = misattributions;
                verdicts.insert(letter(norm), v);
            }
            (name, verdicts)
        })
        .collect()
}

/// What a study's row reads of the norms ([`crate::tally`]): each state's decided opportunities
/// per norm, counted as the rules find them. No verdict, reason or misattribution is kept: a
/// directory exercise built, walked and dropped 193 maps of verdicts per row for the counts of
/// norm a. `states` as for [`compute`].
pub(crate) fn tally(ix: &Index, sc: &Scenario, states: &[(Name, &State)]) -> Vec<NormTally> {
    let cx = Cx::new(ix, sc, Detail::Numbers);
    let (arises, _) = arising(ix);
    let mut out = Vec::new();
    for &(name, _) in states {
        for (norm, arises) in Norm::ALL.into_iter().zip(arises) {
            if !arises {
                continue;
            }
            let (mut fulfilled, mut violated) = (0, 0);
            for e in rule(&cx, norm, name) {
                match e.outcome {
                    Outcome::Fulfilled => fulfilled += 1,
                    Outcome::Violated => violated += 1,
                    Outcome::Pending => {}
                }
            }
            out.extend(NormTally::decided(name, norm, fulfilled, violated));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{h, letter, push_hours};
    use crate::stats;
    use ttx_scenario::Norm;

    /// The hand-written clone copies every field, lists with entries and without.
    #[test]
    fn a_verdict_clones_whole() {
        let empty = super::verdict(Norm::A, Vec::new());
        assert_eq!(empty.clone(), empty);
        let ev = super::evidence_of(7, 3600, super::Outcome::Violated, "why".into(), vec![7, 9]);
        let mut full = super::verdict(Norm::B, vec![ev]);
        full.misattributions = vec![12];
        assert_eq!(full.clone(), full);
        assert_ne!(full.clone(), empty);
    }

    /// The grid's keys are the letters `Norm::letter` gives, in `Norm::ALL` order.
    #[test]
    fn letters_are_the_norms_letters_in_order() {
        for n in Norm::ALL {
            assert_eq!(letter(n), n.letter().to_string());
        }
        assert!(Norm::ALL.map(letter).is_sorted());
    }

    /// The digit-by-digit hours must read exactly as `f64`'s `Display` of `stats::hours`.
    #[test]
    fn hours_read_as_the_float_would() {
        for s in stats::hour_samples() {
            let want = format!("{}h", stats::hours(s));
            assert_eq!(h(s).to_string(), want, "{s} s");
            let mut pushed = String::from("x");
            push_hours(&mut pushed, s);
            assert_eq!(pushed, format!("x{want}"), "{s} s");
        }
    }
}
