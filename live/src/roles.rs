//! Roles and their secrets. Each role — the facilitator, each human team, the evaluators — joins
//! through a link carrying a random 256-bit token; the join page exchanges it for an HttpOnly,
//! SameSite=Strict session cookie holding a second, different 256-bit secret, so the secret that
//! authenticates every request never appears in a URL, a browser history or a printed link.
//! Both are compared in constant time against every role's, whatever matches first.

use anyhow::{Context, Result, bail};
use subtle::{ConditionallySelectable, ConstantTimeEq};

/// Bytes of randomness in a token (256 bits; the issue asks for at least 128).
const SECRET_BYTES: usize = 32;

/// Who is acting.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Runs the clock and the MSEL, plays the control cell, sees everything.
    Facilitator,
    /// Plays one human-controlled state; sees that state's traffic only.
    Team(String),
    /// Sees everything, read only; rates expectations and writes observations.
    Evaluator,
}

impl Role {
    /// How the journal names the role: `facilitator`, `evaluator`, `team:<state>`.
    pub fn key(&self) -> String {
        match self {
            Role::Facilitator => "facilitator".into(),
            Role::Evaluator => "evaluator".into(),
            Role::Team(s) => format!("team:{s}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        match key {
            "facilitator" => Some(Role::Facilitator),
            "evaluator" => Some(Role::Evaluator),
            _ => key
                .strip_prefix("team:")
                .filter(|s| !s.is_empty())
                .map(|s| Role::Team(s.to_string())),
        }
    }

    /// The path under which the role's pages, API and event stream live; its cookie is scoped
    /// to it, so one browser can hold several roles (a facilitator preparing the room) and a
    /// team's cookie is never even sent with another team's requests.
    pub fn home(&self) -> String {
        match self {
            Role::Facilitator => "/console".into(),
            Role::Evaluator => "/evaluator".into(),
            Role::Team(s) => format!("/team/{s}"),
        }
    }

    /// For people: "facilitator", "team aurelia", "evaluator".
    pub fn label(&self) -> String {
        match self {
            Role::Facilitator => "facilitator".into(),
            Role::Evaluator => "evaluator".into(),
            Role::Team(s) => format!("team {s}"),
        }
    }
}

/// A random secret, written as 64 lowercase hex digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; SECRET_BYTES]);

impl Secret {
    pub fn random() -> Result<Secret> {
        let mut b = [0u8; SECRET_BYTES];
        getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
        Ok(Secret(b))
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses 64 hex digits; anything else (truncated, padded, not hex) is `None`. The length
    /// is public, so refusing a wrong length early reveals nothing.
    pub fn from_hex(text: &str) -> Option<Secret> {
        let t = text.as_bytes();
        if t.len() != SECRET_BYTES * 2 {
            return None;
        }
        let mut b = [0u8; SECRET_BYTES];
        for (i, pair) in t.chunks_exact(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            b[i] = (hi * 16 + lo) as u8;
        }
        Some(Secret(b))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// One role with its join-link token and session secret.
#[derive(Clone, Debug)]
pub struct Credential {
    pub role: Role,
    pub link: Secret,
    pub session: Secret,
}

/// Every role of an exercise.
#[derive(Clone, Debug)]
pub struct Roles {
    list: Vec<Credential>,
}

impl Roles {
    /// Fresh secrets for the facilitator, one team per human-played state (in scenario order)
    /// and the evaluators.
    pub fn generate(human_states: &[String]) -> Result<Roles> {
        let mut roles = vec![Role::Facilitator];
        roles.extend(human_states.iter().map(|s| Role::Team(s.clone())));
        roles.push(Role::Evaluator);
        let list = roles
            .into_iter()
            .map(|role| {
                Ok(Credential {
                    role,
                    link: Secret::random()?,
                    session: Secret::random()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Roles { list })
    }

    /// Roles read back from a journal.
    pub fn from_stored(stored: &[crate::journal::StoredRole]) -> Result<Roles> {
        let list = stored
            .iter()
            .map(|r| {
                let role = Role::from_key(&r.key)
                    .with_context(|| format!("unknown role \"{}\" in the journal", r.key))?;
                let secret = |s: &str| {
                    Secret::from_hex(s)
                        .with_context(|| format!("damaged secret for role \"{}\"", r.key))
                };
                Ok(Credential {
                    role,
                    link: secret(&r.link)?,
                    session: secret(&r.session)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if !list.iter().any(|c| c.role == Role::Facilitator) {
            bail!("the journal has no facilitator role");
        }
        Ok(Roles { list })
    }

    pub fn to_stored(&self) -> Vec<crate::journal::StoredRole> {
        self.list
            .iter()
            .map(|c| crate::journal::StoredRole {
                key: c.role.key(),
                link: c.link.to_hex(),
                session: c.session.to_hex(),
            })
            .collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Credential> {
        self.list.iter()
    }

    /// The role whose join-link token this is.
    pub fn by_link(&self, token: &str) -> Option<&Credential> {
        let s = Secret::from_hex(token)?;
        self.find(|c| &c.link, &s)
    }

    /// The role whose session cookie this is.
    pub fn by_session(&self, value: &str) -> Option<&Credential> {
        let s = Secret::from_hex(value)?;
        self.find(|c| &c.session, &s)
    }

    /// Compares `s` with every role's secret in constant time and without stopping at a match,
    /// so timing says nothing about which secret, or how much of one, was right.
    fn find(&self, field: impl Fn(&Credential) -> &Secret, s: &Secret) -> Option<&Credential> {
        let mut found = 0u32; // index + 1 of the match, 0 for none
        for (i, c) in self.list.iter().enumerate() {
            let hit = field(c).0.ct_eq(&s.0);
            found.conditional_assign(&(i as u32 + 1), hit);
        }
        (found > 0).then(|| &self.list[found as usize - 1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_round_trip_through_hex() {
        let a = Secret::random().unwrap();
        let b = Secret::random().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.to_hex().len(), 64);
        assert_eq!(Secret::from_hex(&a.to_hex()), Some(a.clone()));
        assert_eq!(Secret::from_hex(&a.to_hex().to_uppercase()), Some(a));
    }

    #[test]
    fn roles_are_found_by_their_own_secrets_only() {
        let roles = Roles::generate(&["aurelia".into(), "borealia".into()]).unwrap();
        let team_a = roles.iter().nth(1).unwrap();
        assert_eq!(team_a.role, Role::Team("aurelia".into()));
        assert_eq!(
            roles.by_link(&team_a.link.to_hex()).unwrap().role,
            team_a.role
        );
        assert_eq!(
            roles.by_session(&team_a.session.to_hex()).unwrap().role,
            team_a.role
        );
        // A link token is not a session secret, and the other way round.
        assert!(roles.by_session(&team_a.link.to_hex()).is_none());
        assert!(roles.by_link(&team_a.session.to_hex()).is_none());
        // Truncated, extended, altered or non-hex tokens are refused.
        let hex = team_a.link.to_hex();
        assert!(roles.by_link(&hex[..63]).is_none());
        assert!(roles.by_link(&format!("{hex}0")).is_none());
        let mut altered = hex.clone().into_bytes();
        altered[10] = if altered[10] == b'0' { b'1' } else { b'0' };
        assert!(
            roles
                .by_link(std::str::from_utf8(&altered).unwrap())
                .is_none()
        );
        assert!(roles.by_link(&"zz".repeat(32)).is_none());
        assert!(roles.by_link("").is_none());
    }

    #[test]
    fn roles_survive_the_journal() {
        let roles = Roles::generate(&["aurelia".into()]).unwrap();
        let back = Roles::from_stored(&roles.to_stored()).unwrap();
        let pairs: Vec<_> = roles.iter().zip(back.iter()).collect();
        assert_eq!(pairs.len(), 3);
        for (a, b) in pairs {
            assert_eq!(
                (&a.role, &a.link, &a.session),
                (&b.role, &b.link, &b.session)
            );
        }
    }

    #[test]
    fn keys_name_roles_both_ways() {
        for r in [
            Role::Facilitator,
            Role::Evaluator,
            Role::Team("borealia".into()),
        ] {
            assert_eq!(Role::from_key(&r.key()), Some(r));
        }
        assert_eq!(Role::from_key("team:"), None);
        assert_eq!(Role::from_key("admin"), None);
    }
}
