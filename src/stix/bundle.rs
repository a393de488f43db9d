//! Assembling a bundle for one recipient. Every object is built once, with the set of parties
//! that may see it (from [`ttx_scenario::tlp::may_see`] for messages, and from the messages a
//! case's holders sent for case objects); a recipient's bundle is the objects it may see, the
//! identities and markings they use, one case file (`grouping`) per case it holds or was told
//! about, and a `report` that says whose bundle it is. The control cell's bundle holds everything.
//!
//! An object only refers to objects that everyone who may see it may also see (decided once, for
//! all parties), so an object reads the same in every bundle it appears in and no bundle refers to
//! something it does not contain.

use super::cases::{self, CaseObjects};
use super::facts::Facts;
use super::ids::Ids;
use super::markings;
use super::messages::{self, CaseRefs};
use super::object::Obj;
use super::{Audience, Ctx};
use anyhow::{Result, bail};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use ttx_scenario::tlp::{self, Viewer};
use ttx_scenario::{Scenario, Tlp, Trace};

/// The bundle `viewer` may see of the run `trace` of `scenario`, as pretty JSON. Fails when the
/// viewer is no party of the scenario.
pub fn export(scenario: &Scenario, trace: &Trace, viewer: Viewer) -> Result<String> {
    if let Viewer::Party(p) = viewer
        && !tlp::parties(scenario).any(|q| q == p)
    {
        let names: Vec<&str> = tlp::parties(scenario).collect();
        let hint = match ttx_scenario::did_you_mean(p, names.iter().copied()) {
            Some(m) => format!("did you mean \"{m}\"?"),
            None => format!("the parties are: {}", names.join(", ")),
        };
        bail!(
            "--for {p}: no state or organisation of {} has that id\n  = help: {hint}",
            scenario.name
        );
    }
    let ctx = Ctx {
        scenario,
        header: &trace.header,
        facts: Facts::read(trace),
        ids: Ids::new(&trace.header),
    };
    let all = Everything::build(&ctx);
    let objects = all.for_viewer(&ctx, viewer);
    #[derive(Serialize)]
    struct Bundle<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        id: String,
        objects: &'a [Obj],
    }
    let bundle = Bundle {
        kind: "bundle",
        id: ctx.ids.run_object("bundle", &viewer_key(viewer)),
        objects: &objects,
    };
    Ok(serde_json::to_string_pretty(&bundle).expect("bundles serialise") + "\n")
}

fn viewer_key(viewer: Viewer) -> String {
    match viewer {
        Viewer::Control => "control".into(),
        Viewer::Party(p) => format!("party/{p}"),
    }
}

/// The parties (indices into `tlp::parties`) that may see an object; the control cell always may.
type Readers = BTreeSet<usize>;

struct Item {
    obj: Obj,
    readers: Readers,
    /// The case it belongs to, for the case files.
    case: Option<usize>,
}

/// Every object of the run, each with its readers.
struct Everything {
    parties: Vec<String>,
    identities: Vec<Obj>,
    items: Vec<Item>,
    cases: Vec<CaseObjects>,
}

