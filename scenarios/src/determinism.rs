//! Which random draws a scenario leaves, and where each is set: what makes two seeds give two
//! different runs. A CERT drill or a regression test wants a run that repeats exactly; this lists
//! every probability strictly between 0 and 1 and every latency that is not `Fixed` that a run
//! of the scenario can draw, so the author can pin each down (or hand a state to the control
//! cell, `control: Control`, which makes no doctrine draws at all). `ttx validate
//! --deterministic` prints the list.
//!
//! The list follows what the engine draws (`ttx-sim`): per incident, its victim CERT's detection,
//! investigation and containment times, finding accuracy, false-flag strength and the target's
//! recovery; per supply-chain compromise, when the vendor's and users' CERTs find it; per state
//! whose doctrine decides, the doctrine's probabilities and latencies that something in the
//! scenario can call on, and its PoCs' answer times. It errs on the side of listing: a draw the
//! scenario could reach is listed even if a particular run never reaches it.

use crate::actors::State;
use crate::dist::Dist;
use crate::doctrine::Doctrine;
use crate::injects::Event;
use crate::scenario::Scenario;
use crate::spans::SpanIndex;
use std::collections::BTreeMap;

/// One random draw left in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Draw {
    /// Scenario path of the value that sets it (`states[1].cert.detect`,
    /// `doctrines[0].ack_probability`), or of the nearest thing that chooses a default for it
    /// (`states[1].doctrine`, `states[1].capacity`).
    pub path: String,
    pub what: String,
    pub help: &'static str,
}

const PROBABILITY: &str = "make it 0.0 or 1.0, or give the state `control: Control`";
const LATENCY: &str = "make it Fixed(\"…\")";

fn random(d: &Dist) -> bool {
    match d {
        Dist::Fixed(_) => false,
        Dist::Uniform { min, max } => min != max,
        _ => true,
    }
}

fn uncertain(p: f64) -> bool {
    p > 0.0 && p < 1.0
}

fn latency(out: &mut Vec<Draw>, path: String, what: String, d: &Dist) {
    if random(d) {
        out.push(Draw {
            path,
            what: format!("{what}: {d}"),
            help: LATENCY,
        });
    }
}

/// Where a CERT parameter of state `i` is set: its own `cert` field, else the capacity tier whose
/// default it takes.
fn cert_path(i: usize, field: &str, set: bool) -> String {
    if set {
        format!("states[{i}].cert.{field}")
    } else {
        format!("states[{i}].capacity")
    }
}

/// Every random draw a run of `sc` can make, in scenario order.
pub fn random_draws(sc: &Scenario) -> Vec<Draw> {
    let mut out = Vec::new();
    for (k, inj) in sc.injects.iter().enumerate() {
        inject_draws(sc, k, &inj.event, &mut out);
    }
    doctrine_draws(sc, &mut out);
    out
}

fn inject_draws(sc: &Scenario, k: usize, event: &Event, out: &mut Vec<Draw>) {
    match event {
        Event::Incident { id, target, .. } => {
            let Some(x) = sc.infrastructure.iter().position(|x| &x.id == target) else {
                return;
            };
            let infra = &sc.infrastructure[x];
            let Some(v) = sc.states.iter().position(|s| s.id == infra.state) else {
                return;
            };
            let state = &sc.states[v];
            let (cert, spec) = (state.cert(), &state.cert);
            let who = format!("{id}: {}'s CERT", state.id);
            let at = |field, set| cert_path(v, field, set);
            let detect = at("detect", spec.detect.is_some());
            latency(out, detect, format!("{who} detects it after"), &cert.detect);
            let investigate = at("investigate", spec.investigate.is_some());
            let every = format!("{who} finds evidence every");
            latency(out, investigate, every, &cert.investigate);
            let contain = at("contain", spec.contain.is_some());
            latency(
                out,
                contain,
                format!("{who} contains it after"),
                &cert.contain,
            );
            if uncertain(cert.accuracy) {
                out.push(Draw {
                    path: at("accuracy", spec.accuracy.is_some()),
                    what: format!(
                        "{who}'s findings point the right way with probability {}",
                        cert.accuracy
                    ),
                    help: PROBABILITY,
                });
            }
            let recovery = infra.recovery.clone().unwrap_or(state.capacity.recovery());
            let path = match infra.recovery {
                Some(_) => format!("infrastructure[{x}].recovery"),
                None => format!("infrastructure[{x}]"),
            };
            latency(
                out,
                path,
                format!("{id}: {target} recovers after"),
                &recovery,
            );
        }
        Event::FalseFlag {
            incident, strength, ..
        } if uncertain(*strength) => out.push(Draw {
            path: format!("injects[{k}].event.strength"),
            what: format!("{incident}: a finding is planted evidence with probability {strength}"),
            help: "make it 0.0 or 1.0",
        }),
        Event::SupplyChain {
            id,
            vendor_state,
            affected,
            ..
        } => {
            let mut finders = vec![vendor_state.clone()];
            for a in affected.iter().filter_map(|a| sc.infra(a)) {
                if !finders.contains(&a.state) {
                    finders.push(a.state.clone());
                }
            }
            for f in finders {
                if let Some(i) = sc.states.iter().position(|s| s.id == f) {
                    let s = &sc.states[i];
                    let path = cert_path(i, "detect", s.cert.detect.is_some());
                    let what = format!(
                        "{id}: {f}'s CERT finds the compromise after (a user's, three times that)"
                    );
                    latency(out, path, what, &s.cert().detect);
                }
            }
        }
        _ => {}
    }
}

