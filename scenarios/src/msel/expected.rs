//! The Expected Action cell. One expectation per line:
//!
//! ```text
//! [e4] borealia: acknowledge inc-1 within 24h (norm c, objective o2) — why it matters
//! ```
//!
//! `(no objective)` says that an expectation serves none of the objectives in the row's Objective
//! cell (a lone objective there otherwise applies to every expectation of the row).
//!
//! An expectation for an evaluator is written `[j1] borealia: judged "acknowledges in the
//! agreed template"` (`does: Judged(…)`).
//!
//! Everything but the action is optional: the id defaults from the row, the actor is the row's
//! addressee, the subject is the row's inject, and the deadline is the end of the exercise. Words
//! planners add ("acknowledge receipt within 24 hours") are tolerated.

use super::times::loose_span;
use crate::exercise::{Action, Expect, Norm};
use crate::time::At;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verb {
    Detect,
    Notify,
    Acknowledge,
    Mitigate,
    Contain,
    RequestAssistance,
    OfferAssistance,
    DeliverAssistance,
    Clarify,
    ShareInformation,
    AnswerLegalRequest,
    ReplyPing,
    Disclose,
    Restore,
    StayBelow(u8),
    /// `judged "…"`: free text for an evaluator, the one word of `words`.
    Judged,
}

/// Verb phrases, longest first so "request assistance" wins over shorter prefixes.
const PHRASES: &[(&str, Verb)] = &[
    ("answer legal request", Verb::AnswerLegalRequest),
    ("answers legal request", Verb::AnswerLegalRequest),
    ("request assistance", Verb::RequestAssistance),
    ("requests assistance", Verb::RequestAssistance),
    ("ask for assistance", Verb::RequestAssistance),
    ("asks for assistance", Verb::RequestAssistance),
    ("deliver assistance", Verb::DeliverAssistance),
    ("delivers assistance", Verb::DeliverAssistance),
    ("offer assistance", Verb::OfferAssistance),
    ("offers assistance", Verb::OfferAssistance),
    ("share information", Verb::ShareInformation),
    ("shares information", Verb::ShareInformation),
    ("preserve evidence", Verb::AnswerLegalRequest),
    ("preserves evidence", Verb::AnswerLegalRequest),
    ("reply to ping", Verb::ReplyPing),
    ("replies to ping", Verb::ReplyPing),
    ("answer ping", Verb::ReplyPing),
    ("answers ping", Verb::ReplyPing),
    ("inform users", Verb::Disclose),
    ("informs users", Verb::Disclose),
    ("acknowledges", Verb::Acknowledge),
    ("acknowledge", Verb::Acknowledge),
    ("mitigates", Verb::Mitigate),
    ("mitigate", Verb::Mitigate),
    ("discloses", Verb::Disclose),
    ("disclose", Verb::Disclose),
    ("contains", Verb::Contain),
    ("contain", Verb::Contain),
    ("clarifies", Verb::Clarify),
    ("clarify", Verb::Clarify),
    ("restores", Verb::Restore),
    ("restore", Verb::Restore),
    ("notifies", Verb::Notify),
    ("notify", Verb::Notify),
    ("detects", Verb::Detect),
    ("detect", Verb::Detect),
    ("replies", Verb::ReplyPing),
    ("reply", Verb::ReplyPing),
];

/// What a line says of its objective.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Said {
    /// Nothing: the row's objective applies, if its Objective cell names exactly one.
    #[default]
    Row,
    Objective(String),
    /// `(no objective)`.
    NoObjective,
}

/// One parsed expectation line; the subject and actor are resolved by the importer, which knows
/// the scenario's ids and the row's context.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    pub id: Option<String>,
    pub actor: Option<String>,
    pub verb: Verb,
    /// Words after the verb, from which the importer picks the subject id.
    pub words: Vec<String>,
    pub within: Option<crate::time::Span>,
    pub by: Option<At>,
    pub norm: Option<Norm>,
    pub objective: Said,
    /// Text after ` — `: a note for the facilitator.
    pub note: String,
    /// A plain sentence outside this grammar, understood once the whole sheet is read
    /// (understand.rs); the fields above are then unused.
    pub sentence: Option<String>,
}

