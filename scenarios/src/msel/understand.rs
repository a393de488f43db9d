//! Expected actions written as planners write them: plain sentences ("Chile acknowledges receipt
//! through its technical point of contact"). A sentence is never an error. ttx reads who acts
//! (a state named before the action, or the row's To), what they do (one action of the
//! vocabulary, by its common wordings) and by when ("within 24 hours"); the subject is the row's
//! inject. Where it is sure, the sentence becomes the typed expectation scored automatically;
//! where it is not — no action recognised, two actions, a negation or a condition, several
//! states before the action — it becomes an expectation an evaluator judges (`does: Judged(…)`,
//! "needs an evaluator" until rated), never counted as met or failed.
//! `--strict` turns this off and asks for the Expected Action grammar (expected.rs).

use super::expected::{Line, Verb};
use super::times::loose_span;
use crate::scenario::Scenario;
use crate::time::Span;
use std::fmt;

/// How one sentence was understood, printed row by row so the planner can correct it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub row: usize,
    pub sentence: String,
    /// The expectation made, in the Expected Action grammar; `None` when kept for an evaluator.
    pub understood: Option<String>,
    /// Why the sentence was kept for an evaluator.
    pub why: String,
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.understood {
            Some(line) => write!(
                f,
                "row {}: \"{}\" → {line} (scored automatically)",
                self.row, self.sentence
            ),
            None => write!(
                f,
                "row {}: \"{}\" → kept for an evaluator (needs an evaluator when scored): {}",
                self.row, self.sentence, self.why
            ),
        }
    }
}

/// A line that is not in the grammar, carried to resolution (which knows the states and the
/// row's inject) as a sentence.
pub(crate) fn sentence(text: &str) -> Line {
    Line {
        id: None,
        actor: None,
        verb: Verb::Acknowledge,
        words: Vec::new(),
        within: None,
        by: None,
        norm: None,
        objective: super::expected::Said::Row,
        note: String::new(),
        sentence: Some(text.to_string()),
    }
}

/// What a sentence says, when ttx is sure of it.
#[derive(Debug, PartialEq)]
pub(crate) struct Guess {
    /// The state named before the action; `None`: the row's To.
    pub actor: Option<String>,
    pub verb: Verb,
    pub within: Option<Span>,
    /// The sentence's words, in which an incident or ping id may be named.
    pub words: Vec<String>,
}

/// Wordings of each action, matched as whole words anywhere in the sentence (lower case).
const WORDINGS: &[(&str, Verb)] = &[
    ("acknowledge", Verb::Acknowledge),
    ("acknowledges", Verb::Acknowledge),
    ("acknowledged", Verb::Acknowledge),
    ("acknowledging", Verb::Acknowledge),
    ("confirm receipt", Verb::Acknowledge),
    ("confirms receipt", Verb::Acknowledge),
    ("confirm reception", Verb::Acknowledge),
    ("confirms reception", Verb::Acknowledge),
    ("share information", Verb::ShareInformation),
    ("shares information", Verb::ShareInformation),
    ("share technical information", Verb::ShareInformation),
    ("shares technical information", Verb::ShareInformation),
    ("share threat information", Verb::ShareInformation),
    ("shares threat information", Verb::ShareInformation),
    ("share indicators", Verb::ShareInformation),
    ("shares indicators", Verb::ShareInformation),
    ("share the indicators", Verb::ShareInformation),
    ("shares the indicators", Verb::ShareInformation),
    ("share iocs", Verb::ShareInformation),
    ("shares iocs", Verb::ShareInformation),
    ("exchange information", Verb::ShareInformation),
    ("exchanges information", Verb::ShareInformation),
    ("provide information", Verb::ShareInformation),
    ("provides information", Verb::ShareInformation),
    ("offer assistance", Verb::OfferAssistance),
    ("offers assistance", Verb::OfferAssistance),
    ("offer help", Verb::OfferAssistance),
    ("offers help", Verb::OfferAssistance),
    ("offer support", Verb::OfferAssistance),
    ("offers support", Verb::OfferAssistance),
    ("offer to help", Verb::OfferAssistance),
    ("offers to help", Verb::OfferAssistance),
    ("offer to assist", Verb::OfferAssistance),
    ("offers to assist", Verb::OfferAssistance),
    ("request assistance", Verb::RequestAssistance),
    ("requests assistance", Verb::RequestAssistance),
    ("ask for assistance", Verb::RequestAssistance),
    ("asks for assistance", Verb::RequestAssistance),
    ("ask for help", Verb::RequestAssistance),
    ("asks for help", Verb::RequestAssistance),
    ("request help", Verb::RequestAssistance),
    ("requests help", Verb::RequestAssistance),
    ("deliver assistance", Verb::DeliverAssistance),
    ("delivers assistance", Verb::DeliverAssistance),
    ("report mitigation", Verb::Mitigate),
    ("reports mitigation", Verb::Mitigate),
    ("reports the mitigation", Verb::Mitigate),
    ("mitigate", Verb::Mitigate),
    ("mitigates", Verb::Mitigate),
    ("mitigated", Verb::Mitigate),
    ("clarify", Verb::Clarify),
    ("clarifies", Verb::Clarify),
    ("provide clarification", Verb::Clarify),
    ("provides clarification", Verb::Clarify),
    ("notify", Verb::Notify),
    ("notifies", Verb::Notify),
    ("sends an incident notification", Verb::Notify),
    ("send an incident notification", Verb::Notify),
    ("detect", Verb::Detect),
    ("detects", Verb::Detect),
    ("contain the incident", Verb::Contain),
    ("contains the incident", Verb::Contain),
    ("restore", Verb::Restore),
    ("restores", Verb::Restore),
    ("preserve evidence", Verb::AnswerLegalRequest),
    ("preserves evidence", Verb::AnswerLegalRequest),
    ("answer the legal request", Verb::AnswerLegalRequest),
    ("answers the legal request", Verb::AnswerLegalRequest),
    ("inform users", Verb::Disclose),
    ("informs users", Verb::Disclose),
];

