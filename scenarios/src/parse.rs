//! RON in and out. Syntax and type errors from `ron` are rephrased for scenario authors and given
//! a suggestion where one exists (a misspelt field or variant).

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::nesting::{self, MAX_DEPTH, Syntax};
use crate::scenario::Scenario;
use crate::spans::{Pos, Spot};
use ron::error::Error as RonError;
use ron::extensions::Extensions;

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Parses RON into a scenario without semantic checks.
pub fn parse(source: &str, origin: &str) -> Result<Scenario, Diagnostics> {
    if let Err(deep) = nesting::check(source, Syntax::Ron) {
        let at = Pos {
            line: deep.line,
            col: deep.col,
        };
        return Err(Diagnostics::single(
            origin,
            source,
            Diagnostic {
                message: format!("values are nested more than {MAX_DEPTH} levels deep"),
                path: None,
                spot: Some(Spot { start: at, end: at }),
                help: Some(too_deep_help()),
            },
        ));
    }
    options().from_str::<Scenario>(source).map_err(|e| {
        let (message, help) = explain(&e.code);
        let spot = Spot {
            start: Pos {
                line: e.span.start.line.max(1),
                col: e.span.start.col.max(1),
            },
            end: Pos {
                line: e.span.end.line.max(1),
                col: e.span.end.col.max(1),
            },
        };
        Diagnostics::single(
            origin,
            source,
            Diagnostic {
                message,
                path: None,
                spot: Some(spot),
                help,
            },
        )
    })
}

fn explain(code: &RonError) -> (String, Option<String>) {
    match code {
        RonError::NoSuchStructField { expected, found, outer } => {
            let inside = outer.as_deref().map(|o| format!(" in {o}")).unwrap_or_default();
            let help = match did_you_mean(found, expected.iter().copied()) {
                Some(m) => format!("did you mean `{m}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            };
            (format!("unknown field `{found}`{inside}"), Some(help))
        }
        RonError::NoSuchEnumVariant { expected, found, outer } => {
            let inside = outer.as_deref().map(|o| format!(" for {o}")).unwrap_or_default();
            let help = match did_you_mean(found, expected.iter().copied()) {
                Some(m) => format!("did you mean `{m}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            };
            (format!("unknown value `{found}`{inside}"), Some(help))
        }
        RonError::MissingStructField { field, outer } => {
            let inside = outer.as_deref().map(|o| format!(" in {o}")).unwrap_or_default();
            (format!("missing field `{field}`{inside}"), Some(format!("add `{field}: …`")))
        }
        RonError::DuplicateStructField { field, outer } => {
            let inside = outer.as_deref().map(|o| format!(" in {o}")).unwrap_or_default();
            (format!("field `{field}` is given twice{inside}"), None)
        }
        RonError::ExpectedDifferentStructName { expected, found } => {
            (format!("expected `{expected}(…)` here, found `{found}(…)`"), None)
        }
        RonError::Message(m) => (m.clone(), None),
        RonError::ExpectedComma => (
            "expected a comma before this".into(),
            Some("values in a list or fields of a struct are separated by `,`; the previous one probably lacks it".into()),
        ),
        RonError::ExceededRecursionLimit => (
            format!("values are nested more than {MAX_DEPTH} levels deep"),
            Some(too_deep_help()),
        ),
        RonError::Eof => ("unexpected end of file".into(), Some("a closing `)` or `]` is probably missing".into())),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            let lower = match chars.next() {
                Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
                None => text,
            };
            (lower, None)
        }
    }
}

fn too_deep_help() -> String {
    "a scenario nests about eight levels (Scenario → states → State → pocs → Poc → latency); look for brackets opened and never closed".into()
}

/// Serialises a scenario as pretty RON, for `ttx init`, MSEL import and exports.
pub fn to_ron(scenario: &Scenario) -> String {
    format!("#![enable(implicit_some)]\n{}\n", fragment_to_ron(scenario))
}

/// Any part of a scenario (an inject, a list of indicators) written as a scenario file writes
/// it, to paste into one.
pub fn fragment_to_ron<T: serde::Serialize>(value: &T) -> String {
    let pretty = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ".to_string());
    options()
        .to_string_pretty(value, pretty)
        .expect("scenario values serialise to RON")
}
