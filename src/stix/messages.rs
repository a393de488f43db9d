//! The objects of one message: a `report` or a `note` (as `kinds` says) from the desk that sent
//! it, referring to the case it concerns, the indicators it hands over and the message it
//! answers; and, for a public attribution, the `threat-actor` the statement names and its
//! `attributed-to` relationship to the accused state. Beliefs a state never stated publicly (its
//! investigators' findings) are not messages and never appear.

use super::facts::{CaseKind, Exchange};
use super::kinds::{self, Form};
use super::markings;
use super::object::Obj;
use super::{Audience, Ctx, capitalised, span};
use serde_json::json;
use ttx_scenario::{Channel, ladder};

/// The id of the report or note message `x` becomes.
pub fn object_id(ctx: &Ctx, x: &Exchange) -> String {
    let kind = match kinds::mapping(x.m.kind).form {
        Form::Report(_) => "report",
        Form::Note => "note",
    };
    ctx.ids.record_object(kind, x.record, "")
}

/// What a message may refer to: the case objects' ids by case index (main object, indicators)
/// and their titles and labels.
pub struct CaseRefs<'a> {
    pub main: &'a str,
    pub indicators: &'a [String],
    pub title: &'a str,
    pub labels: &'a [String],
    pub kind: CaseKind,
}

pub fn build(ctx: &Ctx, xi: usize, case: Option<CaseRefs>) -> Vec<(Obj, Audience)> {
    let x = &ctx.facts.exchanges[xi];
    let m = x.m;
    let dir = ctx.directory();
    let map = kinds::mapping(m.kind);
    let audience = Audience::Exchange(xi);
    let sent = ctx.ts(x.record.t);
    let sender = dir.sender(m);
    let mark = markings::refs(m.tlp);
    let mut out = Vec::new();
    let mut refs: Vec<String> = Vec::new();
    let external = json!([{
        "source_name": "ttx",
        "external_id": m.msg,
        "description": format!("message {} (trace record {})", m.msg, x.record.n),
    }]);

    if let Some(c) = &case {
        refs.push(c.main.to_string());
        if map.carries_indicators && c.kind == CaseKind::Incident {
            refs.extend(c.indicators.iter().cloned());
        }
    }
    if let Some(answered) = m
        .refers_to
        .as_deref()
        .and_then(|r| ctx.facts.exchange_index(r))
    {
        refs.push(object_id(ctx, &ctx.facts.exchanges[answered]));
    }

    let public_attribution = m.channel == Channel::Public || m.to == ttx_scenario::tlp::PUBLIC;
    if let Some(accused) = m.attributes_to.as_deref().filter(|_| public_attribution)
        && let Some(accused_id) = dir.party(accused)
    {
        let actor = ctx.ids.record_object("threat-actor", x.record, "");
        let about = case
            .as_ref()
            .map_or_else(|| "the activity".to_string(), |c| c.title.to_string());
        let confidence = m
            .confidence
            .map(|c| format!(" with evidence confidence {c:.2}"))
            .unwrap_or_default();
        out.push((
            Obj::new("threat-actor", &actor)
                .set("created", sent.clone())
                .set("modified", sent.clone())
                .set("created_by_ref", sender.clone())
                .set(
                    "name",
                    format!(
                        "Perpetrators of {about}, as attributed by {}",
                        dir.name(&m.from)
                    ),
                )
                .set(
                    "description",
                    format!(
                        "{} publicly attributed {about} to {}{confidence} ({}).",
                        dir.name(&m.from),
                        dir.name(accused),
                        m.msg
                    ),
                )
                .set("threat_actor_types", json!(["nation-state"]))
                .set("external_references", external.clone())
                .set("object_marking_refs", mark.clone()),
            audience.clone(),
        ));
        let rel = ctx
            .ids
            .record_object("relationship", x.record, "attributed-to");
        out.push((
            Obj::new("relationship", &rel)
                .set("created", sent.clone())
                .set("modified", sent.clone())
                .set("created_by_ref", sender.clone())
                .set("relationship_type", "attributed-to")
                .set("source_ref", actor.clone())
                .set("target_ref", accused_id)
                .set(
                    "description",
                    format!("Public attribution by {}{confidence}.", dir.name(&m.from)),
                )
                .set("external_references", external.clone())
                .set("object_marking_refs", mark.clone()),
            audience.clone(),
        ));
        refs.push(actor);
        refs.push(rel);
    }

    let subject = case.as_ref().map(|c| c.title.to_string()).or_else(|| {
        m.about
            .as_deref()
            .map(|a| a.to_string())
            .filter(|a| !a.is_empty())
    });
    let name = format!(
        "{} from {} to {}{}",
        capitalised(m.kind.label()),
        dir.name(&m.from),
        addressee(ctx, &m.to),
        subject.map(|s| format!(": {s}")).unwrap_or_default()
    );
    let description = describe(ctx, x);
    let labels = case.as_ref().map(|c| c.labels.to_vec()).unwrap_or_default();
    let id = object_id(ctx, x);
    let obj = match map.form {
        Form::Report(report_type) => Obj::new("report", &id)
            .set("created", sent.clone())
            .set("modified", sent.clone())
            .set("created_by_ref", sender.clone())
            .set("name", name)
            .set("description", description)
            .set("published", sent.clone())
            .set("report_types", json!([report_type])),
        Form::Note => Obj::new("note", &id)
            .set("created", sent.clone())
            .set("modified", sent.clone())
            .set("created_by_ref", sender.clone())
            .set("abstract", name)
            .set("content", description)
            .set("authors", json!([dir.name(&m.from)])),
    };
    let obj = if labels.is_empty() {
        obj
    } else {
        obj.set("labels", json!(labels))
    };
    let obj = obj
        .set("object_refs", json!(refs))
        .set("external_references", external)
        .set("object_marking_refs", mark);
    out.insert(0, (obj, audience));
    out
}

fn addressee(ctx: &Ctx, to: &str) -> String {
    match to {
        ttx_scenario::tlp::EVERY_STATE => "every state".into(),
        ttx_scenario::tlp::PUBLIC => "the public".into(),
        other => ctx.directory().name(other),
    }
}

/// The message as a reader of the bundle needs it: who, through which channel, when, whether it
/// arrived, its ladder step, what it says.
fn describe(ctx: &Ctx, x: &Exchange) -> String {
    let m = x.m;
    let dir = ctx.directory();
    let mut s = format!(
        "{} from {} to {} ({}), sent at T+{} ({}); {}. Marked {}.",
        capitalised(m.kind.label()),
        dir.name(&m.from),
        addressee(ctx, &m.to),
        crate::timeline::channel_name(m),
        span(x.record.t),
        ctx.ts(x.record.t),
        if x.delivered {
            "delivered"
        } else {
            "not delivered"
        },
        m.tlp.label()
    );
    if let Some(step) = m.step {
        s.push_str(&format!(
            " Escalation ladder level {step} ({}).",
            ladder::rung(step).name
        ));
    }
    if let Some(r) = &m.refers_to {
        s.push_str(&format!(" Answers {r}."));
    }
    if let Some(o) = &m.offer {
        s.push_str(&format!(
            " Offer: {}; scope {}; terms {}; timeframe {}.",
            o.nature, o.scope, o.terms, o.timeframe
        ));
    }
    if let Some(measure) = m.measure {
        s.push_str(&format!(" Measure: {measure:?}."));
    }
    if let Some(t) = &m.text {
        s.push(' ');
        s.push_str(t);
    }
    s
}