/// Staying out of public attribution: the ladder's level 5 is public attribution.
const NO_ATTRIBUTION: &[&str] = &[
    "avoid public attribution",
    "avoids public attribution",
    "avoiding public attribution",
    "refrain from public attribution",
    "refrains from public attribution",
    "refrain from attributing publicly",
    "refrains from attributing publicly",
    "does not publicly attribute",
    "do not publicly attribute",
    "doesn't publicly attribute",
    "does not attribute publicly",
    "do not attribute publicly",
    "no public attribution",
];

const ANSWER: &[&str] = &[
    "reply", "replies", "respond", "responds", "answer", "answers",
];
const PING: &[&str] = &[
    "ping",
    "communication check",
    "comms check",
    "communications check",
];

/// Words that turn a sentence into something other than a plain statement of what is expected:
/// ttx does not guess past them.
const UNSURE: &[&str] = &[
    "not",
    "never",
    "no",
    "fails",
    "fail",
    "refuses",
    "refuse",
    "declines",
    "decline",
    "without",
    "may",
    "might",
    "could",
    "consider",
    "considers",
    "if",
    "whether",
    "unless",
    "perhaps",
    "possibly",
    "try",
    "tries",
    "attempts",
    "attempt",
    "cannot",
    "won't",
    "doesn't",
    "don't",
    "didn't",
    "isn't",
];

fn words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Position (in words) of `phrase` in `ws`, as whole words.
fn find(ws: &[&str], phrase: &str) -> Option<usize> {
    let p: Vec<&str> = phrase.split(' ').collect();
    (0..ws.len()).find(|&i| ws.len() >= i + p.len() && ws[i..i + p.len()] == p[..])
}

