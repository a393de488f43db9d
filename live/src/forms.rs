//! What the browser posts (the pages' forms, as flat JSON of strings) turned into the engine's
//! [`Action`]s. Every refusal names the field and what was expected; the role's own identity
//! (a team's state, "evaluator") comes from the session, never from the form.

use crate::exercise::ClockCommand;
use crate::pages::compose::{KINDS, measure_value};
use crate::pages::items::{channel_value, kind_value};
use crate::roles::Role;
use crate::state::Shared;
use serde_json::Value;
use ttx_scenario::live::{Action, Rating};
use ttx_scenario::{Draft, Indicator, Move, Offer, PocLevel, Span, Tlp};

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("")
}

fn opt(v: &Value, field: &str) -> Option<String> {
    Some(text(v, field))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Reads an indicator as an analyst writes it, recognising its type by its form.
pub fn indicator(value: &str) -> Result<Indicator, String> {
    let v = value.trim().to_string();
    let candidates = [
        Indicator::Ipv4(v.clone()),
        Indicator::Ipv6(v.clone()),
        Indicator::Url(v.clone()),
        Indicator::Email(v.clone()),
        Indicator::Md5(v.clone()),
        Indicator::Sha1(v.clone()),
        Indicator::Sha256(v.clone()),
        Indicator::Domain(v.clone()),
    ];
    candidates
        .into_iter()
        .find(|i| i.check().is_ok())
        .ok_or_else(|| {
            format!("indicators: \"{v}\" is not an IPv4 or IPv6 address, URL, e-mail address, MD5/SHA-1/SHA-256 hash or domain")
        })
}

/// The compose form as a move by `role`'s state (a team) or the chosen control-cell state (the
/// facilitator).
pub fn movement(_s: &Shared, role: &Role, v: &Value) -> Result<Action, String> {
    let by = match role {
        Role::Team(own) => own.clone(),
        _ => opt(v, "by").ok_or("by: choose the state to send as")?,
    };
    let kind_text = text(v, "kind");
    let kind = KINDS
        .iter()
        .copied()
        .find(|k| kind_value(*k) == kind_text)
        .ok_or_else(|| format!("kind: \"{kind_text}\" is not a message a team can send"))?;
    let to = opt(v, "to").ok_or("to: choose who the message is for")?;
    let mut d = Draft::new(kind, &to);
    if let Some(c) = opt(v, "via") {
        use ttx_scenario::Channel::*;
        d.via = Some(
            [Poc, Cert, Regional, Public]
                .into_iter()
                .find(|x| channel_value(*x) == c)
                .ok_or_else(|| {
                    format!("via: \"{c}\" is not a channel (poc, cert, regional, public)")
                })?,
        );
    }
    if let Some(l) = opt(v, "level") {
        d.level = Some(
            PocLevel::ALL
                .into_iter()
                .find(|x| x.as_str() == l)
                .ok_or_else(|| {
                    format!("level: \"{l}\" is not a PoC level (technical, diplomatic, policy)")
                })?,
        );
    }
    if let Some(t) = opt(v, "tlp") {
        d.tlp = Some(
            Tlp::ALL
                .into_iter()
                .find(|x| x.label() == t)
                .ok_or_else(|| format!("tlp: \"{t}\" is not a TLP 2.0 marking"))?,
        );
    }
    d.about = opt(v, "about");
    d.refers_to = opt(v, "refers_to");
    if kind == ttx_scenario::MessageKind::AssistanceOffer {
        let nature = opt(v, "offer_nature");
        if nature.is_some() || opt(v, "offer_scope").is_some() {
            d.offer = Some(Offer {
                nature: nature.unwrap_or_default(),
                scope: text(v, "offer_scope").to_string(),
                terms: text(v, "offer_terms").to_string(),
                timeframe: match opt(v, "offer_timeframe") {
                    Some(x) => Span::parse(&x).map_err(|e| format!("offer_timeframe: {e}"))?,
                    None => Span::default(),
                },
            });
        }
    }
    if kind == ttx_scenario::MessageKind::PublicStatement {
        d.attributes_to = opt(v, "attributes_to");
        if let Some(c) = opt(v, "confidence") {
            let x: f64 = c
                .parse()
                .ok()
                .filter(|x: &f64| (0.0..=1.0).contains(x))
                .ok_or_else(|| format!("confidence: \"{c}\" is not a number from 0 to 1"))?;
            d.confidence = Some(x);
        }
    }
    if kind == ttx_scenario::MessageKind::Measure {
        let m = text(v, "measure");
        d.measure = Some(
            crate::pages::compose::MEASURES
                .iter()
                .copied()
                .find(|x| measure_value(*x) == m)
                .ok_or_else(|| format!("measure: \"{m}\" is not a measure"))?,
        );
        d.target = opt(v, "target");
        if let Some(x) = opt(v, "duration") {
            d.duration = Some(Span::parse(&x).map_err(|e| format!("duration: {e}"))?);
        }
    }
    for line in text(v, "indicators")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        d.indicators.push(indicator(line)?);
    }
    d.text = text(v, "text").to_string();
    Ok(Action::Move(Move { by, message: d }))
}

