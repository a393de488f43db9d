//! Lookups over one trace, built in one pass so every rule reads the same facts the same way and
//! no rule rescans the trace: messages by id, kind, sender, receiver and subject; which message
//! answers which (`refers_to`); when a message was delivered or bounced; each incident's ground
//! truth, detections and end; incidents by victim and by the state that directed or knowingly
//! supported them; the states notified of each incident; and the non-message events by the state
//! they concern. Scoring a year-long exercise of 200 states is then linear in its
//! trace (`benches/scoring.rs`). Hash maps here are for lookup only; every list they hold is in
//! trace order and nothing iterates a map into output, so scorecards stay deterministic.

mod facts;
mod id;
mod lists;
mod names;

pub(crate) use facts::Notified;
pub use facts::{At, Ended, IncidentFacts, Incidents, Msgs, Records, Sent};
pub use id::Id;

use lists::{DenseLists, Lists};
use rustc_hash::FxHashMap as HashMap;
use std::cell::Cell;
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{Message, MessageKind, Name, Record, Trace, TraceEvent};

/// [`Notified`] as positions in `Index::msgs`, computed once per (incident, notified state).
struct NotifiedAt {
    to: Name,
    chosen: usize,
    all: Vec<usize>,
    ack: Option<usize>,
    mitigation: Option<usize>,
}

/// Non-message events kept per party, for the norms and expectations that ask about them.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Tag {
    /// `disinformation_started`, by target state.
    Disinformation,
    /// `compromise_started`, by vendor state.
    Compromise,
    /// `vulnerability_found`, by finding state.
    Vulnerability,
    /// `infra_changed`, by infrastructure.
    Infra,
}

/// First events per (item, state).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum First {
    Exploited,
    CompromiseFound,
    VulnerabilityFound,
}

/// (kind, party, subject) with the strings interned, packed into one number: hashed as a
/// tuple, each part was a round of the hash, and a directory exercise files every message
/// twice under such a key.
type Key = u64;

fn key(kind: MessageKind, party: u32, subject: u32) -> Key {
    // Names are numbered densely per trace: 2^28 of them would be some billion messages.
    debug_assert!(party < 1 << 28 && subject < 1 << 28);
    (kind as u64) << 56 | u64::from(party) << 28 | u64::from(subject)
}

pub struct Index<'a> {
    pub trace: &'a Trace,
    /// Exercise end, seconds since T+0.
    pub end: i64,
    /// Every message in send order.
    pub msgs: Vec<Sent<'a>>,
    /// Answers (`refers_to`) by the position `Sent::filed` of the message they answer.
    replies: DenseLists,
    /// Messages by `kind as usize`: an index, not a hash, per message filed.
    by_kind: Vec<Vec<usize>>,
    /// Sender and receiver numbers (`names`) → messages.
    by_sender: DenseLists,
    by_receiver: DenseLists,
    /// Every party and subject seen, numbered densely for `DenseLists` and compound keys, and
    /// every message id, with the position of the first message that has it.
    names: names::Names,
    /// The name `name` found last, with its number. Scoring asks about one state at a time, by
    /// its text — a dozen norms and the CBM indicators each look up its messages — so comparing
    /// with the last name found spares most lookups naming the text.
    last_name: Cell<Option<(Name, u32)>>,
    /// (kind, sender, subject) → messages.
    from_about: Lists<Key>,
    /// (kind, receiver, subject) → messages.
    to_about: Lists<Key>,
    /// Incidents in start order.
    pub incidents: Vec<IncidentFacts>,
    incident_ix: HashMap<Name, usize>,
    against: HashMap<Name, Vec<usize>>,
    /// State → incidents it directed or knowingly supported.
    backed: HashMap<Name, Vec<usize>>,
    /// First detection per (incident, state).
    detections: HashMap<(Name, Name), At>,
    /// First end per incident.
    ends: HashMap<Name, Ended>,
    notified: Vec<NotifiedAt>,
    /// Incident → its notified states, in order of first notification.
    notified_by_incident: HashMap<Name, Vec<usize>>,
    /// State → (incident position, notified entry), in incident order.
    notified_by_state: HashMap<Name, Vec<(usize, usize)>>,
    events: HashMap<(Tag, u32), Vec<&'a Record>>,
    firsts: HashMap<(First, u32, u32), At>,
}

