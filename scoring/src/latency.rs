//! Response latency along the chains CERT drills measure (DESIGN.md §5): detect → notify →
//! acknowledge → mitigate (A/75/816 Chair's summary annex, norm c guidance i); assistance request →
//! acknowledge → answer → deliver (norm h guidance i); ping → reply (Chair's summary ¶30, regular
//! PoC exercises); clarification request → clarification; legal request → reply (norm d);
//! information request → information share (norm a).
//!
//! Each interval runs between consecutive steps of one chain instance. A step whose predecessor
//! happened but which itself never happened by the end is *censored*, with exposure = end −
//! predecessor; a step whose predecessor never happened is not an item at all (nothing was asked
//! of anyone yet). Censored items are kept and rank above every answered one (see `stats`).

use crate::Detail;
use crate::index::{At, Index, Sent};
use crate::stats::{self, Stats};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ttx_scenario::{MessageKind, Name, PocLevel, Scenario, Targets};

mod summary;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Chain {
    Incident,
    Assistance,
    Ping,
    Clarification,
    Legal,
    Information,
}

/// One interval of a chain, named `<predecessor>_to_<step>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Incident start → the victim's CERT detects it. Actor: victim.
    StartToDetect,
    /// Detection → the victim notifies (first incident notification it sends). Actor: victim.
    DetectToNotify,
    /// Notification → acknowledgement, per notified state. Actor: notified state; level: the
    /// notification's PoC level.
    NotifyToAcknowledge,
    /// Acknowledgement (or the notification, if never acknowledged) → mitigation report.
    AcknowledgeToMitigate,
    /// Assistance request → acknowledgement. Actor: the state asked.
    RequestToAcknowledge,
    /// Assistance request → offer or decline.
    RequestToAnswer,
    /// Offer → assistance delivered; the target is the offer's own timeframe.
    OfferToDeliver,
    PingToReply,
    RequestToClarification,
    RequestToLegalReply,
    /// Information request → the information share answering it.
    RequestToInformation,
}

impl Step {
    pub const ALL: [Step; 11] = [
        Step::StartToDetect,
        Step::DetectToNotify,
        Step::NotifyToAcknowledge,
        Step::AcknowledgeToMitigate,
        Step::RequestToAcknowledge,
        Step::RequestToAnswer,
        Step::OfferToDeliver,
        Step::PingToReply,
        Step::RequestToClarification,
        Step::RequestToLegalReply,
        Step::RequestToInformation,
    ];

    pub fn chain(self) -> Chain {
        use Step::*;
        match self {
            StartToDetect | DetectToNotify | NotifyToAcknowledge | AcknowledgeToMitigate => {
                Chain::Incident
            }
            RequestToAcknowledge | RequestToAnswer | OfferToDeliver => Chain::Assistance,
            PingToReply => Chain::Ping,
            RequestToClarification => Chain::Clarification,
            RequestToLegalReply => Chain::Legal,
            RequestToInformation => Chain::Information,
        }
    }

    /// Short label for tables.
    pub fn label(self) -> &'static str {
        use Step::*;
        match self {
            StartToDetect => "start → detect",
            DetectToNotify => "detect → notify",
            NotifyToAcknowledge => "notify → acknowledge",
            AcknowledgeToMitigate => "acknowledge → mitigate",
            RequestToAcknowledge => "request → acknowledge",
            RequestToAnswer => "request → offer/decline",
            OfferToDeliver => "offer → deliver",
            PingToReply => "ping → reply",
            RequestToClarification => "request → clarification",
            RequestToLegalReply => "legal request → reply",
            RequestToInformation => "information request → share",
        }
    }

    /// The scenario target for this step; `None` where the scenario sets none (detect → notify)
    /// or where each item carries its own (offer → deliver: the offered timeframe).
    pub fn target(self, t: &Targets) -> Option<i64> {
        use Step::*;
        Some(match self {
            StartToDetect => t.detect.0,
            NotifyToAcknowledge | RequestToAcknowledge => t.acknowledge.0,
            AcknowledgeToMitigate => t.mitigate.0,
            RequestToAnswer => t.assistance_answer.0,
            PingToReply => t.ping_reply.0,
            RequestToClarification => t.clarification.0,
            RequestToLegalReply => t.legal_reply.0,
            RequestToInformation => t.information.0,
            DetectToNotify | OfferToDeliver => return None,
        })
    }
}

