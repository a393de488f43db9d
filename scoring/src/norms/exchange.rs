//! Norms about answering what other states send: a (cooperate — answer PoC checks, information
//! requests and clarification requests, stay reachable), d (answer law-enforcement cooperation requests) and
//! h (answer requests for assistance with nature, scope, terms and timeframe, then deliver).

use super::{Cx, Due, Evidence, Outcome, due, evidence_of, h as hrs, push_hours};
use crate::Detail;
use crate::index::Sent;
use crate::latency::answer_to;
use ttx_scenario::{Channel, MessageKind, Name};

/// A request that expects a reply of `reply` kind within `target`: on time fulfils, late or
/// never violates, unanswered with time still left is pending ("not counted").
fn request_reply(cx: &Cx, s: &Sent, reply: MessageKind, target: i64, state: Name) -> Evidence {
    let ans = cx.ix.first_reply(s, reply, state);
    // As `Cx::evidence`: records for a full scorecard only.
    let mut records = Vec::new();
    if cx.detail == Detail::Full {
        records.reserve_exact(3);
        records.push(s.at.n);
        records.extend(s.delivered.map(|d| d.n));
        records.extend(ans.map(|a| a.at.n));
    }
    let from = s.at.t;
    let answered = due(ans.map(|a| a.at.t), from, target, cx.end());
    let (outcome, t) = match answered {
        Due::OnTime(t) => (Outcome::Fulfilled, t),
        Due::Late(_) | Due::Missed => (Outcome::Violated, from + target),
        Due::Open => (Outcome::Pending, cx.end()),
    };
    let reason = cx.reason(|| {
        let (kind, id) = (s.m.kind.label(), s.m.msg.as_str());
        // Pushed piece by piece into one buffer sized for the longest reason: a directory
        // exercise has a reason per ping, and `format!` grew its string two or three times for
        // each.
        let mut r = String::with_capacity(80 + kind.len() + id.len());
        match answered {
            Due::OnTime(t) => {
                for part in ["answered ", kind, " ", id, " in "] {
                    r.push_str(part);
                }
                push_hours(&mut r, t - from);
                r.push_str(" (target ");
                cx.push_target(&mut r, target);
                r.push(')');
            }
            Due::Late(t) => {
                for part in ["answered ", kind, " ", id, " only after "] {
                    r.push_str(part);
                }
                push_hours(&mut r, t - from);
                r.push_str(", past the ");
                cx.push_target(&mut r, target);
                r.push_str(" target");
            }
            Due::Missed => {
                for part in ["never answered ", kind, " ", id, " (target "] {
                    r.push_str(part);
                }
                cx.push_target(&mut r, target);
                r.push(')');
            }
            Due::Open => {
                for part in [kind, " ", id, " unanswered when the exercise ended, "] {
                    r.push_str(part);
                }
                push_hours(&mut r, cx.end() - from);
                r.push_str(" into its ");
                cx.push_target(&mut r, target);
                r.push_str(" target (not counted)");
            }
        }
        r
    });
    evidence_of(s.at.n, t, outcome, reason, records)
}

/// Norm a: each ping, information request and clarification request delivered to the state is
/// answered (by a ping reply, an information share, a clarification) within its target; each message that bounced at a PoC the state designated is a violation, because a
/// designated PoC that cannot be reached is what regular PoC exercises exist to find
/// (Chair's summary ¶30).
pub(super) fn a(cx: &Cx, state: Name) -> Vec<Evidence> {
    let mut out = Vec::new();
    for s in cx.ix.sent_to(state) {
        if let Some((fail, why)) = s.failed {
            let level = s.m.level;
            // Looked up only here: most states of a directory exercise have nothing bounce.
            let designated = cx.state(&state).map(|s| &s.pocs);
            let at_designated = designated
                .zip(level)
                .is_some_and(|(pocs, l)| pocs.iter().any(|p| p.level == l));
            if s.m.channel == Channel::Poc && at_designated {
                let level = level.map_or("", |l| l.as_str());
                let reason = cx.reason(|| {
                    format!(
                        "{} {} bounced at its {level} PoC: {why}",
                        s.m.kind.label(),
                        s.m.msg
                    )
                });
                let records = [s.at.n, fail.n];
                out.push(cx.evidence(fail.n, fail.t, Outcome::Violated, reason, &records));
            }
            continue;
        }
        if s.delivered.is_none() {
            continue;
        }
        let (reply, target) = match s.m.kind {
            MessageKind::Ping => (MessageKind::PingReply, cx.targets.ping_reply.0),
            MessageKind::ClarificationRequest => {
                (MessageKind::Clarification, cx.targets.clarification.0)
            }
            MessageKind::InformationRequest => {
                (MessageKind::InformationShare, cx.targets.information.0)
            }
            _ => continue,
        };
        out.push(request_reply(cx, s, reply, target, state));
    }
    out
}

/// Norm d: each law-enforcement cooperation request (e.g. evidence preservation) delivered to
/// the state is answered within the legal_reply target.
pub(super) fn d(cx: &Cx, state: Name) -> Vec<Evidence> {
    cx.ix
        .sent_to(state)
        .filter(|s| s.is(MessageKind::LegalRequest) && s.delivered.is_some())
        .map(|s| {
            request_reply(
                cx,
                s,
                MessageKind::LegalReply,
                cx.targets.legal_reply.0,
                state,
            )
        })
        .collect()
}

