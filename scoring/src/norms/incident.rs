//! Norms about an incident's course: c (a state notified of activity from its territory
//! acknowledges through the corresponding PoC and acts, or asks for help) and g (a state's CERT
//! detects and ends incidents on its own infrastructure in time).

use super::{Cx, Due, Evidence, Outcome, due, h as hrs};
use ttx_scenario::{MessageKind, Name};

/// Norm c, guidance i and ii, judged on the response to a notification. One opportunity per
/// (incident, notified state) when the notified state is the territory the activity came from
/// and a notification reached it through any channel — a bounced technical notification re-sent
/// through the diplomatic PoC is one opportunity, judged on the first notification that got
/// through. A state whose territory was not used (the operation was routed through a third
/// country) has no c opportunity; directing an operation is judged under f and k and shows on
/// the ladder, so a directing state that is notified and does nothing breaches c once.
/// Fulfilled when the state acknowledges through the channel and PoC level the notification
/// came on within the acknowledge target, then, within the mitigate target of its
/// acknowledgement, reports mitigation or (lacking capacity, guidance c ii) asks for assistance.
pub(super) fn c(cx: &Cx, state: Name) -> Vec<Evidence> {
    let mut out = Vec::new();
    let end = cx.end();
    let (t_ack, t_mit) = (cx.targets.acknowledge.0, cx.targets.mitigate.0);
    let from_its_territory = cx.ix.notified_of(state).into_iter();
    for (inc, n) in from_its_territory.filter(|(inc, _)| inc.territory == state) {
        let note = n.chosen;
        let Some(delivered) = note.delivered else {
            continue;
        };
        let from = note.at.t;
        let mut records = vec![note.at.n, delivered.n];
        records.extend(n.ack.map(|a| a.at.n));
        let what = cx.reason(|| format!("notification {} about {}", note.m.msg, inc.id));
        let judged = |outcome, t, reason: String, records: &[u32]| {
            cx.evidence(note.at.n, t, outcome, reason, records)
        };

        let ack = match due(n.ack.map(|a| a.at.t), from, t_ack, end) {
            Due::OnTime(_) => n.ack.expect("on time means answered"),
            Due::Late(t) => {
                let reason = cx.reason(|| {
                    format!(
                        "acknowledged {what} only after {}, past the {} target",
                        hrs(t - from),
                        hrs(t_ack)
                    )
                });
                out.push(judged(Outcome::Violated, from + t_ack, reason, &records));
                continue;
            }
            Due::Missed => {
                // Mitigating without acknowledging still leaves the notifying state in the dark.
                records.extend(n.mitigation.map(|m| m.at.n));
                let reason = cx.reason(|| {
                    let also = n.mitigation.map_or(String::new(), |m| {
                        format!(", though it reported mitigation ({})", m.m.msg)
                    });
                    format!("never acknowledged {what} (target {}){also}", hrs(t_ack))
                });
                out.push(judged(Outcome::Violated, from + t_ack, reason, &records));
                continue;
            }
            Due::Open => {
                let reason = cx.reason(|| {
                    format!("{what} not yet acknowledged when the exercise ended (not counted)")
                });
                out.push(judged(Outcome::Pending, end, reason, &records));
                continue;
            }
        };
        // The acknowledgement must come back the way the notification came: same channel,
        // same PoC level.
        let asked = ack.m.refers_to.as_deref().and_then(|r| cx.ix.msg(r));
        let way =
            |channel: ttx_scenario::Channel, level: Option<ttx_scenario::PocLevel>| match level {
                Some(l) => format!("{} PoC", l.as_str()),
                None => format!("{channel:?} channel").to_lowercase(),
            };
        if let Some(asked) = asked
            && (ack.m.channel, ack.m.level) != (asked.m.channel, asked.m.level)
        {
            let reason = cx.reason(|| {
                format!(
                    "acknowledged {what} ({}) through the {}, but the notification came through the {}",
                    ack.m.msg,
                    way(ack.m.channel, ack.m.level),
                    way(asked.m.channel, asked.m.level)
                )
            });
            out.push(judged(Outcome::Violated, ack.at.t, reason, &records));
            continue;
        }
        let acted = [
            MessageKind::MitigationReport,
            MessageKind::AssistanceRequest,
        ]
        .into_iter()
        .filter_map(|k| cx.ix.first_about(k, state, inc.id, note.at.n))
        .min_by_key(|s| s.at.n);
        records.extend(acted.map(|s| s.at.n));
        let acked = cx.reason(|| {
            format!(
                "acknowledged {what} in {} through the matching {}",
                hrs(ack.at.t - from),
                way(ack.m.channel, ack.m.level)
            )
        });
        let (outcome, t, reason) = match due(acted.map(|s| s.at.t), ack.at.t, t_mit, end) {
            Due::OnTime(t) => {
                let s = acted.expect("on time means acted");
                let reason = cx.reason(|| {
                    let action = if s.is(MessageKind::MitigationReport) {
                        format!("reported mitigation ({})", s.m.msg)
                    } else {
                        format!("asked for assistance ({}, guidance c ii)", s.m.msg)
                    };
                    format!("{acked}, then {action} {} later", hrs(t - ack.at.t))
                });
                (Outcome::Fulfilled, t, reason)
            }
            Due::Late(t) => (
                Outcome::Violated,
                ack.at.t + t_mit,
                cx.reason(|| format!(
                    "{acked}, but reported mitigation or asked for assistance only {} later, past the {} target",
                    hrs(t - ack.at.t),
                    hrs(t_mit)
                )),
            ),
            Due::Missed => (
                Outcome::Violated,
                ack.at.t + t_mit,
                cx.reason(|| {
                    format!(
                        "{acked}, but neither reported mitigation nor asked for assistance within {}",
                        hrs(t_mit)
                    )
                }),
            ),
            Due::Open => (
                Outcome::Pending,
                end,
                cx.reason(|| {
                    format!("{acked}; mitigation not yet due when the exercise ended (not counted)")
                }),
            ),
        };
        out.push(judged(outcome, t, reason, &records));
    }
    out
}

