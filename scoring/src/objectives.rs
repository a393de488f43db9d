//! Exercise objectives in HSEEP terms. Each expectation ("borealia acknowledges inc-1 within 24h")
//! starts when its trigger happens in the trace, has a deadline, and ends SUCCESS (done by the
//! deadline), PARTIAL (done late), FAILED (not done and the deadline passed) or PENDING (never
//! triggered, or the deadline lies after the end). Objectives are rated from their decided
//! expectations: P (performed without challenges: all SUCCESS), S (some challenges: mean ≥ 0.75
//! with SUCCESS = 1, PARTIAL = ½, FAILED = 0), M (major challenges: mean ≥ 0.25), U (unable to
//! be performed); no rating when every expectation is PENDING — absence of evidence is not a P.
//!
//! An expectation written in free text (`Judged(…)`) is judged by an evaluator, not from the
//! trace: it NEEDS_EVALUATOR (neither met nor failed, left out of the rating like PENDING) until a
//! `rating` record rates it; then it takes that rating (the latest, if it was revised) and counts
//! in its objective's rating like any other.

use crate::Detail;
use crate::coverage::{self, Coverage};
use crate::index::{At, Index};
use crate::stats::r3;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use ttx_scenario::live::Rating as LiveRating;
use ttx_scenario::time::Clock;
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{Action, Expect, MessageKind, Name, Scenario, TraceEvent};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExpStatus {
    Success,
    Partial,
    Failed,
    Pending,
    /// Written in free text and not rated yet by an evaluator.
    NeedsEvaluator,
}

/// HSEEP performance rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

