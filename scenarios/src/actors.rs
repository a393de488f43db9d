//! The actors of an exercise as a scenario file declares them. Everything that has a sensible
//! default has one, so that a two-state scenario fits on a screen; defaults that depend on a
//! state's capacity tier are resolved by methods rather than by serde, which cannot see the tier.

use crate::dist::Dist;
use crate::hours::WorkingHours;
use crate::time::{Span, UtcOffset};
use serde::{Deserialize, Serialize};

/// Capacity tier. The seeds (A/68/98 ¶10, ITU Res. 130) stress that capacity gaps shape how fast a
/// state can detect, investigate and contain an incident, and whether it needs assistance.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Capacity {
    Developing,
    #[default]
    Emerging,
    Advanced,
}

/// Who decides for a state: its doctrine (a bot), a human team in a live exercise, or the
/// exercise control cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Control {
    #[default]
    Bot,
    /// Played by a human team in a live exercise: the team decides what its state says and
    /// does (through moves); its doctrine decides nothing. Its CERT still detects, investigates
    /// and contains with the simulated latencies, and its PoCs still receive. In a simulated
    /// run nobody makes its decisions (`ttx compare` puts bots in the teams' place).
    Human,
    /// Played by the control cell: the state decides nothing on its own and acts only through
    /// scripted moves (and, in a live exercise, the facilitator). Its CERT still detects,
    /// investigates and contains, and its PoCs still receive.
    Control,
}

impl Control {
    /// Whether the state's doctrine makes its decisions (answers, notifications, escalation).
    pub fn doctrine_decides(self) -> bool {
        match self {
            Control::Bot => true,
            Control::Human | Control::Control => false,
        }
    }

    /// Whether people make the state's moves during a live exercise (a team or the control cell).
    pub fn moves_live(self) -> bool {
        !self.doctrine_decides()
    }

    /// Who plays the state, in a facilitator's words.
    pub fn label(self) -> &'static str {
        match self {
            Control::Bot => "bot",
            Control::Human => "team",
            Control::Control => "control cell",
        }
    }
}

/// Level of a national point of contact (A/75/816 ¶51: technical, policy and diplomatic).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PocLevel {
    Technical,
    Diplomatic,
    Policy,
}

impl PocLevel {
    pub const ALL: [PocLevel; 3] = [PocLevel::Technical, PocLevel::Diplomatic, PocLevel::Policy];
    pub fn as_str(self) -> &'static str {
        match self {
            PocLevel::Technical => "technical",
            PocLevel::Diplomatic => "diplomatic",
            PocLevel::Policy => "policy",
        }
    }
}

/// Whether a point of contact can be reached. A stale entry (outdated contact details) is what
/// regular PoC exercises exist to find (A/75/816 Chair's summary ¶30).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PocStatus {
    #[default]
    Active,
    Stale,
    Unreachable,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Poc {
    pub level: PocLevel,
    /// Defaults to `"<state>/<level>"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub hours: WorkingHours,
    /// Time to answer once on duty; defaults depend on the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<Dist>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub status: PocStatus,
}

impl Poc {
    pub fn new(level: PocLevel, hours: &str) -> Poc {
        Poc {
            level,
            id: None,
            hours: WorkingHours::parse(hours).expect("built-in working hours parse"),
            latency: None,
            status: PocStatus::Active,
        }
    }

    pub fn id_for(&self, state: &str) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{state}/{}", self.level.as_str()))
    }

    pub fn answer_latency(&self) -> Dist {
        self.latency.clone().unwrap_or_else(|| match self.level {
            PocLevel::Technical => Dist::lognormal(Span::minutes(30), Span::hours(2)),
            PocLevel::Diplomatic => Dist::lognormal(Span::hours(2), Span::hours(8)),
            PocLevel::Policy => Dist::lognormal(Span::hours(4), Span::hours(24)),
        })
    }
}

/// The PoCs a state gets when its file does not list any: a 24/7 technical desk and a diplomatic
/// desk on office hours, the most common pattern in regional PoC directories.
pub fn default_pocs() -> Vec<Poc> {
    vec![
        Poc::new(PocLevel::Technical, "24/7"),
        Poc::new(PocLevel::Diplomatic, "Mon-Fri 09:00-17:00"),
    ]
}

/// The national CERT/CSIRT. Every field is optional; omitted ones follow the state's capacity tier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Cert")]
pub struct CertSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysts: Option<u32>,
    /// From the start of an incident to its detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect: Option<Dist>,
    /// Time between successive forensic findings while investigating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigate: Option<Dist>,
    /// From the start of handling to containment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contain: Option<Dist>,
    /// Probability that a forensic finding points the right way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
}

/// A CERT with every default resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Cert {
    pub analysts: u32,
    pub detect: Dist,
    pub investigate: Dist,
    pub contain: Dist,
    pub accuracy: f64,
}

