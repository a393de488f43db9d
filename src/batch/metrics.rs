//! The headline metrics of one run, as named cells of a tidy row. Columns depend only on the
//! scenario, never on what a run happened to do, so every run, shard and thread writes the same
//! columns. A metric that does not apply in a run (no opportunity, nothing measured) is an empty
//! cell, never a zero: summaries count it as n/a.

use super::metric_key::{Key, Parts, STEP_PARTS, step_key};
use super::table::Cell;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use ttx_scenario::{Event, Norm, PocLevel, Scenario};
use ttx_scoring::latency::Step;
use ttx_scoring::objectives::Rating;
use ttx_scoring::{Scorecard, Tally};

/// Above this many states, norm adherence is reported per norm only (a 193-state directory would
/// otherwise add two thousand mostly empty columns); above this many states involved in
/// incidents, escalation per dyad is too (200 involved states would add 39,800 columns to every
/// row: a study's files would explode while saying nothing a reader can use).
const PER_STATE_COLUMNS_UP_TO: usize = 24;

/// States an incident involves: victims, territories used, directing states, and states named by
/// planted or reported evidence. Escalation can only happen between them.
fn involved_states(sc: &Scenario) -> Vec<String> {
    let mut set = BTreeSet::new();
    for inj in &sc.injects {
        match &inj.event {
            Event::Incident {
                target,
                by,
                territory,
                ..
            } => {
                set.extend(sc.infra(target).map(|x| x.state.clone()));
                if let Some(a) = sc.actor(by) {
                    set.insert(a.operates_from.clone());
                    set.extend(a.directed_by.clone());
                }
                set.extend(territory.clone());
            }
            Event::FalseFlag { points_to, .. } => {
                set.insert(points_to.clone());
            }
            Event::MediaReport {
                claims: Some(c), ..
            } => {
                set.insert(c.clone());
            }
            _ => {}
        }
    }
    // Keep scenario order.
    sc.states
        .iter()
        .filter(|s| set.contains(&s.id))
        .map(|s| s.id.clone())
        .collect()
}

/// Columns whose value per run is a proportion in [0, 1]: indicators (0 or 1 per run — P(peak ≥
/// 5), P(misattribution)) and rates (shares of norm opportunities fulfilled, of pings answered,
/// objective scores). Their study estimate is a proportion with a Wilson interval, never a t
/// interval (see `summary`).
pub fn is_proportion(column: &str) -> bool {
    column == "peak_ge5"
        || column == "misattributed"
        || column.starts_with("norm:")
        || column.starts_with("score:")
        || (column.starts_with("ping:") && column.ends_with(":rate"))
}

/// The survival columns of a chain step (`lat:STEP:t50_h`, `lat:STEP:t50_event`): summarised by
/// Kaplan–Meier across runs, never averaged.
pub fn survival_step(column: &str) -> Option<(&str, bool)> {
    let rest = column.strip_prefix("lat:")?;
    if let Some(step) = rest.strip_suffix(":t50_h") {
        return Some((step, false));
    }
    rest.strip_suffix(":t50_event").map(|step| (step, true))
}

pub fn columns(sc: &Scenario) -> Vec<String> {
    let mut c: Vec<String> = [
        "peak",
        "peak_ge5",
        "index",
        "hours_ge5",
        "spirals",
        "misattributions",
        "misattributed",
        "attributions_correct",
    ]
    .map(String::from)
    .to_vec();
    let mut involved = involved_states(sc);
    if involved.len() > PER_STATE_COLUMNS_UP_TO {
        involved.clear();
    }
    for a in &involved {
        for b in &involved {
            if a != b {
                c.push(format!("peak:{a}>{b}"));
            }
        }
    }
    for s in Step::ALL {
        let k = step_key(s);
        for part in STEP_PARTS {
            c.push(format!("lat:{k}:{part}"));
        }
    }
    c.push("ping:rate".into());
    for l in PocLevel::ALL {
        c.push(format!("ping:{}:rate", l.as_str()));
    }
    c.push("service_hours_lost".into());
    for q in [
        "incidents",
        "queue:waited",
        "queue:censored",
        "queue:wait_h",
        "queue:wait_max_h",
        "queue:busy",
    ] {
        c.push(q.into());
    }
    for n in Norm::ALL {
        c.push(format!("norm:{}", n.letter()));
    }
    if sc.states.len() <= PER_STATE_COLUMNS_UP_TO {
        for s in &sc.states {
            for n in Norm::ALL {
                c.push(format!("norm:{}:{}", s.id, n.letter()));
            }
        }
    }
    c.push("expectations_success".into());
    c.push("expectations_failed".into());
    for o in &sc.objectives {
        c.push(format!("rating:{}", o.id));
        c.push(format!("score:{}", o.id));
    }
    c
}

/// The value of every metric of a run; `project` puts them in column order.
pub fn values(card: &Scorecard) -> BTreeMap<String, Cell> {
    values_with(card, true)
}