/// What in the scenario can make state `s`'s doctrine draw.
struct Calls {
    /// Incidents or moves: messages between states, answered by bots.
    traffic: bool,
    pinged: bool,
    discloses: bool,
    targeted: bool,
    /// Its infrastructure that serves others has an outage: it sends notices through its PoC.
    outages: bool,
}

fn calls(sc: &Scenario, s: &State) -> Calls {
    let any = |f: &dyn Fn(&Event) -> bool| sc.injects.iter().any(|i| f(&i.event));
    Calls {
        traffic: any(&|e| matches!(e, Event::Incident { .. } | Event::Move { .. })),
        pinged: any(
            &|e| matches!(e, Event::Ping { to, .. } if to.is_empty() || to.contains(&s.id)),
        ),
        discloses: any(&|e| match e {
            Event::Vulnerability { found_by, .. } => *found_by == s.id,
            Event::SupplyChain { vendor_state, .. } => *vendor_state == s.id,
            _ => false,
        }),
        targeted: any(&|e| matches!(e, Event::Disinformation { target, .. } if *target == s.id)),
        outages: any(&|e| {
            matches!(e, Event::Outage { infra, .. }
                if sc.infra(infra).is_some_and(|x| x.state == s.id && !x.serves.is_empty()))
        }),
    }
}

/// One doctrine parameter that draws, and the states that draw it.
struct Param {
    path: String,
    what: String,
    help: &'static str,
    states: Vec<String>,
}

