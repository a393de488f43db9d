//! Indicators of compromise as STIX patterns, and the indicators of an incident: the ones its
//! scenario declares (`Incident(…, indicators: [Ipv4("…"), …])`), or — so that every drill has
//! something to load — exercise indicators derived from the scenario hash and the incident id
//! in ranges reserved for documentation (RFC 5737 addresses, RFC 2606 `.example` domains, and a
//! hash of a ttx-made string that is no real file): safe to load into a production platform, they
//! match nothing real.

use sha2::{Digest, Sha256};
use ttx_scenario::{Event, Indicator, Scenario};

/// A STIX pattern matching exactly the indicator's observable.
pub fn pattern(ind: &Indicator) -> String {
    let path = match ind {
        Indicator::Ipv4(_) => "ipv4-addr:value",
        Indicator::Ipv6(_) => "ipv6-addr:value",
        Indicator::Domain(_) => "domain-name:value",
        Indicator::Url(_) => "url:value",
        Indicator::Email(_) => "email-message:from_ref.value",
        Indicator::Md5(_) => "file:hashes.MD5",
        Indicator::Sha1(_) => "file:hashes.'SHA-1'",
        Indicator::Sha256(_) => "file:hashes.'SHA-256'",
    };
    format!("[{path} = '{}']", literal(ind.value()))
}

/// A STIX pattern string literal's body: backslash and quote escaped.
fn literal(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\'', "\\'")
}

/// What the observable is, for an indicator's name.
pub fn noun(ind: &Indicator) -> &'static str {
    match ind {
        Indicator::Ipv4(_) | Indicator::Ipv6(_) => "IP address",
        Indicator::Domain(_) => "domain",
        Indicator::Url(_) => "URL",
        Indicator::Email(_) => "sender address",
        Indicator::Md5(_) | Indicator::Sha1(_) | Indicator::Sha256(_) => "file hash",
    }
}

/// The indicators of incident `id`, and whether they were generated rather than declared.
pub fn of_incident(scenario: &Scenario, id: &str) -> (Vec<Indicator>, bool) {
    let declared = scenario.injects.iter().find_map(|i| match &i.event {
        Event::Incident {
            id: iid,
            indicators,
            ..
        } if iid == id && !indicators.is_empty() => Some(indicators.clone()),
        _ => None,
    });
    match declared {
        Some(d) => (d, false),
        None => (generated(&scenario.content_hash(), id), true),
    }
}

/// Exercise indicators for an incident that declares none.
pub fn generated(scenario_hash: &str, incident: &str) -> Vec<Indicator> {
    let d = Sha256::digest(format!("ttx exercise indicator/{scenario_hash}/{incident}"));
    let net = if d[0] & 1 == 0 {
        "198.51.100"
    } else {
        "203.0.113"
    };
    let host = 1 + d[1] % 254;
    const WORDS: [&str; 6] = [
        "update-check",
        "cdn-sync",
        "mail-relay",
        "telemetry",
        "auth-portal",
        "backup-store",
    ];
    let word = WORDS[d[2] as usize % WORDS.len()];
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let sample = Sha256::digest(format!("ttx exercise sample/{scenario_hash}/{incident}"));
    vec![
        Indicator::Ipv4(format!("{net}.{host}")),
        Indicator::Domain(format!("{word}-{}.example", hex(&d[3..6]))),
        Indicator::Sha256(hex(&sample)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_indicators_are_valid_and_reserved_for_documentation() {
        for inc in ["inc-1", "inc-2", "op-m12"] {
            let g = generated("sha256:abc", inc);
            assert_eq!(g, generated("sha256:abc", inc));
            for ind in &g {
                assert_eq!(ind.check(), Ok(()));
            }
            let ip = g[0].value();
            assert!(ip.starts_with("198.51.100.") || ip.starts_with("203.0.113."));
            assert!(g[1].value().ends_with(".example"));
        }
        assert_ne!(
            generated("sha256:abc", "inc-1"),
            generated("sha256:abd", "inc-1")
        );
    }

    #[test]
    fn patterns_quote_their_literals() {
        assert_eq!(
            pattern(&Indicator::Url("http://x.example/it's".into())),
            r"[url:value = 'http://x.example/it\'s']"
        );
        assert_eq!(
            pattern(&Indicator::Sha256("ab".into())),
            "[file:hashes.'SHA-256' = 'ab']"
        );
    }
}
