//! What fires at random (`ttx_scenario::stochastic`): injects whose instant is drawn from a
//! window, repeated injects, and incident streams — Poisson processes of incidents with a
//! time-of-day and weekday profile, drawn by thinning (Lewis & Shedler 1979).
//!
//! Every draw comes from a stream keyed by a stable id — the inject's id (and repetition), the
//! stream's id for its arrival times, `STREAM-K` for the K-th incident's target and actor — so a
//! change elsewhere in the scenario leaves these draws alone (common random numbers). Scheduled
//! injects with a fixed instant draw nothing, so scenarios without randomness run exactly as before.

use bevy_ecs::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use ttx_scenario::{Event, Name, Scenario, Technique, TraceEvent};

use crate::agenda::{Agenda, ArrivalDue, InjectDue, Pending, RepeatDue};
use crate::ctx::Run;
use crate::incidents::StartIncident;
use crate::prepared::Prepared;
use crate::rng::Streams;

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// An incident stream, ready to draw from.
pub struct StreamInfo {
    pub id: String,
    /// Arrivals per second, averaged over a week of the profile.
    rate: f64,
    from: i64,
    until: i64,
    /// Relative weight per hour of day and per weekday (Monday first), normalised to mean 1.
    hours: [f64; 24],
    weekdays: [f64; 7],
    /// Offset of the profile's clock from UTC, seconds.
    offset: i64,
    targets: Vec<usize>,
    actors: Vec<usize>,
    technique: Technique,
    rsit: String,
    severity: u8,
}

fn normalised<const N: usize>(w: &[f64]) -> [f64; N] {
    let mut out = [1.0; N];
    if w.len() == N {
        let mean = w.iter().sum::<f64>() / N as f64;
        if mean > 0.0 {
            for (o, x) in out.iter_mut().zip(w) {
                *o = x / mean;
            }
        }
    }
    out
}

impl StreamInfo {
    pub fn prepare(
        sc: &Scenario,
        states: &HashMap<Name, usize>,
        infra: &HashMap<Name, usize>,
        actors: &HashMap<Name, usize>,
    ) -> Vec<StreamInfo> {
        sc.streams
            .iter()
            .map(|st| StreamInfo {
                id: st.id.clone(),
                rate: st.rate.per_second,
                from: st.from.map_or(0, |a| a.secs()),
                until: st.until.map_or(sc.duration.0, |a| a.secs()),
                hours: normalised(&st.hours),
                weekdays: normalised(&st.weekdays),
                offset: st
                    .state
                    .as_ref()
                    .and_then(|s| states.get(&Name::new(s)))
                    .map_or(0, |&s| sc.states[s].utc_offset.0 as i64),
                targets: st
                    .target_pool(sc)
                    .iter()
                    .filter_map(|t| infra.get(&Name::new(t)).copied())
                    .collect(),
                actors: st
                    .actors
                    .iter()
                    .filter_map(|a| actors.get(&Name::new(a)).copied())
                    .collect(),
                technique: st.technique,
                rsit: st.rsit.clone(),
                severity: st.severity,
            })
            .collect()
    }

    /// Relative intensity at exercise time `t` (mean 1 over a week).
    fn weight(&self, start: i64, t: i64) -> f64 {
        let local = start + t + self.offset;
        let day = local.div_euclid(DAY);
        let hour = local.rem_euclid(DAY) / HOUR;
        self.hours[hour as usize] * self.weekdays[ttx_scenario::time::weekday(day) as usize]
    }

    fn peak(&self) -> f64 {
        let h = self.hours.iter().copied().fold(0.0, f64::max);
        let d = self.weekdays.iter().copied().fold(0.0, f64::max);
        h * d
    }
}