/// One expectation per line of the cell (Alt+Enter in a spreadsheet).
pub(crate) fn split_lines(cell: &str) -> impl Iterator<Item = &str> {
    cell.lines().map(str::trim).filter(|l| !l.is_empty())
}

pub(crate) fn parse_line(line: &str) -> Result<Line, String> {
    // Keywords are ASCII, and ASCII lower case keeps every byte offset (full lower case does
    // not: "K", the Kelvin sign, is three bytes and lowers to "k").
    let lower = line.to_ascii_lowercase();
    // The note follows an evaluator's quoted text, never inside it.
    let after_text = match lower.find("judged \"") {
        Some(q) => lower
            .rfind('"')
            .filter(|&end| end > q)
            .map_or(0, |end| end + 1),
        None => 0,
    };
    let (line, note) = match line[after_text..].find(" — ") {
        Some(at) => {
            let at = after_text + at;
            (&line[..at], line[at + " — ".len()..].trim().to_string())
        }
        None => (line, String::new()),
    };
    let mut rest = line.trim().to_string();
    let mut id = None;
    if rest.starts_with('[')
        && let Some(end) = rest.find(']')
    {
        id = Some(rest[1..end].trim().to_string());
        rest = rest[end + 1..].trim().to_string();
    }
    let (mut norm, mut objective) = (None, Said::Row);
    if rest.ends_with(')')
        && let Some(open) = rest.rfind('(')
    {
        let inside = rest[open + 1..rest.len() - 1].to_string();
        let mut recognised = false;
        for opt in inside.split(',').map(str::trim) {
            if let Some(n) = opt.strip_prefix("norm ") {
                let c = n.trim().chars().next().unwrap_or(' ');
                norm = Some(
                    Norm::from_letter(c)
                        .filter(|_| n.trim().len() == 1)
                        .ok_or_else(|| {
                            format!("unknown norm \"{}\": norms are a to k", n.trim())
                        })?,
                );
                recognised = true;
            } else if let Some(o) = opt.strip_prefix("objective ") {
                objective = Said::Objective(o.trim().to_string());
                recognised = true;
            } else if opt == "no objective" {
                objective = Said::NoObjective;
                recognised = true;
            }
        }
        if recognised {
            rest = rest[..open].trim().to_string();
        }
    }
    let mut within = None;
    let mut by = None;
    let lower = rest.to_ascii_lowercase();
    // A deadline follows an evaluator's quoted text, never inside it ("… within 1d\"" is text).
    let after_text = if lower.contains("judged \"") {
        lower.rfind('"').map_or(0, |q| q + 1)
    } else {
        0
    };
    let deadline = |word: &str| lower[after_text..].rfind(word).map(|p| p + after_text);
    if let Some(pos) = deadline(" within ") {
        let span = &rest[pos + 8..];
        within = Some(loose_span(span)?);
        rest.truncate(pos);
    } else if let Some(pos) = deadline(" by t+") {
        let at = &rest[pos + 4..];
        by = Some(At::parse(at).map_err(|e| e.to_string())?);
        rest.truncate(pos);
    }
    let mut actor = None;
    if let Some((a, after)) = rest.split_once(':') {
        actor = Some(a.trim().to_string());
        rest = after.trim().to_string();
    }
    let lower = rest.to_ascii_lowercase();
    let stay_below = ["stay below level", "stays below level"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    let (verb, words) = if lower.starts_with("judged ") {
        // One pair of quotes taken off, so that text that itself starts or ends with a quote
        // keeps it.
        let quoted = rest["judged ".len()..].trim();
        let text = quoted
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(quoted)
            .trim()
            .to_string();
        (Verb::Judged, vec![text])
    } else if let Some(after) = stay_below {
        let level = after
            .trim()
            .parse()
            .map_err(|_| format!("\"{rest}\": write e.g. \"stay below level 5\""))?;
        (Verb::StayBelow(level), Vec::new())
    } else {
        let (phrase, verb) = PHRASES
            .iter()
            .find(|(p, _)| {
                lower.starts_with(p)
                    && lower[p.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            })
            .ok_or_else(|| format!("cannot read the action \"{rest}\""))?;
        let words = rest[phrase.len()..]
            .split_whitespace()
            .map(str::to_string)
            .collect();
        (*verb, words)
    };
    Ok(Line {
        id,
        actor,
        verb,
        words,
        within,
        by,
        norm,
        objective,
        note,
        sentence: None,
    })
}

impl Verb {
    pub(crate) fn action(self, subject: String) -> Action {
        match self {
            Verb::Detect => Action::Detect { incident: subject },
            Verb::Notify => Action::Notify { incident: subject },
            Verb::Acknowledge => Action::Acknowledge { incident: subject },
            Verb::Mitigate => Action::Mitigate { incident: subject },
            Verb::Contain => Action::Contain { incident: subject },
            Verb::RequestAssistance => Action::RequestAssistance { incident: subject },
            Verb::OfferAssistance => Action::OfferAssistance { incident: subject },
            Verb::DeliverAssistance => Action::DeliverAssistance { incident: subject },
            Verb::Clarify => Action::Clarify { incident: subject },
            Verb::ShareInformation => Action::ShareInformation { incident: subject },
            Verb::AnswerLegalRequest => Action::AnswerLegalRequest { incident: subject },
            Verb::ReplyPing => Action::ReplyPing { ping: subject },
            Verb::Disclose => Action::Disclose { item: subject },
            Verb::Restore => Action::Restore { infra: subject },
            Verb::StayBelow(level) => Action::StayBelow { level },
            Verb::Judged => Action::Judged(subject),
        }
    }
}

/// How an expectation's objective is written on its row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Inline {
    /// Not at all: the row's Objective cell names the one objective all its expectations share.
    Shared,
    /// Inline where there is one.
    Each,
    /// Inline, and `(no objective)` where there is none: the row's Objective cell names a single
    /// objective, which import would otherwise give it.
    EachOrNone,
}

/// The canonical text of an expectation; `norm` and `objective` are written inline only when the
/// row's Norm and Objective columns do not already say them.
/// One Expected Action line for `e`; `actor` is how the cell names the actor (see `label`).
pub(crate) fn format(e: &Expect, actor: &str, inline_norm: bool, objective: Inline) -> String {
    let phrase = match &e.does {
        Action::Detect { .. } => "detect",
        Action::Notify { .. } => "notify",
        Action::Acknowledge { .. } => "acknowledge",
        Action::Mitigate { .. } => "mitigate",
        Action::Contain { .. } => "contain",
        Action::RequestAssistance { .. } => "request assistance",
        Action::OfferAssistance { .. } => "offer assistance",
        Action::DeliverAssistance { .. } => "deliver assistance",
        Action::Clarify { .. } => "clarify",
        Action::ShareInformation { .. } => "share information",
        Action::AnswerLegalRequest { .. } => "answer legal request",
        Action::ReplyPing { .. } => "reply to ping",
        Action::Disclose { .. } => "disclose",
        Action::Restore { .. } => "restore",
        Action::StayBelow { .. } => "stay below level",
        Action::Judged(_) => "judged",
    };
    let mut s = format!("[{}] {actor}: {phrase}", e.id);
    match &e.does {
        Action::StayBelow { level } => s.push_str(&format!(" {level}")),
        Action::Judged(text) => s.push_str(&format!(" \"{text}\"")),
        other => s.push_str(&format!(" {}", other.subject().unwrap_or_default())),
    }
    if let Some(w) = e.within {
        s.push_str(&format!(" within {w}"));
    } else if let Some(b) = e.by {
        s.push_str(&format!(" by {b}"));
    }
    let mut opts = Vec::new();
    if inline_norm && let Some(n) = e.norm {
        opts.push(format!("norm {}", n.letter()));
    }
    match (objective, &e.objective) {
        (Inline::Shared, _) | (Inline::Each, None) => {}
        (_, Some(o)) => opts.push(format!("objective {o}")),
        (Inline::EachOrNone, None) => opts.push("no objective".into()),
    }
    if !opts.is_empty() {
        s.push_str(&format!(" ({})", opts.join(", ")));
    }
    if !e.note.is_empty() {
        s.push_str(&format!(" — {}", e.note.replace('\n', " ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Span;

    #[test]
    fn full_and_short_forms() {
        let l = parse_line("[e4] borealia: acknowledge inc-1 within 24h (norm c, objective o2)")
            .unwrap();
        assert_eq!(l.id.as_deref(), Some("e4"));
        assert_eq!(l.actor.as_deref(), Some("borealia"));
        assert_eq!(l.verb, Verb::Acknowledge);
        assert_eq!(l.words, vec!["inc-1"]);
        assert_eq!(l.within, Some(Span::hours(24)));
        assert_eq!(
            (l.norm, l.objective.clone()),
            (Some(Norm::C), Said::Objective("o2".into()))
        );
        let l = parse_line("[e5] borealia: acknowledge inc-1 (no objective)").unwrap();
        assert_eq!(l.objective, Said::NoObjective);
        assert!(l.words == vec!["inc-1"], "{:?}", l.words);
        let l = parse_line("Acknowledge receipt within 24 hours").unwrap();
        assert_eq!(
            (l.actor, l.verb, l.within),
            (None, Verb::Acknowledge, Some(Span::hours(24)))
        );
        let l = parse_line("cordovia: offer assistance by T+2d").unwrap();
        assert_eq!(l.by, Some(At(Span::days(2))));
        let l = parse_line("[e8] aurelia: stay below level 5 (norm b)").unwrap();
        assert_eq!((l.verb, l.norm), (Verb::StayBelow(5), Some(Norm::B)));
    }

    #[test]
    fn an_evaluators_text_keeps_its_dashes_deadlines_and_quotes() {
        let l = parse_line(
            "[j1] sudan: judged \"\"Reply\" to ping-2 within 1d — Sunday week\" within 2d — note",
        )
        .unwrap();
        assert_eq!(l.verb, Verb::Judged);
        assert_eq!(l.words, vec!["\"Reply\" to ping-2 within 1d — Sunday week"]);
        assert_eq!((l.within, l.note.as_str()), (Some(Span::days(2)), "note"));
    }

    #[test]
    fn letters_whose_lower_case_is_longer_do_not_shift_the_keywords() {
        // "\u{212A}" (Kelvin sign) lowers to an ASCII "k" but is three bytes long.
        let l = parse_line("ac\u{212A}nowledge inc-1 within 1d");
        assert!(l.is_err(), "{l:?}");
        let l = parse_line("[e1] \u{212A}estria: acknowledge inc-1 within 1d").unwrap();
        assert_eq!(l.actor.as_deref(), Some("\u{212A}estria"));
        assert_eq!(l.within, Some(Span::days(1)));
    }

    #[test]
    fn unreadable_cells_say_what_is_wrong() {
        assert!(
            parse_line("ponder deeply")
                .unwrap_err()
                .contains("cannot read the action")
        );
        assert!(
            parse_line("acknowledge within soon")
                .unwrap_err()
                .contains("within 24h")
        );
        assert!(
            parse_line("acknowledge (norm z)")
                .unwrap_err()
                .contains("norms are a to k")
        );
    }
}
