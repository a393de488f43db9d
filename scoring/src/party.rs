//! One party's share of a scorecard, for the files a team takes away from a live exercise (its
//! own after-action report): its own norm verdicts, the response-time items and escalation
//! dyads it took part in, and its expectations — citing only records the team may see, and
//! keeping a latency item or a step only when the team saw both ends, so nothing of other states' private traffic comes through a verdict's
//! evidence, a latency figure or a summary statistic. Which records a team may see is decided
//! where the traffic is (the live server's visibility rule); this module only cuts to it.

use crate::Scorecard;
use crate::latency::Latency;
use ttx_scenario::Scenario;

/// The part of `card` about `state`, citing only records for which `visible` holds. Summaries
/// (latency statistics, dyad peaks) are recomputed from what is kept; figures over every state
/// (the escalation index, CBM, service loss, objective ratings) are left out, since they would
/// summarise traffic the team did not see.
pub fn cut(
    card: &Scorecard,
    sc: &Scenario,
    state: &str,
    visible: impl Fn(u32) -> bool,
) -> Scorecard {
    let mut out = card.clone();
    out.states = vec![ttx_scenario::Name::new(state)];
    out.warnings.clear();
    out.norms.retain(|s, _| s == state);
    for row in out.norms.values_mut() {
        for v in row.values_mut() {
            // Its own verdicts stay whole (the reasons speak of its own conduct); the records
            // they cite are cut to those it saw.
            for e in &mut v.evidence {
                e.records.retain(|&n| visible(n));
            }
            v.misattributions.retain(|&n| visible(n));
        }
    }
    let items = card
        .latency
        .items
        .iter()
        .filter(|i| visible(i.from_n) && i.to_n.is_none_or(&visible))
        .cloned()
        .collect();
    out.latency = Latency::of_items(items, &sc.scoring.targets);
    let e = &mut out.escalation;
    e.dyads.retain(|d| d.from == state || d.to == state);
    for d in &mut e.dyads {
        d.series.retain(|c| visible(c.n));
        d.steps = d.series.len() as u32;
        match d
            .series
            .iter()
            .max_by_key(|c| (c.level, std::cmp::Reverse(c.n)))
        {
            Some(top) => (d.peak, d.peak_n) = (top.level, top.n),
            None => (d.peak, d.peak_n) = (0, 0),
        }
    }
    e.dyads.retain(|d| !d.series.is_empty());
    let top = e
        .dyads
        .iter()
        .max_by_key(|d| (d.peak, std::cmp::Reverse(d.peak_n)));
    e.peak = top.map_or(0, |d| d.peak);
    e.peak_n = top.map(|d| d.peak_n);
    e.spirals.retain(|s| {
        (s.first == state || s.answer == state) && visible(s.first_n) && visible(s.answer_n)
    });
    let mine = |a: &crate::escalation::Attribution| {
        (a.by == state || a.attributed_to == state) && visible(a.n)
    };
    e.misattributions.retain(mine);
    e.correct_attributions.retain(mine);
    out.objectives.expectations.retain(|x| x.actor == state);
    for x in &mut out.objectives.expectations {
        x.evidence.retain(|&n| visible(n));
    }
    out.objectives.objectives.clear();
    out
}
