//! `--set PATH=VALUE`: change any scenario value from the command line, for parameter sweeps and
//! what-if runs. Paths follow the file's structure; list items are addressed by their `id` (states,
//! infrastructure, actors, injects, …), `name` (doctrines), `level` (PoCs) or position:
//!
//! ```text
//! states.borealia.doctrine=hawkish
//! doctrines.cautious.ack_probability=0.6
//! states.borealia.pocs.Technical.hours=24/7
//! injects.inj-1.event.severity=5
//! scoring.targets.acknowledge=12h
//! ```
//!
//! Values are JSON when they parse as JSON (numbers, `true`, quoted strings, objects), plain text
//! otherwise. A bundled doctrine not yet in the file is added to it (refining the bundled one) so
//! that its parameters can be set.

use crate::diagnostic::did_you_mean;
use crate::scenario::Scenario;
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: String,
}

impl Override {
    /// Parses `PATH=VALUE`.
    pub fn parse(text: &str) -> Result<Override, String> {
        let (path, value) = text.split_once('=').ok_or_else(|| {
            format!("\"{text}\": expected PATH=VALUE, e.g. states.borealia.doctrine=hawkish")
        })?;
        if path.trim().is_empty() {
            return Err(format!("\"{text}\": the path is empty"));
        }
        Ok(Override {
            path: path.trim().to_string(),
            value: value.trim().to_string(),
        })
    }
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// Applies the overrides in order and re-checks the result; errors name the path at fault.
pub fn apply(scenario: &Scenario, overrides: &[Override]) -> Result<Scenario, String> {
    let mut sc = scenario.clone();
    for o in overrides {
        sc = apply_one(&sc, o)?;
    }
    let problems = crate::validate(&sc);
    if let Some(p) = problems.first() {
        let at = p.path.as_deref().unwrap_or("scenario");
        let help = p
            .help
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(format!("after --set, {at}: {}{help}", p.message));
    }
    Ok(sc)
}

fn apply_one(sc: &Scenario, o: &Override) -> Result<Scenario, String> {
    let mut sc = sc.clone();
    let segments: Vec<&str> = o.path.split('.').collect();
    // Make a bundled doctrine settable by adding a refining spec for it.
    if segments.len() >= 2
        && segments[0] == "doctrines"
        && !sc.doctrines.iter().any(|d| d.name == segments[1])
        && crate::doctrine::BUNDLED_NAMES.contains(&segments[1])
    {
        let spec: crate::DoctrineSpec =
            serde_json::from_value(serde_json::json!({ "name": segments[1] }))
                .expect("a name-only doctrine spec");
        sc.doctrines.push(spec);
    }
    if let Err(deep) = crate::nesting::check(&o.value, crate::nesting::Syntax::Json) {
        return Err(format!(
            "--set {}: the value is nested more than {} levels deep (at character {})",
            o.path,
            crate::nesting::MAX_DEPTH,
            deep.col
        ));
    }
    let mut root = serde_json::to_value(&sc).map_err(|e| e.to_string())?;
    let value: Value =
        serde_json::from_str(&o.value).unwrap_or_else(|_| Value::String(o.value.clone()));
    set(&mut root, &segments, value, &o.path, 0)?;
    serde_json::from_value::<Scenario>(root).map_err(|e| explain(&o.path, &e.to_string()))
}

fn set(
    node: &mut Value,
    segs: &[&str],
    value: Value,
    path: &str,
    depth: usize,
) -> Result<(), String> {
    let here = segs[..depth].join(".");
    let seg = segs[depth];
    let last = depth + 1 == segs.len();
    match node {
        Value::Object(map) => {
            // An externally tagged enum value such as `{"Incident": {...}}` is entered
            // transparently: variant names are PascalCase, field names snake_case.
            if !map.contains_key(seg)
                && map.len() == 1
                && let Some((variant, inner)) = map.iter_mut().next()
                && variant.starts_with(|c: char| c.is_ascii_uppercase())
                && inner.is_object()
            {
                return set(inner, segs, value, path, depth);
            }
            if last {
                map.insert(seg.to_string(), value);
                return Ok(());
            }
            let child = map.entry(seg.to_string()).or_insert(Value::Null);
            if child.is_null() {
                *child = Value::Object(Map::new());
            }
            set(child, segs, value, path, depth + 1)
        }
        Value::Array(items) => {
            let index = find_item(items, seg).ok_or_else(|| {
                let keys: Vec<String> = items.iter().filter_map(item_key).collect();
                let hint = match did_you_mean(seg, keys.iter().map(String::as_str)) {
                    Some(m) => format!("; did you mean \"{m}\"?"),
                    None if keys.is_empty() => String::new(),
                    None => format!("; it has: {}", keys.join(", ")),
                };
                let what = if here.is_empty() {
                    "the scenario"
                } else {
                    &here
                };
                format!("--set {path}: {what} has no item \"{seg}\"{hint}")
            })?;
            if last {
                items[index] = value;
                Ok(())
            } else {
                set(&mut items[index], segs, value, path, depth + 1)
            }
        }
        _ => Err(format!(
            "--set {path}: {here} is a single value, it has no \"{seg}\""
        )),
    }
}

fn item_key(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    ["id", "name", "level"]
        .iter()
        .find_map(|k| o.get(*k).and_then(Value::as_str))
        .map(str::to_string)
}

fn find_item(items: &[Value], seg: &str) -> Option<usize> {
    items
        .iter()
        .position(|v| item_key(v).as_deref() == Some(seg))
        .or_else(|| seg.parse::<usize>().ok().filter(|&i| i < items.len()))
}

fn explain(path: &str, serde: &str) -> String {
    if let Some(rest) = serde.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest
            .split("expected one of ")
            .nth(1)
            .unwrap_or("")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .collect();
        let hint = did_you_mean(field, expected.iter().copied())
            .map(|m| format!("; did you mean \"{m}\"?"))
            .unwrap_or_default();
        return format!("--set {path}: there is no field \"{field}\" there{hint}");
    }
    format!("--set {path}: {serde}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EscalationPolicy, Event, Span};

    fn base() -> Scenario {
        crate::library::find("hospital-ransomware")
            .unwrap()
            .load()
            .unwrap()
    }

    fn set_all(pairs: &[&str]) -> Result<Scenario, String> {
        let os: Vec<Override> = pairs.iter().map(|p| Override::parse(p).unwrap()).collect();
        apply(&base(), &os)
    }

    #[test]
    fn sets_values_by_id_name_level_and_through_enums() {
        let sc = set_all(&[
            "states.borealia.doctrine=hawkish",
            "doctrines.cautious.ack_probability=0.6",
            "states.borealia.pocs.Technical.hours=24/7",
            "injects.inj-1.event.severity=5",
            "scoring.targets.acknowledge=12h",
            "states.aurelia.cert.analysts=4",
        ])
        .unwrap();
        assert_eq!(sc.state("borealia").unwrap().doctrine, "hawkish");
        assert_eq!(sc.doctrines()["cautious"].ack_probability, 0.6);
        assert_eq!(
            sc.doctrines()["cautious"].escalation,
            EscalationPolicy::Proportional,
            "the rest of cautious is kept"
        );
        assert!(sc.state("borealia").unwrap().pocs[0].hours.is_always());
        assert!(matches!(
            sc.injects[0].event,
            Event::Incident { severity: 5, .. }
        ));
        assert_eq!(sc.scoring.targets.acknowledge, Span::hours(12));
        assert_eq!(sc.state("aurelia").unwrap().cert.analysts, Some(4));
    }

    #[test]
    fn missing_paths_are_named_with_a_suggestion() {
        let e = set_all(&["states.boralia.doctrine=hawkish"]).unwrap_err();
        assert_eq!(
            e,
            "--set states.boralia.doctrine: states has no item \"boralia\"; did you mean \"borealia\"?"
        );
        let e = set_all(&["states.borealia.doctrin=hawkish"]).unwrap_err();
        assert_eq!(
            e,
            "--set states.borealia.doctrin: there is no field \"doctrin\" there; did you mean \"doctrine\"?"
        );
        let deep = format!("states.borealia.doctrine={}", "[".repeat(100_000));
        let e = set_all(&[deep.as_str()]).unwrap_err();
        assert_eq!(
            e,
            "--set states.borealia.doctrine: the value is nested more than 64 levels deep (at character 65)"
        );
        let e = set_all(&["duration.days=2"]).unwrap_err();
        assert!(e.contains("duration is a single value"), "{e}");
        let e = set_all(&["states.borealia.doctrine=pacifist"]).unwrap_err();
        assert!(e.contains("unknown doctrine \"pacifist\""), "{e}");
        assert!(Override::parse("nonsense").is_err());
    }
}
