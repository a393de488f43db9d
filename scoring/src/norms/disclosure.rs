//! Norms i (supply-chain integrity: tell the users and CERTs of a compromised product from a vendor
//! under one's jurisdiction, and do not exploit it) and j (disclose vulnerabilities one finds,
//! instead of keeping and exploiting them). The clock starts when the state itself learns of the
//! item (`compromise_found` / `vulnerability_found`): nobody can disclose what it does not know.

use super::{Cx, Due, Evidence, Outcome, due, h as hrs};
use crate::index::At;
use ttx_scenario::{MessageKind, Name, TraceEvent};

/// Judges a disclosure due `disclose` after `found`: a report from the state about the item to an
/// acceptable recipient.
fn disclosure(
    cx: &Cx,
    opened: At,
    found: At,
    item: &str,
    state: Name,
    to_ok: impl Fn(&str) -> bool,
    mut records: Vec<u32>,
) -> Evidence {
    let target = cx.targets.disclose.0;
    let report = cx
        .ix
        .about(MessageKind::VulnerabilityReport, state, item)
        .find(|s| to_ok(&s.m.to));
    records.push(found.n);
    records.extend(report.map(|r| r.at.n));
    let (o, t, reason) = match due(report.map(|r| r.at.t), found.t, target, cx.end()) {
        Due::OnTime(t) => (
            Outcome::Fulfilled,
            t,
            cx.reason(|| {
                format!(
                    "disclosed {item} ({}) {} after learning of it (target {})",
                    report.map_or("", |r| r.m.msg.as_str()),
                    hrs(t - found.t),
                    hrs(target)
                )
            }),
        ),
        Due::Late(t) => (
            Outcome::Violated,
            found.t + target,
            cx.reason(|| {
                format!(
                    "disclosed {item} only {} after learning of it, past the {} target",
                    hrs(t - found.t),
                    hrs(target)
                )
            }),
        ),
        Due::Missed => (
            Outcome::Violated,
            found.t + target,
            cx.reason(|| format!("stayed silent about {item} past the {} target", hrs(target))),
        ),
        Due::Open => (
            Outcome::Pending,
            cx.end(),
            cx.reason(|| {
                format!("{item} not yet disclosed when the exercise ended, target not yet passed")
            }),
        ),
    };
    cx.evidence(opened.n, t, o, reason, &records)
}

/// Norm i: each supply-chain compromise of a vendor under the state. Violated if the state directed
/// the compromise or exploited it; otherwise fulfilled iff it sent a vulnerability report about
/// the item to an affected state (any other state when only it is affected) within the disclose
/// target of finding it. Never found by the state: pending.
pub(super) fn i(cx: &Cx, state: Name) -> Vec<Evidence> {
    let mut out = Vec::new();
    for r in cx.ix.compromises_under(state) {
        let TraceEvent::CompromiseStarted {
            item,
            vendor,
            affected,
            directed_by,
            ..
        } = &r.event
        else {
            continue;
        };
        let opened = At { n: r.n, t: r.t };
        if *directed_by == Some(state) {
            let reason =
                cx.reason(|| format!("directed the compromise {item} of its own vendor {vendor}"));
            out.push(cx.evidence(r.n, r.t, Outcome::Violated, reason, &[r.n]));
            continue;
        }
        if let Some(x) = cx.ix.exploited(item, state) {
            let reason = cx.reason(|| {
                format!("exploited the compromise {item} instead of informing its users")
            });
            out.push(cx.evidence(r.n, x.t, Outcome::Violated, reason, &[r.n, x.n]));
            continue;
        }
        let users: Vec<&str> = affected
            .iter()
            .filter_map(|a| cx.sc.infra(a).map(|x| x.state.as_str()))
            .filter(|&s| s != state)
            .collect();
        let to_ok = |to: &str| {
            if users.is_empty() {
                to != state
            } else {
                users.contains(&to)
            }
        };
        match cx.ix.compromise_found(item, state) {
            Some(found) => out.push(disclosure(cx, opened, found, item, state, to_ok, vec![r.n])),
            None => {
                let reason = cx.reason(|| {
                    format!("{state} never learned of the compromise {item} by the end")
                });
                out.push(cx.evidence(r.n, cx.end(), Outcome::Pending, reason, &[r.n]));
            }
        }
    }
    out
}

