//! A validated scenario turned into indexed, read-only tables. Built once per study and shared by
//! every run (and every thread), so a run only pays for what changes.

use rustc_hash::FxHashMap as HashMap;
use ttx_scenario::{
    ActorKind, Capacity, Cert, Condition, Diagnostic, Dist, Doctrine, Event, Name, PocLevel,
    PocStatus, Scenario, Sector, hours::WorkingHours,
};

pub struct StateInfo {
    pub id: Name,
    /// Its doctrine makes its decisions; `false` for a state the control cell plays, which acts
    /// only through moves.
    pub decides: bool,
    pub offset: i64,
    pub capacity: Capacity,
    pub doctrine: Doctrine,
    pub cert: Cert,
    pub orgs: Vec<String>,
}

pub struct PocInfo {
    pub id: Name,
    pub state: usize,
    pub level: PocLevel,
    pub hours: WorkingHours,
    pub latency: Dist,
    pub status: PocStatus,
}

pub struct InfraInfo {
    pub id: Name,
    pub owner: usize,
    pub sector: Sector,
    pub depends_on: Vec<usize>,
    pub dependents: Vec<usize>,
    pub backup: i64,
    pub recovery: Dist,
    /// Other states it serves (A/75/816 ¶18), in scenario order.
    pub serves: Vec<usize>,
    /// Critical infrastructure for norms f and g (by sector unless the scenario says).
    pub critical: bool,
}

pub struct ActorInfo {
    pub id: Name,
    pub kind: ActorKind,
    pub operates_from: usize,
    pub directed_by: Option<usize>,
    pub supported_by: Option<usize>,
    pub uses_cert: bool,
}

pub struct InjectInfo {
    pub id: Name,
    /// The instant, when fixed.
    pub at: Option<i64>,
    /// A window drawn from in every run (`at: Uniform(…)`).
    pub window: Option<(i64, i64)>,
    /// (every, times) of a repeated inject.
    pub repeat: Option<(i64, u32)>,
    pub when: Option<Condition>,
    pub event: Event,
    pub note: String,
}

pub struct Prepared {
    pub scenario: Scenario,
    pub hash: String,
    pub start: i64,
    pub duration: i64,
    pub states: Vec<StateInfo>,
    pub pocs: Vec<PocInfo>,
    pub infra: Vec<InfraInfo>,
    pub actors: Vec<ActorInfo>,
    pub injects: Vec<InjectInfo>,
    /// Incident streams, ready to draw from (`arrivals.rs`).
    pub streams: Vec<crate::arrivals::StreamInfo>,
    /// Injects that fire when a message is received, so deliveries need not scan every inject.
    pub on_receipt: Vec<usize>,
    // Looked up for every message a run sends and delivers, hence the cheaper hash; only looked
    // up, never iterated, so the hash cannot reach a trace.
    state_ix: HashMap<Name, usize>,
    infra_ix: HashMap<Name, usize>,
    actor_ix: HashMap<Name, usize>,
    /// Each state's PoC per level (`PocLevel as usize`), `NO_POC` where it has none: asked for
    /// every PoC message sent and every reply timed, so indexed rather than hashed.
    poc_ix: Vec<[u32; PocLevel::ALL.len()]>,
}

const NO_POC: u32 = u32::MAX;

impl Prepared {
    /// Validates and indexes a scenario. Fails with the same diagnostics `ttx validate` prints.
    pub fn new(scenario: &Scenario) -> Result<Prepared, Vec<Diagnostic>> {
        let problems = ttx_scenario::validate(scenario);
        if !problems.is_empty() {
            return Err(problems);
        }
        let sc = scenario.clone();
        let doctrines = sc.doctrines();
        let state_ix: HashMap<Name, usize> = sc
            .states
            .iter()
            .enumerate()
            .map(|(i, s)| (Name::new(&s.id), i))
            .collect();
        let infra_ix: HashMap<Name, usize> = sc
            .infrastructure
            .iter()
            .enumerate()
            .map(|(i, x)| (Name::new(&x.id), i))
            .collect();
        let actor_ix: HashMap<Name, usize> = sc
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (Name::new(&a.id), i))
            .collect();

