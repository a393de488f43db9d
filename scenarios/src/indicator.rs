//! Indicators of compromise: the observables a CERT shares when it notifies an incident (norm c
//! guidance i: "notification … with indicators of compromise"; A/68/98 ¶26 d, CERT-to-CERT
//! exchange). One observable per indicator, as CERTs exchange them: an address, a domain, a URL,
//! a sender address or a file hash. In scenario files: `Ipv4("198.51.100.7")`,
//! `Domain("update-check.example")`, `Sha256("…")`.

use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, Ipv6Addr};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Indicator {
    Ipv4(String),
    Ipv6(String),
    Domain(String),
    Url(String),
    /// An e-mail sender address (phishing).
    Email(String),
    Md5(String),
    Sha1(String),
    Sha256(String),
}

impl Indicator {
    /// The observed value, as written.
    pub fn value(&self) -> &str {
        match self {
            Indicator::Ipv4(v)
            | Indicator::Ipv6(v)
            | Indicator::Domain(v)
            | Indicator::Url(v)
            | Indicator::Email(v)
            | Indicator::Md5(v)
            | Indicator::Sha1(v)
            | Indicator::Sha256(v) => v,
        }
    }

    /// The variant's name as a scenario file writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            Indicator::Ipv4(_) => "Ipv4",
            Indicator::Ipv6(_) => "Ipv6",
            Indicator::Domain(_) => "Domain",
            Indicator::Url(_) => "Url",
            Indicator::Email(_) => "Email",
            Indicator::Md5(_) => "Md5",
            Indicator::Sha1(_) => "Sha1",
            Indicator::Sha256(_) => "Sha256",
        }
    }

    /// Checks the value's syntax; the error says what was expected.
    pub fn check(&self) -> Result<(), String> {
        let v = self.value();
        let ok = match self {
            Indicator::Ipv4(_) => v.parse::<Ipv4Addr>().is_ok(),
            Indicator::Ipv6(_) => v.parse::<Ipv6Addr>().is_ok(),
            Indicator::Domain(_) => is_domain(v),
            Indicator::Url(_) => v.split_once("://").is_some_and(|(scheme, rest)| {
                !scheme.is_empty()
                    && scheme
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'+')
                    && !rest.is_empty()
                    && !rest.contains(char::is_whitespace)
            }),
            Indicator::Email(_) => v.rsplit_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && !local.contains(char::is_whitespace) && is_domain(domain)
            }),
            Indicator::Md5(_) => is_hex(v, 32),
            Indicator::Sha1(_) => is_hex(v, 40),
            Indicator::Sha256(_) => is_hex(v, 64),
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "\"{v}\" is not {}",
                match self {
                    Indicator::Ipv4(_) => "an IPv4 address such as \"198.51.100.7\"",
                    Indicator::Ipv6(_) => "an IPv6 address such as \"2001:db8::7\"",
                    Indicator::Domain(_) => "a domain name such as \"update-check.example\"",
                    Indicator::Url(_) => "a URL such as \"https://update-check.example/payload\"",
                    Indicator::Email(_) => "an e-mail address such as \"invoice@billing.example\"",
                    Indicator::Md5(_) => "an MD5 hash (32 hexadecimal digits)",
                    Indicator::Sha1(_) => "a SHA-1 hash (40 hexadecimal digits)",
                    Indicator::Sha256(_) => "a SHA-256 hash (64 hexadecimal digits)",
                }
            ))
        }
    }
}

fn is_hex(v: &str, len: usize) -> bool {
    v.len() == len && v.bytes().all(|c| c.is_ascii_hexdigit())
}

fn is_domain(v: &str) -> bool {
    let v = v.strip_suffix('.').unwrap_or(v);
    v.len() <= 253
        && v.contains('.')
        && v.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::Indicator::*;

    #[test]
    fn well_formed_values_pass_and_malformed_ones_say_what_was_expected() {
        for ok in [
            Ipv4("198.51.100.7".into()),
            Ipv6("2001:db8::7".into()),
            Domain("update-check.example".into()),
            Url("https://update-check.example/a?b=c".into()),
            Email("invoice@billing.example".into()),
            Md5("d41d8cd98f00b204e9800998ecf8427e".into()),
            Sha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into()),
        ] {
            assert_eq!(ok.check(), Ok(()), "{ok:?}");
        }
        let e = Ipv4("198.51.100.300".into()).check().unwrap_err();
        assert!(e.contains("IPv4 address"), "{e}");
        assert!(Domain("localhost".into()).check().is_err());
        assert!(Sha1("abc".into()).check().is_err());
        assert!(Url("update-check.example".into()).check().is_err());
    }
}
