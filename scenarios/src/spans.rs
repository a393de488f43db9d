//! Where each value sits in a RON file. `ron` reports positions only for syntax errors, but a
//! scenario author needs `file:line:col` for semantic ones too ("unknown doctrine"). This scanner
//! walks a file that already parsed and records the span of every value under a path such as
//! `states[1].doctrine` or `injects[0].event.target` — the same paths validation reports.
//!
//! It never trusts the text to be well formed: every loop consumes at least one character or
//! stops, nesting deeper than [`MAX_DEPTH`](crate::nesting::MAX_DEPTH) and absurdly long paths are
//! skipped without being recorded, so the scan is linear in the file's length whatever it holds.

use std::collections::HashMap;

/// Paths longer than this are not recorded (their values fall back to an ancestor's span): only
/// a pathological file has them, and copying them for every child would make the scan quadratic.
const MAX_PATH: usize = 512;

/// 1-based line and column (in characters), as editors count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spot {
    pub start: Pos,
    pub end: Pos,
}

#[derive(Debug, Default)]
pub struct SpanIndex {
    spans: HashMap<String, Spot>,
}

impl SpanIndex {
    pub fn build(text: &str) -> SpanIndex {
        let mut s = Scanner {
            chars: text.chars().collect(),
            i: 0,
            line: 1,
            col: 1,
            depth: 0,
            out: HashMap::new(),
        };
        s.skip_trivia();
        while s.peek() == Some('#') {
            s.skip_attribute();
            s.skip_trivia();
        }
        s.value(String::new());
        SpanIndex { spans: s.out }
    }

    /// The span of `path`, or of its nearest ancestor that appears in the file (a defaulted field
    /// is reported at the item that omits it, a defaulted top-level field at the whole scenario).
    pub fn find(&self, path: &str) -> Option<Spot> {
        let mut p = path;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(*s);
            }
            if p.is_empty() {
                return None;
            }
            p = &p[..p.rfind(['.', '[']).unwrap_or(0)];
        }
    }
}