/// Norm h: each assistance request delivered to the state is acknowledged and answered (an offer
/// stating nature, scope, terms and timeframe, or a decline), both within the assistance_answer
/// target; what was offered is delivered within the offered timeframe. A delivery falling due
/// after the end is not counted against the state.
pub(super) fn h(cx: &Cx, state: Name) -> Vec<Evidence> {
    let mut out = Vec::new();
    let target = cx.targets.assistance_answer.0;
    let end = cx.end();
    for r in cx.ix.sent_to(state) {
        if !r.is(MessageKind::AssistanceRequest) || r.delivered.is_none() {
            continue;
        }
        let from = r.at.t;
        let ack = cx.ix.first_reply(r, MessageKind::Acknowledgement, state);
        let answer = answer_to(cx.ix, r);
        let mut records = vec![r.at.n];
        records.extend(r.delivered.map(|d| d.n));
        records.extend(ack.map(|a| a.at.n));
        records.extend(answer.map(|a| a.at.n));
        // (when it became a violation, why)
        let mut violations: Vec<(i64, String)> = Vec::new();
        let mut pending: Option<String> = None;
        let mut decided = from;
        let what = cx.reason(|| format!("assistance request {}", r.m.msg));
        for (label, reply) in [("acknowledged", ack), ("answered", answer)] {
            match due(reply.map(|a| a.at.t), from, target, end) {
                Due::OnTime(t) => decided = decided.max(t),
                Due::Late(t) => violations.push((
                    from + target,
                    cx.reason(|| {
                        format!(
                            "{label} {what} only after {}, past the {} target",
                            hrs(t - from),
                            hrs(target)
                        )
                    }),
                )),
                Due::Missed => violations.push((
                    from + target,
                    cx.reason(|| format!("never {label} {what} (target {})", hrs(target))),
                )),
                Due::Open => {
                    pending.get_or_insert(cx.reason(|| {
                        format!("{what} not yet {label} when the exercise ended (not counted)")
                    }));
                }
            }
        }
        let mut done = cx.reason(|| format!("acknowledged and answered {what}"));
        if let Some(offer) = answer.filter(|a| a.is(MessageKind::AssistanceOffer)) {
            let missing: Vec<&str> = match &offer.m.offer {
                None => vec!["nature", "scope", "terms", "timeframe"],
                Some(o) => [
                    ("nature", o.nature.trim().is_empty()),
                    ("scope", o.scope.trim().is_empty()),
                    ("terms", o.terms.trim().is_empty()),
                    ("timeframe", o.timeframe.0 <= 0),
                ]
                .into_iter()
                .filter_map(|(f, empty)| empty.then_some(f))
                .collect(),
            };
            if !missing.is_empty() {
                violations.push((
                    offer.at.t,
                    cx.reason(|| {
                        format!(
                            "offer {} does not state its {}",
                            offer.m.msg,
                            missing.join(", ")
                        )
                    }),
                ));
            }
            let timeframe = offer.m.offer.as_ref().map_or(0, |o| o.timeframe.0);
            let due_at = offer.at.t + timeframe;
            let delivered = cx
                .ix
                .first_reply(r, MessageKind::AssistanceDelivered, state);
            records.extend(delivered.map(|d| d.at.n));
            match delivered {
                Some(d) if d.at.t <= due_at => {
                    decided = d.at.t;
                    done = cx.reason(|| format!(
                        "acknowledged and answered {what}, offered help ({}) and delivered it ({}) within the offered {}",
                        offer.m.msg,
                        d.m.msg,
                        hrs(timeframe)
                    ));
                }
                Some(d) => violations.push((
                    due_at,
                    cx.reason(|| format!(
                        "delivered the assistance offered in {} ({}) {} after the offer, past its own {} timeframe",
                        offer.m.msg,
                        d.m.msg,
                        hrs(d.at.t - offer.at.t),
                        hrs(timeframe)
                    )),
                )),
                None if due_at <= end => violations.push((
                    due_at,
                    cx.reason(|| {
                        format!(
                            "never delivered the assistance offered in {} (timeframe {})",
                            offer.m.msg,
                            hrs(timeframe)
                        )
                    }),
                )),
                None => {
                    pending.get_or_insert(cx.reason(|| {
                        format!(
                            "offered help in {}; delivery falls due after the end (not counted)",
                            offer.m.msg
                        )
                    }));
                }
            }
        } else if let Some(decline) = answer {
            done = cx.reason(|| format!("acknowledged {what} and declined it ({})", decline.m.msg));
        }
        let e = if let Some(&(t, _)) = violations.iter().min_by_key(|v| v.0) {
            let reason = cx.reason(|| {
                let reasons: Vec<String> = violations.into_iter().map(|v| v.1).collect();
                reasons.join("; ")
            });
            cx.evidence(r.at.n, t, Outcome::Violated, reason, &records)
        } else if let Some(p) = pending {
            cx.evidence(r.at.n, end, Outcome::Pending, p, &records)
        } else {
            cx.evidence(r.at.n, decided, Outcome::Fulfilled, done, &records)
        };
        out.push(e);
    }
    out
}