/// The one state a sentence names (by id or name), if exactly one: who a sentence kept for an
/// evaluator is about.
pub(crate) fn only_state(sc: &Scenario, text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let ws = words(&lower);
    let named: Vec<&str> = sc
        .states
        .iter()
        .filter(|st| {
            [st.id.to_lowercase(), st.name.to_lowercase()]
                .iter()
                .filter(|n| !n.is_empty())
                .any(|n| find(&ws, &words(n).join(" ")).is_some())
        })
        .map(|st| st.id.as_str())
        .collect();
    match named.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// Reads a sentence; `Err` says why ttx is not sure.
pub(crate) fn understand(sc: &Scenario, text: &str) -> Result<Guess, String> {
    let lower = text.to_lowercase();
    let ws = words(&lower);
    let all_words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    if lower.contains('?') {
        return Err("a question is not an expectation".into());
    }
    // The action, and where it starts.
    let (verb, at) = if let Some(at) = NO_ATTRIBUTION.iter().find_map(|p| find(&ws, p)) {
        (Verb::StayBelow(5), at)
    } else {
        if let Some(w) = ws.iter().find(|w| UNSURE.contains(w)) {
            return Err(format!(
                "\"{w}\" makes it negative or conditional; ttx does not guess what is expected"
            ));
        }
        let mut found: Vec<(Verb, usize)> = Vec::new();
        for (phrase, verb) in WORDINGS {
            if let Some(at) = find(&ws, phrase) {
                found.push((*verb, at));
            }
        }
        // "replies to the communication check", "answers the ping".
        if let (Some(at), true) = (
            ws.iter().position(|w| ANSWER.contains(w)),
            PING.iter().any(|p| find(&ws, p).is_some()),
        ) {
            found.push((Verb::ReplyPing, at));
        }
        // "answers the clarification request": answering, not asking.
        if let (Some(at), Some(_)) = (
            ws.iter().position(|w| ANSWER.contains(w)),
            ws.iter().position(|w| w.starts_with("clarification")),
        ) {
            found.push((Verb::Clarify, at));
        }
        found.sort_by_key(|(_, at)| *at);
        let mut verbs: Vec<Verb> = found.iter().map(|(v, _)| *v).collect();
        verbs.dedup();
        match verbs.as_slice() {
            [] => return Err("no action ttx can score was recognised".into()),
            [v] => (*v, found[0].1),
            more => {
                let names: Vec<String> = more.iter().map(|v| format!("{v:?}")).collect();
                return Err(format!(
                    "it names several actions ({}); write one per line",
                    names.join(", ")
                ));
            }
        }
    };
    // The actor: the one state named before the action; states named after it are
    // addressees or subjects ("offers assistance to Aurelia").
    let mut before: Vec<(usize, &str)> = Vec::new();
    let mut after = false;
    for st in &sc.states {
        let names = [st.id.to_lowercase(), st.name.to_lowercase()];
        let pos = names
            .iter()
            .filter(|n| !n.is_empty())
            .filter_map(|n| find(&ws, &words(n).join(" ")))
            .min();
        match pos {
            Some(p) if p < at => before.push((p, st.id.as_str())),
            Some(_) => after = true,
            None => {}
        }
    }
    let actor = match before.as_slice() {
        [] if after && !matches!(verb, Verb::OfferAssistance | Verb::ShareInformation) => {
            return Err("the state it names comes after the action: who acts is not clear".into());
        }
        [] => None,
        [(_, id)] => Some(id.to_string()),
        _ => {
            return Err("several states are named before the action: who acts is not clear".into());
        }
    };
    let within = match ws.iter().position(|w| *w == "within") {
        None => None,
        Some(i) => {
            let rest: Vec<&str> = ws[i + 1..].iter().take(2).copied().collect();
            let one = rest.first().map(|w| loose_span(w));
            let two = (rest.len() == 2).then(|| loose_span(&rest.join(" ")));
            match (one, two) {
                (Some(Ok(s)), _) | (_, Some(Ok(s))) => Some(s),
                _ => return Err("the deadline after \"within\" could not be read".into()),
            }
        }
    };
    Ok(Guess {
        actor,
        verb,
        within,
        words: all_words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc() -> Scenario {
        crate::library::find("hospital-ransomware")
            .expect("bundled")
            .load()
            .expect("loads")
    }

    fn guess(text: &str) -> Guess {
        understand(&sc(), text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn unsure(text: &str) -> String {
        understand(&sc(), text).expect_err(text)
    }

    #[test]
    fn each_supported_wording() {
        let cases = [
            (
                "Borealia acknowledges receipt through its technical point of contact",
                Verb::Acknowledge,
            ),
            (
                "Borealia confirms receipt of the notification",
                Verb::Acknowledge,
            ),
            ("Cordovia reports mitigation of the attack", Verb::Mitigate),
            (
                "Cordovia offers assistance to Aurelia",
                Verb::OfferAssistance,
            ),
            (
                "Aurelia shares indicators with its neighbours",
                Verb::ShareInformation,
            ),
            ("Borealia answers the clarification request", Verb::Clarify),
            (
                "Borealia replies to the communication check",
                Verb::ReplyPing,
            ),
            ("Aurelia avoids public attribution", Verb::StayBelow(5)),
            (
                "Aurelia does not publicly attribute the attack",
                Verb::StayBelow(5),
            ),
            (
                "Aurelia requests assistance from Cordovia",
                Verb::RequestAssistance,
            ),
        ];
        for (text, verb) in cases {
            assert_eq!(guess(text).verb, verb, "{text}");
        }
        let g = guess("Borealia acknowledges receipt through its technical point of contact");
        assert_eq!(g.actor.as_deref(), Some("borealia"));
        let g = guess("Acknowledge receipt within 24 hours");
        assert_eq!((g.actor, g.within), (None, Some(Span::hours(24))));
        let g = guess("Cordovia offers assistance to Aurelia");
        assert_eq!(g.actor.as_deref(), Some("cordovia"));
    }

    #[test]
    fn sentences_it_must_not_guess_at() {
        assert!(unsure("Borealia does not acknowledge the notification").contains("negative"));
        assert!(unsure("Borealia may offer assistance").contains("conditional"));
        assert!(unsure("If asked, Cordovia shares indicators").contains("conditional"));
        assert!(unsure("Players discuss the ransom demand").contains("no action"));
        assert!(unsure("Borealia acknowledges and offers assistance").contains("several actions"));
        assert!(unsure("Aurelia and Borealia acknowledge receipt").contains("several states"));
        assert!(unsure("Will Borealia acknowledge?").contains("question"));
        assert!(unsure("Acknowledge within a reasonable time").contains("deadline"));
        assert!(unsure("Borealia asks for clarification").contains("no action"));
    }
}