/// One measured interval: the evidence behind every latency figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyItem {
    pub step: Step,
    /// What the chain is about: the incident, or the ping inject, or (lacking `about`) the
    /// opening message id.
    pub subject: Name,
    /// The message that opened this interval (notification, request, ping, offer), if any.
    pub msg: Option<Name>,
    /// Who was expected to take the step.
    pub actor: Name,
    pub level: Option<PocLevel>,
    /// Record and time (seconds) of the predecessor.
    pub from_n: u32,
    pub from_t: i64,
    /// Record and time of the step; `null` when censored.
    pub to_n: Option<u32>,
    pub to_t: Option<i64>,
    pub hours: Option<f64>,
    /// For censored items: end of exercise − predecessor, in hours.
    pub exposure_hours: Option<f64>,
    pub censored: bool,
    pub target_hours: Option<f64>,
    pub breach: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepStats {
    pub chain: Chain,
    pub step: Step,
    /// The scenario's target for the step (`null`: none, or per item).
    pub target_hours: Option<f64>,
    pub overall: Stats,
    pub by_actor: BTreeMap<Name, Stats>,
    pub by_level: BTreeMap<PocLevel, Stats>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// Every step of [`Step::ALL`], in that order, even when empty, so the shape never changes.
    pub steps: Vec<StepStats>,
    /// Every interval, in the order chains were opened.
    pub items: Vec<LatencyItem>,
}

struct Builder<'i, 'a> {
    ix: &'i Index<'a>,
    targets: &'i Targets,
    items: Vec<LatencyItem>,
}

impl Builder<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        step: Step,
        subject: Name,
        msg: Option<Name>,
        actor: Name,
        level: Option<PocLevel>,
        from: At,
        to: Option<At>,
        target: Option<i64>,
    ) {
        let end = self.ix.end;
        let secs = to.map(|to| to.t - from.t);
        let exposure = end - from.t;
        let breach = match (secs, target) {
            (Some(s), Some(t)) => s > t,
            (None, Some(t)) => exposure >= t,
            (_, None) => false,
        };
        self.items.push(LatencyItem {
            step,
            subject,
            msg,
            actor,
            level,
            from_n: from.n,
            from_t: from.t,
            to_n: to.map(|a| a.n),
            to_t: to.map(|a| a.t),
            hours: secs.map(stats::hours),
            exposure_hours: secs.is_none().then(|| stats::hours(exposure)),
            censored: secs.is_none(),
            target_hours: target.map(stats::hours),
            breach,
        });
    }

    fn incidents(&mut self) {
        let ix = self.ix;
        for inc in &ix.incidents {
            let victim = inc.target_state;
            let detected = ix.detection(inc.id, victim);
            let target = Step::StartToDetect.target(self.targets);
            self.push(
                Step::StartToDetect,
                inc.id,
                None,
                victim,
                None,
                inc.at,
                detected,
                target,
            );
            if let Some(det) = detected {
                let notify = ix.first_about(MessageKind::IncidentNotification, victim, inc.id, 0);
                if notify.is_some() || inc.territory != victim {
                    let msg = notify.map(|s| s.m.msg);
                    let to = notify.map(|s| s.at);
                    self.push(
                        Step::DetectToNotify,
                        inc.id,
                        msg,
                        victim,
                        None,
                        det,
                        to,
                        None,
                    );
                }
            }
            for n in ix.notifications(inc.id) {
                let s = n.to;
                let ack = n.ack.map(|a| a.at);
                let level = n.chosen.m.level;
                let msg = Some(n.chosen.m.msg);
                let target = Step::NotifyToAcknowledge.target(self.targets);
                self.push(
                    Step::NotifyToAcknowledge,
                    inc.id,
                    msg,
                    s,
                    level,
                    n.chosen.at,
                    ack,
                    target,
                );
                let mitigation = n.mitigation.map(|m| m.at);
                let from = match (ack, mitigation) {
                    (Some(a), Some(m)) if a.n > m.n => n.chosen.at,
                    (Some(a), _) => a,
                    (None, _) => n.chosen.at,
                };
                let target = Step::AcknowledgeToMitigate.target(self.targets);
                self.push(
                    Step::AcknowledgeToMitigate,
                    inc.id,
                    msg,
                    s,
                    level,
                    from,
                    mitigation,
                    target,
                );
            }
        }
    }

    fn assistance(&mut self) {
        let ix = self.ix;
        for r in ix.sent(MessageKind::AssistanceRequest) {
            let (id, provider) = (r.m.msg, r.m.to);
            let subject = r.subject.unwrap_or(id);
            let level = r.m.level;
            let ack = ix.first_reply(r, MessageKind::Acknowledgement, provider);
            let t = Step::RequestToAcknowledge.target(self.targets);
            let step = Step::RequestToAcknowledge;
            self.push(
                step,
                subject,
                Some(id),
                provider,
                level,
                r.at,
                ack.map(|a| a.at),
                t,
            );
            let answer = answer_to(ix, r);
            let t = Step::RequestToAnswer.target(self.targets);
            let to = answer.map(|a| a.at);
            let step = Step::RequestToAnswer;
            self.push(step, subject, Some(id), provider, level, r.at, to, t);
            if let Some(offer) = ix.first_reply(r, MessageKind::AssistanceOffer, provider) {
                let delivered = ix.first_reply(r, MessageKind::AssistanceDelivered, provider);
                let t = offer.m.offer.as_ref().map(|o| o.timeframe.0);
                self.push(
                    Step::OfferToDeliver,
                    subject,
                    Some(offer.m.msg),
                    provider,
                    level,
                    offer.at,
                    delivered.map(|d| d.at),
                    t,
                );
            }
        }
    }

    /// Ping, clarification and legal chains: a request and the first reply of `reply` kind from
    /// its receiver. A bounced request stays in, censored: a stale PoC is what drills look for.
    fn request_reply(&mut self, req: MessageKind, reply: MessageKind, step: Step) {
        let ix = self.ix;
        let target = step.target(self.targets);
        for r in ix.sent(req) {
            let (id, to) = (r.m.msg, r.m.to);
            let answer = ix.first_reply(r, reply, to).map(|a| a.at);
            let subject = r.subject.unwrap_or(id);
            self.push(step, subject, Some(id), to, r.m.level, r.at, answer, target);
        }
    }
}