fn doctrine_draws(sc: &Scenario, out: &mut Vec<Draw>) {
    let doctrines = sc.doctrines();
    // Once per (doctrine, parameter), naming the states that draw it.
    let mut params: BTreeMap<(String, &'static str), Param> = BTreeMap::new();
    for (i, s) in sc.states.iter().enumerate() {
        if !s.control.doctrine_decides() {
            continue;
        }
        let Some(d) = doctrines.get(&s.doctrine) else {
            continue;
        };
        let c = calls(sc, s);
        let spec = sc.doctrines.iter().position(|x| x.name == s.doctrine);
        for (field, what, used, value) in parameters(d, &c) {
            let (drawn, help) = match value {
                Value::P(p) => (uncertain(p), PROBABILITY),
                Value::D(dist) => (random(dist), LATENCY),
            };
            if !used || !drawn {
                continue;
            }
            let set = spec.is_some_and(|k| sets(&sc.doctrines[k], field));
            let path = match spec {
                Some(k) if set => format!("doctrines[{k}].{field}"),
                _ => format!("states[{i}].doctrine"),
            };
            let shown = match value {
                Value::P(p) => format!("{field} {p}: {what}"),
                Value::D(dist) => format!("{field}: {what} {dist}"),
            };
            params
                .entry((d.name.clone(), field))
                .or_insert(Param {
                    path,
                    what: shown,
                    help,
                    states: Vec::new(),
                })
                .states
                .push(s.id.clone());
        }
        if c.traffic || c.pinged || c.outages {
            for (k, poc) in s.pocs.iter().enumerate() {
                let path = match poc.latency {
                    Some(_) => format!("states[{i}].pocs[{k}].latency"),
                    None => format!("states[{i}].pocs[{k}]"),
                };
                let what = format!("{}'s {} PoC answers after", s.id, poc.level.as_str());
                latency(out, path, what, &poc.answer_latency());
            }
        }
    }
    for ((doctrine, _), p) in params {
        out.push(Draw {
            path: p.path,
            what: format!(
                "doctrine \"{doctrine}\" {} (drawn by {})",
                p.what,
                p.states.join(", ")
            ),
            help: p.help,
        });
    }
}

enum Value<'d> {
    P(f64),
    D(&'d Dist),
}

/// Whether a scenario's doctrine spec sets `field` itself.
fn sets(spec: &crate::doctrine::DoctrineSpec, field: &str) -> bool {
    let p = crate::doctrine::probabilities(spec);
    let l = crate::doctrine::latencies(spec);
    p.iter().any(|(f, v)| *f == field && v.is_some())
        || l.iter().any(|(f, v)| *f == field && v.is_some())
}

/// Each random parameter of a doctrine: name, what the bot does with it, whether the scenario can
/// call on it, and its value.
fn parameters<'d>(
    d: &'d Doctrine,
    c: &Calls,
) -> [(&'static str, &'static str, bool, Value<'d>); 17] {
    use Value::{D, P};
    let (t, tt) = (c.traffic, c.traffic || c.targeted);
    [
        (
            "ack_probability",
            "acknowledges notifications and assistance requests",
            t,
            P(d.ack_probability),
        ),
        (
            "ping_reply_probability",
            "answers PoC checks",
            c.pinged,
            P(d.ping_reply_probability),
        ),
        (
            "clarify_probability",
            "answers clarification requests",
            t,
            P(d.clarify_probability),
        ),
        (
            "mitigate_probability",
            "mitigates once notified",
            t,
            P(d.mitigate_probability),
        ),
        (
            "assist_probability",
            "offers assistance",
            t,
            P(d.assist_probability),
        ),
        (
            "deliver_probability",
            "delivers what it offered",
            t,
            P(d.deliver_probability),
        ),
        (
            "request_assistance_probability",
            "asks partners for assistance",
            t,
            P(d.request_assistance_probability),
        ),
        (
            "share_probability",
            "shares indicators and answers information requests",
            t,
            P(d.share_probability),
        ),
        (
            "legal_probability",
            "answers legal cooperation requests",
            t,
            P(d.legal_probability),
        ),
        (
            "disclose_probability",
            "discloses rather than exploits",
            c.discloses,
            P(d.disclose_probability),
        ),
        (
            "shutdown_probability",
            "answers disinformation with a shutdown",
            c.targeted,
            P(d.shutdown_probability),
        ),
        (
            "clarify_latency",
            "prepares a clarification in",
            t,
            D(&d.clarify_latency),
        ),
        (
            "mitigate_latency",
            "mitigates in",
            t,
            D(&d.mitigate_latency),
        ),
        (
            "assist_latency",
            "decides on assistance in",
            t,
            D(&d.assist_latency),
        ),
        (
            "legal_latency",
            "answers a legal request in",
            t,
            D(&d.legal_latency),
        ),
        (
            "disclose_latency",
            "discloses in",
            c.discloses,
            D(&d.disclose_latency),
        ),
        (
            "decision_latency",
            "prepares a diplomatic step or measure in",
            tt,
            D(&d.decision_latency),
        ),
    ]
}

/// `file:line:col: random: …` for each draw, in file order, then a one-line summary. Returns the
/// text and the number of draws.
pub fn report(origin: &str, source: &str, sc: &Scenario) -> (String, usize) {
    let index = SpanIndex::build(source);
    let mut draws: Vec<(Option<crate::spans::Spot>, Draw)> = random_draws(sc)
        .into_iter()
        .map(|d| (index.find(&d.path), d))
        .collect();
    draws.sort_by_key(|(spot, _)| spot.map(|s| s.start));
    let mut out = String::new();
    for (spot, d) in &draws {
        let at = match spot {
            Some(s) => format!("{origin}:{}:{}", s.start.line, s.start.col),
            None => origin.to_string(),
        };
        out.push_str(&format!("{at}: random: {}\n  = help: {}\n", d.what, d.help));
    }
    let n = draws.len();
    if n == 0 {
        out.push_str(&format!(
            "{origin}: deterministic: no random draw left, every seed gives the same run\n"
        ));
    } else {
        let s = if n == 1 { "" } else { "s" };
        out.push_str(&format!(
            "{origin}: {n} random draw{s} left: runs differ between seeds\n"
        ));
    }
    (out, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_values_and_control_cell_states_draw_nothing() {
        let text = r#"Scenario(name: "x", start: "2026-03-02T00:00:00Z", duration: "1d",
            states: [State(id: "a", control: Control, cert: Cert(detect: Fixed("1h"),
                           investigate: Fixed("1h"), contain: Fixed("1d"), accuracy: 1.0)),
                     State(id: "b", doctrine: "cautious")],
            infrastructure: [Infra(id: "x", state: "a", sector: Health, recovery: Fixed("1h"))],
            actors: [ThreatActor(id: "g", kind: Criminal, operates_from: "b")],
            injects: [Inject(at: "T+1h", event: Incident(id: "i", target: "x", by: "g", severity: 3))])"#;
        let sc = crate::load_str(text, "x.ron").unwrap();
        let draws = random_draws(&sc);
        // Only b, the bot, draws: its doctrine and its PoCs.
        assert!(!draws.is_empty());
        assert!(
            draws
                .iter()
                .all(|d| d.what.contains("drawn by b") || d.what.starts_with("b's"))
        );
        let mut pinned = sc.clone();
        pinned.states[1].control = crate::actors::Control::Control;
        assert_eq!(random_draws(&pinned), Vec::new());
        let (text, n) = report("x.ron", text, &pinned);
        assert_eq!(n, 0);
        assert!(text.contains("deterministic"));
    }
}