/// Whether `columns` hold per-state norm cells (`norm:STATE:LETTER`), which `columns` leaves out
/// above [`PER_STATE_COLUMNS_UP_TO`] states.
pub fn has_per_state_norms(columns: &[String]) -> bool {
    columns
        .iter()
        .any(|c| c.strip_prefix("norm:").is_some_and(|r| r.contains(':')))
}

/// [`values`], leaving out the per-state norm cells unless `per_state_norms`: a study of a
/// 193-state directory has no columns for them, and formatting their 2,123 keys per row cost
/// more than all the other cells together.
pub fn values_with(card: &Scorecard, per_state_norms: bool) -> BTreeMap<String, Cell> {
    let mut v = BTreeMap::new();
    each_value(&Tally::of(card), per_state_norms, &mut |key, cell| {
        v.insert(key.to_string(), cell);
    });
    v
}

/// Hands every metric of a run to `put` as (column, cell), in the order [`values_with`] would
/// insert them (a later cell of one column replaces an earlier one). Columns are given as their
/// parts: a study's rows need no map of owned keys, and building one cost a sixth of a row.
pub fn each_value(tally: &Tally, per_state_norms: bool, put: &mut dyn FnMut(Key, Cell)) {
    let e = &tally.escalation;
    put(Key::Name("peak"), Cell::Int(e.peak as i64));
    put(Key::Name("peak_ge5"), Cell::Int((e.peak >= 5) as i64));
    put(Key::Name("index"), Cell::Num(e.index));
    put(Key::Name("hours_ge5"), Cell::Num(e.hours_at_or_above_5));
    put(Key::Name("spirals"), Cell::Int(e.spirals.len() as i64));
    put(
        Key::Name("misattributions"),
        Cell::Int(e.misattributions.len() as i64),
    );
    put(
        Key::Name("misattributed"),
        Cell::Int(!e.misattributions.is_empty() as i64),
    );
    put(
        Key::Name("attributions_correct"),
        Cell::Int(e.correct_attributions.len() as i64),
    );
    for d in &e.dyads {
        put(Key::Dyad(d.from, d.to), Cell::Int(d.peak as i64));
    }
    for s in &tally.steps {
        put(Key::Step(s.step, 0), Cell::Int(s.count as i64));
        put(Key::Step(s.step, 1), Cell::Int(s.answered as i64));
        put(Key::Step(s.step, 2), Cell::Int(s.censored as i64));
        if let Some(h) = s.half {
            put(Key::Step(s.step, 3), Cell::Num(h.at_risk_h));
            put(Key::Step(s.step, 4), Cell::Num(h.t50_h));
            put(Key::Step(s.step, 5), Cell::Int(h.answered as i64));
        }
    }
    // Overall first, then each level in `PocLevel::ALL` (key) order.
    for (at, (received, answered)) in tally.pings.into_iter().enumerate() {
        if received > 0 {
            let key = match at.checked_sub(1) {
                None => Key::Name("ping:rate"),
                Some(l) => Key::Ping(PocLevel::ALL[l]),
            };
            put(key, Cell::Num(answered as f64 / received as f64));
        }
    }
    put(
        Key::Name("service_hours_lost"),
        Cell::Num(tally.service_hours_lost),
    );
    let incidents = tally
        .steps
        .iter()
        .find(|s| s.step == Step::StartToDetect)
        .map_or(0, |s| s.count);
    put(Key::Name("incidents"), Cell::Int(incidents as i64));
    let q = &tally.queue;
    put(Key::Name("queue:waited"), Cell::Int(q.waited as i64));
    put(Key::Name("queue:censored"), Cell::Int(q.censored as i64));
    if let Some(w) = q.mean_wait_h {
        put(Key::Name("queue:wait_h"), Cell::Num(w));
    }
    if let Some(w) = q.max_wait_h {
        put(Key::Name("queue:wait_max_h"), Cell::Num(w));
    }
    put(Key::Name("queue:busy"), Cell::Num(q.mean_busy));
    // (fulfilled, violated) per norm, over states.
    let mut per_norm = [(0u32, 0u32); Norm::ALL.len()];
    for n in &tally.norms {
        // A verdict's rate, rounded as the scorecard rounds it.
        if let Some(rate) = ttx_scoring::stats::ratio(n.fulfilled, n.fulfilled + n.violated)
            .filter(|_| per_state_norms)
        {
            put(
                Key::StateNorm(n.state, ttx_scoring::norms::letter(n.norm)),
                Cell::Num(rate),
            );
        }
        let e = &mut per_norm[n.norm as usize];
        e.0 += n.fulfilled;
        e.1 += n.violated;
    }
    for (norm, (f, x)) in Norm::ALL.into_iter().zip(per_norm) {
        if f + x > 0 {
            put(
                Key::Norm(ttx_scoring::norms::letter(norm)),
                Cell::Num(f as f64 / (f + x) as f64),
            );
        }
    }
    put(
        Key::Name("expectations_success"),
        Cell::Int(tally.expectations_success as i64),
    );
    put(
        Key::Name("expectations_failed"),
        Cell::Int(tally.expectations_failed as i64),
    );
    for obj in &tally.objectives {
        if let Some(r) = obj.rating {
            let letter = match r {
                Rating::P => "P",
                Rating::S => "S",
                Rating::M => "M",
                Rating::U => "U",
            };
            put(Key::Rating(obj.id), Cell::Text(letter.into()));
        }
        if let Some(s) = obj.score {
            put(Key::Score(obj.id), Cell::Num(s));
        }
    }
}

