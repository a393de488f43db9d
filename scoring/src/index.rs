//! Lookups over one trace, built in one pass so every rule reads the same facts the same way and
//! no rule rescans the trace: messages by id, kind, sender, receiver and subject; which message
//! answers which (`refers_to`); when a message was delivered or bounced; each incident's ground
//! truth, detections and end; incidents by victim and by the state that directed or knowingly
//! supported them; the states notified of each incident; and the non-message events by the state
//! they concern. Scoring a year-long exercise of 200 states is then linear in its
//! trace (`benches/scoring.rs`). Hash maps here are for lookup only; every list they hold is in
//! trace order and nothing iterates a map into output, so scorecards stay deterministic.

mod facts;
mod lists;

pub(crate) use facts::Notified;
pub use facts::{At, Ended, IncidentFacts, Sent};

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

/// (kind, party, subject) with the strings interned.
type Key = (MessageKind, u32, u32);

pub struct Index<'a> {
    pub trace: &'a Trace,
    /// Exercise end, seconds since T+0.
    pub end: i64,
    /// Every message in send order.
    pub msgs: Vec<Sent<'a>>,
    by_id: HashMap<&'a str, usize>,
    /// Answers (`refers_to`) by the position `Sent::filed` of the message they answer.
    replies: DenseLists,
    by_kind: HashMap<MessageKind, Vec<usize>>,
    /// Sender and receiver names, interned in `names`, → messages.
    by_sender: DenseLists,
    by_receiver: DenseLists,
    /// Every id and subject seen, numbered, so that compound keys hold no borrowed strings.
    names: HashMap<&'a str, u32>,
    /// The name `name` found last. Scoring asks about one state at a time — a dozen norms and
    /// the CBM indicators each look up its messages — so comparing with the last name found
    /// spares most lookups their hashing and probing.
    last_name: Cell<Option<(&'a str, u32)>>,
    /// (kind, sender, subject) → messages.
    from_about: Lists<Key>,
    /// (kind, receiver, subject) → messages.
    to_about: Lists<Key>,
    /// Incidents in start order.
    pub incidents: Vec<IncidentFacts>,
    incident_ix: HashMap<&'a str, usize>,
    against: HashMap<&'a str, Vec<usize>>,
    /// State → incidents it directed or knowingly supported.
    backed: HashMap<&'a str, Vec<usize>>,
    /// First detection per (incident, state).
    detections: HashMap<(&'a str, &'a str), At>,
    /// First end per incident.
    ends: HashMap<&'a str, Ended>,
    notified: Vec<NotifiedAt>,
    /// Incident → its notified states, in order of first notification.
    notified_by_incident: HashMap<&'a str, Vec<usize>>,
    /// State → (incident position, notified entry), in incident order.
    notified_by_state: HashMap<&'a str, Vec<(usize, usize)>>,
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
            by_id: HashMap::with_capacity_and_hasher(n, Default::default()),
            replies: DenseLists::with_capacity(n),
            by_kind: HashMap::default(),
            by_sender: DenseLists::with_capacity(n),
            by_receiver: DenseLists::with_capacity(n),
            names: HashMap::default(),
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
                if let Some(&i) = self.by_id.get(msg.as_str()) {
                    self.msgs[i].delivered.get_or_insert(at);
                }
            }
            TraceEvent::DeliveryFailed { msg, reason, .. } => {
                if let Some(&i) = self.by_id.get(msg.as_str()) {
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
                self.incident_ix.entry(incident.as_str()).or_insert(i);
                push(&mut self.against, target_state.as_str(), i);
                if let Some(d) = directed_by {
                    push(&mut self.backed, d.as_str(), i);
                }
                if let Some(s) = supported_by
                    && Some(s) != directed_by.as_ref()
                {
                    push(&mut self.backed, s.as_str(), i);
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
                self.detections
                    .entry((incident.as_str(), state.as_str()))
                    .or_insert(at);
            }
            TraceEvent::IncidentEnded {
                incident,
                state,
                how,
            } => {
                self.ends.entry(incident.as_str()).or_insert(Ended {
                    at,
                    state: *state,
                    how: *how,
                });
            }
            TraceEvent::DisinformationStarted { target, .. } => {
                self.event(Tag::Disinformation, target, r);
            }
            TraceEvent::CompromiseStarted { vendor_state, .. } => {
                self.event(Tag::Compromise, vendor_state, r);
            }
            TraceEvent::VulnerabilityFound { item, state, .. } => {
                self.event(Tag::Vulnerability, state, r);
                self.first(First::VulnerabilityFound, item, state, at);
            }
            TraceEvent::InfraChanged { infra, .. } => self.event(Tag::Infra, infra, r),
            TraceEvent::Exploited { item, state } => {
                self.first(First::Exploited, item, state, at);
            }
            TraceEvent::CompromiseFound { item, state } => {
                self.first(First::CompromiseFound, item, state, at);
            }
            _ => {}
        }
    }

    fn add_message(&mut self, m: &'a Message, at: At) {
        let i = self.msgs.len();
        let subject = m.about.or_else(|| {
            let re = m.refers_to.as_deref()?;
            self.by_id.get(re).and_then(|&j| self.msgs[j].subject)
        });
        let filed = *self.by_id.entry(m.msg.as_str()).or_insert(i) as u32;
        push(&mut self.by_kind, m.kind, i);
        let (from, to) = (self.intern(&m.from), self.intern(&m.to));
        self.by_sender.push(from, i);
        self.by_receiver.push(to, i);
        if let Some(s) = subject {
            let s = self.intern(s.as_str());
            self.from_about.push((m.kind, from, s), i);
            self.to_about.push((m.kind, to, s), i);
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
            let re = s.m.refers_to.as_deref();
            if let Some(&p) = re.and_then(|re| self.by_id.get(re)) {
                self.replies.push(p as u32, i);
            }
        }
    }

    fn intern(&mut self, name: &'a str) -> u32 {
        let next = self.names.len() as u32;
        *self.names.entry(name).or_insert(next)
    }

    fn name(&self, name: &str) -> Option<u32> {
        if let Some((last, id)) = self.last_name.get()
            && last == name
        {
            return Some(id);
        }
        let (&key, &id) = self.names.get_key_value(name)?;
        self.last_name.set(Some((key, id)));
        Some(id)
    }

    fn event(&mut self, tag: Tag, party: &'a str, r: &'a Record) {
        let party = self.intern(party);
        self.events.entry((tag, party)).or_default().push(r);
    }

    fn first(&mut self, what: First, item: &'a str, state: &'a str, at: At) {
        let (item, state) = (self.intern(item), self.intern(state));
        self.firsts.entry((what, item, state)).or_insert(at);
    }

    fn first_of(&self, what: First, item: &str, state: &str) -> Option<At> {
        let key = (what, self.name(item)?, self.name(state)?);
        self.firsts.get(&key).copied()
    }

    /// Groups incident notifications by (incident, notified state) and settles, once, which
    /// notification counts and what answered it.
    fn notifications_once(&mut self) {
        let mut group: HashMap<(&'a str, &'a str), usize> = HashMap::default();
        let mut notified: Vec<NotifiedAt> = Vec::new();
        let sent = self.by_kind.get(&MessageKind::IncidentNotification);
        for &i in sent.into_iter().flatten() {
            let s = &self.msgs[i];
            let Some(incident) = s.about() else { continue };
            let to = s.m.to;
            match group.get(&(incident, to.as_str())) {
                Some(&g) => notified[g].all.push(i),
                None => {
                    group.insert((incident, to.as_str()), notified.len());
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
                    self.first_reply_at(&self.msgs[i], MessageKind::Acknowledgement, &n.to)
                })
                .min_by_key(|&i| self.msgs[i].at.n);
            let after = self.msgs[n.chosen].at.n;
            n.mitigation = self
                .about_at(MessageKind::MitigationReport, &n.to, incident)
                .find(|&i| self.msgs[i].at.n > after);
        }
        for (pos, inc) in self.incidents.iter().enumerate() {
            for &g in self
                .notified_by_incident
                .get(inc.id.as_str())
                .into_iter()
                .flatten()
            {
                self.notified_by_state
                    .entry(notified[g].to.as_str())
                    .or_default()
                    .push((pos, g));
            }
        }
        self.notified = notified;
    }

    fn positions(&self, kind: MessageKind) -> &[usize] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// How many messages of `kind` were sent.
    pub(crate) fn count(&self, kind: MessageKind) -> usize {
        self.positions(kind).len()
    }

    /// How many (incident, notified state) pairs there are.
    pub(crate) fn notified_pairs(&self) -> usize {
        self.notified.len()
    }

    fn first_reply_at(&self, to: &Sent, kind: MessageKind, from: &str) -> Option<usize> {
        self.replies
            .get(Some(to.filed))
            .find(|&i| self.msgs[i].m.kind == kind && self.msgs[i].m.from == from)
    }

    fn about_at(
        &self,
        kind: MessageKind,
        from: &str,
        about: &str,
    ) -> impl Iterator<Item = usize> + use<'_, 'a> {
        let key = self.name(from).zip(self.name(about));
        key.map(|(f, a)| self.from_about.get(&(kind, f, a)))
            .into_iter()
            .flatten()
    }

    pub fn records(&self) -> impl Iterator<Item = &'a Record> + use<'a> {
        self.trace.records.iter()
    }

    pub fn msg(&self, id: &str) -> Option<&Sent<'a>> {
        self.by_id.get(id).map(|&i| &self.msgs[i])
    }

    /// The first message of `kind` from `from` answering `to` (or another message with its id).
    pub fn first_reply(&self, to: &Sent, kind: MessageKind, from: &str) -> Option<&Sent<'a>> {
        self.first_reply_at(to, kind, from).map(|i| &self.msgs[i])
    }

    /// Messages of `kind`, in send order.
    pub fn sent(&self, kind: MessageKind) -> impl Iterator<Item = &Sent<'a>> + use<'_, 'a> {
        self.positions(kind).iter().map(|&i| &self.msgs[i])
    }

    /// Messages `state` sent, in send order.
    pub fn sent_by(&self, state: &str) -> impl Iterator<Item = &Sent<'a>> + use<'_, 'a> {
        self.by_sender.get(self.name(state)).map(|i| &self.msgs[i])
    }

    /// Messages sent to `state`, in send order.
    pub fn sent_to(&self, state: &str) -> impl Iterator<Item = &Sent<'a>> + use<'_, 'a> {
        self.by_receiver
            .get(self.name(state))
            .map(|i| &self.msgs[i])
    }

    /// Messages of `kind` from `from` about `about`, in send order.
    pub fn about(
        &self,
        kind: MessageKind,
        from: &str,
        about: &str,
    ) -> impl Iterator<Item = &Sent<'a>> + use<'_, 'a> {
        self.about_at(kind, from, about).map(|i| &self.msgs[i])
    }

    /// Messages of `kind` to `to` about `about`, in send order.
    pub fn to_about(
        &self,
        kind: MessageKind,
        to: &str,
        about: &str,
    ) -> impl Iterator<Item = &Sent<'a>> + use<'_, 'a> {
        let key = self.name(to).zip(self.name(about));
        let list = key.map(|(t, a)| self.to_about.get(&(kind, t, a)));
        list.into_iter().flatten().map(|i| &self.msgs[i])
    }

    /// First message of `kind` from `from` about `about`, optionally only after record `after`.
    pub fn first_about(
        &self,
        kind: MessageKind,
        from: &str,
        about: &str,
        after: u32,
    ) -> Option<&Sent<'a>> {
        self.about(kind, from, about).find(|s| s.at.n > after)
    }

    pub fn incident(&self, id: &str) -> Option<&IncidentFacts> {
        self.incident_ix.get(id).map(|&i| &self.incidents[i])
    }

    /// Incidents against `state`'s infrastructure, in start order.
    pub fn incidents_against(
        &self,
        state: &str,
    ) -> impl Iterator<Item = &IncidentFacts> + use<'_, 'a> {
        let list = self.against.get(state);
        list.into_iter().flatten().map(|&i| &self.incidents[i])
    }

    /// Incidents `state` directed (itself or through a proxy) or knowingly supported — "conduct
    /// or knowingly support" (2015 ¶13 f, k) — in start order.
    pub fn incidents_backed_by(
        &self,
        state: &str,
    ) -> impl Iterator<Item = &IncidentFacts> + use<'_, 'a> {
        let list = self.backed.get(state);
        list.into_iter().flatten().map(|&i| &self.incidents[i])
    }

    pub fn detection(&self, incident: &str, state: &str) -> Option<At> {
        self.detections.get(&(incident, state)).copied()
    }

    pub fn ended(&self, incident: &str) -> Option<&Ended> {
        self.ends.get(incident)
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
    pub(crate) fn notifications(&self, incident: &str) -> Vec<Notified<'_, 'a>> {
        let list = self.notified_by_incident.get(incident);
        list.into_iter().flatten().map(|&g| self.view(g)).collect()
    }

    /// Every incident `state` was notified of, with its view of it, in incident order.
    pub(crate) fn notified_of(&self, state: &str) -> Vec<(&IncidentFacts, Notified<'_, 'a>)> {
        let list = self.notified_by_state.get(state);
        list.into_iter()
            .flatten()
            .map(|&(pos, g)| (&self.incidents[pos], self.view(g)))
            .collect()
    }

    fn events(&self, tag: Tag, party: &str) -> impl Iterator<Item = &'a Record> + use<'_, 'a> {
        let list = self.name(party).and_then(|p| self.events.get(&(tag, p)));
        list.into_iter().flatten().copied()
    }

    /// `disinformation_started` records against `state`.
    pub fn disinformation_against(
        &self,
        state: &str,
    ) -> impl Iterator<Item = &'a Record> + use<'_, 'a> {
        self.events(Tag::Disinformation, state)
    }

    /// `compromise_started` records of vendors under `state`.
    pub fn compromises_under(&self, state: &str) -> impl Iterator<Item = &'a Record> + use<'_, 'a> {
        self.events(Tag::Compromise, state)
    }

    /// `vulnerability_found` records of `state`.
    pub fn vulnerabilities_found_by(
        &self,
        state: &str,
    ) -> impl Iterator<Item = &'a Record> + use<'_, 'a> {
        self.events(Tag::Vulnerability, state)
    }

    /// `infra_changed` records of `infra`.
    pub fn infra_changes(
        &self,
        infra: &str,
    ) -> impl Iterator<Item = (At, InfraStatus)> + use<'_, 'a> {
        self.events(Tag::Infra, infra)
            .filter_map(|r| match &r.event {
                TraceEvent::InfraChanged { status, .. } => Some((At::of(r), *status)),
                _ => None,
            })
    }

    /// When `state` first exploited `item`.
    pub fn exploited(&self, item: &str, state: &str) -> Option<At> {
        self.first_of(First::Exploited, item, state)
    }

    /// When `state` first learned of the supply-chain compromise `item`.
    pub fn compromise_found(&self, item: &str, state: &str) -> Option<At> {
        self.first_of(First::CompromiseFound, item, state)
    }

    /// When `state` first found the vulnerability `item`.
    pub fn vulnerability_found(&self, item: &str, state: &str) -> Option<At> {
        self.first_of(First::VulnerabilityFound, item, state)
    }
}
