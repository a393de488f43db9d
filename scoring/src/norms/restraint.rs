//! Norms of restraint: e (respond to disinformation without restricting rights), f (conduct or
//! knowingly support no operation against another state's critical infrastructure) and k (leave
//! other states' CERTs alone and do not use one's own for malicious activity). Restraint only
//! shows when there was something to restrain: for f and k a state earns a fulfilled opportunity
//! for each state it was in dispute with (steps ≥ 3 exchanged either way) and did not strike.

use super::{Cx, Evidence, Outcome};
use crate::index::IncidentFacts;
use std::collections::BTreeMap;
use ttx_scenario::{MessageKind, Name, Sector, TraceEvent};

/// Norm e: each disinformation campaign against the state is an opportunity, fulfilled if the
/// state took no rights-restricting measure (internet shutdown, blanket blocking) about it; any
/// such measure not tied to a campaign is a violation of its own.
pub(super) fn e(cx: &Cx, state: Name) -> Vec<Evidence> {
    let measures: Vec<_> = cx
        .ix
        .sent_by(state)
        .filter(|s| s.is(MessageKind::Measure) && s.m.measure.is_some_and(|m| m.restricts_rights()))
        .collect();
    let mut used = vec![false; measures.len()];
    let mut out = Vec::new();
    for r in cx.ix.disinformation_against(state) {
        let TraceEvent::DisinformationStarted { item, .. } = &r.event else {
            continue;
        };
        let hits: Vec<usize> = (0..measures.len())
            .filter(|&i| measures[i].about() == Some(item.as_str()))
            .collect();
        let mut records = vec![r.n];
        match hits.first() {
            Some(&first) => {
                let m = measures[first];
                for &i in &hits {
                    used[i] = true;
                    records.push(measures[i].at.n);
                }
                let reason = cx.reason(|| format!(
                    "answered disinformation campaign {item} with a rights-restricting measure: {:?} ({})",
                    m.m.measure.expect("filtered"),
                    m.m.msg
                ));
                out.push(cx.evidence(r.n, m.at.t, Outcome::Violated, reason, &records));
            }
            None => {
                let reason = cx.reason(|| format!(
                    "answered disinformation campaign {item} without internet shutdowns or blanket blocking"
                ));
                out.push(cx.evidence(r.n, cx.end(), Outcome::Fulfilled, reason, &records));
            }
        }
    }
    for (m, _) in measures.iter().zip(&used).filter(|(_, u)| !**u) {
        let reason = cx.reason(|| {
            format!(
                "took a rights-restricting measure: {:?} ({})",
                m.m.measure.expect("filtered"),
                m.m.msg
            )
        });
        out.push(cx.evidence(m.at.n, m.at.t, Outcome::Violated, reason, &[m.at.n]));
    }
    out
}

/// Other states the state exchanged escalation steps ≥ 3 with, and the first such step's record.
fn disputes(cx: &Cx, state: Name) -> BTreeMap<Name, u32> {
    let mut out: BTreeMap<Name, u32> = BTreeMap::new();
    let involving = cx.ix.sent_by(state).chain(cx.ix.sent_to(state));
    let mut steps: Vec<_> = involving
        .filter(|s| s.m.step.is_some_and(|l| l >= 3))
        .collect();
    steps.sort_by_key(|s| s.at.n);
    steps.dedup_by_key(|s| s.at.n);
    for s in steps {
        if s.m.step.is_none_or(|l| l < 3) {
            continue;
        }
        let other = if s.m.from == state {
            &s.m.to
        } else if s.m.to == state {
            &s.m.from
        } else {
            continue;
        };
        if *other != state && cx.state(other).is_some() {
            out.entry(*other).or_insert(s.at.n);
        }
    }
    out
}

/// Shared shape of f and k: violations are incidents the state directed or knowingly supported
/// (2015 ¶13 f and k: "conduct or knowingly support") that `hits` judges harmful, against
/// another state; fulfilled opportunities are dispute partners it spared.
fn restraint(
    cx: &Cx,
    state: Name,
    what: &str,
    hits: impl Fn(&IncidentFacts) -> Option<String>,
) -> Vec<Evidence> {
    let mut out = Vec::new();
    let mut struck: Vec<Name> = Vec::new();
    for inc in cx.ix.incidents_backed_by(state) {
        let directs = inc.directed_by == Some(state);
        if inc.target_state == state {
            continue;
        }
        let Some(why) = hits(inc) else { continue };
        struck.push(inc.target_state);
        let mut records = vec![inc.at.n];
        let launched = inc.launched_by.and_then(|m| cx.ix.msg(m));
        records.extend(launched.map(|m| m.at.n));
        let reason = cx.reason(|| {
            let by = launched.map_or(String::new(), |m| {
                format!(", launched by its escalation step {}", m.m.msg)
            });
            let role = if directs {
                "directed".to_string()
            } else {
                format!("knowingly supported {}, which carried out", inc.by)
            };
            format!(
                "{role} {} against {} of {}: {why}{by}",
                inc.id, inc.target, inc.target_state
            )
        });
        out.push(cx.evidence(inc.at.n, inc.at.t, Outcome::Violated, reason, &records));
    }
    for (other, n) in disputes(cx, state) {
        if struck.contains(&other) {
            continue;
        }
        let reason = cx.reason(|| format!(
            "in dispute with {other} (steps ≥ 3 from record {n}) and directed no operation against its {what}"
        ));
        out.push(cx.evidence(n, cx.end(), Outcome::Fulfilled, reason, &[n]));
    }
    out
}

/// Norm f: incidents the state directs (itself or through a proxy, including operations launched
/// as escalation steps) or knowingly supports against critical infrastructure of another state
/// are violations. Critical: as the scenario marks the target, else by sector — CERT systems
/// included, so striking another state's CERT breaches both f and k.
pub(super) fn f(cx: &Cx, state: Name) -> Vec<Evidence> {
    restraint(cx, state, "critical infrastructure", |inc| {
        cx.critical(inc)
            .then(|| cx.reason(|| format!("{:?} is critical infrastructure", inc.sector)))
    })
}

/// Norm k: incidents the state directs against another state's CERT systems, or carried out by an
/// actor operating from its own CERT, are violations.
pub(super) fn k(cx: &Cx, state: Name) -> Vec<Evidence> {
    restraint(cx, state, "CERT", |inc| {
        if inc.sector == Sector::CertSystems {
            Some(cx.reason(|| "the target is a national CERT's systems".into()))
        } else if inc.uses_cert {
            Some(cx.reason(|| "the operation was run from its own CERT".into()))
        } else {
            None
        }
    })
}