fn push<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<usize>>, k: K, i: usize) {
    map.entry(k).or_default().push(i);
}

impl<'a> Index<'a> {
    pub fn new(trace: &'a Trace) -> Index<'a> {
        let end = trace
            .records
            .iter()
            .rev()
            .find(|r| matches!(r.event, TraceEvent::End { .. }))
            .map_or(trace.header.duration, |r| r.t.max(trace.header.duration));
        // Counted first so that the message tables are allocated once at their size.
        let n = trace
            .records
            .iter()
            .filter(|r| matches!(r.event, TraceEvent::MessageSent(_)))
            .count();
        let mut ix = Index {
            trace,
            end,
            msgs: Vec::with_capacity(n),
            replies: DenseLists::with_capacity(n),
            by_kind: Vec::new(),
            by_sender: DenseLists::with_capacity(n),
            by_receiver: DenseLists::with_capacity(n),
            names: names::Names::default(),
            last_name: Cell::new(None),
            from_about: Lists::with_capacity(n),
            to_about: Lists::with_capacity(n),
            incidents: Vec::new(),
            incident_ix: HashMap::default(),
            against: HashMap::default(),
            backed: HashMap::default(),
            detections: HashMap::default(),
            ends: HashMap::default(),
            notified: Vec::new(),
            notified_by_incident: HashMap::default(),
            notified_by_state: HashMap::default(),
            events: HashMap::default(),
            firsts: HashMap::default(),
        };
        for r in &trace.records {
            ix.add(r);
        }
        ix.replies_once();
        ix.notifications_once();
        ix
    }

    fn add(&mut self, r: &'a Record) {
        let at = At::of(r);
        match &r.event {
            TraceEvent::MessageSent(m) => self.add_message(m, at),
            TraceEvent::MessageDelivered { msg, .. } => {
                if let Some(i) = self.names.msg(*msg) {
                    self.msgs[i].delivered.get_or_insert(at);
                }
            }
            TraceEvent::DeliveryFailed { msg, reason, .. } => {
                if let Some(i) = self.names.msg(*msg) {
                    self.msgs[i].failed.get_or_insert((at, reason.as_str()));
                }
            }
            TraceEvent::IncidentStarted {
                incident,
                target,
                target_state,
                sector,
                by,
                territory,
                directed_by,
                supported_by,
                uses_cert,
                launched_by,
                ..
            } => {
                let i = self.incidents.len();
                self.incident_ix.entry(*incident).or_insert(i);
                push(&mut self.against, *target_state, i);
                if let Some(d) = directed_by {
                    push(&mut self.backed, *d, i);
                }
                if let Some(s) = supported_by
                    && Some(s) != directed_by.as_ref()
                {
                    push(&mut self.backed, *s, i);
                }
                self.incidents.push(IncidentFacts {
                    at,
                    id: *incident,
                    target: *target,
                    target_state: *target_state,
                    sector: *sector,
                    by: *by,
                    territory: *territory,
                    directed_by: *directed_by,
                    uses_cert: *uses_cert,
                    launched_by: *launched_by,
                });
            }
            TraceEvent::Detected { incident, state } => {
                self.detections.entry((*incident, *state)).or_insert(at);
            }
            TraceEvent::IncidentEnded {
                incident,
                state,
                how,
            } => {
                self.ends.entry(*incident).or_insert(Ended {
                    at,
                    state: *state,
                    how: *how,
                });
            }
            TraceEvent::DisinformationStarted { target, .. } => {
                self.event(Tag::Disinformation, *target, r);
            }
            TraceEvent::CompromiseStarted { vendor_state, .. } => {
                self.event(Tag::Compromise, *vendor_state, r);
            }
            TraceEvent::VulnerabilityFound { item, state, .. } => {
                self.event(Tag::Vulnerability, *state, r);
                self.first(First::VulnerabilityFound, *item, *state, at);
            }
            TraceEvent::InfraChanged { infra, .. } => self.event(Tag::Infra, *infra, r),
            TraceEvent::Exploited { item, state } => {
                self.first(First::Exploited, *item, *state, at);
            }
            TraceEvent::CompromiseFound { item, state } => {
                self.first(First::CompromiseFound, *item, *state, at);
            }
            _ => {}
        }
    }

    fn add_message(&mut self, m: &'a Message, at: At) {
        let i = self.msgs.len();
        let subject = m.about.or_else(|| {
            let re = m.refers_to?;
            self.names.msg(re).and_then(|j| self.msgs[j].subject)
        });
        let filed = self.names.file_msg(m.msg, i) as u32;
        let k = m.kind as usize;
        if self.by_kind.len() <= k {
            self.by_kind.resize_with(k + 1, Vec::new);
        }
        self.by_kind[k].push(i);
        let (from, to) = (self.intern(m.from), self.intern(m.to));
        self.by_sender.push(from, i);
        self.by_receiver.push(to, i);
        if let Some(s) = subject {
            let s = self.intern(s);
            self.from_about.push(key(m.kind, from, s), i);
            self.to_about.push(key(m.kind, to, s), i);
        }
        self.msgs.push(Sent {
            m,
            filed,
            subject,
            at,
            delivered: None,
            failed: None,
        });
    }

    /// Files every answer under the message it answers, once every id is known: an answer is
    /// then found from the message by position, where it took hashing the message's id and
    /// comparing strings on each of the thousand lookups a directory exercise makes. An answer
    /// naming an id no message has can never be asked for, and is left out.
    fn replies_once(&mut self) {
        for (i, s) in self.msgs.iter().enumerate() {
            if let Some(p) = s.m.refers_to.and_then(|re| self.names.msg(re)) {
                self.replies.push(p as u32, i);
            }
        }
    }

    fn intern(&mut self, name: Name) -> u32 {
        self.names.intern(name)
    }

    /// The number of a party or subject the trace holds.
    fn name(&self, id: impl Id) -> Option<u32> {
        if let Some((last, n)) = self.last_name.get()
            && id.is(last)
        {
            return Some(n);
        }
        let name = id.name();
        let n = self.names.number(name)?;
        self.last_name.set(Some((name, n)));
        Some(n)
    }

    fn event(&mut self, tag: Tag, party: Name, r: &'a Record) {
        let party = self.intern(party);
        self.events.entry((tag, party)).or_default().push(r);
    }

    fn first(&mut self, what: First, item: Name, state: Name, at: At) {
        let (item, state) = (self.intern(item), self.intern(state));
        self.firsts.entry((what, item, state)).or_insert(at);
    }

    fn first_of(&self, what: First, item: impl Id, state: impl Id) -> Option<At> {
        let key = (what, self.name(item)?, self.name(state)?);
        self.firsts.get(&key).copied()
    }

    /// Groups incident notifications by (incident, notified state) and settles, once, which
    /// notification counts and what answered it.
    fn notifications_once(&mut self) {
        let mut group: HashMap<(Name, Name), usize> = HashMap::default();
        let mut notified: Vec<NotifiedAt> = Vec::new();
        let sent = self.by_kind.get(MessageKind::IncidentNotification as usize);
        for &i in sent.into_iter().flatten() {
            let s = &self.msgs[i];
            let Some(incident) = s.subject else { continue };
            let to = s.m.to;
            match group.get(&(incident, to)) {
                Some(&g) => notified[g].all.push(i),
                None => {
                    group.insert((incident, to), notified.len());
                    push(&mut self.notified_by_incident, incident, notified.len());
                    notified.push(NotifiedAt {
                        to,
                        chosen: i,
                        all: vec![i],
                        ack: None,
                        mitigation: None,
                    });
                }
            }
        }
        for (&(incident, _), &g) in &group {
            let n = &mut notified[g];
            if let Some(&d) = n
                .all
                .iter()
                .filter(|&&i| self.msgs[i].delivered.is_some())
                .min_by_key(|&&i| self.msgs[i].delivered.map(|d| d.n))
            {
                n.chosen = d;
            }
            n.ack = n
                .all
                .iter()
                .filter_map(|&i| {
                    self.first_reply_at(&self.msgs[i], MessageKind::Acknowledgement, n.to)
                })
                .min_by_key(|&i| self.msgs[i].at.n);
            let after = self.msgs[n.chosen].at.n;
            n.mitigation = self
                .about_at(MessageKind::MitigationReport, n.to, incident)
                .find(|&i| self.msgs[i].at.n > after);
        }
        for (pos, inc) in self.incidents.iter().enumerate() {
            for &g in self.notified_by_incident.get(&inc.id).into_iter().flatten() {
                self.notified_by_state
                    .entry(notified[g].to)
                    .or_default()
                    .push((pos, g));
            }
        }
        self.notified = notified;
    }

    fn positions(&self, kind: MessageKind) -> &[usize] {
        self.by_kind.get(kind as usize).map_or(&[], Vec::as_slice)
    }

    /// How many messages of `kind` were sent.
    pub(crate) fn count(&self, kind: MessageKind) -> usize {
        self.positions(kind).len()
    }

    /// How many (incident, notified state) pairs there are.
    pub(crate) fn notified_pairs(&self) -> usize {
        self.notified.len()
    }

    fn first_reply_at(&self, to: &Sent, kind: MessageKind, from: impl Id) -> Option<usize> {
        let from = from.name();
        self.replies
            .get(Some(to.filed))
            .find(|&i| self.msgs[i].m.kind == kind && self.msgs[i].m.from == from)
    }

    fn about_at(&self, kind: MessageKind, from: impl Id, about: impl Id) -> lists::Iter<'_> {
        self.party_about(&self.from_about, kind, from, about)
    }

