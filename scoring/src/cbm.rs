//! Confidence-building-measure indicators per state, beside the norms: the PoC network the CBMs
//! build (A/68/98 ¶26 a and c: exchange of PoC information, incident information channels;
//! A/75/816 ¶47 and ¶51: PoCs at technical, diplomatic and policy levels; Chair's summary ¶29–30:
//! a PoC directory kept current by regular exercises) and its use (A/68/98 ¶26 d: CERT-to-CERT
//! exchange). These are rates a CERT drill tracks from exercise to exercise, so unanswered pings
//! count as unanswered and their latency as censored — never as missing data.

use crate::index::Index;
use crate::latency::{LatencyItem, Step};
use crate::stats::{self, Obs, Quantile, ratio};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ttx_scenario::{Channel, MessageKind, Name, PocLevel, PocStatus};

/// A designated PoC as the scenario's directory lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PocEntry {
    pub level: PocLevel,
    pub id: Name,
    pub hours: String,
    /// Status in the directory at T+0 (stale and unreachable entries bounce messages).
    pub status: PocStatus,
    /// Messages that bounced at this level during the run.
    pub bounced: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PingCount {
    /// Pings addressed to the state, bounced ones included.
    pub received: u32,
    pub answered: u32,
    /// answered / received; `null` when never pinged.
    pub rate: Option<f64>,
    /// Median reply latency with unanswered pings censored (ranked above every answer).
    pub p50: Quantile,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pings {
    pub overall: PingCount,
    pub by_level: BTreeMap<PocLevel, PingCount>,
    /// `message_sent` records of pings never answered.
    pub unanswered: Vec<u32>,
}

/// Acknowledgements the state sent, and how many came back through the PoC level of the message
/// they acknowledge (norm c guidance i, norm h guidance i: "through the corresponding PoC").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Acknowledgements {
    pub total: u32,
    pub matching: u32,
    pub rate: Option<f64>,
    /// Records of acknowledgements through another level.
    pub mismatched: Vec<u32>,
}

/// Incident information the state shared with partner CERTs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sharing {
    /// Information-share messages sent.
    pub messages: u32,
    /// Distinct incidents they were about.
    pub incidents: Vec<Name>,
    pub records: Vec<u32>,
}

/// Messages to the state's PoCs and how many got through.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reachability {
    /// PoC-channel messages to the state whose delivery was decided (delivered or bounced).
    pub attempted: u32,
    pub delivered: u32,
    pub rate: Option<f64>,
    /// `delivery_failed` records.
    pub failed: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CbmIndicators {
    /// PoCs designated, in level order technical, diplomatic, policy.
    pub pocs: Vec<PocEntry>,
    pub pings: Pings,
    pub acknowledgements: Acknowledgements,
    pub sharing: Sharing,
    pub reachability: Reachability,
}

/// The pings in `items`, with their median reply latency.
fn ping_count<'l>(
    items: impl Iterator<Item = &'l LatencyItem>,
    scratch: &mut Vec<i64>,
) -> PingCount {
    let obs = items.map(|i| Obs {
        secs: i.to_t.map(|t| t - i.from_t),
        breach: i.breach,
    });
    let s = stats::summarise_in(obs, scratch);
    PingCount {
        received: s.count,
        answered: s.answered,
        rate: ratio(s.answered, s.count),
        p50: s.p50,
    }
}

/// Marks a message that is not a ping with a latency item.
const NO_ITEM: u32 = u32::MAX;

/// [`Poc::id_for`](ttx_scenario::Poc::id_for) without `format!`: the directory's default id,
/// `<state>/<level>`, is named for every PoC of every state in every scored run. Written into
/// `buf`, kept from one PoC to the next, since interning it allocates only the first time.
fn poc_id(p: &ttx_scenario::Poc, state: &str, buf: &mut String) -> Name {
    if let Some(id) = &p.id {
        return Name::new(id);
    }
    buf.clear();
    buf.push_str(state);
    buf.push('/');
    buf.push_str(p.level.as_str());
    Name::new(buf)
}

/// Each ping's latency item, by the ping's position in `ix.msgs` ([`NO_ITEM`] for other
/// messages), so that a state's pings are found on a walk over its messages, where grouping the
/// items by actor hashed a state name per ping and kept a list per state. Latency files the
/// items of pings in send order, as `ix.sent` gives them.
fn ping_items(ix: &Index, latency: &[LatencyItem]) -> Vec<u32> {
    let mut item_of = vec![NO_ITEM; ix.msgs.len()];
    let mut pings = ix.sent(MessageKind::Ping);
    for (k, item) in latency.iter().enumerate() {
        if item.step != Step::PingToReply {
            continue;
        }
        let ping = pings.find(|s| s.at.n == item.from_n);
        // A ping item without its ping, in order, would leave every later ping without its item.
        debug_assert!(
            ping.is_some(),
            "ping item of record {} not found among the pings in send order",
            item.from_n
        );
        if let Some(at) = ping.and_then(|s| ix.msgs.element_offset(s)) {
            item_of[at] = k as u32;
        }
    }
    item_of
}