/// Norm j: each vulnerability the state finds. Violated if it exploits it; otherwise fulfilled
/// iff, within the disclose target of finding it, it sends a vulnerability report about it to the
/// vendor's state (unless that is itself) and to at least one other state's CERT (guidance ii:
/// share through the CERT coordination mechanisms) — the vendor alone does not protect the other
/// users. When the scenario has no state besides finder and vendor, the vendor suffices.
pub(super) fn j(cx: &Cx, state: Name) -> Vec<Evidence> {
    let mut out = Vec::new();
    let target = cx.targets.disclose.0;
    for r in cx.ix.vulnerabilities_found_by(state) {
        let TraceEvent::VulnerabilityFound {
            item, vendor_state, ..
        } = &r.event
        else {
            continue;
        };
        if let Some(x) = cx.ix.exploited(item, state) {
            let reason = cx
                .reason(|| format!("exploited the vulnerability {item} instead of disclosing it"));
            out.push(cx.evidence(r.n, x.t, Outcome::Violated, reason, &[r.n, x.n]));
            continue;
        }
        let reports = || cx.ix.about(MessageKind::VulnerabilityReport, state, item);
        let vendor = (*vendor_state != state).then(|| reports().find(|m| m.m.to == *vendor_state));
        let others_exist = cx
            .sc
            .states
            .iter()
            .any(|x| x.id != *state && x.id != *vendor_state);
        let certs = others_exist.then(|| {
            reports()
                .find(|m| m.m.to != *vendor_state && m.m.to != state && cx.state(&m.m.to).is_some())
        });
        if vendor.is_none() && certs.is_none() {
            continue; // the vendor's own state, alone in the scenario: nobody to tell
        }
        let mut records = vec![r.n];
        // Each recipient the rule needs: who, and the report that reached them (if any).
        let needed: Vec<(&str, Option<&crate::index::Sent>)> = [
            vendor.map(|v| ("the vendor's state", v)),
            certs.map(|c| ("another state's CERT", c)),
        ]
        .into_iter()
        .flatten()
        .collect();
        records.extend(needed.iter().filter_map(|(_, m)| m.map(|m| m.at.n)));
        let last = needed
            .iter()
            .map(|(_, m)| m.map(|m| m.at.t))
            .max()
            .flatten();
        // Whom it told, for reasons only: the outcome rests on `missing` and `last`.
        let told = || -> Vec<String> {
            needed
                .iter()
                .filter_map(|(who, m)| m.map(|m| format!("{who} ({})", m.m.msg)))
                .collect()
        };
        let missing: Vec<&str> = needed
            .iter()
            .filter(|(_, m)| m.is_none())
            .map(|(who, _)| *who)
            .collect();
        let found = r.t;
        let complete = missing.is_empty() && !needed.is_empty();
        let (o, t, reason) = match due(last.filter(|_| complete), found, target, cx.end()) {
            Due::OnTime(t) => (
                Outcome::Fulfilled,
                t,
                cx.reason(|| {
                    format!(
                        "disclosed {item} to {} within {} of finding it (target {})",
                        told().join(" and "),
                        hrs(t - found),
                        hrs(target)
                    )
                }),
            ),
            Due::Late(t) => (
                Outcome::Violated,
                found + target,
                cx.reason(|| {
                    format!(
                        "disclosed {item} to {} only {} after finding it, past the {} target",
                        told().join(" and "),
                        hrs(t - found),
                        hrs(target)
                    )
                }),
            ),
            Due::Missed => (
                Outcome::Violated,
                found + target,
                cx.reason(|| {
                    let told = told();
                    if told.is_empty() {
                        format!("stayed silent about {item} past the {} target", hrs(target))
                    } else {
                        format!(
                            "disclosed {item} to {} but never to {} (guidance ii: share through the CERT network)",
                            told.join(" and "),
                            missing.join(" or ")
                        )
                    }
                }),
            ),
            Due::Open => (
                Outcome::Pending,
                cx.end(),
                cx.reason(|| {
                    format!(
                        "{item} not yet fully disclosed when the exercise ended, target not yet passed"
                    )
                }),
            ),
        };
        out.push(cx.evidence(r.n, t, o, reason, &records));
    }
    out
}
