//! Semantic checks of a parsed scenario: everything serde cannot see. Every problem is collected
//! (not just the first) with the path of the value at fault, so `ttx validate` can list them all.

use crate::diagnostic::{self, Diagnostic};
use crate::dist::Dist;
use crate::doctrine::{self, BUNDLED_NAMES};
use crate::injects::Event;
use crate::scenario::Scenario;
use std::collections::{BTreeMap, BTreeSet};

mod exercise;
mod injects;
mod moves;
mod planner;
mod ranges;
mod streams;

/// Problems that get a "did you mean" (it compares the word with every known id); later ones get
/// the shortened list of known ids, so that a file with thousands of broken references is still
/// checked in time close to linear in its size.
const SUGGESTIONS: usize = 100;

pub fn validate(sc: &Scenario) -> Vec<Diagnostic> {
    let mut v = Validator {
        sc,
        out: Vec::new(),
        ids: BTreeMap::new(),
        events: BTreeMap::new(),
        known: BTreeMap::new(),
    };
    v.run();
    v.out
}

pub(crate) struct Validator<'a> {
    pub(crate) sc: &'a Scenario,
    out: Vec<Diagnostic>,
    /// Actor-like ids (states, organisations, infrastructure, threat actors, PoCs) → kind.
    ids: BTreeMap<String, &'static str>,
    /// Event-like ids (injects, incidents, vulnerabilities, compromises, campaigns) → kind.
    events: BTreeMap<String, &'static str>,
    /// Ids of each kind in file order, and as a set for lookups; built on first use.
    known: BTreeMap<&'static str, (Vec<&'a str>, BTreeSet<&'a str>)>,
}

impl<'a> Validator<'a> {
    pub(crate) fn err(
        &mut self,
        path: impl Into<String>,
        msg: impl Into<String>,
        help: Option<String>,
    ) {
        self.out.push(Diagnostic::at(path, msg).help_opt(help));
    }

    fn declare(&mut self, path: String, id: &str, kind: &'static str, events: bool) {
        if id.trim().is_empty() {
            self.err(path, format!("{kind} id must not be empty"), None);
            return;
        }
        let table = if events {
            &mut self.events
        } else {
            &mut self.ids
        };
        if let Some(prev) = table.get(id) {
            let article = if prev.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            let msg = format!("duplicate id \"{id}\": already used by {article} {prev}");
            self.err(
                path,
                msg,
                Some("ids must be unique; rename one of them".into()),
            );
        } else {
            table.insert(id.to_string(), kind);
        }
    }