pub fn note(_s: &Shared, role: &Role, v: &Value) -> Result<Action, String> {
    let Role::Team(state) = role else {
        return Err("notes are a team's".into());
    };
    let text = opt(v, "text").ok_or("text: write the note")?;
    Ok(Action::Note {
        state: state.clone(),
        text,
        decision: v.get("decision").and_then(Value::as_bool).unwrap_or(false),
    })
}

pub fn release(_s: &Shared, _role: &Role, v: &Value) -> Result<Action, String> {
    Ok(Action::ReleaseInject {
        inject: opt(v, "inject").ok_or("inject: choose the inject to release")?,
    })
}

/// RON as scenario files are read (`at: "T+1h"` without `Some(…)`).
fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// An ad-hoc inject: a control-cell message to chosen states (`to`, comma-separated or a
/// list), or any typed inject written in the scenario language (`ron`).
pub fn inject(_s: &Shared, _role: &Role, v: &Value) -> Result<Action, String> {
    if let Some(ron) = opt(v, "ron") {
        let inject: ttx_scenario::Inject = ron_options().from_str(&ron).map_err(|e| {
            format!("inject: not an inject of the scenario language ({e}); e.g. Inject(at: \"now\", event: Ping(to: [\"aurelia\"]))")
        })?;
        return Ok(Action::AddInject(inject));
    }
    let to: Vec<String> = match v.get("to") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => text(v, "to")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    };
    if to.is_empty() {
        return Err("to: choose at least one state".into());
    }
    let body = opt(v, "text").ok_or("text: write what the control cell says")?;
    let kind = if v.get("ping").and_then(Value::as_bool).unwrap_or(false) {
        "Ping"
    } else {
        "Message"
    };
    let quoted: Vec<String> = to.iter().map(|s| format!("{s:?}")).collect();
    let ron = if kind == "Ping" {
        format!(
            "Inject(event: Ping(to: [{}]), note: {body:?})",
            quoted.join(", ")
        )
    } else {
        format!(
            "Inject(event: Message(to: [{}], text: {body:?}))",
            quoted.join(", ")
        )
    };
    let inject: ttx_scenario::Inject = ron_options()
        .from_str(&ron)
        .map_err(|e| format!("the inject cannot be written: {e}"))?;
    Ok(Action::AddInject(inject))
}

pub fn rate(_s: &Shared, _role: &Role, v: &Value) -> Result<Action, String> {
    let r = text(v, "rating");
    let rating = match r.to_ascii_uppercase().as_str() {
        "SUCCESS" => Rating::Success,
        "PARTIAL" => Rating::Partial,
        "FAILED" => Rating::Failed,
        _ => return Err(format!("rating: \"{r}\" is not SUCCESS, PARTIAL or FAILED")),
    };
    Ok(Action::Rate {
        expectation: opt(v, "expectation").ok_or("expectation: choose the expectation you rate")?,
        rating,
        comment: text(v, "comment").to_string(),
        by: opt(v, "by").unwrap_or_else(|| "evaluator".into()),
    })
}

