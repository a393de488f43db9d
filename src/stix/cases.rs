//! The objects of a case a CERT holds. An incident becomes an `incident` with the OASIS Incident
//! Core extension (determination, investigation status, criticality, incident types,
//! recoverability and the count of systems whose service it cost); its
//! indicators of compromise become `indicator` objects; each detection becomes a `sighting` of
//! them by the detecting CERT. A vulnerability its researchers found becomes a `vulnerability`.
//!
//! These objects belong to the states that hold the case, and reach others only through what a
//! holder told them (see `audience`). Their marking is the loosest a holder gave them in any
//! message about the case — TLP:AMBER+STRICT, the holder's own organisation, while it has told
//! no one.

use super::facts::{Case, CaseKind};
use super::indicators;
use super::kinds;
use super::markings;
use super::object::Obj;
use super::{Audience, Ctx, capitalised, span};
use serde_json::{Value, json};
use ttx_scenario::injects::Technique;
use ttx_scenario::trace::InfraStatus;
use ttx_scenario::{Sector, Tlp, TraceEvent};

pub const INCIDENT_CORE: &str = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";

/// The objects of one case, with who may see each.
pub struct CaseObjects {
    pub items: Vec<(Obj, Audience)>,
    /// The `incident` or `vulnerability` object's id.
    pub main: String,
    /// Its indicators' ids (incidents only).
    pub indicators: Vec<String>,
    /// The name the case goes by in titles.
    pub title: String,
    /// Classification tags for platforms (MISP's RSIT taxonomy).
    pub labels: Vec<String>,
}

/// The loosest marking a holder of case `c` gave it in a message; with `indicators`, only
/// messages that hand over indicators count.
pub fn marking(ctx: &Ctx, c: usize, indicators: bool) -> Tlp {
    let case = &ctx.facts.cases[c];
    ctx.facts
        .exchanges
        .iter()
        .filter(|x| {
            x.subject == Some(case.id)
                && case.holders.iter().any(|h| h.state == x.m.from)
                && (!indicators || kinds::mapping(x.m.kind).carries_indicators)
        })
        .map(|x| x.m.tlp)
        .min()
        .unwrap_or(Tlp::AmberStrict)
}

pub fn build(ctx: &Ctx, c: usize) -> CaseObjects {
    match ctx.facts.cases[c].kind {
        CaseKind::Incident => incident(ctx, c),
        CaseKind::Vulnerability => vulnerability(ctx, c),
    }
}

/// Exercise time at which the first holder came to hold the case (else when it began).
fn known_at(case: &Case) -> i64 {
    case.holders.first().map_or(case.record.t, |h| h.record.t)
}

/// The CERT that speaks for a case: its first holder's, else the control cell (a case nobody
/// detected is the control cell's knowledge alone).
fn author(ctx: &Ctx, case: &Case) -> String {
    let dir = ctx.directory();
    case.holders
        .first()
        .map_or_else(|| dir.control(), |h| dir.cert(h.state))
}

/// The `external_references` that tie an object to the ttx case it comes from.
pub fn external(id: &str, description: &str) -> Value {
    json!([{ "source_name": "ttx", "external_id": id, "description": description }])
}

fn incident(ctx: &Ctx, c: usize) -> CaseObjects {
    let case = &ctx.facts.cases[c];
    let TraceEvent::IncidentStarted {
        target,
        target_state,
        sector,
        technique,
        rsit,
        severity,
        ..
    } = &case.record.event
    else {
        unreachable!("incident cases start with incident_started")
    };
    let dir = ctx.directory();
    let infra_name = ctx
        .scenario
        .infra(target)
        .filter(|i| !i.name.is_empty())
        .map_or(target.as_str(), |i| i.name.as_str());
    let title = format!(
        "{}: {} against {infra_name} ({})",
        case.id,
        technique_words(*technique),
        dir.name(target_state)
    );
    let labels = vec![format!("rsit:{rsit}")];
    let mut description = format!(
        "{} against {infra_name}, {} infrastructure of {}. RSIT class {rsit}; PPD-41 severity {severity} ({}).",
        capitalised(technique_words(*technique)),
        sector_words(*sector),
        dir.name(target_state),
        ppd41(*severity)
    );
    description.push_str(&history(ctx, case));

    let status = match (case.holders.is_empty(), case.ended) {
        (true, _) => "new",
        (false, None) => "open",
        (false, Some(_)) => "closed",
    };
    let mut types = incident_types(*technique);
    if *severity >= 4 {
        types.push("major");
    }
    let mut core = json!({
        "extension_type": "property-extension",
        "determination": "successful-attempt",
        "investigation_status": status,
        "criticality": u32::from((*severity).min(5)) * 20,
        "incident_types": types,
        "recoverability": recoverability(ctx, case),
    });
    if !case.impacts.is_empty() {
        core["impacted_entity_counts"] = json!({ "system": case.impacts.len() });
    }
    // Last updated when its last known change happened: harm stopped or service back.
    let last = case
        .ended
        .into_iter()
        .chain(case.impacts.iter().map(|i| i.until.unwrap_or(i.from)))
        .map(|r| r.t)
        .fold(known_at(case), i64::max);
    let main = ctx.ids.record_object("incident", case.record, case.id);
    let inc = Obj::new("incident", &main)
        .set("created", ctx.ts(known_at(case)))
        .set("modified", ctx.ts(last))
        .set("created_by_ref", author(ctx, case))
        .set("name", title.clone())
        .set("description", description)
        .set("labels", json!(labels))
        .set("external_references", external(case.id, CASE_REF))
        .set("extensions", json!({ INCIDENT_CORE: core }))
        .set(
            "object_marking_refs",
            markings::refs(marking(ctx, c, false)),
        );
    let audience = Audience::Case {
        case: c,
        indicators: false,
    };
    let mut items = vec![(inc, audience)];
    let indicators = indicator_objects(ctx, c, &labels, &mut items);
    sightings(ctx, case, &indicators, &mut items);
    CaseObjects {
        items,
        main,
        indicators,
        title,
        labels,
    }
}