        let states = sc
            .states
            .iter()
            .map(|s| StateInfo {
                id: Name::new(&s.id),
                decides: s.control.doctrine_decides(),
                offset: s.utc_offset.0 as i64,
                capacity: s.capacity,
                doctrine: doctrines[&s.doctrine].clone(),
                cert: s.cert(),
                orgs: s.orgs.clone(),
            })
            .collect();
        let mut pocs = Vec::new();
        let mut poc_ix = vec![[NO_POC; PocLevel::ALL.len()]; sc.states.len()];
        for (si, s) in sc.states.iter().enumerate() {
            for p in &s.pocs {
                // Of two PoCs at one level (which validation rejects), the last is the one.
                poc_ix[si][p.level as usize] = pocs.len() as u32;
                pocs.push(PocInfo {
                    id: Name::new(&p.id_for(&s.id)),
                    state: si,
                    level: p.level,
                    hours: p.hours.clone(),
                    latency: p.answer_latency(),
                    status: p.status,
                });
            }
        }
        let mut infra: Vec<InfraInfo> = sc
            .infrastructure
            .iter()
            .map(|x| {
                let owner = state_ix[&Name::new(&x.state)];
                InfraInfo {
                    id: Name::new(&x.id),
                    owner,
                    sector: x.sector,
                    depends_on: x
                        .depends_on
                        .iter()
                        .map(|d| infra_ix[&Name::new(d)])
                        .collect(),
                    dependents: Vec::new(),
                    backup: x.backup.0,
                    recovery: x
                        .recovery
                        .clone()
                        .unwrap_or_else(|| sc.states[owner].capacity.recovery()),
                    serves: x.serves.iter().map(|s| state_ix[&Name::new(s)]).collect(),
                    critical: x.is_critical(),
                }
            })
            .collect();
        for i in 0..infra.len() {
            for d in infra[i].depends_on.clone() {
                infra[d].dependents.push(i);
            }
        }
        let actors = sc
            .actors
            .iter()
            .map(|a| ActorInfo {
                id: Name::new(&a.id),
                kind: a.kind,
                operates_from: state_ix[&Name::new(&a.operates_from)],
                directed_by: a.directed_by.as_deref().map(|d| state_ix[&Name::new(d)]),
                supported_by: a.supported_by.as_deref().map(|d| state_ix[&Name::new(d)]),
                uses_cert: a.uses_cert,
            })
            .collect();
        let injects: Vec<InjectInfo> = sc
            .injects
            .iter()
            .enumerate()
            .map(|(i, inj)| InjectInfo {
                id: Name::new(&inj.id_at(i)),
                at: inj.at.and_then(|a| a.fixed()).map(|a| a.secs()),
                window: match inj.at {
                    Some(ttx_scenario::InjectAt::Random(ttx_scenario::RandomAt::Uniform(a, b))) => {
                        Some((a.secs(), b.secs()))
                    }
                    _ => None,
                },
                repeat: inj.repeat.map(|r| (r.every.0, r.times)),
                when: inj.when.clone(),
                event: inj.event.clone(),
                note: inj.note.clone(),
            })
            .collect();
        let on_receipt = injects
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.when, Some(Condition::Received { .. })))
            .map(|(k, _)| k)
            .collect();
        Ok(Prepared {
            on_receipt,
            hash: sc.content_hash(),
            start: sc.start.0,
            duration: sc.duration.0,
            states,
            pocs,
            infra,
            streams: crate::arrivals::StreamInfo::prepare(&sc, &state_ix, &infra_ix, &actor_ix),
            actors,
            injects,
            state_ix,
            infra_ix,
            actor_ix,
            poc_ix,
            scenario: sc,
        })
    }

    // Ids are looked up as names: a message's fields already are, and a `&str` is interned
    // on the way in.
    pub fn state(&self, id: impl Into<Name>) -> usize {
        self.state_ix[&id.into()]
    }
    pub fn try_state(&self, id: impl Into<Name>) -> Option<usize> {
        self.state_ix.get(&id.into()).copied()
    }
    /// "MSG WHAT (doctrine NAME)": why state `me`'s bot let a message go, the text of its
    /// decision record. Written at its exact length: a directory exercise writes one for most
    /// unanswered pings, and `format!` (after copying the doctrine's name out of the borrowed
    /// setup) cost two allocations and a growth each. The hand-written loop writes it too.
    pub fn let_go(&self, me: usize, msg: Name, what: &str) -> String {
        let doctrine = &self.states[me].doctrine.name;
        joined([msg.as_str(), " ", what, " (doctrine ", doctrine, ")"])
    }

    /// Why a message to PoC `p` bounces while the PoC is in `status` ("ID: unreachable"), the
    /// reason of its `delivery_failed` record; none while it is active. Written at its exact
    /// length, as [`Prepared::let_go`], by the engine and the hand-written loop alike.
    /// Inlined, the text apart: every delivery through a PoC asks, and most find it active.
    #[inline(always)]
    pub fn bounce(&self, p: usize, status: PocStatus) -> Option<String> {
        let what = match status {
            PocStatus::Active => return None,
            PocStatus::Stale => "stale contact details in the PoC directory",
            PocStatus::Unreachable => "unreachable",
        };
        Some(self.bounce_text(p, what))
    }

    #[inline(never)]
    fn bounce_text(&self, p: usize, what: &str) -> String {
        joined([self.pocs[p].id.as_str(), ": ", what])
    }
    pub fn infra_ix(&self, id: impl Into<Name>) -> usize {
        self.infra_ix[&id.into()]
    }
    pub fn actor(&self, id: impl Into<Name>) -> &ActorInfo {
        &self.actors[self.actor_ix[&id.into()]]
    }
    pub fn actor_ix(&self, id: impl Into<Name>) -> usize {
        self.actor_ix[&id.into()]
    }
    pub fn poc(&self, state: usize, level: PocLevel) -> Option<usize> {
        let &ix = self.poc_ix.get(state)?.get(level as usize)?;
        (ix != NO_POC).then_some(ix as usize)
    }

    /// States that would help `state`: those sharing a regional organisation with it, else every
    /// advanced-capacity state; never `state` itself nor `except`. At most three, the most capable
    /// first.
    pub fn partners(&self, state: usize, except: Option<usize>) -> Vec<usize> {
        let me = &self.states[state];
        let eligible = |i: usize| i != state && Some(i) != except;
        let mut out: Vec<usize> = (0..self.states.len())
            .filter(|&i| eligible(i) && self.states[i].orgs.iter().any(|o| me.orgs.contains(o)))
            .collect();
        if out.is_empty() {
            out = (0..self.states.len())
                .filter(|&i| eligible(i) && self.states[i].capacity == Capacity::Advanced)
                .collect();
        }
        // The most capable first (a stable sort keeps scenario order among equals).
        out.sort_by_key(|&i| std::cmp::Reverse(self.states[i].capacity));
        out.truncate(3);
        out
    }

    /// When `poc` finishes `work` seconds of on-duty time starting at exercise time `t`.
    pub fn poc_done_at(&self, poc: usize, t: i64, work: i64) -> i64 {
        self.on_desk_clock(poc, t, |hours, local| hours.add_working(local, work))
    }

    /// When `poc`, having started `work` seconds of on-duty time at exercise time `t`, is done
    /// and on duty to send what it did: `poc_done_at`, moved on to the desk's next opening if
    /// the work ends at closing time.
    pub fn poc_sends_at(&self, poc: usize, t: i64, work: i64) -> i64 {
        self.on_desk_clock(poc, t, |hours, local| hours.open_after_working(local, work))
    }

    /// `at` on `poc`'s local clock, for exercise time `t`, back in exercise time.
    fn on_desk_clock(&self, poc: usize, t: i64, at: impl Fn(&WorkingHours, i64) -> i64) -> i64 {
        let p = &self.pocs[poc];
        let offset = self.states[p.state].offset;
        let local = self.start + t + offset;
        at(&p.hours, local) - offset - self.start
    }
}

/// `parts` as one string, allocated once at its length. An array, inlined: for a slice the
/// compiler kept a loop where the array's few parts are copied straight.
#[inline(always)]
fn joined<const N: usize>(parts: [&str; N]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        text.push_str(p);
    }
    text
}