    fn known(&mut self, kind: &'static str) -> &(Vec<&'a str>, BTreeSet<&'a str>) {
        let sc = self.sc;
        self.known.entry(kind).or_insert_with(|| {
            let list: Vec<&'a str> = match kind {
                "state" => sc.states.iter().map(|s| s.id.as_str()).collect(),
                "infrastructure" => sc.infrastructure.iter().map(|s| s.id.as_str()).collect(),
                "threat actor" => sc.actors.iter().map(|s| s.id.as_str()).collect(),
                "organisation" => sc.organisations.iter().map(|s| s.id.as_str()).collect(),
                "incident" => sc.incident_ids(),
                "objective" => sc.objectives.iter().map(|s| s.id.as_str()).collect(),
                _ => Vec::new(),
            };
            let set = list.iter().copied().collect();
            (list, set)
        })
    }

    /// "did you mean …" for the first problems, then only the list of what is known: see
    /// [`SUGGESTIONS`].
    pub(crate) fn suggest(&self, word: &str, known: &[&str], what: &str) -> Option<String> {
        if self.out.len() < SUGGESTIONS {
            diagnostic::suggest(word, known, what)
        } else {
            diagnostic::known_list(known, what)
        }
    }

    /// Checks that `id` names a `kind`; reports at `path` with a suggestion otherwise.
    pub(crate) fn refers(&mut self, path: String, id: &str, kind: &'static str) -> bool {
        if self.known(kind).1.contains(id) {
            return true;
        }
        let known = self.known(kind).0.clone();
        let help = self.suggest(id, &known, &plural(kind));
        self.err(path, format!("unknown {kind} \"{id}\""), help);
        false
    }

    /// A state or an organisation (senders and receivers of pings and control messages).
    pub(crate) fn refers_party(&mut self, path: String, id: &str) {
        if self.known("state").1.contains(id) || self.known("organisation").1.contains(id) {
            return;
        }
        let mut known = self.known("state").0.clone();
        known.extend(self.known("organisation").0.iter().copied());
        let help = self.suggest(id, &known, "states or organisations");
        self.err(
            path,
            format!("unknown state or organisation \"{id}\""),
            help,
        );
    }

    pub(crate) fn probability(&mut self, path: String, name: &str, p: f64) {
        if !(0.0..=1.0).contains(&p) || p.is_nan() {
            self.err(
                path,
                format!("{name} is {}, outside [0, 1]", ranges::number(p)),
                Some("probabilities and thresholds are written as 0.0 to 1.0, e.g. 0.85".into()),
            );
        }
    }

    fn dist(&mut self, path: String, d: &Dist) {
        if let Some(problem) = d.problem() {
            self.err(path, problem, None);
        }
    }

    fn run(&mut self) {
        let sc = self.sc;
        if sc.name.trim().is_empty() {
            self.err("name", "scenario name must not be empty", None);
        }
        if sc.duration.0 <= 0 {
            self.err(
                "duration",
                "duration must be longer than 0s",
                Some("e.g. duration: \"5d\"".into()),
            );
        }
        if sc.states.is_empty() {
            self.err("states", "a scenario needs at least one state", None);
        }
        self.declarations();
        self.doctrines();
        self.states();
        self.infrastructure();
        self.threat_actors();
        self.injects();
        self.planner();
        self.streams();
        self.exercise();
        self.ranges();
    }

    fn declarations(&mut self) {
        let sc = self.sc;
        for (i, s) in sc.states.iter().enumerate() {
            self.declare(format!("states[{i}].id"), &s.id, "state", false);
            for (k, p) in s.pocs.iter().enumerate() {
                if p.id.is_some() {
                    self.declare(
                        format!("states[{i}].pocs[{k}].id"),
                        &p.id_for(&s.id),
                        "point of contact",
                        false,
                    );
                }
            }
        }
        for (i, o) in sc.organisations.iter().enumerate() {
            self.declare(
                format!("organisations[{i}].id"),
                &o.id,
                "organisation",
                false,
            );
        }
        for (i, x) in sc.infrastructure.iter().enumerate() {
            self.declare(
                format!("infrastructure[{i}].id"),
                &x.id,
                "infrastructure",
                false,
            );
        }
        for (i, a) in sc.actors.iter().enumerate() {
            self.declare(format!("actors[{i}].id"), &a.id, "threat actor", false);
        }
        for (i, inj) in sc.injects.iter().enumerate() {
            self.declare(format!("injects[{i}].id"), &inj.id_at(i), "inject", true);
            let item = match &inj.event {
                Event::Incident { id, .. } => Some((id, "incident")),
                Event::Vulnerability { id, .. } => Some((id, "vulnerability")),
                Event::SupplyChain { id, .. } => Some((id, "supply-chain compromise")),
                Event::Disinformation { id, .. } => Some((id, "disinformation campaign")),
                _ => None,
            };
            if let Some((id, kind)) = item {
                self.declare(format!("injects[{i}].event.id"), id, kind, true);
            }
        }
        let mut seen = BTreeSet::new();
        for (i, o) in sc.objectives.iter().enumerate() {
            if !seen.insert(o.id.as_str()) {
                self.err(
                    format!("objectives[{i}].id"),
                    format!("duplicate objective id \"{}\"", o.id),
                    None,
                );
            }
        }
        let mut seen = BTreeSet::new();
        for (i, e) in sc.expectations.iter().enumerate() {
            if !seen.insert(e.id.as_str()) {
                self.err(
                    format!("expectations[{i}].id"),
                    format!("duplicate expectation id \"{}\"", e.id),
                    None,
                );
            }
        }
    }

    fn doctrines(&mut self) {
        let sc = self.sc;
        let mut names: Vec<&str> = BUNDLED_NAMES.to_vec();
        let mut seen = BTreeSet::new();
        for (i, d) in sc.doctrines.iter().enumerate() {
            if !seen.insert(d.name.as_str()) {
                self.err(
                    format!("doctrines[{i}].name"),
                    format!("doctrine \"{}\" is defined twice", d.name),
                    None,
                );
            } else if !BUNDLED_NAMES.contains(&d.name.as_str()) {
                names.push(&d.name);
            }
        }
        let name_set: BTreeSet<&str> = names.iter().copied().collect();
        for (i, d) in sc.doctrines.iter().enumerate() {
            if let Some(base) = &d.base
                && !name_set.contains(base.as_str())
            {
                let help = self.suggest(base, &names, "doctrines");
                self.err(
                    format!("doctrines[{i}].base"),
                    format!("unknown base doctrine \"{base}\""),
                    help,
                );
            }
            for (field, p) in doctrine::probabilities(d) {
                if let Some(p) = p {
                    self.probability(format!("doctrines[{i}].{field}"), field, p);
                }
            }
            for (field, dist) in doctrine::latencies(d) {
                if let Some(dist) = dist {
                    self.dist(format!("doctrines[{i}].{field}"), dist);
                }
            }
            for (field, span) in [("patience", d.patience), ("review_every", d.review_every)] {
                if let Some(s) = span
                    && s.0 <= 0
                {
                    self.err(
                        format!("doctrines[{i}].{field}"),
                        format!("{field} must be longer than 0s"),
                        None,
                    );
                }
            }
        }
        // Base chains must end in a bundled doctrine.
        let resolved = sc.doctrines();
        for (i, d) in sc.doctrines.iter().enumerate() {
            let base_known = d.base.as_deref().is_none_or(|b| name_set.contains(b));
            if base_known && !resolved.contains_key(&d.name) {
                self.err(
                    format!("doctrines[{i}].base"),
                    format!(
                        "doctrine \"{}\" is based on itself through a cycle of bases",
                        d.name
                    ),
                    Some(
                        "make the chain of `base` end in a bundled doctrine such as \"cautious\""
                            .into(),
                    ),
                );
            }
        }
    }

    fn states(&mut self) {
        let sc = self.sc;
        let doctrines: Vec<String> = sc.doctrines().into_keys().collect();
        let doctrine_names: Vec<&str> = doctrines.iter().map(String::as_str).collect();
        let doctrine_set: BTreeSet<&str> = doctrine_names.iter().copied().collect();
        for (i, s) in sc.states.iter().enumerate() {
            if !doctrine_set.contains(s.doctrine.as_str()) {
                let help = self.suggest(&s.doctrine, &doctrine_names, "doctrines");
                self.err(
                    format!("states[{i}].doctrine"),
                    format!("unknown doctrine \"{}\" for state \"{}\"", s.doctrine, s.id),
                    help,
                );
            }
            for (k, org) in s.orgs.iter().enumerate() {
                self.refers(format!("states[{i}].orgs[{k}]"), org, "organisation");
            }
            if s.cert.analysts == Some(0) {
                self.err(
                    format!("states[{i}].cert.analysts"),
                    "a CERT needs at least 1 analyst",
                    None,
                );
            }
            if let Some(a) = s.cert.accuracy {
                self.probability(format!("states[{i}].cert.accuracy"), "accuracy", a);
            }
            for (field, d) in [
                ("detect", &s.cert.detect),
                ("investigate", &s.cert.investigate),
                ("contain", &s.cert.contain),
            ] {
                if let Some(d) = d {
                    self.dist(format!("states[{i}].cert.{field}"), d);
                }
            }
            let mut levels = BTreeSet::new();
            for (k, p) in s.pocs.iter().enumerate() {
                if !levels.insert(p.level) {
                    self.err(
                        format!("states[{i}].pocs[{k}].level"),
                        format!(
                            "state \"{}\" designates two {:?} points of contact",
                            s.id, p.level
                        ),
                        Some("designate one PoC per level (A/75/816 ¶51)".into()),
                    );
                }
                if let Some(d) = &p.latency {
                    self.dist(format!("states[{i}].pocs[{k}].latency"), d);
                }
            }
        }
    }

    fn infrastructure(&mut self) {
        let sc = self.sc;
        for (i, x) in sc.infrastructure.iter().enumerate() {
            self.refers(format!("infrastructure[{i}].state"), &x.state, "state");
            for (k, s) in x.serves.iter().enumerate() {
                self.refers(format!("infrastructure[{i}].serves[{k}]"), s, "state");
            }
            for (k, d) in x.depends_on.iter().enumerate() {
                if d == &x.id {
                    self.err(
                        format!("infrastructure[{i}].depends_on[{k}]"),
                        format!("\"{d}\" depends on itself"),
                        None,
                    );
                } else {
                    self.refers(
                        format!("infrastructure[{i}].depends_on[{k}]"),
                        d,
                        "infrastructure",
                    );
                }
            }
            if let Some(r) = &x.recovery {
                self.dist(format!("infrastructure[{i}].recovery"), r);
            }
        }
        self.dependency_cycles();
    }

    /// Reports each dependency cycle once, at the edge that closes it.
    fn dependency_cycles(&mut self) {
        let sc = self.sc;
        let index: BTreeMap<&str, usize> = sc
            .infrastructure
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        // Depth-first with an explicit stack of (node, next dependency to look at): a chain of
        // dependencies may be as long as the file, too long for recursion.
        // 0 = unvisited, 1 = on the current path, 2 = done
        const CYCLE_SHOWN: usize = 12;
        let mut mark = vec![0u8; sc.infrastructure.len()];
        // Position on the path of each node marked 1.
        let mut at = vec![0usize; sc.infrastructure.len()];
        let mut path: Vec<(usize, usize)> = Vec::new();
        let mut found: Vec<(usize, usize, Vec<String>)> = Vec::new();
        for root in 0..sc.infrastructure.len() {
            if mark[root] != 0 {
                continue;
            }
            mark[root] = 1;
            at[root] = 0;
            path.push((root, 0));
            while let Some(&mut (n, ref mut next)) = path.last_mut() {
                let deps = &sc.infrastructure[n].depends_on;
                let Some(dep) = deps.get(*next) else {
                    mark[n] = 2;
                    path.pop();
                    continue;
                };
                let k = *next;
                *next += 1;
                let Some(&m) = index.get(dep.as_str()) else {
                    continue;
                };
                if m == n {
                    continue;
                }
                match mark[m] {
                    0 => {
                        mark[m] = 1;
                        at[m] = path.len();
                        path.push((m, 0));
                    }
                    1 => {
                        let from = at[m];
                        let shown = |x: &(usize, usize)| sc.infrastructure[x.0].id.clone();
                        // A cycle through thousands of items is named by its ends.
                        let mut cycle: Vec<String> = if path.len() - from > CYCLE_SHOWN {
                            let mut c: Vec<String> = path[from..from + CYCLE_SHOWN / 2]
                                .iter()
                                .map(shown)
                                .collect();
                            c.push("…".into());
                            c.extend(path[path.len() - CYCLE_SHOWN / 2..].iter().map(shown));
                            c
                        } else {
                            path[from..].iter().map(shown).collect()
                        };
                        cycle.push(sc.infrastructure[m].id.clone());
                        found.push((n, k, cycle));
                    }
                    _ => {}
                }
            }
        }
        for (n, k, cycle) in found {
            self.err(
                format!("infrastructure[{n}].depends_on[{k}]"),
                format!("dependency cycle: {}", cycle.join(" → ")),
                Some("outages cascade along depends_on, so it must not loop; remove one of these dependencies".into()),
            );
        }
    }

    fn threat_actors(&mut self) {
        for (i, a) in self.sc.actors.iter().enumerate() {
            self.refers(
                format!("actors[{i}].operates_from"),
                &a.operates_from,
                "state",
            );
            if let Some(d) = &a.directed_by {
                self.refers(format!("actors[{i}].directed_by"), d, "state");
            }
            if let Some(s) = &a.supported_by {
                self.refers(format!("actors[{i}].supported_by"), s, "state");
            }
        }
    }
}

fn plural(kind: &str) -> String {
    match kind {
        "infrastructure" => "infrastructure".into(),
        "threat actor" => "threat actors".into(),
        other => format!("{other}s"),
    }
}
