//! Errors a scenario author can act on: where (file:line:col), what was expected, and what to try.

use crate::spans::{Pos, SpanIndex, Spot};
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub message: String,
    /// Scenario path of the offending value (`states[1].doctrine`), resolved to a position when
    /// the source text is known.
    pub path: Option<String>,
    pub spot: Option<Spot>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            path: Some(path.into()),
            spot: None,
            help: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
    pub fn help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }
}

/// All problems found in one source (a file, or command-line overrides).
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostics {
    pub origin: String,
    pub source: String,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(
        origin: impl Into<String>,
        source: impl Into<String>,
        mut items: Vec<Diagnostic>,
    ) -> Self {
        let source = source.into();
        // Only problems found after parsing carry a path without a position; a syntax error has
        // its position already, and its text may not be scannable into paths at all.
        if items.iter().any(|d| d.spot.is_none() && d.path.is_some()) {
            let index = SpanIndex::build(&source);
            for d in &mut items {
                if d.spot.is_none() {
                    d.spot = d.path.as_deref().and_then(|p| index.find(p));
                }
            }
        }
        items.sort_by_key(|d| d.spot.map(|s| s.start));
        Diagnostics {
            origin: origin.into(),
            source,
            items,
        }
    }

    pub fn single(origin: impl Into<String>, source: impl Into<String>, d: Diagnostic) -> Self {
        Self::new(origin, source, vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<&str> = self.source.lines().collect();
        for (k, d) in self.items.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            match d.spot {
                Some(Spot {
                    start: Pos { line, col },
                    ..
                }) => writeln!(f, "{}:{line}:{col}: error: {}", self.origin, d.message)?,
                None => writeln!(f, "{}: error: {}", self.origin, d.message)?,
            }
            if let Some(spot) = d.spot
                && let Some(text) = lines.get(spot.start.line.wrapping_sub(1))
            {
                let width = spot.start.line.to_string().len();
                let caret_len = if spot.end.line == spot.start.line && spot.end.col > spot.start.col
                {
                    spot.end.col - spot.start.col
                } else {
                    1
                };
                let (shown, col) = excerpt(text.trim_end(), spot.start.col);
                writeln!(f, "{:width$} |", "")?;
                writeln!(f, "{} | {shown}", spot.start.line)?;
                writeln!(
                    f,
                    "{:width$} | {}{}",
                    "",
                    " ".repeat(col - 1),
                    "^".repeat(caret_len.min(EXCERPT))
                )?;
            }
            if let Some(h) = &d.help {
                writeln!(f, "  = help: {h}")?;
            }
        }
        let n = self.items.len();
        write!(
            f,
            "{} error{} in {}",
            n,
            if n == 1 { "" } else { "s" },
            self.origin
        )
    }
}

impl std::error::Error for Diagnostics {}

/// Characters of a source line shown around the position of a problem.
const EXCERPT: usize = 200;

/// The part of `line` around 1-based character column `col`, and the column within it: a long
/// line (a generated file, or a whole scenario on one line) is cut to a window with `…` marks.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    let len = line.chars().count();
    if len <= EXCERPT {
        return (line.to_string(), col.max(1));
    }
    let from = col
        .saturating_sub(EXCERPT / 2)
        .min(len.saturating_sub(EXCERPT));
    let mut shown: String = line.chars().skip(from).take(EXCERPT).collect();
    let mut at = col.saturating_sub(from).max(1);
    if from > 0 {
        shown.insert(0, '…');
        at += 1;
    }
    if from + EXCERPT < len {
        shown.push('…');
    }
    (shown, at)
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
///
/// The cost is bounded whatever the input: words and candidates longer than [`MAX_WORD`]
/// characters are never typos of each other worth suggesting, and a candidate whose length
/// differs by more than the allowed distance is skipped before any distance is computed.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_len = word.chars().take(MAX_WORD + 1).count();
    if word_len > MAX_WORD {
        return None;
    }
    let word = word.to_lowercase();
    let limit = (word_len / 3).max(2);
    candidates
        .into_iter()
        .filter(|c| c.len() <= 4 * MAX_WORD)
        .filter(|c| c.chars().count().abs_diff(word_len) <= limit)
        .map(|c| (strsim::damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

/// Longest word (in characters) for which a "did you mean" is looked for.
pub const MAX_WORD: usize = 64;

/// "did you mean …" when a near miss exists, else the list of what is known (shortened).
pub fn suggest(word: &str, known: &[&str], what: &str) -> Option<String> {
    if let Some(m) = did_you_mean(word, known.iter().copied()) {
        return Some(format!("did you mean \"{m}\"?"));
    }
    known_list(known, what)
}

/// The list of what is known, shortened; for when looking for a near miss is not worth its cost.
pub fn known_list(known: &[&str], what: &str) -> Option<String> {
    if known.is_empty() {
        return Some(format!("this scenario defines no {what}"));
    }
    let shown: Vec<String> = known.iter().take(8).map(|k| format!("\"{k}\"")).collect();
    let more = if known.len() > 8 {
        format!(" and {} more", known.len() - 8)
    } else {
        String::new()
    };
    Some(format!("known {what}: {}{more}", shown.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_suggested_and_far_ones_are_not() {
        let known = ["cooperative", "cautious", "non-responsive", "hawkish"];
        assert_eq!(did_you_mean("cautous", known), Some("cautious"));
        assert_eq!(did_you_mean("Hawkish", known), Some("hawkish"));
        assert_eq!(did_you_mean("pacifist", known), None);
        assert_eq!(
            suggest("zz", &known, "doctrines").unwrap(),
            "known doctrines: \"cooperative\", \"cautious\", \"non-responsive\", \"hawkish\""
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_position() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic {
            message: "here".into(),
            path: None,
            spot: Some(Spot {
                start: Pos { line: 1, col: 5001 },
                end: Pos { line: 1, col: 5002 },
            }),
            help: None,
        };
        let out = Diagnostics::single("x.ron", line, d).to_string();
        let rows: Vec<&str> = out.lines().collect();
        assert!(rows[2].chars().count() < EXCERPT + 10, "{}", rows[2]);
        let x = rows[2].chars().position(|c| c == 'X').unwrap();
        assert_eq!(rows[3].chars().position(|c| c == '^'), Some(x));
    }

    #[test]
    fn rendering_points_at_the_value() {
        let src = "Scenario(\n  doctrine: \"cautous\",\n)";
        let d = Diagnostic::at("doctrine", "unknown doctrine \"cautous\"")
            .help("did you mean \"cautious\"?");
        let out = Diagnostics::single("x.ron", src, d).to_string();
        assert_eq!(
            out,
            "x.ron:2:13: error: unknown doctrine \"cautous\"\n  |\n2 |   doctrine: \"cautous\",\n  |             ^^^^^^^^^\n  = help: did you mean \"cautious\"?\n1 error in x.ron"
        );
    }
}