impl Capacity {
    /// Baseline CERT for the tier. The figures are illustrative defaults, chosen so that tiers
    /// differ by a factor of two to four as capacity-building literature describes; every
    /// scenario can override them.
    pub fn cert(self) -> Cert {
        let ln = |m, p| Dist::lognormal(Span::hours(m), Span::hours(p));
        match self {
            Capacity::Developing => Cert {
                analysts: 1,
                detect: ln(12, 48),
                investigate: Dist::Exponential {
                    mean: Span::hours(12),
                },
                contain: ln(48, 120),
                accuracy: 0.6,
            },
            Capacity::Emerging => Cert {
                analysts: 2,
                detect: ln(4, 16),
                investigate: Dist::Exponential {
                    mean: Span::hours(6),
                },
                contain: ln(24, 72),
                accuracy: 0.75,
            },
            Capacity::Advanced => Cert {
                analysts: 6,
                detect: ln(1, 4),
                investigate: Dist::Exponential {
                    mean: Span::hours(3),
                },
                contain: ln(12, 36),
                accuracy: 0.9,
            },
        }
    }

    /// Default time for a disrupted service to come back once the incident is contained.
    pub fn recovery(self) -> Dist {
        let ln = |m, p| Dist::lognormal(Span::hours(m), Span::hours(p));
        match self {
            Capacity::Developing => ln(48, 144),
            Capacity::Emerging => ln(24, 72),
            Capacity::Advanced => ln(8, 24),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default)]
    pub utc_offset: UtcOffset,
    #[serde(default)]
    pub capacity: Capacity,
    #[serde(default = "default_doctrine")]
    pub doctrine: String,
    /// Regional organisations this state belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orgs: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub control: Control,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cert: CertSpec,
    #[serde(default = "default_pocs")]
    pub pocs: Vec<Poc>,
}

pub fn default_doctrine() -> String {
    "cooperative".to_string()
}

impl State {
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }

    pub fn cert(&self) -> Cert {
        let base = self.capacity.cert();
        Cert {
            analysts: self.cert.analysts.unwrap_or(base.analysts),
            detect: self.cert.detect.clone().unwrap_or(base.detect),
            investigate: self.cert.investigate.clone().unwrap_or(base.investigate),
            contain: self.cert.contain.clone().unwrap_or(base.contain),
            accuracy: self.cert.accuracy.unwrap_or(base.accuracy),
        }
    }

    pub fn poc(&self, level: PocLevel) -> Option<&Poc> {
        self.pocs.iter().find(|p| p.level == level)
    }
}

/// Critical-infrastructure sectors named in the norm f guidance (A/75/816 Chair's summary annex,
/// norm f guidance i), plus CERT systems (norm k) and government services.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sector {
    Energy,
    Water,
    Sanitation,
    Health,
    Education,
    Finance,
    Transport,
    Telecom,
    CrisisResponse,
    Elections,
    InternetCore,
    CertSystems,
    Government,
    Other,
}

impl Sector {
    /// Whether infrastructure of this sector is critical unless the scenario says otherwise: the
    /// sectors the norm f guidance lists as serving the public (A/75/816 annex, norm f guidance
    /// i), plus CERT systems (DESIGN.md §3, norm k guidance). Government and other systems are not.
    pub fn is_critical(self) -> bool {
        !matches!(self, Sector::Government | Sector::Other)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Infra {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The owning state.
    pub state: String,
    pub sector: Sector,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub public: bool,
    /// Other states this infrastructure serves (shared or cross-border CI, A/75/816 ¶18).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serves: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// How long service takes to return once the cause is gone; defaults follow the owner's capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Dist>,
    /// How long it rides out the loss of something it depends on (backup generators, stock).
    #[serde(default, skip_serializing_if = "is_default")]
    pub backup: Span,
    /// Whether it is critical infrastructure for norms f and g; default by sector
    /// ([`Sector::is_critical`]). "Each State determines which infrastructure or sectors it deems
    /// critical" (A/75/816 annex, norm f guidance i).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<bool>,
}

impl Infra {
    pub fn is_critical(&self) -> bool {
        self.critical.unwrap_or(self.sector.is_critical())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActorKind {
    Criminal,
    Terrorist,
    Hacktivist,
    StateProxy,
    StateUnit,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatActor {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub kind: ActorKind,
    /// The state whose territory or infrastructure it operates from.
    pub operates_from: String,
    /// Ground truth: the state that directs it, if any. Known to the simulator, never to players.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directed_by: Option<String>,
    /// Ground truth: a state that knowingly supports it (funds, tools, safe haven) without
    /// directing it — "conduct or knowingly support" (A/70/174 ¶13 f, k).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_by: Option<String>,
    /// Whether it operates from a state's own CERT (misuse of a CERT, norm k).
    #[serde(default, skip_serializing_if = "is_default")]
    pub uses_cert: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    #[default]
    Regional,
    UnBody,
    CertNetwork,
}

/// A regional organisation or UN body; it relays messages and hosts PoC networks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: OrgKind,
}

pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}
pub(crate) fn yes() -> bool {
    true
}
pub(crate) fn is_true(b: &bool) -> bool {
    *b
}