    /// The positions in `lists` of messages of `kind` with `party` (sender or receiver, as
    /// `lists` files them) about `about`; none when the trace never names either.
    fn party_about<'l>(
        &self,
        lists: &'l Lists<Key>,
        kind: MessageKind,
        party: impl Id,
        about: impl Id,
    ) -> lists::Iter<'l> {
        match self.name(party).zip(self.name(about)) {
            Some((p, a)) => lists.get(&key(kind, p, a)),
            None => lists::Iter::empty(),
        }
    }

    pub fn records(&self) -> impl Iterator<Item = &'a Record> + use<'a> {
        self.trace.records.iter()
    }

    pub fn msg(&self, id: impl Id) -> Option<&Sent<'a>> {
        self.names.msg(id.name()).map(|i| &self.msgs[i])
    }

    /// The first message of `kind` from `from` answering `to` (or another message with its id).
    pub fn first_reply(&self, to: &Sent, kind: MessageKind, from: impl Id) -> Option<&Sent<'a>> {
        self.first_reply_at(to, kind, from).map(|i| &self.msgs[i])
    }

    /// Messages of `kind`, in send order.
    pub fn sent(&self, kind: MessageKind) -> impl Iterator<Item = &Sent<'a>> + use<'_, 'a> {
        self.positions(kind).iter().map(|&i| &self.msgs[i])
    }

    fn listed<'i>(&'i self, at: lists::Iter<'i>) -> Msgs<'i, 'a> {
        Msgs {
            msgs: &self.msgs,
            at,
        }
    }

    /// Messages `state` sent, in send order.
    pub fn sent_by(&self, state: impl Id) -> Msgs<'_, 'a> {
        self.listed(self.by_sender.get(self.name(state)))
    }

    /// Messages sent to `state`, in send order.
    pub fn sent_to(&self, state: impl Id) -> Msgs<'_, 'a> {
        self.listed(self.by_receiver.get(self.name(state)))
    }

    /// Messages of `kind` from `from` about `about`, in send order.
    pub fn about(&self, kind: MessageKind, from: impl Id, about: impl Id) -> Msgs<'_, 'a> {
        self.listed(self.about_at(kind, from, about))
    }

    /// Messages of `kind` to `to` about `about`, in send order.
    pub fn to_about(&self, kind: MessageKind, to: impl Id, about: impl Id) -> Msgs<'_, 'a> {
        self.listed(self.party_about(&self.to_about, kind, to, about))
    }

    /// First message of `kind` from `from` about `about`, optionally only after record `after`.
    pub fn first_about(
        &self,
        kind: MessageKind,
        from: impl Id,
        about: impl Id,
        after: u32,
    ) -> Option<&Sent<'a>> {
        self.about(kind, from, about).find(|s| s.at.n > after)
    }

    pub fn incident(&self, id: impl Id) -> Option<&IncidentFacts> {
        self.incident_ix
            .get(&id.name())
            .map(|&i| &self.incidents[i])
    }

    fn incidents_in<'i>(&'i self, list: Option<&'i Vec<usize>>) -> Incidents<'i> {
        Incidents {
            all: &self.incidents,
            at: list.map_or(&[][..], Vec::as_slice).iter(),
        }
    }

    /// Incidents against `state`'s infrastructure, in start order.
    pub fn incidents_against(&self, state: impl Id) -> Incidents<'_> {
        self.incidents_in(self.against.get(&state.name()))
    }

    /// Incidents `state` directed (itself or through a proxy) or knowingly supported — "conduct
    /// or knowingly support" (2015 ¶13 f, k) — in start order.
    pub fn incidents_backed_by(&self, state: impl Id) -> Incidents<'_> {
        self.incidents_in(self.backed.get(&state.name()))
    }

    pub fn detection(&self, incident: impl Id, state: impl Id) -> Option<At> {
        let key = (incident.name(), state.name());
        self.detections.get(&key).copied()
    }

    pub fn ended(&self, incident: impl Id) -> Option<&Ended> {
        self.ends.get(&incident.name())
    }

    fn view(&self, g: usize) -> Notified<'_, 'a> {
        let n = &self.notified[g];
        Notified {
            to: n.to,
            chosen: &self.msgs[n.chosen],
            ack: n.ack.map(|i| &self.msgs[i]),
            mitigation: n.mitigation.map(|i| &self.msgs[i]),
        }
    }

    /// The states notified of `incident`, in order of first notification.
    pub(crate) fn notifications(&self, incident: impl Id) -> Vec<Notified<'_, 'a>> {
        let list = self.notified_by_incident.get(&incident.name());
        list.into_iter().flatten().map(|&g| self.view(g)).collect()
    }

    /// Every incident `state` was notified of, with its view of it, in incident order.
    pub(crate) fn notified_of(&self, state: impl Id) -> Vec<(&IncidentFacts, Notified<'_, 'a>)> {
        let list = self.notified_by_state.get(&state.name());
        list.into_iter()
            .flatten()
            .map(|&(pos, g)| (&self.incidents[pos], self.view(g)))
            .collect()
    }

    fn events(&self, tag: Tag, party: impl Id) -> Records<'_, 'a> {
        let list = self.name(party).and_then(|p| self.events.get(&(tag, p)));
        list.map_or(&[][..], Vec::as_slice).iter().copied()
    }

    /// `disinformation_started` records against `state`.
    pub fn disinformation_against(&self, state: impl Id) -> Records<'_, 'a> {
        self.events(Tag::Disinformation, state)
    }

    /// `compromise_started` records of vendors under `state`.
    pub fn compromises_under(&self, state: impl Id) -> Records<'_, 'a> {
        self.events(Tag::Compromise, state)
    }

    /// `vulnerability_found` records of `state`.
    pub fn vulnerabilities_found_by(&self, state: impl Id) -> Records<'_, 'a> {
        self.events(Tag::Vulnerability, state)
    }

    /// `infra_changed` records of `infra`.
    pub fn infra_changes(
        &self,
        infra: Name,
    ) -> impl Iterator<Item = (At, InfraStatus)> + use<'_, 'a> {
        self.events(Tag::Infra, infra)
            .filter_map(|r| match &r.event {
                TraceEvent::InfraChanged { status, .. } => Some((At::of(r), *status)),
                _ => None,
            })
    }

    /// When `state` first exploited `item`.
    pub fn exploited(&self, item: impl Id, state: impl Id) -> Option<At> {
        self.first_of(First::Exploited, item, state)
    }

    /// When `state` first learned of the supply-chain compromise `item`.
    pub fn compromise_found(&self, item: impl Id, state: impl Id) -> Option<At> {
        self.first_of(First::CompromiseFound, item, state)
    }

    /// When `state` first found the vulnerability `item`.
    pub fn vulnerability_found(&self, item: impl Id, state: impl Id) -> Option<At> {
        self.first_of(First::VulnerabilityFound, item, state)
    }
}
