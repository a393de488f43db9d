//! Checks of what fires at random: inject windows, repeats, and incident streams
//! (`stochastic.rs`).

use super::Validator;
use crate::injects::{Inject, RSIT_CLASSES};
use crate::stochastic::{InjectAt, RandomAt};

impl Validator<'_> {
    /// An inject's random window and repetition.
    pub(super) fn randomness(&mut self, p: &str, inj: &Inject) {
        if let Some(InjectAt::Random(RandomAt::Uniform(a, b))) = &inj.at
            && a > b
        {
            self.err(
                format!("{p}.at"),
                format!("the window Uniform({a}, {b}) ends before it starts"),
                Some(format!("write Uniform(\"{b}\", \"{a}\")")),
            );
        }
        if let Some(r) = &inj.repeat {
            if inj.when.is_some() {
                self.err(
                    format!("{p}.repeat"),
                    "only an inject with `at` can repeat; a `when` inject fires once, when its condition first holds",
                    None,
                );
            }
            if r.every.0 <= 0 {
                self.err(
                    format!("{p}.repeat.every"),
                    "`every` must be longer than 0s",
                    None,
                );
            }
            if r.times == 0 {
                self.err(
                    format!("{p}.repeat.times"),
                    "`times` counts every firing, the first included: at least 1",
                    None,
                );
            }
        }
    }

    pub(super) fn streams(&mut self) {
        let sc = self.sc;
        for (i, st) in sc.streams.iter().enumerate() {
            let p = format!("streams[{i}]");
            self.declare(format!("{p}.id"), &st.id, "incident stream", true);
            if st.rate.per_second <= 0.0 {
                self.err(
                    format!("{p}.rate"),
                    "the rate must be above 0",
                    Some("e.g. rate: \"3/d\"".into()),
                );
            }
            let (from, until) = (
                st.from.map_or(0, |a| a.secs()),
                st.until.map_or(sc.duration.0, |a| a.secs()),
            );
            if from >= until {
                self.err(
                    format!("{p}.until"),
                    "the stream ends before it starts",
                    None,
                );
            }
            for (field, weights, n) in [("hours", &st.hours, 24), ("weekdays", &st.weekdays, 7)] {
                if weights.is_empty() {
                    continue;
                }
                if weights.len() != n {
                    self.err(
                        format!("{p}.{field}"),
                        format!("{} weights given; `{field}` needs {n}", weights.len()),
                        None,
                    );
                } else if weights.iter().any(|w| !(w.is_finite() && *w >= 0.0))
                    || weights.iter().all(|w| *w == 0.0)
                {
                    self.err(
                        format!("{p}.{field}"),
                        "weights must be 0 or more, and not all 0",
                        None,
                    );
                }
            }
            if let Some(s) = &st.state {
                self.refers(format!("{p}.state"), s, "state");
            }
            match (st.targets.is_empty(), st.sector) {
                (false, Some(_)) => self.err(
                    format!("{p}.sector"),
                    "give `targets` or `sector`, not both",
                    None,
                ),
                (true, None) => self.err(
                    p.clone(),
                    "a stream needs `targets` (infrastructure ids) or a `sector` to draw its targets from",
                    None,
                ),
                (true, Some(sector)) if st.target_pool(sc).is_empty() => self.err(
                    format!("{p}.sector"),
                    format!(
                        "no infrastructure of sector {sector:?}{} to draw a target from",
                        st.state.as_ref().map_or(String::new(), |s| format!(" in {s}"))
                    ),
                    None,
                ),
                _ => {}
            }
            for (k, t) in st.targets.iter().enumerate() {
                self.refers(format!("{p}.targets[{k}]"), t, "infrastructure");
            }
            if st.actors.is_empty() {
                self.err(
                    format!("{p}.actors"),
                    "a stream needs at least one threat actor to draw from",
                    None,
                );
            }
            for (k, a) in st.actors.iter().enumerate() {
                self.refers(format!("{p}.actors[{k}]"), a, "threat actor");
            }
            if st.severity > 5 {
                self.err(
                    format!("{p}.severity"),
                    format!(
                        "severity {} is outside the PPD-41 schema's 0–5",
                        st.severity
                    ),
                    None,
                );
            }
            if !RSIT_CLASSES.contains(&st.rsit.as_str()) {
                let help = crate::diagnostic::suggest(&st.rsit, RSIT_CLASSES, "RSIT classes");
                self.err(
                    format!("{p}.rsit"),
                    format!("unknown RSIT class \"{}\"", st.rsit),
                    help,
                );
            }
        }
    }
}