impl Rating {
    pub fn meaning(self) -> &'static str {
        match self {
            Rating::P => "performed without challenges",
            Rating::S => "performed with some challenges",
            Rating::M => "performed with major challenges",
            Rating::U => "unable to be performed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpectationResult {
    pub id: Name,
    pub actor: Name,
    /// What was expected, e.g. "acknowledge inc-1".
    pub does: String,
    pub norm: Option<Name>,
    pub objective: Option<Name>,
    pub status: ExpStatus,
    pub trigger_n: Option<u32>,
    pub trigger_t: Option<i64>,
    pub deadline_t: Option<i64>,
    pub done_n: Option<u32>,
    pub done_t: Option<i64>,
    /// Trigger and completion records.
    pub evidence: Vec<u32>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveResult {
    pub id: Name,
    pub title: String,
    pub rating: Option<Rating>,
    /// Mean of SUCCESS 1 / PARTIAL ½ / FAILED 0 over decided expectations.
    pub score: Option<f64>,
    pub success: u32,
    pub partial: u32,
    pub failed: u32,
    pub pending: u32,
    /// Expectations in free text no evaluator has rated yet.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub needs_evaluator: u32,
    pub expectations: Vec<Name>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Objectives {
    /// In scenario order.
    pub expectations: Vec<ExpectationResult>,
    /// In scenario order.
    pub objectives: Vec<ObjectiveResult>,
    pub coverage: Coverage,
}

/// An expectation's ids, named once per scenario ([`Scorer`](crate::Scorer)): named again for
/// every scored run, each text a lookup in the thread's names, they were a tenth of scoring a
/// 20-state ping test.
pub(crate) struct Named {
    id: Name,
    actor: Name,
    objective: Option<Name>,
    /// What the action is about ([`Action::subject`]).
    subject: Option<Name>,
}

impl Named {
    pub(crate) fn new(e: &Expect) -> Named {
        Named {
            id: Name::new(&e.id),
            actor: Name::new(&e.actor),
            objective: e.objective.as_deref().map(Name::new),
            subject: e.does.subject().map(Name::new),
        }
    }
}

/// First delivery to `actor` of a message of `kind` about `subject`.
fn delivered_to(ix: &Index, kind: MessageKind, actor: Name, subject: Name) -> Option<At> {
    ix.to_about(kind, actor, subject)
        .filter_map(|s| s.delivered)
        .min_by_key(|a| a.n)
}

fn sent_by(ix: &Index, kind: MessageKind, actor: Name, subject: Name) -> Option<At> {
    ix.first_about(kind, actor, subject, 0).map(|s| s.at)
}

/// When the expectation starts to apply.
fn trigger(ix: &Index, e: &Expect, n: &Named) -> Option<At> {
    use Action::*;
    let (actor, s) = (n.actor, n.subject);
    match &e.does {
        Detect { .. } => ix.incident(s?).map(|i| i.at),
        Contain { .. } | Notify { .. } | ShareInformation { .. } => ix.detection(s?, actor),
        Acknowledge { .. } | Mitigate { .. } => {
            delivered_to(ix, MessageKind::IncidentNotification, actor, s?)
        }
        RequestAssistance { .. } => [
            ix.detection(s?, actor),
            delivered_to(ix, MessageKind::IncidentNotification, actor, s?),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|a| a.n),
        OfferAssistance { .. } | DeliverAssistance { .. } => {
            delivered_to(ix, MessageKind::AssistanceRequest, actor, s?)
        }
        Clarify { .. } => delivered_to(ix, MessageKind::ClarificationRequest, actor, s?),
        AnswerLegalRequest { .. } => delivered_to(ix, MessageKind::LegalRequest, actor, s?),
        ReplyPing { .. } => ix
            .to_about(MessageKind::Ping, actor, s?)
            .next()
            .map(|s| s.at),
        Disclose { .. } => [
            ix.vulnerability_found(s?, actor),
            ix.compromise_found(s?, actor),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|a| a.n),
        Restore { .. } => ix
            .infra_changes(s?)
            .find(|(_, s)| matches!(s, InfraStatus::Degraded | InfraStatus::Disrupted))
            .map(|(at, _)| at),
        StayBelow { .. } | Judged(_) => Some(At { n: 0, t: 0 }),
    }
}

/// When the actor did it.
fn done(ix: &Index, e: &Expect, n: &Named, trigger: At) -> Option<At> {
    use Action::*;
    use MessageKind as K;
    let (actor, s) = (n.actor, n.subject);
    match &e.does {
        Detect { .. } => ix.detection(s?, actor),
        Contain { .. } => ix.ended(s?).map(|x| x.at),
        Notify { .. } => sent_by(ix, K::IncidentNotification, actor, s?),
        Acknowledge { .. } => ix
            .about(K::Acknowledgement, actor, s?)
            .find(|s| {
                s.m.refers_to
                    .and_then(|r| ix.msg(r))
                    .is_some_and(|n| n.is(K::IncidentNotification))
            })
            .map(|s| s.at),
        Mitigate { .. } => sent_by(ix, K::MitigationReport, actor, s?),
        RequestAssistance { .. } => sent_by(ix, K::AssistanceRequest, actor, s?),
        OfferAssistance { .. } => sent_by(ix, K::AssistanceOffer, actor, s?),
        DeliverAssistance { .. } => sent_by(ix, K::AssistanceDelivered, actor, s?),
        Clarify { .. } => sent_by(ix, K::Clarification, actor, s?),
        ShareInformation { .. } => sent_by(ix, K::InformationShare, actor, s?),
        AnswerLegalRequest { .. } => sent_by(ix, K::LegalReply, actor, s?),
        ReplyPing { .. } => sent_by(ix, K::PingReply, actor, s?),
        Disclose { .. } => sent_by(ix, K::VulnerabilityReport, actor, s?),
        Restore { .. } => ix
            .infra_changes(s?)
            .find(|(at, s)| {
                at.n > trigger.n && matches!(s, InfraStatus::Restored | InfraStatus::Operational)
            })
            .map(|(at, _)| at),
        StayBelow { .. } | Judged(_) => None,
    }
}

fn describe(a: &Action) -> String {
    match (a, a.subject()) {
        (Action::Judged(text), _) => text.clone(),
        (Action::StayBelow { level }, _) => format!("{} {level}", a.verb()),
        (_, Some(s)) => format!("{} {s}", a.verb()),
        (_, None) => a.verb().to_string(),
    }
}

/// An evaluator's rating: the `rating` record's number and time, the rating, the comment and who.
type Rated<'a> = (At, LiveRating, &'a str, &'a str);

/// The latest rating of each expectation, in one pass over the trace.
fn ratings<'a>(ix: &Index<'a>) -> HashMap<&'a str, Rated<'a>> {
    let mut out = HashMap::default();
    for r in &ix.trace.records {
        if let TraceEvent::Rating {
            expectation,
            rating,
            comment,
            by,
        } = &r.event
        {
            let at = At { n: r.n, t: r.t };
            out.insert(
                expectation.as_str(),
                (at, *rating, comment.as_str(), by.as_str()),
            );
        }
    }
    out
}

/// A judged expectation's status from its evaluator's rating.
fn judge(r: &mut ExpectationResult, rated: Option<&Rated>, detail: Detail) {
    let Some(&(at, rating, comment, by)) = rated else {
        r.status = ExpStatus::NeedsEvaluator;
        r.reason = detail.text(|| "needs an evaluator: no rating yet".into());
        return;
    };
    r.status = match rating {
        LiveRating::Success => ExpStatus::Success,
        LiveRating::Partial => ExpStatus::Partial,
        LiveRating::Failed => ExpStatus::Failed,
    };
    r.done_n = Some(at.n);
    r.done_t = Some(at.t);
    r.evidence = vec![at.n];
    r.reason = detail.text(|| {
        let mut reason = format!("rated {} by {by} at {}", rating.label(), Clock(at.t));
        if !comment.is_empty() {
            reason.push_str(": ");
            reason.push_str(comment);
        }
        reason
    });
}

fn evaluate(
    ix: &Index,
    e: &Expect,
    n: &Named,
    rated: &HashMap<&str, Rated>,
    detail: Detail,
) -> ExpectationResult {
    let mut r = ExpectationResult {
        id: n.id,
        actor: n.actor,
        does: detail.text(|| describe(&e.does)),
        norm: e.norm.map(crate::norms::letter),
        objective: n.objective,
        status: ExpStatus::Pending,
        trigger_n: None,
        trigger_t: None,
        deadline_t: None,
        done_n: None,
        done_t: None,
        evidence: Vec::new(),
        reason: String::new(),
    };
    let Some(trig) = trigger(ix, e, n) else {
        r.reason = detail
            .text(|| "never triggered: what it responds to did not happen in this run".into());
        return r;
    };
    r.trigger_n = (trig.n > 0).then_some(trig.n);
    r.trigger_t = Some(trig.t);
    let deadline = match (e.by, e.within) {
        (Some(by), _) => by.secs(),
        (None, Some(w)) => trig.t + w.0,
        (None, None) => ix.end,
    };
    r.deadline_t = Some(deadline);
    r.evidence.extend(r.trigger_n);
    if matches!(e.does, Action::Judged(_)) {
        judge(&mut r, rated.get(e.id.as_str()), detail);
        return r;
    }
    let end = ix.end;
    if let Action::StayBelow { level } = e.does {
        let crossed = ix
            .sent_by(n.actor)
            .find(|s| s.m.step.is_some_and(|l| l >= level) && s.at.t <= deadline);
        match crossed {
            Some(s) => {
                r.status = ExpStatus::Failed;
                r.done_n = Some(s.at.n);
                r.done_t = Some(s.at.t);
                r.evidence.push(s.at.n);
                r.reason = detail.text(|| {
                    format!(
                        "took a level-{} step ({} {}) at {}",
                        s.m.step.unwrap_or(0),
                        s.m.kind.label(),
                        s.m.msg,
                        Clock(s.at.t)
                    )
                });
            }
            None => {
                r.status = ExpStatus::Success;
                r.reason = detail.text(|| format!("no step at level {level} or above"));
            }
        }
        return r;
    }
    let did = done(ix, e, n, trig);
    if let Some(d) = did {
        r.done_n = Some(d.n);
        r.done_t = Some(d.t);
        r.evidence.push(d.n);
    }
    r.status = match did {
        Some(d) if d.t <= deadline => ExpStatus::Success,
        Some(_) => ExpStatus::Partial,
        None if deadline <= end => ExpStatus::Failed,
        None => ExpStatus::Pending,
    };
    r.reason = detail.text(|| match did {
        Some(d) if d.t <= deadline => format!(
            "done at {} (record {}), deadline {}",
            Clock(d.t),
            d.n,
            Clock(deadline)
        ),
        Some(d) => format!(
            "done late at {} (record {}), deadline {}",
            Clock(d.t),
            d.n,
            Clock(deadline)
        ),
        None if deadline <= end => format!("not done by the deadline {}", Clock(deadline)),
        None => format!(
            "not done yet; deadline {} is after the end",
            Clock(deadline)
        ),
    });
    r.evidence.sort_unstable();
    r.evidence.dedup();
    r
}

/// HSEEP rating from the statuses of an objective's expectations.
pub fn rate(statuses: &[ExpStatus]) -> (Option<Rating>, Option<f64>) {
    let scores: Vec<f64> = statuses
        .iter()
        .filter_map(|s| match s {
            ExpStatus::Success => Some(1.0),
            ExpStatus::Partial => Some(0.5),
            ExpStatus::Failed => Some(0.0),
            ExpStatus::Pending | ExpStatus::NeedsEvaluator => None,
        })
        .collect();
    if scores.is_empty() {
        return (None, None);
    }
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    let rating = if scores.iter().all(|&s| s == 1.0) {
        Rating::P
    } else if mean >= 0.75 {
        Rating::S
    } else if mean >= 0.25 {
        Rating::M
    } else {
        Rating::U
    };
    (Some(rating), Some(r3(mean)))
}

/// `named`: the scenario's expectations, and `objectives` its objectives' ids, as
/// [`Scorer`](crate::Scorer) named them.
pub(crate) fn compute(
    ix: &Index,
    sc: &Scenario,
    named: &[Named],
    objectives: &[Name],
    detail: Detail,
) -> Objectives {
    let rated = ratings(ix);
    let expectations: Vec<ExpectationResult> = sc
        .expectations
        .iter()
        .zip(named)
        .map(|(e, n)| evaluate(ix, e, n, &rated, detail))
        .collect();
    let objectives = sc
        .objectives
        .iter()
        .zip(objectives)
        .map(|(o, &id)| {
            let mine: Vec<&ExpectationResult> = expectations
                .iter()
                .filter(|e| e.objective == Some(id))
                .collect();
            let statuses: Vec<ExpStatus> = mine.iter().map(|e| e.status).collect();
            let count = |s: ExpStatus| statuses.iter().filter(|&&x| x == s).count() as u32;
            let (rating, score) = rate(&statuses);
            ObjectiveResult {
                id,
                title: o.title.clone(),
                rating,
                score,
                success: count(ExpStatus::Success),
                partial: count(ExpStatus::Partial),
                failed: count(ExpStatus::Failed),
                pending: count(ExpStatus::Pending),
                needs_evaluator: count(ExpStatus::NeedsEvaluator),
                expectations: mine.iter().map(|e| e.id).collect(),
            }
        })
        .collect();
    Objectives {
        expectations,
        objectives,
        // The scenario's, not the run's: a study's rows leave it out.
        coverage: match detail {
            Detail::Full => coverage::compute(sc),
            Detail::Numbers => Coverage::default(),
        },
    }
}