/// What a study's row reads of the indicators ([`crate::tally`]): the pings to the scenario's
/// states as (received, answered), all of them and then by level in [`PocLevel::ALL`] order,
/// the sums over states of [`compute`]'s ping counts.
pub(crate) fn ping_tally(
    ix: &Index,
    latency: &[LatencyItem],
    states: &[(Name, &ttx_scenario::State)],
) -> [(u32, u32); 1 + PocLevel::ALL.len()] {
    let item_of = ping_items(ix, latency);
    let mut pings = [(0, 0); 1 + PocLevel::ALL.len()];
    for &(name, _) in states {
        for s in ix.sent_to(name) {
            let item = ix.msgs.element_offset(s).map_or(NO_ITEM, |at| item_of[at]);
            if item == NO_ITEM {
                continue;
            }
            let i = &latency[item as usize];
            let answered = u32::from(i.to_t.is_some());
            for at in std::iter::once(0).chain(i.level.map(|l| 1 + l as usize)) {
                pings[at].0 += 1;
                pings[at].1 += answered;
            }
        }
    }
    pings
}

/// `states`: the scenario's, sorted by id (`crate::order::by_id`).
pub(crate) fn compute(
    ix: &Index,
    latency: &[LatencyItem],
    states: &[(Name, &ttx_scenario::State)],
) -> BTreeMap<Name, CbmIndicators> {
    let item_of = ping_items(ix, latency);
    let mut scratch = Vec::new();
    let mut pinged: Vec<&LatencyItem> = Vec::new();
    let mut poc_buf = String::new();
    let mut out = Vec::with_capacity(states.len());
    for &(name, st) in states {
        let me = st.id.as_str();
        pinged.clear();
        let mut bounced = [0u32; PocLevel::ALL.len()];
        let mut reach = Reachability::default();
        for s in ix.sent_to(name) {
            let item = ix.msgs.element_offset(s).map_or(NO_ITEM, |at| item_of[at]);
            if item != NO_ITEM {
                pinged.push(&latency[item as usize]);
            }
            if s.m.channel != Channel::Poc {
                continue;
            }
            if s.delivered.is_some() {
                reach.attempted += 1;
                reach.delivered += 1;
            } else if let Some((f, _)) = s.failed {
                reach.attempted += 1;
                reach.failed.push(f.n);
            }
            if let Some(level) = s.m.level.filter(|_| s.failed.is_some()) {
                bounced[level as usize] += 1;
            }
        }
        reach.rate = ratio(reach.delivered, reach.attempted);

        let mut pocs: Vec<PocEntry> = st
            .pocs
            .iter()
            .map(|p| PocEntry {
                level: p.level,
                id: poc_id(p, me, &mut poc_buf),
                hours: p.hours.text().to_owned(),
                status: p.status,
                bounced: bounced[p.level as usize],
            })
            .collect();
        pocs.sort_by_key(|p| p.level);

        // `PocLevel::ALL` is in key order; a level no ping went to has no entry.
        let mut by_level = BTreeMap::new();
        for l in PocLevel::ALL {
            let mut at = pinged
                .iter()
                .copied()
                .filter(|i| i.level == Some(l))
                .peekable();
            if at.peek().is_some() {
                by_level.insert(l, ping_count(at, &mut scratch));
            }
        }
        let pings = Pings {
            overall: ping_count(pinged.iter().copied(), &mut scratch),
            by_level,
            unanswered: pinged
                .iter()
                .filter(|i| i.censored)
                .map(|i| i.from_n)
                .collect(),
        };

        // One walk for both: each of the state's messages is one or the other.
        let mut acks = Acknowledgements::default();
        let mut sharing = Sharing::default();
        for s in ix.sent_by(name) {
            match s.m.kind {
                MessageKind::Acknowledgement => {
                    acks.total += 1;
                    let asked = s.m.refers_to.and_then(|r| ix.msg(r));
                    if asked.is_some_and(|q| q.m.level == s.m.level) {
                        acks.matching += 1;
                    } else {
                        acks.mismatched.push(s.at.n);
                    }
                }
                MessageKind::InformationShare => {
                    sharing.messages += 1;
                    sharing.records.push(s.at.n);
                    sharing.incidents.extend(s.subject);
                }
                _ => {}
            }
        }
        acks.rate = ratio(acks.matching, acks.total);
        sharing.incidents.sort_unstable();
        sharing.incidents.dedup();

        let cbm = CbmIndicators {
            pocs,
            pings,
            acknowledgements: acks,
            sharing,
            reachability: reach,
        };
        out.push((name, cbm));
    }
    // In key order already: collected in bulk rather than inserted one by one, each insert
    // searching the tree and its splits moving indicators hundreds of bytes wide.
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use ttx_scenario::{Poc, PocLevel};

    #[test]
    fn poc_id_is_the_directory_id() {
        for level in PocLevel::ALL {
            let (mut p, mut buf) = (Poc::new(level, "24/7"), String::new());
            assert_eq!(
                super::poc_id(&p, "borealia", &mut buf),
                p.id_for("borealia")
            );
            p.id = Some("cert@borealia".into());
            assert_eq!(
                super::poc_id(&p, "borealia", &mut buf),
                p.id_for("borealia")
            );
        }
    }
}
