//! The scorecard as a facilitator reads it at the terminal, after the timeline: escalation first
//! (what the room will ask about), then PoC response times, the norm grid, CBM indicators, the
//! HSEEP ratings of the exercise objectives and MSEL coverage. Symbols, not colours, carry the
//! meaning so the text survives copy-paste, printing and screen readers; every figure points at
//! trace records (r26 = record 26) and the JSON scorecard holds the full evidence.

use std::collections::BTreeMap;
use std::fmt::Write;
use ttx_scenario::time::clock_minutes;
use ttx_scenario::{Scenario, ladder};
use ttx_scoring::Scorecard;
use ttx_scoring::norms::{NormVerdict, Outcome, VerdictStatus};
use ttx_scoring::objectives::{ExpStatus, Rating};
use ttx_scoring::stats::Quantile;

/// Violations listed under the norm grid before "… and N more".
const MAX_VIOLATIONS: usize = 8;
/// Beyond this many states (a UN-wide PoC directory), tables show totals and the states that need
/// attention rather than one row per state.
const MAX_STATE_ROWS: usize = 24;
/// Unmet expectations listed under an objective before "… and N more".
const MAX_UNMET: usize = 5;

/// What each norm-grid symbol means: status, word, and a note where the word is not enough.
pub const NORM_LEGEND: [(VerdictStatus, &str, &str); 5] = [
    (VerdictStatus::Fulfilled, "fulfilled", ""),
    (VerdictStatus::Violated, "violated", ""),
    (VerdictStatus::Mixed, "mixed", ""),
    (VerdictStatus::Pending, "pending", "deadline after the end"),
    (VerdictStatus::NotApplicable, "n/a", "no opportunity"),
];

/// Hours with three significant figures at most, trailing zeros dropped: 0.48, 13.7, 24, 128.
pub fn hours(h: f64) -> String {
    let text = if h >= 100.0 {
        format!("{h:.0}")
    } else if h >= 10.0 {
        format!("{h:.1}")
    } else {
        format!("{h:.2}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A latency quantile: hours, `>end` when it falls on an item never answered, `–` when empty.
pub fn quantile(q: &Quantile) -> String {
    match (q.hours, q.censored_above) {
        (Some(h), _) => hours(h),
        (None, true) => ">end".into(),
        (None, false) => "–".into(),
    }
}

/// A proportion as a whole percentage, `–` when there was nothing to count.
pub fn rate(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| format!("{:.0}%", r * 100.0))
}

/// The norm-grid symbol of a verdict.
pub fn symbol(v: &NormVerdict) -> char {
    status_symbol(v.status)
}

/// Symbols, not colours, carry the verdict: ✓ ✗ ~ ? ·.
pub fn status_symbol(s: VerdictStatus) -> char {
    match s {
        VerdictStatus::Fulfilled => '✓',
        VerdictStatus::Violated => '✗',
        VerdictStatus::Mixed => '~',
        VerdictStatus::Pending => '?',
        VerdictStatus::NotApplicable => '·',
    }
}

/// An HSEEP rating letter, `–` when unrated.
pub fn rating(r: Option<Rating>) -> &'static str {
    match r {
        Some(Rating::P) => "P",
        Some(Rating::S) => "S",
        Some(Rating::M) => "M",
        Some(Rating::U) => "U",
        None => "–",
    }
}

/// An expectation status as the scorecard spells it.
pub fn status(s: ExpStatus) -> &'static str {
    match s {
        ExpStatus::Success => "SUCCESS",
        ExpStatus::Partial => "PARTIAL",
        ExpStatus::Failed => "FAILED",
        ExpStatus::Pending => "PENDING",
    }
}

