//! One line per journal entry, for the console's action log and the exercise's resume notice.

use ttx_scenario::live::Action;

pub fn action(a: &Action) -> String {
    match a {
        Action::Move(m) => {
            let mut s = format!(
                "{} sends {} to {}",
                m.by,
                m.message.kind.label(),
                m.message.to
            );
            if let Some(r) = &m.message.refers_to {
                s.push_str(&format!(" (answering {r})"));
            }
            s
        }
        Action::ReleaseInject { inject } => format!("releases inject {inject}"),
        Action::AddInject(i) => format!(
            "adds inject {} ({})",
            i.id.as_deref().unwrap_or("ad hoc"),
            i.event.kind()
        ),
        Action::Rate {
            expectation,
            rating,
            ..
        } => format!("rates {expectation} {}", rating.label()),
        Action::Observe { record, .. } => match record {
            Some(n) => format!("observes record #{n}"),
            None => "writes an observation".into(),
        },
        Action::Note {
            state, decision, ..
        } => {
            if *decision {
                format!("{state} logs a decision")
            } else {
                format!("{state} writes a note")
            }
        }
    }
}
