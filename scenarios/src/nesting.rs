//! How deeply input may nest, checked in one linear pass before any recursive code sees the text.
//!
//! `ron`, serde_json and serde descend once per level of `[…]`, `(…)` or `{…}`; so do the span
//! finder and any code that walks a parsed value. Without a cap, `[[[[…]]]]` a hundred thousand
//! deep overflows the stack and aborts the process — no error message, no position. `ron` and
//! serde_json have recursion limits of their own (128), but their messages speak to programmers
//! ("try increasing `ron::Options::recursion_limit`"); this check runs first and tells an author
//! where the nesting goes too deep. A real scenario nests about eight levels; a trace record three.

use std::fmt;

/// Deepest nesting of brackets accepted in any file ttx reads. Half of the parsers' own limits,
/// so that this check, with its position and plain words, is always the one that answers.
pub const MAX_DEPTH: usize = 64;

/// Which lexical rules decide what is inside a string or comment (and so not nesting).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// RON: `"…"` and raw `r#"…"#` strings, `'c'` characters, `//` and nested `/* */` comments.
    Ron,
    /// JSON: `"…"` strings only.
    Json,
}

/// The first bracket that opens one level too many: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "values are nested more than {MAX_DEPTH} levels deep here (line {}, column {})",
            self.line, self.col
        )
    }
}

/// Fails at the first bracket nested deeper than [`MAX_DEPTH`]. Unbalanced or malformed text is
/// not this check's business: the parser that runs next reports it.
pub fn check(text: &str, syntax: Syntax) -> Result<(), TooDeep> {
    let mut lx = Lexer {
        chars: text.chars().peekable(),
        line: 1,
        col: 1,
    };
    let mut depth = 0usize;
    while let Some(c) = lx.next() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(TooDeep {
                        line: lx.line,
                        col: lx.col - 1,
                    });
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '"' => lx.quoted(),
            '/' if syntax == Syntax::Ron => lx.comment(),
            '\'' if syntax == Syntax::Ron => lx.character(),
            c if syntax == Syntax::Ron && (c.is_alphabetic() || c == '_') => lx.word(c),
            _ => {}
        }
    }
    Ok(())
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    col: usize,
}

impl Lexer<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    /// After an opening `"`: up to the closing one, skipping escapes.
    fn quoted(&mut self) {
        while let Some(c) = self.next() {
            match c {
                '\\' => {
                    self.next();
                }
                '"' => return,
                _ => {}
            }
        }
    }

    /// After `/`: a line comment, a (nested) block comment, or nothing.
    fn comment(&mut self) {
        match self.peek() {
            Some('/') => {
                while !matches!(self.peek(), None | Some('\n')) {
                    self.next();
                }
            }
            Some('*') => {
                self.next();
                let mut level = 1usize;
                while level > 0 {
                    match self.next() {
                        None => return,
                        Some('/') if self.peek() == Some('*') => {
                            self.next();
                            level += 1;
                        }
                        Some('*') if self.peek() == Some('/') => {
                            self.next();
                            level -= 1;
                        }
                        Some(_) => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// After `'`: one character or escape, then the closing `'`.
    fn character(&mut self) {
        if self.next() == Some('\\') {
            // `'\n'`, `'\''`, `'\u{1F600}'`: up to the closing quote.
            self.next();
            while let Some(c) = self.peek() {
                if c == '\'' || c == '\n' {
                    break;
                }
                self.next();
            }
        }
        if self.peek() == Some('\'') {
            self.next();
        }
    }

    /// An identifier, which may open a raw string (`r"…"`, `r#"…"#`, `br"…"`).
    fn word(&mut self, first: char) {
        let mut only_raw_prefix = matches!(first, 'r' | 'b');
        let mut saw_r = first == 'r';
        while let Some(c) = self.peek() {
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            only_raw_prefix &= c == 'r' && !saw_r;
            saw_r |= c == 'r';
            self.next();
        }
        if only_raw_prefix && saw_r && matches!(self.peek(), Some('"') | Some('#')) {
            self.raw_string();
        }
    }

    /// After `r`: `#`s, `"`, then everything up to `"` and as many `#`s. `r#ident` (a raw
    /// identifier) has no quote after its hashes and is left alone.
    fn raw_string(&mut self) {
        let mut hashes = 0usize;
        while self.peek() == Some('#') {
            self.next();
            hashes += 1;
        }
        if self.peek() != Some('"') {
            return;
        }
        self.next();
        'body: while let Some(c) = self.next() {
            if c != '"' {
                continue;
            }
            for _ in 0..hashes {
                if self.peek() != Some('#') {
                    continue 'body;
                }
                self.next();
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(n: usize, open: &str, close: &str) -> String {
        format!("{}1{}", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn nesting_up_to_the_limit_passes_and_one_more_fails_at_its_bracket() {
        assert_eq!(check(&deep(MAX_DEPTH, "[", "]"), Syntax::Json), Ok(()));
        assert_eq!(
            check(&deep(MAX_DEPTH + 1, "[", "]"), Syntax::Json),
            Err(TooDeep {
                line: 1,
                col: MAX_DEPTH + 1
            })
        );
        let some = format!("x: {}", deep(100_000, "Some(", ")"));
        assert_eq!(
            check(&some, Syntax::Ron),
            Err(TooDeep {
                line: 1,
                col: 4 + 5 * MAX_DEPTH + 4
            })
        );
        assert!(check(&"{\"a\":".repeat(100_000), Syntax::Json).is_err());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let many = "[".repeat(MAX_DEPTH * 2);
        for text in [
            format!("\"{many}\""),
            format!("\"\\\"{many}\""),
            format!("// {many}\n[]"),
            format!("/* /* */ {many} */ []"),
            format!("r#\"{many}\"# []"),
            format!("br\"{many}\""),
            format!("'[' '\\'' {many:.0}"),
        ] {
            assert_eq!(check(&text, Syntax::Ron), Ok(()), "{text}");
        }
        // JSON has no comments: brackets after `//` count.
        assert!(check(&format!("// {many}"), Syntax::Json).is_err());
        // Identifiers that merely start with r or b are not raw strings.
        assert!(check(&format!("rsit: bar {many}"), Syntax::Ron).is_err());
        assert!(check(&format!("r#ident {many}"), Syntax::Ron).is_err());
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = format!("é\n  {}", "(".repeat(MAX_DEPTH + 1));
        assert_eq!(
            check(&text, Syntax::Ron),
            Err(TooDeep {
                line: 2,
                col: 3 + MAX_DEPTH
            })
        );
    }
}