/// The first offer or decline from the state asked.
pub(crate) fn answer_to<'i, 'a>(ix: &'i Index<'a>, r: &Sent<'a>) -> Option<&'i Sent<'a>> {
    let offer = ix.first_reply(r, MessageKind::AssistanceOffer, r.m.to);
    let decline = ix.first_reply(r, MessageKind::AssistanceDecline, r.m.to);
    match (offer, decline) {
        (Some(o), Some(d)) => Some(if o.at.n < d.at.n { o } else { d }),
        (o, d) => o.or(d),
    }
}

pub(crate) fn compute(ix: &Index, sc: &Scenario, detail: Detail) -> Latency {
    // At most: two items per incident and per notified state, three per assistance request, one
    // per other request. Sized once, since an item is big and a directory exercise has hundreds.
    let requests = [
        MessageKind::Ping,
        MessageKind::ClarificationRequest,
        MessageKind::LegalRequest,
        MessageKind::InformationRequest,
    ];
    let most = 2 * ix.incidents.len()
        + 2 * ix.notified_pairs()
        + 3 * ix.count(MessageKind::AssistanceRequest)
        + requests.iter().map(|&k| ix.count(k)).sum::<usize>();
    let mut b = Builder {
        ix,
        targets: &sc.scoring.targets,
        items: Vec::with_capacity(most),
    };
    b.incidents();
    b.assistance();
    b.request_reply(MessageKind::Ping, MessageKind::PingReply, Step::PingToReply);
    b.request_reply(
        MessageKind::ClarificationRequest,
        MessageKind::Clarification,
        Step::RequestToClarification,
    );
    b.request_reply(
        MessageKind::LegalRequest,
        MessageKind::LegalReply,
        Step::RequestToLegalReply,
    );
    b.request_reply(
        MessageKind::InformationRequest,
        MessageKind::InformationShare,
        Step::RequestToInformation,
    );
    Latency::summarise(b.items, &sc.scoring.targets, detail)
}

impl Latency {
    /// The step summaries of `items`, e.g. of the items one party may see (`crate::party`).
    pub fn of_items(items: Vec<LatencyItem>, targets: &Targets) -> Latency {
        Latency::summarise(items, targets, Detail::Full)
    }

    fn summarise(items: Vec<LatencyItem>, targets: &Targets, detail: Detail) -> Latency {
        // One pass to group the items by step, rather than one scan of every item per step.
        let mut by_step: [Vec<&LatencyItem>; Step::ALL.len()] = Default::default();
        for i in &items {
            by_step[i.step as usize].push(i);
        }
        let mut scratch = Vec::new();
        let steps = Step::ALL
            .iter()
            .zip(&by_step)
            .map(|(&step, mine)| summary::step(step, mine, targets, detail, &mut scratch))
            .collect();
        drop(by_step);
        Latency { steps, items }
    }
}

#[cfg(test)]
mod tests {
    use super::Step;

    /// `Latency::of_items` files items under `step as usize`.
    #[test]
    fn steps_are_numbered_in_all_order() {
        for (k, &s) in Step::ALL.iter().enumerate() {
            assert_eq!(s as usize, k);
        }
    }
}