impl Everything {
    fn build(ctx: &Ctx) -> Everything {
        let sc = ctx.scenario;
        let parties: Vec<String> = tlp::parties(sc).map(str::to_string).collect();
        let index: HashMap<&str, usize> = parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();

        let exchange_readers: Vec<BTreeSet<usize>> = ctx
            .facts
            .exchanges
            .iter()
            .map(|x| {
                (0..parties.len())
                    .filter(|&p| tlp::may_see(sc, Viewer::Party(&parties[p]), x.m, x.delivered))
                    .collect()
            })
            .collect();

        let case_readers = |c: usize, indicators: bool| -> BTreeSet<usize> {
            let case = &ctx.facts.cases[c];
            let mut out: BTreeSet<usize> = case
                .holders
                .iter()
                .filter_map(|h| index.get(h.state).copied())
                .collect();
            for (xi, x) in ctx.facts.exchanges.iter().enumerate() {
                if x.subject == Some(case.id)
                    && case.holders.iter().any(|h| h.state == x.m.from)
                    && (!indicators || super::kinds::mapping(x.m.kind).carries_indicators)
                {
                    out.extend(exchange_readers[xi].iter().copied());
                }
            }
            out
        };
        let readers_of = |a: &Audience| -> Readers {
            match a {
                Audience::Exchange(xi) => exchange_readers[*xi].clone(),
                Audience::Case { case, indicators } => case_readers(*case, *indicators),
                Audience::Holder(s) => index.get(s.as_str()).copied().into_iter().collect(),
            }
        };

        let cases: Vec<CaseObjects> = (0..ctx.facts.cases.len())
            .map(|c| cases::build(ctx, c))
            .collect();
        let mut items = Vec::new();
        for (c, co) in cases.iter().enumerate() {
            for (obj, a) in &co.items {
                items.push(Item {
                    obj: obj.clone(),
                    readers: readers_of(a),
                    case: Some(c),
                });
            }
        }
        for (xi, x) in ctx.facts.exchanges.iter().enumerate() {
            let case = x.subject.and_then(|s| ctx.facts.case_index(s));
            let refs = case.map(|c| CaseRefs {
                main: &cases[c].main,
                indicators: &cases[c].indicators,
                title: &cases[c].title,
                labels: &cases[c].labels,
                kind: ctx.facts.cases[c].kind,
            });
            for (obj, a) in messages::build(ctx, xi, refs) {
                items.push(Item {
                    obj,
                    readers: readers_of(&a),
                    case,
                });
            }
        }
        let mut all = Everything {
            parties,
            identities: ctx.directory().objects(),
            items,
            cases,
        };
        all.close_references();
        all
    }

    /// Drops from each `object_refs` what some reader of the object may not see; an object left
    /// referring to nothing refers to its author.
    fn close_references(&mut self) {
        let readers: HashMap<String, Readers> = self
            .items
            .iter()
            .map(|i| (i.obj.id().to_string(), i.readers.clone()))
            .collect();
        for item in &mut self.items {
            let Some(Value::Array(refs)) = item.obj.get("object_refs").cloned() else {
                continue;
            };
            let mut kept: Vec<Value> = refs
                .into_iter()
                .filter(|r| {
                    let id = r.as_str().unwrap_or_default();
                    id.starts_with("identity--")
                        || readers
                            .get(id)
                            .is_some_and(|theirs| item.readers.is_subset(theirs))
                })
                .collect();
            if kept.is_empty() {
                kept.push(item.obj.get("created_by_ref").cloned().unwrap_or_default());
            }
            item.obj.put("object_refs", Value::Array(kept));
        }
    }

