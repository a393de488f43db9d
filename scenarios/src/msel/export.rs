//! Scenario → MSEL. One row per inject in scenario order; each expectation goes on the row of the
//! inject it checks (see `subject_row`), which is also the order import restores, so a scenario
//! survives export and re-import unchanged.

use super::expected::{self, Inline};
use super::resolve::subject_row;
use super::{Cell, label};
use crate::exercise::Expect;
use crate::injects::Event;
use crate::message::Channel;
use crate::scenario::Scenario;

/// The MSEL as CSV.
pub fn export(sc: &Scenario) -> String {
    let (header, rows) = export_table(sc);
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(&header).expect("writing to memory");
    for row in rows {
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV is UTF-8")
}

/// The MSEL's header and rows as text cells, for any sheet writer (CSV here, .xlsx in the CLI):
/// ttx's columns, then the planner's own.
pub fn export_table(sc: &Scenario) -> (Vec<String>, Vec<Vec<String>>) {
    let planner = super::planner::columns(sc);
    let header: Vec<String> = super::REQUIRED
        .iter()
        .chain(super::OPTIONAL.iter())
        .copied()
        .chain(planner.iter().copied())
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    let mut by_row: Vec<Vec<&Expect>> = vec![Vec::new(); sc.injects.len()];
    for e in &sc.expectations {
        if let Some(row) = by_row.get_mut(subject_row(sc, &e.does)) {
            row.push(e);
        }
    }
    for (k, inj) in sc.injects.iter().enumerate() {
        let id = inj.id_at(k);
        let number = id
            .strip_prefix("inj-")
            .filter(|n| n.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .unwrap_or(&id);
        let time = match (&inj.at, &inj.when) {
            (_, Some(cond)) => format!("when {}", one_line(cond)),
            (Some(at), None) => at.to_string(),
            (None, None) => String::new(),
        };
        let (from, to, method, message, severity, event) = describe(sc, &inj.event);
        let exps = &by_row[k];
        let norms: Vec<_> = exps.iter().map(|e| e.norm).collect();
        let shared_norm = norms
            .first()
            .copied()
            .flatten()
            .filter(|n| norms.iter().all(|m| *m == Some(*n)));
        let mut objective_ids: Vec<&str> = Vec::new();
        for e in exps.iter() {
            if let Some(o) = e.objective.as_deref()
                && !objective_ids.contains(&o)
            {
                objective_ids.push(o);
            }
        }
        let all_have_objective = exps.iter().all(|e| e.objective.is_some());
        let inline = match (objective_ids.len(), all_have_objective) {
            (1, true) => Inline::Shared,
            (1, false) => Inline::EachOrNone,
            _ => Inline::Each,
        };
        let expected_cell: Vec<String> = exps
            .iter()
            .map(|e| {
                let actor = label(sc, &e.actor, Cell::Actor);
                expected::format(e, &actor, shared_norm.is_none(), inline)
            })
            .collect();
        let objective_cell: Vec<String> = objective_ids
            .iter()
            .map(|o| match sc.objectives.iter().find(|x| x.id == *o) {
                Some(x) => format!("{}: {}", x.id, x.title),
                None => o.to_string(),
            })
            .collect();
        rows.push(vec![
            number.to_string(),
            time,
            from,
            to,
            method,
            inj.note.clone(),
            message,
            expected_cell.join("\n"),
            objective_cell.join("\n"),
            shared_norm
                .map(|n| n.letter().to_ascii_uppercase().to_string())
                .unwrap_or_default(),
            severity,
            event,
        ]);
        let row = rows.last_mut().expect("just pushed");
        row.extend(
            planner
                .iter()
                .map(|c| inj.planner.get(*c).cloned().unwrap_or_default()),
        );
    }
    (header, rows)
}

fn one_line<T: serde::Serialize>(value: &T) -> String {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    options.to_string(value).expect("serialises to RON")
}

/// From, To, Method, Message, Severity and Event cells for an inject's event.
fn describe(sc: &Scenario, event: &Event) -> (String, String, String, String, String, String) {
    let owner = |infra: &str| sc.infra(infra).map(|x| x.state.clone()).unwrap_or_default();
    let list = |v: &[String]| {
        if v.is_empty() {
            "All".to_string()
        } else {
            v.iter()
                .map(|id| label(sc, id, Cell::To))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let typed = |from: String, to: String, method: &str, message: String, severity: String| {
        (
            from,
            to,
            method.to_string(),
            message,
            severity,
            one_line(event),
        )
    };
    match event {
        Event::Message {
            to,
            text,
            via,
            level,
        } => {
            let method = match (via, level) {
                (Some(Channel::Poc), Some(l)) => format!("{} PoC", capitalise(l.as_str())),
                (Some(Channel::Poc), None) => "PoC".into(),
                (Some(Channel::Cert), _) => "CERT-to-CERT".into(),
                (Some(Channel::Regional), _) => "Regional network".into(),
                (Some(Channel::Public), _) => "Media".into(),
                (Some(Channel::Control) | None, _) => "Control".into(),
            };
            (
                "Control".into(),
                list(to),
                method,
                text.clone(),
                String::new(),
                String::new(),
            )
        }
        Event::Ping { from, to, levels } => {
            let method = if levels.is_empty() {
                "Ping".to_string()
            } else {
                format!(
                    "Ping ({})",
                    levels
                        .iter()
                        .map(|l| l.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            (
                from.as_deref()
                    .map_or_else(|| "Control".into(), |f| label(sc, f, Cell::From)),
                list(to),
                method,
                String::new(),
                String::new(),
                String::new(),
            )
        }
        Event::Incident {
            target,
            by,
            severity,
            ..
        } => typed(
            by.clone(),
            owner(target),
            "Incident",
            String::new(),
            severity.to_string(),
        ),
        Event::FalseFlag { points_to, .. } => typed(
            "Control".into(),
            points_to.clone(),
            "False flag",
            String::new(),
            String::new(),
        ),
        Event::Outage { infra, .. } => typed(
            "Control".into(),
            owner(infra),
            "Outage",
            String::new(),
            String::new(),
        ),
        Event::PocOutage { state, .. } => typed(
            "Control".into(),
            state.clone(),
            "PoC outage",
            String::new(),
            String::new(),
        ),
        Event::MediaReport {
            incident,
            claims,
            text,
        } => {
            // The report's words go in the Message column, where planners edit them.
            let details = Event::MediaReport {
                incident: incident.clone(),
                claims: claims.clone(),
                text: String::new(),
            };
            (
                "Media".into(),
                "All".into(),
                "Media report".into(),
                text.clone(),
                String::new(),
                one_line(&details),
            )
        }
        Event::Vulnerability {
            found_by,
            vendor_state,
            severity,
            ..
        } => typed(
            found_by.clone(),
            vendor_state.clone(),
            "Vulnerability",
            String::new(),
            severity.to_string(),
        ),
        Event::SupplyChain { by, affected, .. } => {
            let mut states: Vec<String> = affected.iter().map(|a| owner(a)).collect();
            states.dedup();
            typed(
                by.clone(),
                states.join(", "),
                "Supply chain",
                String::new(),
                String::new(),
            )
        }
        Event::Move { by, message } => {
            // The text goes in the Message column, where planners edit it.
            let details = Event::Move {
                by: by.clone(),
                message: crate::moves::Draft {
                    text: String::new(),
                    ..message.clone()
                },
            };
            // By name where the name reads back, as every other To cell: a state the import
            // created from this cell gets its name from it.
            let to = if message.to == "public" {
                "All".to_string()
            } else {
                label(sc, &message.to, Cell::To)
            };
            (
                by.clone(),
                to,
                super::moves::method_of(message),
                message.text.clone(),
                String::new(),
                one_line(&details),
            )
        }
        Event::Disinformation { target, by, .. } => typed(
            by.clone(),
            target.clone(),
            "Disinformation",
            String::new(),
            String::new(),
        ),
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
