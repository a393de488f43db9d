//! A step's summary statistics: over all its items, by actor and by PoC level.

use super::{LatencyItem, Step, StepStats};
use crate::Detail;
use crate::order;
use crate::stats::{self, Obs, Stats};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use ttx_scenario::{Name, PocLevel, Targets};

fn obs(i: &LatencyItem) -> Obs {
    Obs {
        secs: i.to_t.map(|t| t - i.from_t),
        breach: i.breach,
    }
}

pub(super) fn step(
    step: Step,
    mine: &[&LatencyItem],
    targets: &Targets,
    detail: Detail,
    scratch: &mut Vec<i64>,
) -> StepStats {
    let items = mine.iter().map(|i| obs(i));
    let (overall, by_actor, by_level) = match detail {
        Detail::Full => (
            stats::summarise_in(items, scratch),
            by_actor(mine, scratch),
            by_level(mine, scratch),
        ),
        // A study's rows read each step's overall counts and the items, never the rest.
        Detail::Numbers => (stats::counts(items), Default::default(), Default::default()),
    };
    StepStats {
        chain: step.chain(),
        step,
        target_hours: step.target(targets).map(stats::hours),
        overall,
        by_actor,
        by_level,
    }
}

/// A step's statistics per actor, keyed by actor. Small steps sort their items by actor; large
/// ones (a directory exercise pings 386 times) sort only the distinct actors and group the items
/// under them by counting, since sorting hundreds of items cost a sixth of scoring the directory
/// and the counting's tables cost more than sorting a few.
fn by_actor(mine: &[&LatencyItem], scratch: &mut Vec<i64>) -> BTreeMap<Name, Stats> {
    if mine.len() <= SORTED_UP_TO {
        by_actor_sorted(mine, scratch)
    } else {
        by_actor_counted(mine, scratch)
    }
}

/// Steps with more items than this are grouped by counting (`by_actor_counted`), fewer sorted.
const SORTED_UP_TO: usize = 64;

fn by_actor_sorted(mine: &[&LatencyItem], scratch: &mut Vec<i64>) -> BTreeMap<Name, Stats> {
    // Sorted by actor, each actor's items are one run: summarised in place, in the owned keys'
    // order, without a map and a `Vec` per actor. Sorted on `order::prefix` first, so that most
    // comparisons need no `memcmp`, and two items of one actor are found equal by their names'
    // pointers rather than compared as text.
    let mut by_actor: Vec<(u64, Name, Obs)> = mine
        .iter()
        .map(|i| (order::prefix(&i.actor), i.actor, obs(i)))
        .collect();
    by_actor.sort_unstable_by(|a, b| {
        if a.1 == b.1 {
            std::cmp::Ordering::Equal
        } else {
            order::by_prefix((a.0, &a.1), (b.0, &b.1))
        }
    });
    by_actor
        .chunk_by(|a, b| a.1 == b.1)
        .map(|run| {
            let stats = stats::summarise_in(run.iter().map(|&(_, _, o)| o), scratch);
            (run[0].1, stats)
        })
        .collect()
}

fn by_actor_counted(mine: &[&LatencyItem], scratch: &mut Vec<i64>) -> BTreeMap<Name, Stats> {
    // Only the distinct actors are sorted by name; the items are grouped under them by counting,
    // in one pass.
    let mut number: FxHashMap<Name, u32> = FxHashMap::default();
    let mut actors: Vec<(u64, Name)> = Vec::new();
    let of: Vec<u32> = mine
        .iter()
        .map(|i| {
            *number.entry(i.actor).or_insert_with(|| {
                actors.push((order::prefix(&i.actor), i.actor));
                actors.len() as u32 - 1
            })
        })
        .collect();
    let mut by_name: Vec<u32> = (0..actors.len() as u32).collect();
    by_name.sort_unstable_by(|&a, &b| {
        let (a, b) = (&actors[a as usize], &actors[b as usize]);
        order::by_prefix((a.0, &a.1), (b.0, &b.1))
    });
    // Where each actor's run of items starts, in name order.
    let mut rank = vec![0u32; actors.len()];
    for (r, &a) in by_name.iter().enumerate() {
        rank[a as usize] = r as u32;
    }
    let mut start = vec![0usize; actors.len() + 1];
    for &a in &of {
        start[rank[a as usize] as usize + 1] += 1;
    }
    for r in 0..actors.len() {
        start[r + 1] += start[r];
    }
    let mut next = start.clone();
    let mut grouped = vec![
        Obs {
            secs: None,
            breach: false
        };
        mine.len()
    ];
    for (i, &a) in mine.iter().zip(&of) {
        let at = &mut next[rank[a as usize] as usize];
        grouped[*at] = obs(i);
        *at += 1;
    }
    by_name
        .iter()
        .enumerate()
        .map(|(r, &a)| {
            let run = &grouped[start[r]..start[r + 1]];
            (
                actors[a as usize].1,
                stats::summarise_in(run.iter().copied(), scratch),
            )
        })
        .collect()
}

fn by_level(mine: &[&LatencyItem], scratch: &mut Vec<i64>) -> BTreeMap<PocLevel, Stats> {
    // `PocLevel::ALL` is in key order; a level no item has gets no entry.
    let mut by_level = BTreeMap::new();
    for l in PocLevel::ALL {
        let mut at = mine.iter().filter(|i| i.level == Some(l)).peekable();
        if at.peek().is_some() {
            by_level.insert(l, stats::summarise_in(at.map(|i| obs(i)), scratch));
        }
    }
    by_level
}

#[cfg(test)]
mod tests {
    use super::{LatencyItem, Step, by_actor, obs};
    use crate::stats;
    use std::collections::BTreeMap;
    use ttx_scenario::Name;

    /// Grouped by counting, each actor's statistics are those of its items, keyed in name order.
    #[test]
    fn by_actor_is_each_actors_items_summarised() {
        let ids = [
            "saint-lucia",
            "saint-kitts",
            "a",
            "saint-lucia-x",
            "",
            "b",
            "saint-lucia",
        ];
        let items: Vec<LatencyItem> = (0..200u32)
            .map(|k| LatencyItem {
                step: Step::PingToReply,
                subject: Name::new("ping-1"),
                msg: None,
                actor: Name::new(ids[(k * 7 % 11) as usize % ids.len()]),
                level: None,
                from_n: k,
                from_t: 0,
                to_n: None,
                to_t: (k % 5 != 0).then_some(i64::from(k * 37 % 101) * 60),
                hours: None,
                exposure_hours: None,
                censored: k % 5 == 0,
                target_hours: None,
                breach: k % 3 == 0,
            })
            .collect();
        let mine: Vec<&LatencyItem> = items.iter().collect();
        let mut naive: BTreeMap<Name, Vec<stats::Obs>> = BTreeMap::new();
        for i in &mine {
            naive.entry(i.actor).or_default().push(obs(i));
        }
        let want: BTreeMap<Name, stats::Stats> = naive
            .into_iter()
            .map(|(a, o)| (a, stats::summarise(&o)))
            .collect();
        assert!(mine.len() > super::SORTED_UP_TO);
        assert_eq!(by_actor(&mine, &mut Vec::new()), want);
        assert_eq!(super::by_actor_sorted(&mine, &mut Vec::new()), want);
        assert_eq!(super::by_actor_counted(&mine, &mut Vec::new()), want);
        assert!(by_actor(&[], &mut Vec::new()).is_empty());
    }
}