    fn for_viewer(&self, ctx: &Ctx, viewer: Viewer) -> Vec<Obj> {
        let party = match viewer {
            Viewer::Control => None,
            Viewer::Party(p) => self.parties.iter().position(|q| q == p),
        };
        let sees = |r: &Readers| party.is_none_or(|p| r.contains(&p));
        let chosen: Vec<&Item> = self.items.iter().filter(|i| sees(&i.readers)).collect();
        let dir = ctx.directory();
        let end = ctx.ts(ctx.facts.end);
        let key = viewer_key(viewer);
        let who = match viewer {
            Viewer::Control => "the control cell".to_string(),
            Viewer::Party(p) => dir.name(p),
        };

        let mut body: Vec<Obj> = chosen.iter().map(|i| i.obj.clone()).collect();
        for (c, co) in self.cases.iter().enumerate() {
            let members: Vec<&Item> = chosen
                .iter()
                .copied()
                .filter(|i| i.case == Some(c))
                .collect();
            if !members.iter().any(|i| i.obj.id() == co.main) {
                continue;
            }
            let main = members
                .iter()
                .find(|i| i.obj.id() == co.main)
                .expect("checked");
            let mark = main
                .obj
                .get("object_marking_refs")
                .cloned()
                .unwrap_or_default();
            let refs: Vec<&str> = members.iter().map(|i| i.obj.id()).collect();
            let g = Obj::new("grouping", &ctx.ids.run_object("grouping", &format!("{}/{key}", ctx.facts.cases[c].id)))
                .set("created", end.clone())
                .set("modified", end.clone())
                .set("created_by_ref", dir.control())
                .set("name", format!("Case file {}", co.title))
                .set(
                    "description",
                    format!(
                        "Everything {who} holds about {} at the end of the exercise: the case, the messages about it {who} sent or received, and the indicators and sightings it may see.",
                        ctx.facts.cases[c].id
                    ),
                )
                .set("context", "suspicious-activity");
            let g = if co.labels.is_empty() {
                g
            } else {
                g.set("labels", json!(co.labels))
            };
            let g = g
                .set("object_refs", json!(refs))
                .set(
                    "external_references",
                    cases::external(ctx.facts.cases[c].id, cases::CASE_REF),
                )
                .set("object_marking_refs", mark);
            body.push(g);
        }
        body.push(self.summary(ctx, viewer, &body));

        let mut used: BTreeSet<String> = BTreeSet::new();
        for o in &body {
            used.extend(o.refs());
        }
        used.insert(dir.control());
        if let Viewer::Party(p) = viewer
            && let Some(id) = dir.party(p)
        {
            used.insert(id);
        }
        let mut identities: Vec<Obj> = self
            .identities
            .iter()
            .filter(|o| used.contains(o.id()))
            .cloned()
            .collect();
        for o in &identities {
            used.extend(o.refs());
        }
        let mut out: Vec<Obj> = Tlp::ALL
            .into_iter()
            .filter(|t| used.contains(markings::id(*t)))
            .map(markings::definition)
            .collect();
        out.append(&mut identities);
        out.append(&mut body);
        out
    }

    /// The report that says whose bundle this is and what it holds.
    fn summary(&self, ctx: &Ctx, viewer: Viewer, body: &[Obj]) -> Obj {
        let dir = ctx.directory();
        let sc = ctx.scenario;
        let h = ctx.header;
        let title = sc.title_or_name();
        let run = format!(
            "scenario {} ({}), seed {}",
            h.scenario, h.scenario_hash, h.seed
        );
        let (name, description, tlp) = match viewer {
            Viewer::Control => (
                format!(
                    "ttx exercise record: {title}, seed {}: the control cell's complete bundle",
                    h.seed
                ),
                format!(
                    "The control cell's complete record of the exercise \"{title}\" ({run}): every message exchanged and every case the CERTs held, including TLP:RED traffic between other parties. For the control cell only: give each team its own bundle (ttx export-stix --for STATE), which TLP 2.0 filters."
                ),
                Tlp::Red,
            ),
            Viewer::Party(p) => {
                let who = dir.name(p);
                (
                    format!(
                        "ttx exercise record: {title}, seed {}: what {who} may see",
                        h.seed
                    ),
                    format!(
                        "What {who} may see of the exercise \"{title}\" ({run}) under TLP 2.0: the messages it sent or received and the cases it holds or was told about; TLP:RED only where {who} was a named recipient, TLP:AMBER+STRICT only within its organisation, TLP:AMBER only to it and those it may share with."
                    ),
                    Tlp::AmberStrict,
                )
            }
        };
        let mut refs: Vec<String> = body.iter().map(|o| o.id().to_string()).collect();
        if refs.is_empty() {
            refs.push(dir.control());
        }
        let end = ctx.ts(ctx.facts.end);
        Obj::new(
            "report",
            &ctx.ids
                .run_object("report", &format!("summary/{}", viewer_key(viewer))),
        )
        .set("created", end.clone())
        .set("modified", end.clone())
        .set("created_by_ref", dir.control())
        .set("name", name)
        .set("description", description)
        .set("published", end)
        .set("report_types", json!(["threat-report"]))
        .set("object_refs", json!(refs))
        .set("object_marking_refs", markings::refs(tlp))
    }
}