pub const CASE_REF: &str = "exercise case id in the ttx trace";

/// When the incident was detected, when harm stopped, and the service it cost.
fn history(ctx: &Ctx, case: &Case) -> String {
    let dir = ctx.directory();
    let mut out = String::new();
    for h in &case.holders {
        out.push_str(&format!(
            " Detected by {}'s CERT at T+{}.",
            dir.name(h.state),
            span(h.record.t)
        ));
    }
    if let Some(e) = case.ended {
        out.push_str(&format!(" Harm stopped at T+{}.", span(e.t)));
    }
    for imp in &case.impacts {
        let restored = imp
            .until
            .map(|r| format!(", restored at T+{}", span(r.t)))
            .unwrap_or_else(|| ", not restored by the end of the exercise".into());
        let how = if imp.worst == InfraStatus::Disrupted {
            "disrupted"
        } else {
            "degraded"
        };
        out.push_str(&format!(
            " Service lost: {} {how} from T+{}{restored}.",
            imp.infra,
            span(imp.from.t)
        ));
    }
    out
}

/// The incident's indicators, created by its first holder's CERT when it detected it; returns
/// their ids.
fn indicator_objects(
    ctx: &Ctx,
    c: usize,
    labels: &[String],
    items: &mut Vec<(Obj, Audience)>,
) -> Vec<String> {
    let case = &ctx.facts.cases[c];
    let (observables, generated) = indicators::of_incident(ctx.scenario, case.id);
    let created = ctx.ts(known_at(case));
    let mark = markings::refs(marking(ctx, c, true));
    let mut ids = Vec::new();
    for (k, ind) in observables.iter().enumerate() {
        let id = ctx
            .ids
            .record_object("indicator", case.record, &format!("{}/{k}", case.id));
        let mut desc = format!("Indicator of compromise of {}.", case.id);
        if generated {
            desc.push_str(
                " Exercise indicator made by ttx from a range reserved for documentation \
                 (RFC 5737, RFC 2606; the hash is of no real file): it matches nothing real.",
            );
        }
        let o = Obj::new("indicator", &id)
            .set("created", created.clone())
            .set("modified", created.clone())
            .set("created_by_ref", author(ctx, case))
            .set(
                "name",
                format!("{} {} ({})", indicators::noun(ind), ind.value(), case.id),
            )
            .set("description", desc)
            .set("indicator_types", json!(["malicious-activity"]))
            .set("pattern", indicators::pattern(ind))
            .set("pattern_type", "stix")
            .set("pattern_version", "2.1")
            .set("valid_from", created.clone())
            .set("labels", json!(labels))
            .set("external_references", external(case.id, CASE_REF))
            .set("object_marking_refs", mark.clone());
        ids.push(id);
        items.push((
            o,
            Audience::Case {
                case: c,
                indicators: true,
            },
        ));
    }
    ids
}

/// Each detection, as sightings of the incident's indicators by the detecting CERT: its own
/// knowledge, TLP:AMBER+STRICT.
fn sightings(ctx: &Ctx, case: &Case, indicators: &[String], items: &mut Vec<(Obj, Audience)>) {
    let dir = ctx.directory();
    for h in &case.holders {
        let at = ctx.ts(h.record.t);
        for (k, ind_id) in indicators.iter().enumerate() {
            let id = ctx.ids.record_object("sighting", h.record, &k.to_string());
            let o = Obj::new("sighting", &id)
                .set("created", at.clone())
                .set("modified", at.clone())
                .set("created_by_ref", dir.cert(h.state))
                .set(
                    "description",
                    format!(
                        "{}'s CERT detected the activity of {}.",
                        dir.name(h.state),
                        case.id
                    ),
                )
                .set("first_seen", at.clone())
                .set("last_seen", at.clone())
                .set("count", 1)
                .set("sighting_of_ref", ind_id.clone())
                .set("where_sighted_refs", json!([dir.cert(h.state)]))
                .set(
                    "external_references",
                    external(
                        case.id,
                        &format!("detection by {} (trace record {})", h.state, h.record.n),
                    ),
                )
                .set("object_marking_refs", markings::refs(Tlp::AmberStrict));
            items.push((o, Audience::Holder(h.state.to_string())));
        }
    }
}

