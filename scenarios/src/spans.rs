//! Where each value sits in a RON file. `ron` reports positions only for syntax errors, but a
//! scenario author needs `file:line:col` for semantic ones too ("unknown doctrine"). This scanner
//! walks a file that already parsed and records the span of every value under a path such as
//! `states[1].doctrine` or `injects[0].event.target` — the same paths validation reports.

use std::collections::HashMap;

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
    /// is reported at the item that omits it).
    pub fn find(&self, path: &str) -> Option<Spot> {
        let mut p = path.to_string();
        loop {
            if let Some(s) = self.spans.get(&p) {
                return Some(*s);
            }
            let cut = p.rfind(['.', '['])?;
            p.truncate(cut);
        }
    }
}

struct Scanner {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
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

    /// Scans one value, recording its span under `path`.
    fn value(&mut self, path: String) {
        self.skip_trivia();
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
                }
            }
            Some('{') => {
                self.bump();
                loop {
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
}
