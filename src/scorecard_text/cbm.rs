//! Confidence-building indicators per state: designated PoCs, pings answered, acknowledgements
//! through the matching PoC, information shared, reachability (A/68/98 ¶26; A/75/816 ¶47, ¶51;
//! Chair's summary ¶30). A UN-sized exercise gets totals by PoC level and the states that need
//! attention instead of one row per state.

use super::format::{quantile, rate, some_of};
use crate::term::{Layout, Table};
use std::collections::BTreeMap;
use ttx_scenario::{PocLevel, PocStatus};
use ttx_scoring::Scorecard;

pub(super) fn render(out: &mut String, card: &Scorecard, l: &Layout, max_rows: usize) {
    out.push('\n');
    out.push_str(&l.line(
        "",
        "CBM INDICATORS (A/68/98 ¶26 a, c, d; A/75/816 ¶47, ¶51; Chair's summary ¶30)",
        2,
    ));
    if card.states.len() > max_rows {
        totals(out, card, l);
        return;
    }
    let mut t = Table::new(
        2,
        "state",
        &[
            ("PoCs", false),
            ("pings", true),
            ("p50 h", true),
            ("PoC acks", true),
            ("shared", true),
            ("reached", true),
        ],
    );
    for state in &card.states {
        let Some(c) = card.cbm.get(state) else {
            continue;
        };
        let pocs: Vec<String> = c
            .pocs
            .iter()
            .map(|p| {
                let mark = match p.status {
                    PocStatus::Active => "",
                    PocStatus::Stale => "*",
                    PocStatus::Unreachable => "!",
                };
                format!("{}{mark}", &p.level.as_str()[..1].to_uppercase())
            })
            .collect();
        let p = &c.pings.overall;
        let pings = if p.received == 0 {
            "–".into()
        } else {
            format!("{}/{} {}", p.answered, p.received, rate(p.rate))
        };
        let a = &c.acknowledgements;
        let acks = if a.total == 0 {
            "–".into()
        } else {
            format!("{}/{}", a.matching, a.total)
        };
        let r = &c.reachability;
        let reach = if r.attempted == 0 {
            "–".into()
        } else {
            format!("{}/{} {}", r.delivered, r.attempted, rate(r.rate))
        };
        t.row(
            *state,
            vec![
                pocs.join(" "),
                pings,
                quantile(&p.p50),
                acks,
                c.sharing.messages.to_string(),
                reach,
            ],
        );
    }
    out.push_str(&t.render(l));
    out.push_str(&l.para(
        2,
        "PoCs: T technical, D diplomatic, P policy; * stale, ! unreachable in the directory · pings: answered/received · PoC acks: acknowledgements through the PoC level asked/all · shared: information shares sent · reached: messages delivered/sent to it",
    ));
}

/// CBM indicators of a large exercise: totals by PoC level, and the states that need attention.
fn totals(out: &mut String, card: &Scorecard, l: &Layout) {
    let mut by_level: BTreeMap<PocLevel, (u32, u32)> = BTreeMap::new();
    let (mut attempted, mut delivered) = (0, 0);
    let mut broken = Vec::new();
    let mut silent = Vec::new();
    for state in &card.states {
        let Some(c) = card.cbm.get(state) else {
            continue;
        };
        for (level, p) in &c.pings.by_level {
            let e = by_level.entry(*level).or_insert((0, 0));
            e.0 += p.received;
            e.1 += p.answered;
        }
        attempted += c.reachability.attempted;
        delivered += c.reachability.delivered;
        for p in c.pocs.iter().filter(|p| p.status != PocStatus::Active) {
            broken.push(p.id);
        }
        if c.pings.overall.received > 0 && c.pings.overall.answered == 0 {
            silent.push(*state);
        }
    }
    out.push_str(&l.para(2, &format!("{} states", card.states.len())));
    for (level, (received, answered)) in &by_level {
        let r = (*received > 0).then(|| *answered as f64 / *received as f64);
        let text = format!(
            "{} PoCs: {answered}/{received} pings answered ({})",
            level.as_str(),
            rate(r)
        );
        out.push_str(&l.para(2, &text));
    }
    if attempted > 0 {
        let text = format!(
            "reachability: {delivered}/{attempted} messages delivered ({})",
            rate(Some(delivered as f64 / attempted as f64))
        );
        out.push_str(&l.para(2, &text));
    }
    if !broken.is_empty() {
        let text = format!(
            "{} ({}): {}",
            "stale or unreachable directory entries",
            broken.len(),
            some_of(&broken, 12, ", ")
        );
        out.push_str(&l.para(2, &text));
    }
    if !silent.is_empty() {
        let text = format!(
            "answered no ping ({}): {}",
            silent.len(),
            some_of(&silent, 12, ", ")
        );
        out.push_str(&l.para(2, &text));
    }
}