fn escalation(out: &mut String, card: &Scorecard) {
    let e = &card.escalation;
    let _ = writeln!(out, "ESCALATION (ladder 0–9, DESIGN.md §5)");
    let peak_dyad = e
        .dyads
        .iter()
        .find(|d| Some(d.peak_n) == e.peak_n && d.peak == e.peak)
        .map_or(String::new(), |d| {
            format!(", {} → {} (r{})", d.from, d.to, d.peak_n)
        });
    let daily: Vec<String> = e.daily.iter().map(|d| format!("{d}")).collect();
    let _ = writeln!(
        out,
        "  peak level {} ({}){peak_dyad} · escalation index {} (per day: {})",
        e.peak,
        ladder::rung(e.peak).name,
        e.index,
        daily.join(" ")
    );
    match e.at_or_above_5_from_n {
        Some(n) => {
            let _ = writeln!(
                out,
                "  at or above public attribution (level 5) for {}h, from r{n}",
                hours(e.hours_at_or_above_5)
            );
        }
        None => {
            let _ = writeln!(out, "  never reached public attribution (level 5)");
        }
    }
    if !e.dyads.is_empty() {
        let peaks: Vec<String> = e
            .dyads
            .iter()
            .map(|d| format!("{}→{} {}", d.from, d.to, d.peak))
            .collect();
        let _ = writeln!(out, "  dyad peaks: {}", peaks.join(", "));
    }
    let spirals: Vec<String> = e
        .spirals
        .iter()
        .map(|s| {
            format!(
                "{} L{} (r{}) answered by {} L{} (r{})",
                s.first, s.first_level, s.first_n, s.answer, s.answer_level, s.answer_n
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "  spirals: {}{}",
        spirals.len(),
        if spirals.is_empty() {
            String::new()
        } else {
            format!(" — {}", spirals.join("; "))
        }
    );
    let _ = writeln!(
        out,
        "  misattributions: {} · correct attributions: {}",
        e.misattributions.len(),
        e.correct_attributions.len()
    );
    for m in &e.misattributions {
        let truth = ground_truth(m);
        let conf = m
            .confidence
            .map_or(String::new(), |c| format!(", confidence {c}"));
        let _ = writeln!(
            out,
            "    ✗ {} attributed {} to {} at {} (r{}{conf}); ground truth: {truth} (r{})",
            m.by,
            m.incident,
            m.attributed_to,
            clock_minutes(m.t),
            m.n,
            m.incident_n
        );
    }
}

fn latency(out: &mut String, card: &Scorecard) {
    let _ = writeln!(
        out,
        "\nRESPONSE LATENCY (hours; censored = never answered by the end; >end = falls on a censored item)"
    );
    let _ = writeln!(
        out,
        "  {:<28} {:>4} {:>5} {:>7} {:>7} {:>7} {:>6} {:>8}",
        "chain step", "n", "cens", "p50", "p90", "max", "target", "breaches"
    );
    let mut any = false;
    for s in card.latency.steps.iter().filter(|s| s.overall.count > 0) {
        any = true;
        let target = match (s.target_hours, s.step) {
            (Some(t), _) => format!("{}h", hours(t)),
            (None, ttx_scoring::latency::Step::OfferToDeliver) => "offer".into(),
            (None, _) => "–".into(),
        };
        let mut row = |label: String, st: &ttx_scoring::stats::Stats| {
            let _ = writeln!(
                out,
                "  {:<28} {:>4} {:>5} {:>7} {:>7} {:>7} {:>6} {:>8}",
                label,
                st.count,
                st.censored,
                quantile(&st.p50),
                quantile(&st.p90),
                quantile(&st.max),
                target,
                st.breaches
            );
        };
        row(s.step.label().to_string(), &s.overall);
        if s.by_level.len() > 1 {
            for (level, st) in &s.by_level {
                row(format!("  · {} PoC", level.as_str()), st);
            }
        }
    }
    if !any {
        let _ = writeln!(out, "  (no chain was opened in this run)");
    }
}

/// Width of the state column: the longest state id, at least five characters.
fn state_width(card: &Scorecard) -> usize {
    card.states
        .iter()
        .map(|s| s.len())
        .max()
        .unwrap_or(5)
        .max(5)
}

/// What really happened behind a misattribution, in words.
pub fn ground_truth(m: &ttx_scoring::escalation::Attribution) -> String {
    m.directed_by
        .as_deref()
        .map_or("no state directed it".to_string(), |d| {
            format!("{d} directed it")
        })
}

fn norms(out: &mut String, card: &Scorecard) {
    let _ = writeln!(
        out,
        "\nNORM ADHERENCE (A/70/174 ¶13 a–k; rules from the A/75/816 Chair's summary annex guidance)"
    );
    let width = state_width(card);
    let letters: Vec<String> = ('a'..='k').map(|c| c.to_string()).collect();
    let many = card.states.len() > MAX_STATE_ROWS;
    if many {
        // Per norm, how many states got each verdict; then only the states with a breach.
        for l in &letters {
            let mut counts = BTreeMap::new();
            for row in card.norms.values() {
                if let Some(v) = row.get(l) {
                    *counts.entry(symbol(v)).or_insert(0) += 1;
                }
            }
            if counts.values().any(|&n| n > 0) && counts.keys().any(|&c| c != '·') {
                let parts: Vec<String> = ['✓', '✗', '~', '?']
                    .iter()
                    .filter_map(|c| counts.get(c).map(|n| format!("{n} {c}")))
                    .collect();
                let _ = writeln!(
                    out,
                    "  norm {l}: {} (of {} states)",
                    parts.join("  "),
                    card.states.len()
                );
            }
        }
        let _ = writeln!(out, "  states with a breach:");
    }
    let _ = writeln!(out, "  {:<width$}  {}", "state", letters.join("  "));
    let mut violations = Vec::new();
    let mut shown = 0;
    let mut hidden = 0;
    for state in &card.states {
        let Some(row) = card.norms.get(state) else {
            continue;
        };
        let cells: Vec<String> = letters
            .iter()
            .map(|l| row.get(l).map_or('·', symbol).to_string())
            .collect();
        let breached = row
            .values()
            .any(|v| matches!(v.status, VerdictStatus::Violated | VerdictStatus::Mixed));
        if !many || (breached && shown < MAX_STATE_ROWS) {
            let _ = writeln!(out, "  {state:<width$}  {}", cells.join("  "));
            shown += 1;
        } else if breached {
            hidden += 1;
        }
        for (l, v) in row {
            for e in v.evidence.iter().filter(|e| e.outcome == Outcome::Violated) {
                violations.push((e.t, state.as_str(), l.as_str(), e));
            }
        }
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "  … and {hidden} more states with a breach (all in the JSON scorecard)"
        );
    }
    let legend: Vec<String> = NORM_LEGEND
        .iter()
        .map(|(s, word, note)| {
            if note.is_empty() {
                format!("{} {word}", status_symbol(*s))
            } else {
                format!("{} {word} ({note})", status_symbol(*s))
            }
        })
        .collect();
    let _ = writeln!(out, "  {}", legend.join("  "));
    violations.sort_by_key(|v| v.0);
    if !violations.is_empty() {
        let _ = writeln!(out, "  breaches, earliest first:");
    }
    for (t, state, l, e) in violations.iter().take(MAX_VIOLATIONS) {
        let records: Vec<String> = e.records.iter().map(|r| format!("r{r}")).collect();
        let _ = writeln!(
            out,
            "    {state} breached norm {l} at {}: {} ({})",
            clock_minutes(*t),
            e.reason,
            records.join(" ")
        );
    }
    if violations.len() > MAX_VIOLATIONS {
        let _ = writeln!(
            out,
            "    … and {} more; every verdict's evidence and basis is in the JSON scorecard",
            violations.len() - MAX_VIOLATIONS
        );
    }
}

fn cbm(out: &mut String, card: &Scorecard) {
    let _ = writeln!(
        out,
        "\nCBM INDICATORS (A/68/98 ¶26 a, c, d; A/75/816 ¶47, ¶51; Chair's summary ¶30)"
    );
    let width = state_width(card);
    if card.states.len() > MAX_STATE_ROWS {
        cbm_totals(out, card);
        return;
    }
    let _ = writeln!(
        out,
        "  {:<width$}  {:<9} {:>13} {:>7} {:>14} {:>6} {:>13}",
        "state", "PoCs", "pings answered", "p50 h", "acks via PoC", "shared", "reachable"
    );
    for state in &card.states {
        let Some(c) = card.cbm.get(state) else {
            continue;
        };
        let pocs: Vec<String> = c
            .pocs
            .iter()
            .map(|p| {
                let mark = match p.status {
                    ttx_scenario::PocStatus::Active => "",
                    ttx_scenario::PocStatus::Stale => "*",
                    ttx_scenario::PocStatus::Unreachable => "!",
                };
                format!("{}{mark}", &p.level.as_str()[..1].to_uppercase())
            })
            .collect();
        let p = &c.pings.overall;
        let pings = if p.received == 0 {
            "–".into()
        } else {
            format!("{}/{} {}", p.answered, p.received, rate(p.rate))
        };
        let a = &c.acknowledgements;
        let acks = if a.total == 0 {
            "–".into()
        } else {
            format!("{}/{}", a.matching, a.total)
        };
        let r = &c.reachability;
        let reach = if r.attempted == 0 {
            "–".into()
        } else {
            format!("{}/{} {}", r.delivered, r.attempted, rate(r.rate))
        };
        let _ = writeln!(
            out,
            "  {state:<width$}  {:<9} {:>13} {:>7} {:>14} {:>6} {:>13}",
            pocs.join(" "),
            pings,
            quantile(&p.p50),
            acks,
            c.sharing.messages,
            reach
        );
    }
    let _ = writeln!(
        out,
        "  PoCs: T technical, D diplomatic, P policy; * stale, ! unreachable in the directory"
    );
}

/// CBM indicators of a large exercise: totals by PoC level, and the states that need attention.
fn cbm_totals(out: &mut String, card: &Scorecard) {
    let mut by_level: BTreeMap<ttx_scenario::PocLevel, (u32, u32)> = BTreeMap::new();
    let (mut attempted, mut delivered) = (0, 0);
    let mut broken = Vec::new();
    let mut silent = Vec::new();
    for state in &card.states {
        let Some(c) = card.cbm.get(state) else {
            continue;
        };
        for (level, p) in &c.pings.by_level {
            let e = by_level.entry(*level).or_insert((0, 0));
            e.0 += p.received;
            e.1 += p.answered;
        }
        attempted += c.reachability.attempted;
        delivered += c.reachability.delivered;
        for p in c
            .pocs
            .iter()
            .filter(|p| p.status != ttx_scenario::PocStatus::Active)
        {
            broken.push(p.id.clone());
        }
        if c.pings.overall.received > 0 && c.pings.overall.answered == 0 {
            silent.push(state.clone());
        }
    }
    let _ = writeln!(out, "  {} states", card.states.len());
    for (level, (received, answered)) in &by_level {
        let r = (*received > 0).then(|| *answered as f64 / *received as f64);
        let _ = writeln!(
            out,
            "  {} PoCs: {answered}/{received} pings answered ({})",
            level.as_str(),
            rate(r)
        );
    }
    if attempted > 0 {
        let _ = writeln!(
            out,
            "  reachability: {delivered}/{attempted} messages delivered ({})",
            rate(Some(delivered as f64 / attempted as f64))
        );
    }
    let list = |v: &[String]| {
        let shown: Vec<&str> = v.iter().take(12).map(String::as_str).collect();
        let more = if v.len() > 12 {
            format!(" … and {} more", v.len() - 12)
        } else {
            String::new()
        };
        format!("{}{more}", shown.join(", "))
    };
    if !broken.is_empty() {
        let _ = writeln!(
            out,
            "  stale or unreachable directory entries ({}): {}",
            broken.len(),
            list(&broken)
        );
    }
    if !silent.is_empty() {
        let _ = writeln!(
            out,
            "  answered no ping ({}): {}",
            silent.len(),
            list(&silent)
        );
    }
}

fn objectives(out: &mut String, card: &Scorecard, scenario: &Scenario) {
    let o = &card.objectives;
    let _ = writeln!(
        out,
        "\nOBJECTIVES (HSEEP: P performed without challenges · S with some challenges · M with major challenges · U unable to be performed)"
    );
    if o.objectives.is_empty() && o.expectations.is_empty() {
        let _ = writeln!(out, "  (the scenario states no objectives or expectations)");
    }
    for obj in &o.objectives {
        let _ = writeln!(
            out,
            "  {} {}  {} — {} success, {} partial, {} failed, {} pending",
            obj.id,
            rating(obj.rating),
            obj.title,
            obj.success,
            obj.partial,
            obj.failed,
            obj.pending
        );
        let unmet: Vec<_> = o
            .expectations
            .iter()
            .filter(|e| e.objective.as_deref() == Some(obj.id.as_str()))
            .filter(|e| e.status != ExpStatus::Success)
            .collect();
        if unmet.len() > MAX_UNMET {
            let _ = writeln!(
                out,
                "      … {} more not met; first {MAX_UNMET}:",
                unmet.len() - MAX_UNMET
            );
        }
        for e in unmet.into_iter().take(MAX_UNMET) {
            let _ = writeln!(
                out,
                "      {} {} {} {}: {}",
                e.id,
                status(e.status),
                e.actor,
                e.does,
                e.reason
            );
        }
    }
    let loose: Vec<String> = o
        .expectations
        .iter()
        .filter(|e| {
            e.objective
                .as_deref()
                .is_none_or(|id| !scenario.objectives.iter().any(|x| x.id == id))
        })
        .map(|e| format!("{} {}", e.id, status(e.status)))
        .collect();
    if !loose.is_empty() {
        let _ = writeln!(
            out,
            "  expectations outside any objective: {}",
            loose.join(", ")
        );
    }
    let c = &o.coverage;
    let not_counted: Vec<&str> = c
        .injects
        .iter()
        .filter(|i| !i.counted)
        .map(|i| i.inject.as_str())
        .collect();
    let _ = writeln!(
        out,
        "\nMSEL COVERAGE: {} of {} injects that call for a response are checked by an expectation ({}){}",
        c.covered,
        c.total,
        rate(c.ratio),
        if not_counted.is_empty() {
            String::new()
        } else {
            format!("; control messages not counted: {}", not_counted.join(", "))
        }
    );
    if !c.uncovered.is_empty() {
        let _ = writeln!(out, "  unchecked injects: {}", c.uncovered.join(", "));
    }
}

/// A compact text scorecard for the terminal.
pub fn render(card: &Scorecard, scenario: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "SCORECARD · {} · seed {} · {}h · CI service-hours lost {}",
        card.scenario,
        card.seed,
        hours(card.duration_hours),
        hours(card.service.total_service_hours_lost)
    );
    for w in &card.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    out.push('\n');
    escalation(&mut out, card);
    latency(&mut out, card);
    norms(&mut out, card);
    cbm(&mut out, card);
    objectives(&mut out, card, scenario);
    out
}