/// Where each metric column of a study's rows is, and the cell a run without that metric gets:
/// a row is the defaults with each value a run has put in place, with no map of the run's
/// values in between.
pub struct RowLayout {
    at: FxHashMap<String, usize>,
    /// The column of each chain step's parts, `[step as usize][part]`, found once.
    steps: [[Option<usize>; STEP_PARTS.len()]; Step::ALL.len()],
    /// The column of each ping level's rate, in `PocLevel::ALL` order.
    pings: [Option<usize>; PocLevel::ALL.len()],
    /// Columns of dyads, norms and objectives by the names in their keys: writing and hashing
    /// those names was a quarter of filling a row of the default scenario.
    parts: FxHashMap<Parts, usize>,
    defaults: Vec<Cell>,
}

impl RowLayout {
    pub fn new(columns: &[String]) -> RowLayout {
        let at: FxHashMap<String, usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let find = |key: Key| at.get(&key.to_string()).copied();
        RowLayout {
            steps: Step::ALL.map(|s| std::array::from_fn(|part| find(Key::Step(s, part)))),
            pings: PocLevel::ALL.map(|l| find(Key::Ping(l))),
            parts: columns
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((Key::parse_parts(c)?, i)))
                .collect(),
            defaults: columns.iter().map(|c| missing(c)).collect(),
            at,
        }
    }

    /// How many metric columns a row has.
    pub fn width(&self) -> usize {
        self.defaults.len()
    }

    /// The cells of `tally`'s run in column order: what [`project`] gives for [`values_with`].
    pub fn row(&self, tally: &Tally, per_state_norms: bool) -> Vec<Cell> {
        let mut row = self.defaults.clone();
        let mut name = String::new();
        each_value(tally, per_state_norms, &mut |key, cell| {
            let column = match key {
                Key::Name(n) => self.at.get(n).copied(),
                Key::Step(s, part) => self.steps[s as usize][part],
                Key::Ping(l) => self.pings[l as usize],
                _ => match key.parts().and_then(|p| self.parts.get(&p)) {
                    Some(&i) => Some(i),
                    None => {
                        name.clear();
                        let _ = write!(name, "{key}");
                        self.at.get(name.as_str()).copied()
                    }
                },
            };
            if let Some(i) = column {
                row[i] = cell;
            }
        });
        row
    }
}

/// The cell of a metric a run does not have.
fn missing(column: &str) -> Cell {
    if column.starts_with("peak:") {
        Cell::Int(0)
    } else {
        Cell::Empty
    }
}

/// Cells in column order. A dyad without steps peaked at 0 (nothing happened, a real value);
/// any other metric a run does not have is empty.
pub fn project(values: &BTreeMap<String, Cell>, columns: &[String]) -> Vec<Cell> {
    columns
        .iter()
        .map(|c| values.get(c).cloned().unwrap_or_else(|| missing(c)))
        .collect()
}

#[cfg(test)]
mod tests {
    /// A study's rows come straight from a run's tally (`RowLayout`, `Scorer::tally`); they
    /// must be the cells `project` takes from the map of values of the full scorecard, for every
    /// bundled scenario, a few seeds, and columns that include ones a run lacks.
    #[test]
    fn rows_are_the_projected_values() {
        use super::{RowLayout, columns, project, values_with};
        for bundled in ttx_scenario::library::all() {
            let sc = bundled.load().unwrap();
            let sim = ttx_sim::Simulation::new(&sc).unwrap();
            let mut cols = columns(&sc);
            cols.push("peak:nobody>noone".into());
            cols.push("lat:nothing:n".into());
            let layout = RowLayout::new(&cols);
            for seed in [1, 2] {
                let trace = sim.run(seed);
                let card = ttx_scoring::score(&sc, &trace);
                let tally = ttx_scoring::tally(&sc, sim.scenario_hash(), &trace);
                assert!(
                    tally == ttx_scoring::Tally::of(&card),
                    "{} seed {seed}: the tally counted from the trace differs from the full \
                     scorecard's",
                    sc.name
                );
                for per_state in [true, false] {
                    assert_eq!(
                        layout.row(&tally, per_state),
                        project(&values_with(&card, per_state), &cols),
                        "{} seed {seed}",
                        sc.name
                    );
                }
            }
        }
    }
}