/// Incident Core recoverability: no service lost; lost and back with the victim's own means;
/// back with assistance delivered; not back by the end of the exercise.
fn recoverability(ctx: &Ctx, case: &Case) -> &'static str {
    if case.impacts.is_empty() {
        return "not-applicable";
    }
    if case.impacts.iter().any(|i| i.until.is_none()) {
        return "extended";
    }
    let assisted = ctx.facts.exchanges.iter().any(|x| {
        x.m.kind == ttx_scenario::MessageKind::AssistanceDelivered
            && x.subject == Some(case.id)
            && case.holders.iter().any(|h| h.state == x.m.to)
    });
    if assisted { "supplemented" } else { "regular" }
}

fn vulnerability(ctx: &Ctx, c: usize) -> CaseObjects {
    let case = &ctx.facts.cases[c];
    let TraceEvent::VulnerabilityFound {
        vendor_state,
        product,
        severity,
        ..
    } = &case.record.event
    else {
        unreachable!("vulnerability cases start with vulnerability_found")
    };
    let dir = ctx.directory();
    let product = if product.is_empty() {
        "a product"
    } else {
        product.as_str()
    };
    let title = format!("{}: vulnerability in {product}", case.id);
    let finders: Vec<String> = case.holders.iter().map(|h| dir.name(h.state)).collect();
    let description = format!(
        "Vulnerability in {product}, whose vendor is under {}'s jurisdiction; severity {severity} of 5. Found by {} researchers (norm j: disclose it to the vendor and CERTs rather than exploit it).",
        dir.name(vendor_state),
        finders.join(" and ")
    );
    let at = ctx.ts(known_at(case));
    let main = ctx.ids.record_object("vulnerability", case.record, case.id);
    let o = Obj::new("vulnerability", &main)
        .set("created", at.clone())
        .set("modified", at)
        .set("created_by_ref", author(ctx, case))
        .set("name", title.clone())
        .set("description", description)
        .set("external_references", external(case.id, CASE_REF))
        .set(
            "object_marking_refs",
            markings::refs(marking(ctx, c, false)),
        );
    CaseObjects {
        items: vec![(
            o,
            Audience::Case {
                case: c,
                indicators: false,
            },
        )],
        main,
        indicators: Vec::new(),
        title,
        labels: Vec::new(),
    }
}

fn technique_words(t: Technique) -> &'static str {
    match t {
        Technique::Ransomware => "ransomware",
        Technique::Wiper => "wiper malware",
        Technique::Ddos => "DDoS",
        Technique::Intrusion => "intrusion",
        Technique::DataTheft => "data theft",
        Technique::Defacement => "defacement",
        Technique::SupplyChain => "supply-chain compromise",
        Technique::Botnet => "botnet activity",
    }
}

/// Incident Core incident-type-ov values for an attack technique.
fn incident_types(t: Technique) -> Vec<&'static str> {
    match t {
        Technique::Ransomware => vec!["compromised-system", "denial-of-service"],
        Technique::Wiper => vec!["destruction"],
        Technique::Ddos => vec!["denial-of-service"],
        Technique::DataTheft => vec!["unauthorized-access", "unauthorized-release"],
        Technique::SupplyChain => vec!["supply-chain-customer"],
        Technique::Intrusion | Technique::Defacement | Technique::Botnet => {
            vec!["compromised-system"]
        }
    }
}

fn sector_words(s: Sector) -> &'static str {
    match s {
        Sector::Energy => "energy",
        Sector::Water => "water",
        Sector::Sanitation => "sanitation",
        Sector::Health => "health",
        Sector::Education => "education",
        Sector::Finance => "finance",
        Sector::Transport => "transport",
        Sector::Telecom => "telecommunications",
        Sector::CrisisResponse => "crisis-response",
        Sector::Elections => "election",
        Sector::InternetCore => "internet-core",
        Sector::CertSystems => "CERT",
        Sector::Government => "government",
        Sector::Other => "other",
    }
}

/// The PPD-41 Cyber Incident Severity Schema level's name.
fn ppd41(level: u8) -> &'static str {
    match level {
        0 => "baseline",
        1 => "low",
        2 => "medium",
        3 => "high",
        4 => "severe",
        _ => "emergency",
    }
}