/// Puts a run's scheduled and random injects and every stream's arrivals on the agenda.
pub fn schedule(prep: &Prepared, agenda: &mut Agenda, streams: &mut Streams) {
    for (i, inj) in prep.injects.iter().enumerate() {
        let times = inj.repeat.map_or(1, |r| r.1);
        let every = inj.repeat.map_or(0, |r| r.0);
        for k in 0..times {
            let base = match (inj.at, inj.window) {
                (Some(at), _) => at,
                (None, Some((lo, hi))) => {
                    let u = streams.uniform(&inj.id, &format!("at-{k}"));
                    lo + ((hi - lo + 1) as f64 * u).floor() as i64
                }
                (None, None) => break,
            };
            let t = base + k as i64 * every;
            if k == 0 {
                agenda.at(t, Pending::Inject(i));
            } else {
                agenda.at(t, Pending::Repeat(i, k));
            }
        }
    }
    for (s, st) in prep.streams.iter().enumerate() {
        let peak = st.peak();
        if st.rate <= 0.0 || peak <= 0.0 {
            continue;
        }
        // Candidates at the peak rate, each kept with probability weight / peak.
        let candidates = st.rate * peak;
        let (mut t, mut k) = (st.from as f64, 0u32);
        loop {
            let u = streams.uniform(&st.id, "arrivals");
            t += -(1.0 - u).ln() / candidates;
            if t >= st.until as f64 {
                break;
            }
            let at = t.floor() as i64;
            if streams.uniform(&st.id, "thinning") * peak < st.weight(prep.start, at) {
                k += 1;
                agenda.at(at, Pending::Arrival(s, k));
            }
        }
    }
}

/// Draws one of `n` choices from the stream keyed (`key`, `purpose`).
fn pick(streams: &mut Streams, key: &str, purpose: &str, n: usize) -> usize {
    ((streams.uniform(key, purpose) * n as f64) as usize).min(n.saturating_sub(1))
}

fn start(
    prep: &Prepared,
    id: String,
    target: usize,
    actor: usize,
    technique: Technique,
    rsit: &str,
    severity: u8,
) -> StartIncident {
    let a = &prep.actors[actor];
    StartIncident {
        id: Name::new(&id),
        target,
        by: a.id,
        actor_kind: a.kind,
        territory: a.operates_from,
        directed_by: a.directed_by,
        supported_by: a.supported_by,
        uses_cert: a.uses_cert,
        technique,
        rsit: rsit.to_string(),
        severity,
        launched_by: None,
        exploits: None,
    }
}

/// Stream arrivals become incidents; a repeated inject fires again (a repeated incident as
/// incident `ID-K`).
pub fn fire_arrivals(
    (mut ctx, _): Run,
    mut arrivals: MessageReader<ArrivalDue>,
    mut repeats: MessageReader<RepeatDue>,
    mut starts: MessageWriter<StartIncident>,
    mut injects: MessageWriter<InjectDue>,
) {
    let prep = ctx.setup.0.clone();
    for &RepeatDue(i, k) in repeats.read() {
        let inj = &prep.injects[i];
        let Event::Incident {
            id,
            target,
            by,
            territory,
            technique,
            rsit,
            severity,
            ..
        } = &inj.event
        else {
            // The first firing marked the inject done (so a release by the facilitator is not
            // fired twice); each repetition is a firing of its own.
            ctx.watch.done.remove(&i);
            injects.write(InjectDue(i));
            continue;
        };
        ctx.record(TraceEvent::InjectFired {
            inject: inj.id,
            kind: inj.event.kind().into(),
            note: (!inj.note.is_empty()).then(|| inj.note.clone()),
        });
        let actor = prep.actor_ix(by);
        let mut s = start(
            &prep,
            format!("{id}-{}", k + 1),
            prep.infra_ix(target),
            actor,
            *technique,
            rsit,
            *severity,
        );
        if let Some(t) = territory {
            s.territory = prep.state(t);
        }
        starts.write(s);
    }
    for &ArrivalDue(s, k) in arrivals.read() {
        let st = &prep.streams[s];
        let id = format!("{}-{k}", st.id);
        let target = st.targets[pick(&mut ctx.streams, &id, "target", st.targets.len())];
        let actor = st.actors[pick(&mut ctx.streams, &id, "actor", st.actors.len())];
        starts.write(start(
            &prep,
            id,
            target,
            actor,
            st.technique,
            &st.rsit,
            st.severity,
        ));
    }
}
