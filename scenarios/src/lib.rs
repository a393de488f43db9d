//! ttx-scenario: the exercise language. The RON schema of scenarios, human durations and working
//! hours, validation with `file:line:col` diagnostics, the bundled scenario library, and the
//! message and trace vocabulary shared by the simulator and scoring.
//!
//! This crate does no I/O beyond what callers hand it as text.

pub mod actors;
pub mod determinism;
pub mod diagnostic;
pub mod digits;
pub mod dist;
pub mod doctrine;
pub mod exercise;
pub mod hours;
pub mod indicator;
pub mod injects;
pub mod ladder;
pub mod library;
pub mod live;
pub mod message;
pub mod moves;
pub mod msel;
pub mod name;
pub mod nesting;
pub mod overrides;
mod parse;
pub mod scenario;
pub mod spans;
pub mod stochastic;
pub mod time;
pub mod tlp;
pub mod trace;
mod validate;

pub use actors::{
    ActorKind, Capacity, Cert, Control, Infra, Organisation, Poc, PocLevel, PocStatus, Sector,
    State, ThreatActor,
};
pub use diagnostic::{Diagnostic, Diagnostics, did_you_mean};
pub use dist::Dist;
pub use doctrine::{Doctrine, DoctrineSpec, EscalationPolicy};
pub use exercise::{Action, Expect, Norm, Objective, ScoringSpec, Targets};
pub use indicator::Indicator;
pub use injects::{Condition, Event, Inject, Technique};
pub use message::{Channel, MeasureKind, Message, MessageKind, Offer, Tlp, clone_list};
pub use moves::{Draft, Move};
pub use name::Name;
pub use parse::{fragment_to_ron, parse, to_ron};
pub use scenario::Scenario;
pub use stochastic::{IncidentStream, InjectAt, RandomAt, Rate, Repeat};
pub use time::{At, Span, Timestamp, UtcOffset};
pub use trace::{Header, Record, Trace, TraceError, TraceEvent};
pub use validate::validate;

/// Parses and validates a scenario. `origin` names the source in diagnostics (usually its path).
pub fn load_str(source: &str, origin: &str) -> Result<Scenario, Diagnostics> {
    let scenario = parse(source, origin)?;
    check(&scenario, source, origin)?;
    Ok(scenario)
}

/// Validates a parsed scenario, resolving problem positions against `source`.
pub fn check(scenario: &Scenario, source: &str, origin: &str) -> Result<(), Diagnostics> {
    let problems = validate(scenario);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics::new(origin, source, problems))
    }
}