/// Norm g: each incident on the state's own critical infrastructure is detected within the
/// detect target of its start and ended — contained by the state's CERT, mitigated at its origin,
/// or prevented by protection already in place — within the contain target of detection. An
/// incident on infrastructure that is not critical (by sector, or `critical: false`) gives g no
/// opportunity.
pub(super) fn g(cx: &Cx, state: Name) -> Vec<Evidence> {
    let mut out = Vec::new();
    let end = cx.end();
    let (t_det, t_con) = (cx.targets.detect.0, cx.targets.contain.0);
    for inc in cx.ix.incidents_against(state).filter(|i| cx.critical(i)) {
        let start = inc.at.t;
        let det = cx.ix.detection(inc.id, state);
        let ended = cx.ix.ended(inc.id);
        let mut records = vec![inc.at.n];
        records.extend(det.map(|d| d.n));
        let what = cx.reason(|| format!("{} on {}", inc.id, inc.target));
        let push = |out: &mut Vec<Evidence>, o, t, reason: String, records: &[u32]| {
            out.push(cx.evidence(inc.at.n, t, o, reason, records));
        };
        let det = match due(det.map(|d| d.t), start, t_det, end) {
            Due::OnTime(_) => det.expect("detected"),
            Due::Late(t) => {
                let reason = cx.reason(|| {
                    format!(
                        "detected {what} only after {}, past the {} target",
                        hrs(t - start),
                        hrs(t_det)
                    )
                });
                push(&mut out, Outcome::Violated, start + t_det, reason, &records);
                continue;
            }
            Due::Missed => {
                let reason = cx.reason(|| format!("never detected {what} (target {})", hrs(t_det)));
                push(&mut out, Outcome::Violated, start + t_det, reason, &records);
                continue;
            }
            Due::Open => {
                let reason =
                    cx.reason(|| format!("{what} not yet detected when the exercise ended"));
                push(&mut out, Outcome::Pending, end, reason, &records);
                continue;
            }
        };
        records.extend(ended.map(|e| e.at.n));
        let how = |e: &crate::index::Ended| match e.how {
            ttx_scenario::trace::EndReason::Contained => format!("contained by {}", e.state),
            ttx_scenario::trace::EndReason::Mitigated => {
                format!("mitigated at origin by {}", e.state)
            }
            ttx_scenario::trace::EndReason::Prevented => {
                format!("prevented by {}'s protection", e.state)
            }
        };
        let detected = cx.reason(|| format!("detected {what} in {}", hrs(det.t - start)));
        let (o, t, reason) = match (due(ended.map(|e| e.at.t), det.t, t_con, end), ended) {
            (Due::OnTime(t), Some(e)) => (
                Outcome::Fulfilled,
                t,
                cx.reason(|| format!("{detected}; {} {} after detection", how(e), hrs(t - det.t))),
            ),
            (Due::Late(t), Some(e)) => (
                Outcome::Violated,
                det.t + t_con,
                cx.reason(|| {
                    format!(
                        "{detected}, but it was {} only {} after detection, past the {} target",
                        how(e),
                        hrs(t - det.t),
                        hrs(t_con)
                    )
                }),
            ),
            (Due::Open, _) => (
                Outcome::Pending,
                end,
                cx.reason(|| {
                    format!(
                        "{detected}; still active when the exercise ended, containment not yet due"
                    )
                }),
            ),
            _ => (
                Outcome::Violated,
                det.t + t_con,
                cx.reason(|| format!("{detected}, but it was not contained within {}", hrs(t_con))),
            ),
        };
        push(&mut out, o, t, reason, &records);
    }
    out
}