struct Scanner {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
    depth: usize,
    out: HashMap<String, Spot>,
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }
    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    /// Ends a loop iteration over list items or fields: if nothing was consumed (a character the
    /// scanner does not expect there), step over one character so that the loop always advances.
    /// Returns false at the end of the text.
    fn ensure_progress(&mut self, since: usize) -> bool {
        if self.i == since {
            return self.bump().is_some();
        }
        self.peek().is_some()
    }

    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    let mut depth = 0;
                    loop {
                        match (self.peek(), self.peek_at(1)) {
                            (Some('/'), Some('*')) => {
                                depth += 1;
                                self.bump();
                                self.bump();
                            }
                            (Some('*'), Some('/')) => {
                                depth -= 1;
                                self.bump();
                                self.bump();
                                if depth == 0 {
                                    break;
                                }
                            }
                            (None, _) => break,
                            _ => {
                                self.bump();
                            }
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn skip_attribute(&mut self) {
        while let Some(c) = self.bump() {
            if c == ']' {
                return;
            }
        }
    }

    fn ident(&mut self) -> String {
        let mut s = String::new();
        if self.peek() == Some('r') && self.peek_at(1) == Some('#') {
            self.bump();
            self.bump();
        }
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' {
                s.push(c);
                self.bump();
            } else {
                break;
            }
        }
        s
    }

    fn string(&mut self) -> String {
        let mut s = String::new();
        if self.peek() == Some('r') {
            self.bump();
            let mut hashes = 0;
            while self.peek() == Some('#') {
                hashes += 1;
                self.bump();
            }
            self.bump(); // opening quote
            loop {
                match self.bump() {
                    None => break,
                    Some('"') => {
                        let mut n = 0;
                        while n < hashes && self.peek() == Some('#') {
                            n += 1;
                            self.bump();
                        }
                        if n == hashes {
                            break;
                        }
                        s.push('"');
                    }
                    Some(c) => s.push(c),
                }
            }
            return s;
        }
        let quote = self.bump().unwrap_or('"');
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(e) = self.bump() {
                        s.push(e);
                    }
                }
                c if c == quote => break,
                c => s.push(c),
            }
        }
        s
    }

    /// Steps over one value without recording anything inside it: up to the `,` or closing
    /// bracket that ends it, counting brackets (strings and comments skipped), so this needs
    /// neither recursion nor paths.
    fn skip_value(&mut self) {
        let mut open = 0usize;
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return,
                Some('"') => {
                    self.string();
                }
                Some('r') if matches!(self.peek_at(1), Some('"') | Some('#')) => {
                    self.string();
                }
                Some('(' | '[' | '{') => {
                    open += 1;
                    self.bump();
                }
                Some(')' | ']' | '}') => {
                    if open == 0 {
                        return;
                    }
                    open -= 1;
                    self.bump();
                }
                Some(',') if open == 0 => return,
                Some(_) => {
                    self.bump();
                }
            }
        }
    }

    /// Scans one value, recording its span under `path`.
    fn value(&mut self, path: String) {
        self.skip_trivia();
        if self.depth >= crate::nesting::MAX_DEPTH * 2 || path.len() > MAX_PATH {
            self.skip_value();
            return;
        }
        self.depth += 1;
        self.value_inner(path);
        self.depth -= 1;
    }

    fn value_inner(&mut self, path: String) {
        let start = self.pos();
        match self.peek() {
            None => return,
            Some('"') | Some('\'') => {
                self.string();
            }
            Some('r') if matches!(self.peek_at(1), Some('"') | Some('#')) => {
                self.string();
            }
            Some('[') => {
                self.bump();
                let mut k = 0;
                loop {
                    let since = self.i;
                    self.skip_trivia();
                    match self.peek() {
                        Some(']') => {
                            self.bump();
                            break;
                        }
                        None => break,
                        _ => {}
                    }
                    self.value(format!("{path}[{k}]"));
                    k += 1;
                    self.skip_trivia();
                    if self.peek() == Some(',') {
                        self.bump();
                    }
                    if !self.ensure_progress(since) {
                        break;
                    }
                }
            }
            Some('{') => {
                self.bump();
                loop {
                    let since = self.i;
                    self.skip_trivia();
                    match self.peek() {
                        Some('}') => {
                            self.bump();
                            break;
                        }
                        None => break,
                        _ => {}
                    }
                    let key = match self.peek() {
                        Some('"') => self.string(),
                        _ => self.ident(),
                    };
                    self.skip_trivia();
                    if self.peek() == Some(':') {
                        self.bump();
                    }
                    self.value(join(&path, &key));
                    self.skip_trivia();
                    if self.peek() == Some(',') {
                        self.bump();
                    }
                    if !self.ensure_progress(since) {
                        break;
                    }
                }
            }
            Some('(') => self.parens(&path, false),
            Some(c) if c.is_alphabetic() || c == '_' => {
                let name = self.ident();
                self.skip_trivia();
                if self.peek() == Some('(') {
                    let transparent = name == "Some";
                    self.parens(&path, transparent);
                    if transparent {
                        // `Some(x)` is recorded as x; keep the outer start for the whole value.
                        if let Some(spot) = self.out.get_mut(&path) {
                            spot.start = start;
                        }
                        return;
                    }
                }
            }
            Some(_) => {
                // Number or other scalar: consume until a delimiter.
                while let Some(c) = self.peek() {
                    if c == ',' || c == ')' || c == ']' || c == '}' || c.is_whitespace() {
                        break;
                    }
                    self.bump();
                }
            }
        }
        let end = self.pos();
        self.out.insert(path, Spot { start, end });
    }

    /// `( ... )` after an optional name: named fields or positional elements.
    fn parens(&mut self, path: &str, transparent: bool) {
        self.bump(); // (
        self.skip_trivia();
        // Named fields if the first thing is `ident :` (but not `::`).
        let save = (self.i, self.line, self.col);
        let first = self.ident();
        self.skip_trivia();
        let named = !first.is_empty() && self.peek() == Some(':') && self.peek_at(1) != Some(':');
        (self.i, self.line, self.col) = save;
        let mut k = 0;
        loop {
            let since = self.i;
            self.skip_trivia();
            match self.peek() {
                Some(')') => {
                    self.bump();
                    break;
                }
                None => break,
                _ => {}
            }
            if named {
                let field = self.ident();
                self.skip_trivia();
                if self.peek() == Some(':') {
                    self.bump();
                }
                self.value(join(path, &field));
            } else if transparent {
                self.value(path.to_string());
            } else {
                self.value(join(path, &k.to_string()));
            }
            k += 1;
            self.skip_trivia();
            if self.peek() == Some(',') {
                self.bump();
            }
            if !self.ensure_progress(since) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields_list_items_and_variants() {
        let text = r#"#![enable(implicit_some)]
// comment with "quotes" and (parens)
Scenario(
    name: "x", /* block */
    states: [
        State(id: "a"),
        State(id: "b", doctrine: "cautous", pocs: [Poc(level: Technical, latency: Fixed("2h"))]),
    ],
    injects: [Inject(at: "T+1h", event: Incident(id: "i", target: "t", severity: 4))],
    tags: {"k": 1.5},
)"#;
        let idx = SpanIndex::build(text);
        let at = |p: &str| idx.find(p).map(|s| (s.start.line, s.start.col));
        assert_eq!(at("name"), Some((4, 11)));
        assert_eq!(at("states[1].doctrine"), Some((7, 34)));
        assert_eq!(at("states[1].pocs[0].latency.0"), Some((7, 89)));
        assert_eq!(at("injects[0].event.target"), Some((9, 67)));
        assert_eq!(at("tags.k"), Some((10, 17)));
        // Missing field falls back to the item that would hold it.
        assert_eq!(at("states[0].capacity"), Some((6, 9)));
        let d = idx.find("states[1].doctrine").unwrap();
        assert_eq!(d.end.col - d.start.col, "\"cautous\"".len());
    }

    #[test]
    fn any_text_is_scanned_to_its_end() {
        // Text that does not parse: stray closers, a field list with a value where a name
        // belongs, unterminated strings and comments, nesting past the limit. Each must come back
        // (the first used to loop forever).
        let deep = "[".repeat(100_000);
        for text in [
            "Scenario(\n    start: \"x\",\n        Organisation(id: \"a\"),\n    ],\n    states: [],\n)",
            "]]]]",
            ")))",
            "Scenario(: : : ,,, ]",
            "{ : ] }",
            "[(\"unterminated",
            "/* never closed",
            "r##\"raw",
            "'",
            deep.as_str(),
        ] {
            let idx = SpanIndex::build(text);
            if let Some(spot) = idx.find("states[0].id") {
                assert!(spot.start.line <= text.lines().count() + 1, "{text}");
            }
        }
    }

    #[test]
    fn paths_not_in_the_file_fall_back_to_the_whole_scenario() {
        let idx = SpanIndex::build("Scenario(\n  name: \"x\",\n)");
        assert_eq!(
            idx.find("scoring.targets.acknowledge").unwrap().start,
            Pos { line: 1, col: 1 }
        );
    }
}
