//! Reading STIX patterns back into indicators. ttx keeps one observable per indicator, so it
//! reads patterns that match observables by equality — `[ipv4-addr:value = '198.51.100.7']`,
//! several joined by OR — and says why it cannot use any other.

use ttx_scenario::Indicator;

/// The observables a pattern matches, or why ttx cannot use it.
pub fn parse(pattern: &str) -> Result<Vec<Indicator>, String> {
    let tokens = tokenize(pattern)?;
    let mut p = Parser { tokens, at: 0 };
    let mut out = Vec::new();
    loop {
        p.expect(Tok::Open)?;
        loop {
            out.push(p.comparison()?);
            match p.peek() {
                Some(Tok::Word(w)) if w.eq_ignore_ascii_case("OR") => p.at += 1,
                Some(Tok::Close) => break,
                Some(Tok::Word(w)) if w.eq_ignore_ascii_case("AND") => {
                    return Err("it combines conditions with AND; ttx takes indicators that match one observable".into());
                }
                other => return Err(format!("expected OR or ] but found {}", show(other))),
            }
        }
        p.expect(Tok::Close)?;
        match p.peek() {
            None => return Ok(out),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("OR") => p.at += 1,
            Some(Tok::Word(w)) => {
                return Err(format!(
                    "it uses {} between observations; ttx takes indicators that match one observable",
                    w.to_uppercase()
                ));
            }
            other => {
                return Err(format!(
                    "expected OR or the end of the pattern but found {}",
                    show(other)
                ));
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Open,
    Close,
    Op(String),
    Str(String),
    /// Object paths, keywords, numbers.
    Word(String),
}

fn show(t: Option<&Tok>) -> String {
    match t {
        None => "the end of the pattern".into(),
        Some(Tok::Open) => "[".into(),
        Some(Tok::Close) => "]".into(),
        Some(Tok::Op(o)) => o.clone(),
        Some(Tok::Str(s)) => format!("'{s}'"),
        Some(Tok::Word(w)) => w.clone(),
    }
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '[' => {
                out.push(Tok::Open);
                i += 1
            }
            ']' => {
                out.push(Tok::Close);
                i += 1
            }
            '\'' => {
                let mut lit = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("a string literal is not closed".into()),
                        Some('\\') => {
                            let Some(&n) = chars.get(i + 1) else {
                                return Err("a string literal ends in a backslash".into());
                            };
                            lit.push(n);
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            lit.push(ch);
                            i += 1;
                        }
                    }
                }
                // A quoted path step such as hashes.'SHA-256' continues the word before it.
                match out.last_mut() {
                    Some(Tok::Word(w)) if w.ends_with('.') => w.push_str(&lit),
                    _ => out.push(Tok::Str(lit)),
                }
            }
            '=' | '!' | '<' | '>' => {
                let mut op = c.to_string();
                if chars.get(i + 1) == Some(&'=') {
                    op.push('=');
                    i += 1;
                }
                out.push(Tok::Op(op));
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '[' | ']' | '=' | '!' | '<' | '>' | '\'')
                {
                    i += 1;
                }
                let w: String = chars[start..i].iter().collect();
                out.push(Tok::Word(w));
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at)
    }

    fn expect(&mut self, t: Tok) -> Result<(), String> {
        if self.peek() == Some(&t) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!(
                "expected {} but found {}",
                show(Some(&t)),
                show(self.peek())
            ))
        }
    }

    fn comparison(&mut self) -> Result<Indicator, String> {
        let path = match self.peek() {
            Some(Tok::Word(w)) => w.clone(),
            other => return Err(format!("expected an object path but found {}", show(other))),
        };
        self.at += 1;
        match self.peek() {
            Some(Tok::Op(o)) if o == "=" => self.at += 1,
            Some(Tok::Op(o)) => {
                return Err(format!(
                    "it compares {path} with {o}; ttx takes exact matches (=)"
                ));
            }
            Some(Tok::Word(w)) => {
                return Err(format!(
                    "it compares {path} with {}; ttx takes exact matches (=)",
                    w.to_uppercase()
                ));
            }
            other => return Err(format!("expected = after {path} but found {}", show(other))),
        }
        let value = match self.peek() {
            Some(Tok::Str(s)) => s.clone(),
            other => {
                return Err(format!(
                    "expected a quoted value for {path} but found {}",
                    show(other)
                ));
            }
        };
        self.at += 1;
        let ind = match path.to_ascii_lowercase().as_str() {
            "ipv4-addr:value" => Indicator::Ipv4(value),
            "ipv6-addr:value" => Indicator::Ipv6(value),
            "domain-name:value" => Indicator::Domain(value),
            "url:value" => Indicator::Url(value),
            "email-addr:value"
            | "email-message:from_ref.value"
            | "email-message:sender_ref.value" => Indicator::Email(value),
            "file:hashes.md5" => Indicator::Md5(value.to_ascii_lowercase()),
            "file:hashes.sha-1" | "file:hashes.sha1" => Indicator::Sha1(value.to_ascii_lowercase()),
            "file:hashes.sha-256" | "file:hashes.sha256" => {
                Indicator::Sha256(value.to_ascii_lowercase())
            }
            _ => {
                return Err(format!(
                    "ttx does not carry {path} observables (it takes IPv4/IPv6 addresses, domains, URLs, e-mail senders and MD5/SHA-1/SHA-256 file hashes)"
                ));
            }
        };
        ind.check().map_err(|e| format!("{path}: {e}"))?;
        Ok(ind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stix::indicators::pattern;

    #[test]
    fn what_ttx_writes_it_reads_back() {
        for ind in [
            Indicator::Ipv4("198.51.100.7".into()),
            Indicator::Ipv6("2001:db8::7".into()),
            Indicator::Domain("cdn-sync-0a1b2c.example".into()),
            Indicator::Url("https://x.example/it's".into()),
            Indicator::Email("invoice@billing.example".into()),
            Indicator::Md5("d41d8cd98f00b204e9800998ecf8427e".into()),
            Indicator::Sha1("da39a3ee5e6b4b0d3255bfef95601890afd80709".into()),
            Indicator::Sha256(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into(),
            ),
        ] {
            assert_eq!(parse(&pattern(&ind)), Ok(vec![ind.clone()]), "{ind:?}");
        }
    }

    #[test]
    fn alternatives_give_several_indicators() {
        let got = parse("[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2'] OR [domain-name:value = 'a.example']").unwrap();
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn patterns_ttx_cannot_carry_say_why() {
        let e = parse("[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 443]")
            .unwrap_err();
        assert!(e.contains("AND"), "{e}");
        let e = parse("[file:name = 'x.exe']").unwrap_err();
        assert!(e.contains("does not carry file:name"), "{e}");
        let e = parse("[ipv4-addr:value = '198.51.100.0/24']").unwrap_err();
        assert!(e.contains("IPv4 address"), "{e}");
        let e = parse("[ipv4-addr:value ISSUBSET '198.51.100.0/24']").unwrap_err();
        assert!(e.contains("ISSUBSET"), "{e}");
        let e = parse("[a:b = 'x'] FOLLOWEDBY [c:d = 'y']").unwrap_err();
        assert!(
            e.contains("FOLLOWEDBY") || e.contains("does not carry"),
            "{e}"
        );
        assert!(parse("[ipv4-addr:value = '1.2.3.4'").is_err());
    }
}
