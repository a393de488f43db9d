//! The headline metrics of one run, as named cells of a tidy row. Columns depend only on the
//! scenario, never on what a run happened to do, so every run, shard and thread writes the same
//! columns. A metric that does not apply in a run (no opportunity, nothing measured) is an empty
//! cell, never a zero: summaries count it as n/a.

use super::metric_key::{Key, Parts, STEP_PARTS, step_key};
use super::table::Cell;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use ttx_scenario::{Event, Name, Norm, PocLevel, Scenario};
use ttx_scoring::Scorecard;
use ttx_scoring::latency::Step;
use ttx_scoring::objectives::Rating;

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
    each_value(card, per_state_norms, &mut |key, cell| {
        v.insert(key.to_string(), cell);
    });
    v
}

/// Hands every metric of a run to `put` as (column, cell), in the order [`values_with`] would
/// insert them (a later cell of one column replaces an earlier one). Columns are given as their
/// parts: a study's rows need no map of owned keys, and building one cost a sixth of a row.
pub fn each_value(card: &Scorecard, per_state_norms: bool, put: &mut dyn FnMut(Key, Cell)) {
    let e = &card.escalation;
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
    // Each step's items, found in one pass over the items rather than one per step.
    let mut by_step: [Vec<(f64, bool)>; Step::ALL.len()] = Default::default();
    for i in &card.latency.items {
        by_step[i.step as usize].push((i.hours.or(i.exposure_hours).unwrap_or(0.0), !i.censored));
    }
    for s in &card.latency.steps {
        let st = &s.overall;
        put(Key::Step(s.step, 0), Cell::Int(st.count as i64));
        put(Key::Step(s.step, 1), Cell::Int(st.answered as i64));
        put(Key::Step(s.step, 2), Cell::Int(st.censored as i64));
        let items = &by_step[s.step as usize];
        if let Some((t, event)) = half_answered(items) {
            let at_risk: f64 = items.iter().map(|i| i.0).sum();
            put(Key::Step(s.step, 3), Cell::Num(at_risk));
            put(Key::Step(s.step, 4), Cell::Num(t));
            put(Key::Step(s.step, 5), Cell::Int(event as i64));
        }
    }
    // (received, answered): overall first, then each level in `PocLevel::ALL` (key) order.
    let mut pings = [(0u32, 0u32); 1 + PocLevel::ALL.len()];
    for c in card.cbm.values() {
        pings[0].0 += c.pings.overall.received;
        pings[0].1 += c.pings.overall.answered;
        for (l, p) in &c.pings.by_level {
            let e = &mut pings[1 + *l as usize];
            e.0 += p.received;
            e.1 += p.answered;
        }
    }
    for (at, (received, answered)) in pings.into_iter().enumerate() {
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
        Cell::Num(card.service.total_service_hours_lost),
    );
    let incidents = card
        .latency
        .steps
        .iter()
        .find(|s| s.step == Step::StartToDetect)
        .map_or(0, |s| s.overall.count);
    put(Key::Name("incidents"), Cell::Int(incidents as i64));
    let q = &card.queue;
    put(Key::Name("queue:waited"), Cell::Int(q.waited as i64));
    put(Key::Name("queue:censored"), Cell::Int(q.censored as i64));
    if let Some(w) = q.mean_wait_h {
        put(Key::Name("queue:wait_h"), Cell::Num(w));
    }
    if let Some(w) = q.max_wait_h {
        put(Key::Name("queue:wait_max_h"), Cell::Num(w));
    }
    put(Key::Name("queue:busy"), Cell::Num(q.mean_busy));
    // (letter, fulfilled, violated). Every state's row has the same letters in the same order,
    // so a letter is looked for first where the previous row had it.
    let mut per_norm: Vec<(Name, (u32, u32))> = Vec::new();
    for (state, row) in &card.norms {
        for (j, (&letter, verdict)) in row.iter().enumerate() {
            if let Some(rate) = verdict.rate.filter(|_| per_state_norms) {
                put(Key::StateNorm(*state, letter), Cell::Num(rate));
            }
            let at = match per_norm.get(j) {
                Some((l, _)) if *l == letter => j,
                _ => match per_norm.iter().position(|(l, _)| *l == letter) {
                    Some(at) => at,
                    None => {
                        per_norm.push((letter, (0, 0)));
                        per_norm.len() - 1
                    }
                },
            };
            let e = &mut per_norm[at].1;
            e.0 += verdict.fulfilled;
            e.1 += verdict.violated;
        }
    }
    per_norm.sort_unstable_by_key(|(letter, _)| *letter);
    for (letter, (f, x)) in per_norm {
        if f + x > 0 {
            put(Key::Norm(letter), Cell::Num(f as f64 / (f + x) as f64));
        }
    }
    let o = &card.objectives;
    let count = |s: ttx_scoring::objectives::ExpStatus| {
        o.expectations.iter().filter(|e| e.status == s).count() as i64
    };
    put(
        Key::Name("expectations_success"),
        Cell::Int(count(ttx_scoring::objectives::ExpStatus::Success)),
    );
    put(
        Key::Name("expectations_failed"),
        Cell::Int(count(ttx_scoring::objectives::ExpStatus::Failed)),
    );
    for obj in &o.objectives {
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

/// The time by which half of a run's items of one step were answered, as a right-censored
/// observation: items `(hours observed, answered?)`, where an unanswered item's hours are its
/// exposure (end of exercise − when it was asked). Sorted by observed time (answers first on
/// ties), the r-th item (r = ⌈n/2⌉) gives the time; it is an observed answer time only when the r
/// items up to it were all answered, and otherwise a censoring time (the run's median latency is
/// known only to exceed it). `None` without items.
pub fn half_answered(items: &[(f64, bool)]) -> Option<(f64, bool)> {
    if items.is_empty() {
        return None;
    }
    // Only the r-th item and which items come before it matter, so the copy is partitioned
    // around it rather than sorted: items that compare equal are equal, so the r-th is the one a
    // sort would put there, and those before it are the same items.
    let mut ranked = items.to_vec();
    let r = items.len().div_ceil(2);
    let (before, &mut (t, answered), _) =
        ranked.select_nth_unstable_by(r - 1, |a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    Some((t, answered && before.iter().all(|i| i.1)))
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

    /// The cells of `card`'s run in column order: what [`project`] gives for [`values_with`].
    pub fn row(&self, card: &Scorecard, per_state_norms: bool) -> Vec<Cell> {
        let mut row = self.defaults.clone();
        let mut name = String::new();
        each_value(card, per_state_norms, &mut |key, cell| {
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
    use super::half_answered;

    /// A study's rows come straight from a numbers-only scorecard (`RowLayout`,
    /// `score_numbers`); they must be the cells `project` takes from the map of values of the
    /// full scorecard, for every bundled scenario, a few seeds, and columns that include ones a
    /// run lacks.
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
                let numbers = ttx_scoring::score_numbers(&sc, sim.scenario_hash(), &trace);
                assert!(
                    numbers == without_explanations(card.clone()),
                    "{} seed {seed}: a numbers-only scorecard differs from the full one beyond \
                     its explanations",
                    sc.name
                );
                for per_state in [true, false] {
                    assert_eq!(
                        layout.row(&numbers, per_state),
                        project(&values_with(&card, per_state), &cols),
                        "{} seed {seed}",
                        sc.name
                    );
                }
            }
        }
    }

    /// A full scorecard with what `score_numbers` leaves empty emptied: a numbers-only one must
    /// be exactly this, or a study would count what no report shows.
    fn without_explanations(mut card: ttx_scoring::Scorecard) -> ttx_scoring::Scorecard {
        for e in &mut card.objectives.expectations {
            e.does.clear();
            e.reason.clear();
        }
        card.objectives.coverage = Default::default();
        for step in &mut card.latency.steps {
            step.by_actor.clear();
            step.by_level.clear();
            step.overall.p50 = Default::default();
            step.overall.p90 = Default::default();
            step.overall.max = Default::default();
        }
        for verdict in card.norms.values_mut().flat_map(|row| row.values_mut()) {
            for e in &mut verdict.evidence {
                e.reason.clear();
            }
        }
        // Only decided verdicts, and only states with one.
        for row in card.norms.values_mut() {
            row.retain(|_, v| v.opportunities > 0 || !v.misattributions.is_empty());
        }
        card.norms.retain(|_, row| !row.is_empty());
        for c in card.cbm.values_mut() {
            c.pocs.clear();
            c.pings.overall.p50 = Default::default();
            for count in c.pings.by_level.values_mut() {
                count.p50 = Default::default();
            }
            c.pings.unanswered.clear();
            c.acknowledgements = Default::default();
            c.sharing = Default::default();
        }
        card
    }

    /// Partitioning must give what sorting gave: the r-th item of the sorted items, observed
    /// only when the r items up to it were answered. Few distinct times, so ties abound.
    #[test]
    fn half_answered_is_the_sorted_rth_item() {
        let sorted = |items: &[(f64, bool)]| {
            let mut s = items.to_vec();
            s.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            let r = s.len().div_ceil(2);
            (s[r - 1].0, s[..r].iter().all(|i| i.1))
        };
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..5_000 {
            let n = 1 + (next() % 12) as usize;
            let items: Vec<(f64, bool)> = (0..n)
                .map(|_| ((next() % 5) as f64 * 0.5, next() % 3 != 0))
                .collect();
            assert_eq!(half_answered(&items), Some(sorted(&items)), "{items:?}");
        }
    }

    #[test]
    fn half_answered_is_censored_when_an_unanswered_item_comes_first() {
        assert_eq!(half_answered(&[]), None);
        assert_eq!(half_answered(&[(3.0, true)]), Some((3.0, true)));
        assert_eq!(half_answered(&[(40.0, false)]), Some((40.0, false)));
        // 1h, 2h answered, one never answered: half of three is two, both answered by 2h.
        assert_eq!(
            half_answered(&[(2.0, true), (50.0, false), (1.0, true)]),
            Some((2.0, true))
        );
        // Asked late, unanswered at 1h; the answered one took 5h: the median is only known > 5h.
        assert_eq!(
            half_answered(&[(5.0, true), (1.0, false)]),
            Some((1.0, false))
        );
    }
}
