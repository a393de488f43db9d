//! A STIX object as ordered JSON: properties come out in the order they were set (`type`,
//! `spec_version`, `id` first), so bundles read well and their bytes never depend on a map's
//! iteration order.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct Obj(Vec<(&'static str, Value)>);

impl Obj {
    /// A STIX 2.1 object of `kind` with `id`.
    pub fn new(kind: &str, id: &str) -> Obj {
        Obj(vec![
            ("type", Value::from(kind)),
            ("spec_version", Value::from("2.1")),
            ("id", Value::from(id)),
        ])
    }

    /// Sets (or replaces) a property.
    pub fn set(mut self, key: &'static str, value: impl Into<Value>) -> Obj {
        self.put(key, value.into());
        self
    }

    pub fn put(&mut self, key: &'static str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn id(&self) -> &str {
        self.get("id").and_then(Value::as_str).unwrap_or_default()
    }

    /// Ids this object refers to, in every `*_ref` and `*_refs` property, nested ones included.
    pub fn refs(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in &self.0 {
            collect_refs(k, v, &mut out);
        }
        out
    }
}

fn collect_refs(key: &str, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if key.ends_with("_ref") => out.push(s.clone()),
        Value::Array(items) if key.ends_with("_refs") => {
            out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)))
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_refs(k, v, out);
            }
        }
        _ => {}
    }
}

impl Serialize for Obj {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}