pub fn observe(_s: &Shared, _role: &Role, v: &Value) -> Result<Action, String> {
    let record = match opt(v, "record") {
        Some(x) => Some(
            x.trim_start_matches('#')
                .parse::<u32>()
                .map_err(|_| format!("record: \"{x}\" is not a record number such as #42"))?,
        ),
        None => None,
    };
    Ok(Action::Observe {
        text: opt(v, "text").ok_or("text: write the observation")?,
        record,
        by: opt(v, "by").unwrap_or_else(|| "evaluator".into()),
    })
}

/// A clock command: `{"do": "start", "running": true}`, `{"do": "advance", "by": "2h"}`,
/// `{"do": "advance", "to": 3600}`, `{"do": "next_inject"}`, `{"do": "speed", "speed": 60}`.
pub fn clock(v: &Value) -> Result<ClockCommand, String> {
    let what = text(v, "do");
    Ok(match what {
        "start" => ClockCommand::Start {
            running: v.get("running").and_then(Value::as_bool).unwrap_or(true),
        },
        "pause" => ClockCommand::Pause,
        "resume" => ClockCommand::Resume,
        "next_inject" => ClockCommand::NextInject,
        "next_event" => ClockCommand::NextEvent,
        "speed" => {
            let s = match v.get("speed") {
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            }
            .ok_or("speed: give a factor, e.g. 60 for an exercise hour per minute")?;
            ClockCommand::Speed(s)
        }
        "advance" => match (v.get("to"), v.get("by")) {
            (Some(Value::Number(n)), _) => ClockCommand::AdvanceTo(
                n.as_i64()
                    .ok_or("to: give whole seconds of exercise time")?,
            ),
            (_, Some(Value::String(s))) => {
                ClockCommand::AdvanceBy(Span::parse(s.trim()).map_err(|e| format!("by: {e}"))?.0)
            }
            (_, Some(Value::Number(n))) => {
                ClockCommand::AdvanceBy(n.as_i64().ok_or("by: give whole seconds")?)
            }
            _ => {
                return Err(
                    "advance: give `by` (a span such as 30m or 2h) or `to` (seconds)".into(),
                );
            }
        },
        other => {
            return Err(format!(
                "do: \"{other}\" is not a clock command (start, pause, resume, speed, advance, next_inject, next_event)"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicators_are_recognised_by_their_form() {
        assert!(matches!(indicator("198.51.100.7"), Ok(Indicator::Ipv4(_))));
        assert!(matches!(
            indicator("update-check.example"),
            Ok(Indicator::Domain(_))
        ));
        assert!(matches!(
            indicator("https://x.example/a"),
            Ok(Indicator::Url(_))
        ));
        assert!(matches!(
            indicator(&"a".repeat(64)),
            Ok(Indicator::Sha256(_))
        ));
        assert!(
            indicator("not an indicator")
                .unwrap_err()
                .contains("indicators")
        );
    }

    #[test]
    fn clock_commands_read_and_bad_ones_say_what_is_expected() {
        let j = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert_eq!(
            clock(&j(r#"{"do":"advance","by":"2h"}"#)),
            Ok(ClockCommand::AdvanceBy(7200))
        );
        assert_eq!(
            clock(&j(r#"{"do":"advance","to":60}"#)),
            Ok(ClockCommand::AdvanceTo(60))
        );
        assert_eq!(
            clock(&j(r#"{"do":"start","running":false}"#)),
            Ok(ClockCommand::Start { running: false })
        );
        assert!(
            clock(&j(r#"{"do":"fly"}"#))
                .unwrap_err()
                .contains("not a clock command")
        );
        assert!(clock(&j(r#"{"do":"advance"}"#)).unwrap_err().contains("by"));
    }
}
