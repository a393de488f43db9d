//! Reading the indicators of a STIX 2.1 bundle, so a CERT can start a drill from the
//! indicators it already has. Indicators ttx cannot carry (another pattern language, several
//! observables combined with AND, a network range, a revoked indicator) are listed with the
//! reason; a bundle with nothing usable is an error that says why.

use super::pattern;
use serde_json::Value;
use std::collections::BTreeMap;
use ttx_scenario::Indicator;

/// The usable indicators of a bundle, in bundle order without repeats, and what was left out.
#[derive(Debug)]
pub struct Imported {
    pub indicators: Vec<Indicator>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug)]
pub struct Skipped {
    /// The indicator's STIX id.
    pub id: String,
    pub reason: String,
}

/// Reads `text` as a STIX 2.1 bundle. Errors name the problem and, for malformed JSON, the line
/// and column.
pub fn read_indicators(text: &str) -> Result<Imported, String> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| format!("{}:{}: not valid JSON: {e}", e.line(), e.column()))?;
    let kind = doc.get("type").and_then(Value::as_str);
    if kind != Some("bundle") {
        let found = match kind {
            Some(k) => format!("a single \"{k}\" object"),
            None => "JSON that is not a STIX object".to_string(),
        };
        return Err(format!(
            "expected a STIX 2.1 bundle ({{\"type\": \"bundle\", \"objects\": [...]}}) but found {found}"
        ));
    }
    let Some(objects) = doc.get("objects").and_then(Value::as_array) else {
        return Err("the bundle has no \"objects\" list".into());
    };
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut indicators = Vec::new();
    let mut skipped = Vec::new();
    for o in objects {
        let kind = o.get("type").and_then(Value::as_str).unwrap_or("(untyped)");
        *kinds.entry(kind).or_default() += 1;
        if kind != "indicator" {
            continue;
        }
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("(indicator without id)")
            .to_string();
        let skip = |reason: String| Skipped {
            id: id.clone(),
            reason,
        };
        if o.get("revoked").and_then(Value::as_bool) == Some(true) {
            skipped.push(skip("it is revoked".into()));
            continue;
        }
        let pattern_type = o
            .get("pattern_type")
            .and_then(Value::as_str)
            .unwrap_or("stix");
        if pattern_type != "stix" {
            skipped.push(skip(format!(
                "its pattern is written in {pattern_type}; ttx reads STIX patterns"
            )));
            continue;
        }
        let Some(p) = o.get("pattern").and_then(Value::as_str) else {
            skipped.push(skip("it has no pattern".into()));
            continue;
        };
        match pattern::parse(p) {
            Ok(found) => {
                for ind in found {
                    if !indicators.contains(&ind) {
                        indicators.push(ind);
                    }
                }
            }
            Err(reason) => skipped.push(skip(format!("pattern {p}: {reason}"))),
        }
    }
    if indicators.is_empty() {
        let held: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let mut msg = if !kinds.contains_key("indicator") {
            format!(
                "the bundle has no indicator objects, so there is nothing to import (it holds {})",
                if held.is_empty() {
                    "no objects".to_string()
                } else {
                    held.join(", ")
                }
            )
        } else {
            "none of the bundle's indicators can be used".to_string()
        };
        for s in &skipped {
            msg.push_str(&format!("\n  {}: {}", s.id, s.reason));
        }
        return Err(msg);
    }
    Ok(Imported {
        indicators,
        skipped,
    })
}
